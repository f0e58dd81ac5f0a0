#include "solver/kcore/concrete.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "model/input_error.h"
#include "solver/kcore/input_list.h"
#include "solver/kcore/properties.h"
#include "solver/kcore/transition.h"

namespace pasidcheck::solver::kcore {

Successor::Successor(const Variant& v) : v_(v) {
  if (v.size() != Size{})
    throw model::InputError("kcore-bfs packs the " + std::to_string(kFrames) + "-frame, " +
                            std::to_string(kDevices) + "-device kcore only, not " +
                            std::to_string(v.frames) + " frames and " + std::to_string(v.devices) +
                            " devices (the Z3 engines and explicit take other sizes)");
  static_assert(kVarCount <= 0xffff, "the tables hold variable indices in 16 bits");
  // Every byte its own presence (n[b] ? n[b] : 0 keeps it), then the fields' presences; each
  // presence's fields in a list. A presence precedes its fields (layout.h's static_assert
  // presences_come_first()), which normalize()'s one pass relies on.
  presence_of_.resize(kStateBytes);
  for (int b = 0; b < kStateBytes; ++b) presence_of_[b] = static_cast<std::uint16_t>(b);
  std::vector<std::vector<std::uint16_t>> fields(kStateBytes);
  for (const auto& [field, presence] : absent_fields()) {
    presence_of_[field] = static_cast<std::uint16_t>(presence);
    fields[presence].push_back(static_cast<std::uint16_t>(field));
  }
  for (const auto& list : fields) {
    fields_at_.push_back(static_cast<std::uint16_t>(fields_.size()));
    fields_.insert(fields_.end(), list.begin(), list.end());
  }
  fields_at_.push_back(static_cast<std::uint16_t>(fields_.size()));
}

namespace {
std::uint64_t group(const CState& s, int g) {
  std::uint64_t x;
  std::memcpy(&x, s.data() + 8 * g, 8);
  return x;
}
// Eight values below 4 (a group) to 16 bits, and back.
std::uint64_t pack_group(std::uint64_t x) {
  x = (x | (x >> 6)) & 0x000F000F000F000Full;
  x = (x | (x >> 12)) & 0x000000FF000000FFull;
  return (x | (x >> 24)) & 0xFFFFull;
}
std::uint64_t unpack_group(std::uint64_t x) {
  x = (x | (x << 24)) & 0x000000FF000000FFull;
  x = (x | (x << 12)) & 0x000F000F000F000Full;
  return (x | (x << 6)) & 0x0303030303030303ull;
}
}  // namespace

std::uint64_t Successor::normalize(const CState& before, CState& n) const {
  // The bytes the step changed: a bit per byte (SSE2: sixteen bytes per comparison).
  constexpr int kChunks = kStateBytes / 16;
  static_assert(kStateBytes % 16 == 0);
  std::array<std::uint64_t, (kChunks + 3) / 4> changed{};
#pragma GCC unroll 32
  for (int k = 0; k < kChunks; ++k) {
#ifdef __SSE2__
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(before.data() + 16 * k));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(n.data() + 16 * k));
    const auto same = static_cast<std::uint64_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)));
#else
    std::uint64_t same = 0;
    for (int i = 0; i < 16; ++i)
      same |= std::uint64_t{before[16 * k + i].v == n[16 * k + i].v} << i;
#endif
    changed[k / 4] |= (~same & 0xFFFFull) << (16 * (k % 4));
  }
  std::uint64_t touched = 0;  // groups the step or this function wrote
  // Bytes in increasing order, each presence before its fields (layout.h), so that chains
  // (pasid_cached, pasid_cached_frozen, frozen_mirror) settle in one pass: a field zeroed here is
  // a change too, visited after its presence.
  for (int word = 0; word < static_cast<int>(changed.size()); ++word) {
    for (std::uint64_t& m = changed[word]; m != 0; m &= m - 1) {
      const int byte = 64 * word + __builtin_ctzll(m);
      touched |= 1ull << (byte / 8);
      // An absent entry's field is 0 (no branch: a byte with no presence is its own).
      n[byte].v = n[presence_of_[byte]].v != 0 ? n[byte].v : 0;
      if (n[byte].v != 0) continue;
      // A presence now 0: its entry's fields too.
      for (int k = fields_at_[byte]; k < fields_at_[byte + 1]; ++k) {
        const int field = fields_[k];
        if (n[field].v == 0) continue;
        n[field] = CVal(0);
        changed[field / 64] |= 1ull << (field % 64);
      }
    }
  }
  std::uint64_t differ = 0;
  for (std::uint64_t t = touched; t != 0; t &= t - 1) {
    const int w = __builtin_ctzll(t);
    if (group(before, w) != group(n, w)) differ |= 1ull << w;
  }
  return differ;
}

