#include "solver/kcore/z3.h"

#include "solver/kcore/transition.h"

namespace pasidcheck::solver::kcore {

using detail::encode_act;
using detail::kActBits;
using z3::expr;
using z3::ite;

Vec Encoding::state(const std::string& suffix) {
  Vec s;
  for (const auto& v : layout(v_.size()).vars()) {
    const std::string name = v.name + suffix;
    s.push_back(v.width ? c_.bv_const(name.c_str(), v.width) : c_.bool_const(name.c_str()));
  }
  return s;
}

SymInput Encoding::input(const std::string& sfx) {
  auto bv = [&](const char* n, int w) { return c_.bv_const((n + sfx).c_str(), w); };
  const Layout& L = layout(v_.size());
  return {bv("act", kActBits),
          bv("dev", L.dev_bits()),
          bv("frame", L.frame_bits()),
          bv("page", 1),
          bv("table", L.frame_bits()),
          bv("attr", kAttrBits),
          c_.bool_const(("prot_w" + sfx).c_str()),
          bv("addr", L.addr_bits()),
          bv("mode", 2)};
}

expr Encoding::value(int var, int v) {
  const int w = layout(v_.size()).vars()[var].width;
  return w ? c_.bv_val(v, w) : c_.bool_val(v != 0);
}

Vec Encoding::values(const std::vector<int>& concrete) {
  Vec out;
  for (std::size_t i = 0; i < concrete.size(); ++i)
    out.push_back(value(static_cast<int>(i), concrete[i]));
  return out;
}

SymInput Encoding::input_value(const KInput& in) {
  const Layout& L = layout(v_.size());
  const int fb = L.frame_bits(), ab = L.addr_bits();
  return {
      c_.bv_val(in.act, kActBits), c_.bv_val(in.dev, L.dev_bits()), c_.bv_val(in.frame, fb),
      c_.bv_val(in.page, 1),       c_.bv_val(in.table, fb),         c_.bv_val(in.attr, kAttrBits),
      c_.bool_val(in.prot_w),      c_.bv_val(in.addr, ab),          c_.bv_val(in.mode, 2)};
}

expr Encoding::init(const Vec& s) {
  // Model::boot() for the kcore config: every frame free and mapped RW in one large block.
  const std::vector<int> boot = boot_vars(v_.size(), v_.pagealloc);
  z3::expr_vector eqs(c_);
  for (std::size_t i = 0; i < s.size(); ++i)
    eqs.push_back(s[i] == value(static_cast<int>(i), boot[i]));
  return z3::mk_and(eqs);
}

// Arguments in range (bit-vectors are wider than the domains they carry).
expr Encoding::domain(const SymInput& in) {
  // `page` names a vmalloc page for vmalloc, vfree and set_memory vmalloc:, else a PASID choice.
  const expr vpage = in.act == c_.bv_val(kVmalloc, kActBits) ||
                     in.act == c_.bv_val(kVfree, kActBits) ||
                     in.act == c_.bv_val(kSetMemV, kActBits);
  const Layout& L = layout(v_.size());
  const int fb = L.frame_bits(), ab = L.addr_bits();
  return z3::ule(in.dev, c_.bv_val(L.devices() - 1, L.dev_bits())) &&
         z3::ule(in.frame, c_.bv_val(L.frames() - 1, fb)) &&
         z3::ule(in.table, c_.bv_val(L.frames() - 1, fb)) &&
         z3::ule(in.addr, c_.bv_val(L.addrs() - 1, ab)) &&
         z3::ult(in.mode, c_.bv_val(kModeCount, 2)) &&
         (!vpage || z3::ule(in.page, c_.bv_val(kVpages - 1, 1))) &&
         (L.slots() == 1 || in.act != c_.bv_val(kKvaMap, kActBits) ||
          z3::ule(in.attr, c_.bv_val(2, kAttrBits)));  // kva_map: slots attr + 1
}

expr Encoding::enabled(const Vec& s, const SymInput& in) {
  expr r = c_.bool_val(false);
  Vec next;
  for (int a = 0; a < kActCount; ++a)
    r = r || (in.act == c_.bv_val(a, kActBits) && encode_act(c_, v_, s, in, a, next));
  return domain(in) && r;
}

Vec Encoding::next(const Vec& s, const SymInput& in) {
  Vec out = s, next;
  for (int a = kActCount - 1; a >= 0; --a) {
    encode_act(c_, v_, s, in, a, next);
    detail::normalize(c_, v_.size(), next);
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = ite(in.act == c_.bv_val(a, kActBits), next[i], out[i]);
  }
  return out;
}

expr Encoding::trans(const Vec& s, const SymInput& in, const Vec& n) {
  z3::expr_vector cs(c_);
  expr en = c_.bool_val(false);
  Vec out = s, next;
  for (int a = kActCount - 1; a >= 0; --a) {
    const expr pre = encode_act(c_, v_, s, in, a, next);
    detail::normalize(c_, v_.size(), next);
    const expr is = in.act == c_.bv_val(a, kActBits);
    en = en || (is && pre);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = ite(is, next[i], out[i]);
  }
  cs.push_back(en && domain(in));
  for (std::size_t i = 0; i < n.size(); ++i) cs.push_back(n[i] == out[i]);
  return z3::mk_and(cs);
}

KInput Encoding::decode(const z3::model& m, const SymInput& in) {
  auto num = [&](const expr& e) { return static_cast<int>(m.eval(e, true).get_numeral_uint()); };
  KInput k;
  k.act = num(in.act);
  k.dev = num(in.dev);
  k.frame = num(in.frame);
  k.page = num(in.page);
  k.table = num(in.table);
  k.attr = num(in.attr);
  k.prot_w = m.eval(in.prot_w, true).is_true();
  k.addr = num(in.addr);
  k.mode = num(in.mode);
  return k;
}

std::vector<int> Encoding::decode(const z3::model& m, const Vec& s) {
  std::vector<int> out;
  for (const auto& e : s) {
    const expr v = m.eval(e, true);
    out.push_back(v.is_bool() ? (v.is_true() ? 1 : 0) : static_cast<int>(v.get_numeral_uint()));
  }
  return out;
}

}  // namespace pasidcheck::solver::kcore
