#include "solver/kcore/concrete.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "model/input_error.h"
#include "solver/kcore/properties.h"
#include "solver/kcore/transition.h"

namespace pasidcheck::solver::kcore {

Successor::Successor(const Variant& v) : v_(v) {
  if (v.size() != Size{})
    throw model::InputError("kcore-bfs packs the " + std::to_string(kFrames) + "-frame, " +
                            std::to_string(kDevices) + "-device kcore only, not " +
                            std::to_string(v.frames) + " frames and " + std::to_string(v.devices) +
                            " devices (the Z3 engines and explicit take other sizes)");
  static_assert(kVarCount <= 0xffff, "pairs_ holds variable indices in 16 bits");
  // Each pair is listed under its field's byte and under its presence's byte.
  std::vector<std::vector<std::pair<std::uint16_t, std::uint16_t>>> at(kStateBytes);
  for (const auto& [field, presence] : absent_fields()) {
    const std::pair<std::uint16_t, std::uint16_t> fp(field, presence);
    at[field].push_back(fp);
    at[presence].push_back(fp);
  }
  for (const auto& list : at) {
    pairs_at_.push_back(static_cast<std::uint16_t>(pairs_.size()));
    pairs_.insert(pairs_.end(), list.begin(), list.end());
  }
  pairs_at_.push_back(static_cast<std::uint16_t>(pairs_.size()));
}

void Successor::normalize(const CState& before, CState& n) const {
  for (int w = 0; w < kStateBytes / 8; ++w) {
    std::uint64_t a, b;
    std::memcpy(&a, before.data() + 8 * w, 8);
    std::memcpy(&b, n.data() + 8 * w, 8);
    for (std::uint64_t changed = a ^ b; changed != 0;) {
      const int lane = __builtin_ctzll(changed) / 8;
      changed &= ~(0xFFull << (8 * lane));
      const int byte = 8 * w + lane;
      for (int k = pairs_at_[byte]; k < pairs_at_[byte + 1]; ++k)
        if (n[pairs_[k].second].v == 0) n[pairs_[k].first] = CVal(0);
    }
  }
}

bool Successor::step(const CState& s, const KInput& in, CState& next) const {
  ConcreteCtx c;
  const InputOf<CVal> ci{CVal(in.act),   CVal(in.dev),  CVal(in.frame),          CVal(in.page),
                         CVal(in.table), CVal(in.attr), CVal(in.prot_w ? 1 : 0), CVal(in.addr),
                         CVal(in.mode)};
  auto r = detail::encode_act(c, v_, s, ci, in.act);
  if (!r.pre.v) return false;
  normalize(s, r.next);
  next = r.next;
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
  for (int g = 0; g < kStateBytes / 8; ++g) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + 8 * g, 8);
    x = (x | (x >> 6)) & 0x000F000F000F000Full;
    x = (x | (x >> 12)) & 0x000000FF000000FFull;
    x = (x | (x >> 24)) & 0xFFFFull;
    p[g / 4] |= x << (16 * (g % 4));
  }
  return p;
}

CState Successor::unpack(const Packed& p) {
  CState s;
  for (int g = 0; g < kStateBytes / 8; ++g) {
    std::uint64_t x = (p[g / 4] >> (16 * (g % 4))) & 0xFFFFull;
    x = (x | (x << 24)) & 0x000000FF000000FFull;
    x = (x | (x << 12)) & 0x000F000F000F000Full;
    x = (x | (x << 6)) & 0x0303030303030303ull;
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