namespace {

// The default size's inputs, as constants (kcore/input_list.h).
constexpr std::size_t kInputCount = detail::make_inputs(Size{}).size();
constexpr std::array<KInput, kInputCount> kInputs = [] {
  std::array<KInput, kInputCount> a{};
  const std::vector<KInput> v = detail::make_inputs(Size{});
  for (std::size_t i = 0; i < kInputCount; ++i) a[i] = v[i];
  return a;
}();

// The transition by input K: its precondition, and the successor (before normalize()) in
// `next`. One instance per input, flattened, with the input's arguments constants: the ite
// chains that select a frame, device or address by an input argument (`y.use_of(s, f)`,
// `y.put(L.vmap(i), f == y.frame_val(i), ...)`) fold to the one variable they name, and the
// action's switch to its case; SPIN compiles each transition of a Promela model the same way.
// Flattened in optimized builds only: with AddressSanitizer (the sanitizer suite, -O1) the
// flattened instances took GCC minutes and gigabytes; there each instance calls the one shared
// copy of the encoders, the same code path with the arguments passed along.
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
#define PASIDCHECK_FLATTEN __attribute__((flatten))
#else
#define PASIDCHECK_FLATTEN
#endif
template <std::size_t K>
PASIDCHECK_FLATTEN bool apply_input(const Variant& v, const CState& s, CState& next) {
  constexpr KInput in = kInputs[K];
  ConcreteCtx c;
  const InputOf<CVal> ci{CVal(in.act),   CVal(in.dev),  CVal(in.frame),          CVal(in.page),
                         CVal(in.table), CVal(in.attr), CVal(in.prot_w ? 1 : 0), CVal(in.addr),
                         CVal(in.mode)};
  return detail::encode_act(c, v, s, ci, in.act, next).v != 0;
}

template <std::size_t... K>
constexpr std::array<Successor::Compiled, sizeof...(K)> compile_all(std::index_sequence<K...>) {
  return {&apply_input<K>...};
}
constexpr std::array<Successor::Compiled, kInputCount> kCompiled =
    compile_all(std::make_index_sequence<kInputCount>{});

}  // namespace

Successor::Compiled Successor::compiled(const KInput& in) {
  static_assert(kInputCount < 1024, "one instance per input: keep the alphabet small");
  // The inputs of each action (at most a few dozen): step() looks its input up on every call.
  static const std::vector<std::vector<std::uint16_t>> by_act = [] {
    std::vector<std::vector<std::uint16_t>> v(kActCount);
    for (std::size_t k = 0; k < kInputCount; ++k)
      v[kInputs[k].act].push_back(static_cast<std::uint16_t>(k));
    return v;
  }();
  if (in.act < 0 || in.act >= kActCount)
    throw std::logic_error("kcore: no action " + std::to_string(in.act));
  for (const std::uint16_t k : by_act[in.act])
    if (kInputs[k] == in) return kCompiled[k];
  throw std::logic_error("kcore: " + describe(in) + " is not an input of the default size");
}

bool Successor::step(const CState& s, const KInput& in, CState& next) const {
  CState n;
  if (!compiled(in)(v_, s, n)) return false;
  normalize(s, n);
  next = n;
  return true;
}

bool Successor::next_key(const CState& s, const Packed& key, Compiled in, CState& scratch,
                         Packed& out) const {
  if (!in(v_, s, scratch)) return false;
  std::uint64_t differ = normalize(s, scratch);
  if (differ == 0) return false;  // a no-op: nothing new
  out = key;
  for (; differ != 0; differ &= differ - 1) {
    const int g = __builtin_ctzll(differ);
    const int shift = 16 * (g % 4);
    out[g / 4] = (out[g / 4] & ~(0xFFFFull << shift)) | pack_group(group(scratch, g)) << shift;
  }
  return true;
}

bool Successor::bad(const std::string& property, const CState& s) const {
  ConcreteCtx c;
  return detail::bad_in(c, v_, s, property).v != 0;
}

CState Successor::boot() const {
  return from_vars(boot_vars(v_.size(), v_.pagealloc));
}

// Every value is below 4: eight one-byte values of a 64-bit word compact to 16 bits (and back).
Packed Successor::pack(const CState& s) {
  Packed p{};
  for (int g = 0; g < kGroups; ++g) p[g / 4] |= pack_group(group(s, g)) << (16 * (g % 4));
  return p;
}

CState Successor::unpack(const Packed& p) {
  CState s;
  for (int g = 0; g < kGroups; ++g) {
    const std::uint64_t x = unpack_group((p[g / 4] >> (16 * (g % 4))) & 0xFFFFull);
    std::memcpy(s.data() + 8 * g, &x, 8);
  }
  return s;
}

CState Successor::from_vars(const std::vector<int>& vars) {
  if (static_cast<int>(vars.size()) != kVarCount)
    throw std::logic_error("kcore state: expected " + std::to_string(kVarCount) +
                           " variables, got " + std::to_string(vars.size()));
  CState s{};
  for (int i = 0; i < kVarCount; ++i) {
    if (vars[i] < 0 || vars[i] > 3)
      throw std::logic_error("kcore state: variable " + layout().vars()[i].name + " = " +
                             std::to_string(vars[i]) + " (values are 0..3)");
    s[i] = CVal(vars[i]);
  }
  return s;
}

std::vector<int> Successor::to_vars(const CState& s) {
  std::vector<int> out;
  for (int i = 0; i < kVarCount; ++i) out.push_back(s[i].v);
  return out;
}

}  // namespace pasidcheck::solver::kcore
