// Core vocabulary of the pasidcheck model (MODEL.md §2-§4): addresses, accesses, frame uses,
// PASID modes and the outcome codes of an op. Everything else in model/ is built on these.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace pasidcheck::model {

// Address spaces of TRACE-FORMAT.md: `space:page`.
enum class Space : std::uint8_t { iova, direct, vmalloc, text, user, phys };

struct Addr {
  Space space = Space::iova;
  int page = 0;
  auto operator<=>(const Addr&) const = default;
};

enum class Access : std::uint8_t { read, write };
enum class Priv : std::uint8_t { user, supervisor };

// MODEL.md §3.1 frame uses.
enum class FrameUse : std::uint8_t { free, kdata, ktext, kpt, iopt, user, bounce };

enum class Mode : std::uint8_t { bypass, iova, kva };

// How a PASID entry came to be: reported as `submode` in outcomes.
enum class Submode : std::uint8_t { none, bypass, iova, strict, fast, init_mm, sva };

// What a PASID-table entry is rooted at (MODEL.md §3.5 "Domains").
enum class Root : std::uint8_t { none, dma, mirror, kernel, sva, passthrough };

enum class Result : std::uint8_t { ok, fault, refused, prq };

// MODEL.md §8.16.
enum class FaultReason : std::uint8_t {
  none,
  not_present,
  sre_clear,
  user_to_supervisor,
  write_to_readonly,
  no_translation,
  denied,
  ats_disabled,
  invalid,
  not_pasid_capable,
  not_allowed,
  no_free_pasid,
  sva_disabled
};

// Which structure answered a request.
enum class Via : std::uint8_t { none, iotlb, walk, stale_psc, devtlb, passthrough, translated };

enum class Dir : std::uint8_t { to_device, from_device, bidirectional };
enum class Attr : std::uint8_t { ro, rw, x, nx, rox, np, p };
enum class CacheKind : std::uint8_t { iotlb, psc, pasid, devtlb };

std::string to_string(Space s);
std::string to_string(const Addr& a);
std::string to_string(Access a);
std::string to_string(Priv p);
std::string to_string(FrameUse u);
std::string to_string(Mode m);
std::string to_string(Submode s);
std::string to_string(Root r);
std::string to_string(Result r);
std::string to_string(FaultReason f);
std::string to_string(Via v);
std::string to_string(Dir d);
std::string to_string(Attr a);
std::string to_string(CacheKind c);

// Parsers return false on an unknown name (the caller reports where).
bool parse(const std::string& s, Space& out);
bool parse_addr(const std::string& s, Addr& out);
bool parse(const std::string& s, Access& out);
bool parse(const std::string& s, Priv& out);
bool parse(const std::string& s, Mode& out);
bool parse(const std::string& s, Submode& out);
bool parse(const std::string& s, Result& out);
bool parse(const std::string& s, FaultReason& out);
bool parse(const std::string& s, Via& out);
bool parse(const std::string& s, Dir& out);
bool parse(const std::string& s, Attr& out);
bool parse(const std::string& s, CacheKind& out);

}  // namespace pasidcheck::model
