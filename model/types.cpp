#include "model/types.h"

#include <array>
#include <string_view>

namespace pasidcheck::model {
namespace {

template <typename E, std::size_t N>
using Names = std::array<std::string_view, N>;

constexpr Names<Space, 6> kSpace{"iova", "direct", "vmalloc", "text", "user", "phys"};
constexpr Names<Access, 2> kAccess{"read", "write"};
constexpr Names<Priv, 2> kPriv{"user", "supervisor"};
constexpr Names<FrameUse, 7> kUse{"free", "kdata", "ktext", "kpt", "iopt", "user", "bounce"};
constexpr Names<Mode, 3> kMode{"bypass", "iova", "kva"};
constexpr Names<Submode, 7> kSubmode{"none", "bypass", "iova", "strict", "fast", "init_mm", "sva"};
constexpr Names<Root, 6> kRoot{"none", "dma", "mirror", "kernel", "sva", "passthrough"};
constexpr Names<Result, 4> kResult{"ok", "fault", "refused", "prq"};
constexpr Names<FaultReason, 13> kFault{"none",
                                        "not_present",
                                        "sre_clear",
                                        "user_to_supervisor",
                                        "write_to_readonly",
                                        "no_translation",
                                        "denied",
                                        "ats_disabled",
                                        "invalid",
                                        "not_pasid_capable",
                                        "not_allowed",
                                        "no_free_pasid",
                                        "sva_disabled"};
constexpr Names<Via, 7> kVia{"none",   "iotlb",       "walk",      "stale_psc",
                             "devtlb", "passthrough", "translated"};
constexpr Names<Dir, 3> kDir{"to_device", "from_device", "bidirectional"};
constexpr Names<Attr, 7> kAttr{"ro", "rw", "x", "nx", "rox", "np", "p"};
constexpr Names<CacheKind, 4> kCache{"iotlb", "psc", "pasid", "devtlb"};

template <typename E, std::size_t N>
std::string name_of(const Names<E, N>& names, E e) {
  return std::string(names.at(static_cast<std::size_t>(e)));
}

template <typename E, std::size_t N>
bool lookup(const Names<E, N>& names, const std::string& s, E& out) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) {
      out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string to_string(Space s) {
  return name_of(kSpace, s);
}
std::string to_string(const Addr& a) {
  return to_string(a.space) + ":" + std::to_string(a.page);
}
std::string to_string(Access a) {
  return name_of(kAccess, a);
}
std::string to_string(Priv p) {
  return name_of(kPriv, p);
}
std::string to_string(FrameUse u) {
  return name_of(kUse, u);
}
std::string to_string(Mode m) {
  return name_of(kMode, m);
}
std::string to_string(Submode s) {
  return name_of(kSubmode, s);
}
std::string to_string(Root r) {
  return name_of(kRoot, r);
}
std::string to_string(Result r) {
  return name_of(kResult, r);
}
std::string to_string(FaultReason f) {
  return name_of(kFault, f);
}
std::string to_string(Via v) {
  return name_of(kVia, v);
}
std::string to_string(Dir d) {
  return name_of(kDir, d);
}
std::string to_string(Attr a) {
  return name_of(kAttr, a);
}
std::string to_string(CacheKind c) {
  return name_of(kCache, c);
}

bool parse(const std::string& s, Space& out) {
  return lookup(kSpace, s, out);
}
bool parse(const std::string& s, Access& out) {
  return lookup(kAccess, s, out);
}
bool parse(const std::string& s, Priv& out) {
  return lookup(kPriv, s, out);
}
bool parse(const std::string& s, Mode& out) {
  return lookup(kMode, s, out);
}
bool parse(const std::string& s, Submode& out) {
  return lookup(kSubmode, s, out);
}
bool parse(const std::string& s, Result& out) {
  return lookup(kResult, s, out);
}
bool parse(const std::string& s, FaultReason& out) {
  return lookup(kFault, s, out);
}
bool parse(const std::string& s, Via& out) {
  return lookup(kVia, s, out);
}
bool parse(const std::string& s, Dir& out) {
  return lookup(kDir, s, out);
}
bool parse(const std::string& s, Attr& out) {
  return lookup(kAttr, s, out);
}
bool parse(const std::string& s, CacheKind& out) {
  return lookup(kCache, s, out);
}

bool parse_addr(const std::string& s, Addr& out) {
  const auto colon = s.find(':');
  if (colon == std::string::npos || colon + 1 >= s.size()) return false;
  if (!parse(s.substr(0, colon), out.space)) return false;
  const std::string digits = s.substr(colon + 1);
  if (digits.size() > 9) return false;
  int page = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    page = page * 10 + (c - '0');
  }
  out.page = page;
  return true;
}

}  // namespace pasidcheck::model
