// kcore's transition and properties compiled for concrete states: the same source text as the Z3
// encoding (kcore/transition.h, kcore/properties.h) instantiated with a one-byte value type instead
// of z3::expr, so that no third copy of the semantics exists. The `kcore-bfs` engine
// (kcore/bfs.cpp) explores with it; tests/kcore_z3_test.cpp checks it against the executable model
// on the differential walks and against the `explicit` engine on every variant. No Z3 here.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string>
#include <type_traits>
#include <vector>

#include "solver/kcore/kcore.h"

namespace pasidcheck::solver::kcore {

// A Boolean (0/1) or a bit-vector value (< 4) of the layout.
struct CVal {
  std::uint8_t v;  // no initializer: trivial, so states copy as bytes (value-initialize: 0)
  CVal() = default;
  explicit constexpr CVal(int x) : v(static_cast<std::uint8_t>(x)) {}
};
// The operators the generic code uses on z3::expr (both operands are always evaluated: values
// have no side effects).
inline CVal operator&&(CVal a, CVal b) {
  return CVal(a.v && b.v);
}
inline CVal operator||(CVal a, CVal b) {
  return CVal(a.v || b.v);
}
inline CVal operator!(CVal a) {
  return CVal(!a.v);
}
inline CVal operator==(CVal a, CVal b) {
  return CVal(a.v == b.v);
}
inline CVal operator!=(CVal a, CVal b) {
  return CVal(a.v != b.v);
}
inline CVal operator&(CVal a, CVal b) {  // slot masks (2 bits)
  return CVal(a.v & b.v);
}
inline CVal operator|(CVal a, CVal b) {
  return CVal(a.v | b.v);
}
inline CVal operator~(CVal a) {
  return CVal(~a.v & 3);
}
inline CVal ite(CVal c, CVal t, CVal e) {
  return c.v ? t : e;
}
inline CVal ult(CVal a, CVal b) {
  return CVal(a.v < b.v);
}
inline CVal ule(CVal a, CVal b) {
  return CVal(a.v <= b.v);
}
inline CVal zext(CVal a, int /*bits*/) {
  return a;
}
inline bool known_false(CVal a) {
  return a.v == 0;
}

// What z3::context provides to the generic code.
struct ConcreteCtx {
  static constexpr const Layout* kLayout = &kDefaultLayout;  // CState's (the only size it holds)
  CVal bv_val(int v, int /*width*/) const { return CVal(v); }
  CVal bool_val(bool b) const { return CVal(b ? 1 : 0); }
};

inline constexpr int kVarCount = var_count(Size{});  // the default layout's variables
// The layout's variables, then zero padding to whole 8-byte words (read a word at a time).
inline constexpr int kStateBytes = (kVarCount + 7) / 8 * 8;
using CState = std::array<CVal, kStateBytes>;
static_assert(sizeof(CState) == kStateBytes && std::is_trivially_copyable_v<CVal>);

// A state packed two bits per variable (the explorer's key): 8 values to 16 bits at a time.
using Packed = std::array<std::uint64_t, (kStateBytes / 8 + 3) / 4>;
inline constexpr int kGroups = kStateBytes / 8;  // 8-byte groups of a CState (16 bits packed)
static_assert(kGroups <= 64, "a 64-bit mask names the groups a step changed");

// kcore/sym.h's assign_state() for concrete states, sixteen bytes at a time: GCC copies a
// 288-byte array with `rep movsq`, whose start-up cost was a fifth of kcore-bfs's time, and
// Successor::normalize() reads the copy back sixteen bytes at a time (a load that spans two
// smaller stores waits for them to retire).
inline void assign_state(CState& to, const CState& from) {
  static_assert(sizeof(CState) % 16 == 0);
#ifdef __SSE2__
#pragma GCC unroll 32
  for (std::size_t k = 0; k < sizeof(CState); k += 16)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to.data() + k),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(from.data() + k)));
#else
  std::memcpy(to.data(), from.data(), sizeof(CState));
#endif
}

class Successor {
 public:
  explicit Successor(const Variant& v);  // throws std::logic_error if the layout changed
  // The transition by one input of inputs() (the default size), compiled with its arguments as
  // constants: its precondition in the variant, the successor before normalize() in `next`.
  using Compiled = bool (*)(const Variant& v, const CState& s, CState& next);
  // Throws std::logic_error if `in` is not in inputs().
  static Compiled compiled(const KInput& in);
  // The successor of s by `in`; false when the op is refused (the executable model stutters).
  bool step(const CState& s, const KInput& in, CState& next) const;
  // The explorer's step: pack(successor) in `out` when `in` (compiled()) applies to s and changes
  // it (false when refused or a no-op). `key` is pack(s): only the groups the step changed are
  // packed again. `scratch` receives the unpacked successor.
  bool next_key(const CState& s, const Packed& key, Compiled in, CState& scratch,
                Packed& out) const;
  // The property (one of property_ids()) is violated in s.
  bool bad(const std::string& property, const CState& s) const;
  // Model::boot() of the kcore config.
  CState boot() const;

  static Packed pack(const CState& s);
  static CState unpack(const Packed& p);
  static CState from_vars(const std::vector<int>& vars);
  static std::vector<int> to_vars(const CState& s);

 private:
  // detail::normalize() for a successor of a normal state: only the absent_fields() pairs with
  // a byte that the step changed can break the normal form. Returns the mask of the groups in
  // which n differs from `before` afterwards.
  std::uint64_t normalize(const CState& before, CState& n) const;
  Variant v_;
  // absent_fields() as tables: each byte's presence (itself when it has none), and each
  // presence's fields (fields_at_[b] .. fields_at_[b + 1] in fields_).
  std::vector<std::uint16_t> presence_of_;
  std::vector<std::uint16_t> fields_at_;
  std::vector<std::uint16_t> fields_;
};

}  // namespace pasidcheck::solver::kcore
