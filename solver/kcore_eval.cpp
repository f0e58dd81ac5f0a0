#include "solver/kcore_eval.h"

#include <map>
#include <stdexcept>

#include "solver/kcore_z3.h"

namespace pasidcheck::solver::kcore {

struct SymbolicEvaluator::Impl {
  z3::context c;
  Encoding enc;
  Vec s;
  SymInput in;
  z3::expr enabled;
  Vec next;
  std::map<std::string, z3::expr> bad;
  z3::expr init;
  explicit Impl(const Variant& v)
      : enc(c, v),
        s(enc.state("")),
        in(enc.input("")),
        enabled(enc.enabled(s, in)),
        next(enc.next(s, in)),
        init(enc.init(s)) {
    for (const auto& id : property_ids()) bad.emplace(id, enc.bad(id, s));
  }
  // Z3 takes an interpretation of another sort without complaint and then evaluates terms over
  // it to nonsense (a 1-bit device value once made every pasid_enable look refused): check it.
  static void interpret(z3::model& m, z3::func_decl d, z3::expr v) {
    if (!z3::eq(d.range(), v.get_sort()))
      throw std::logic_error("kcore evaluator: " + d.name().str() + " is " + d.range().to_string() +
                             ", its value " + v.get_sort().to_string());
    m.add_const_interp(d, v);
  }
  // Evaluate e with the state (and input) variables given concrete values.
  z3::model assign(const std::vector<int>& st, const KInput* k) {
    z3::model m(c);
    for (std::size_t i = 0; i < s.size(); ++i)
      interpret(m, s[i].decl(), enc.value(static_cast<int>(i), st[i]));
    if (k) {
      const SymInput val = enc.input_value(*k);
      const Vec vars = in.all(), vals = val.all();
      for (std::size_t i = 0; i < vars.size(); ++i) interpret(m, vars[i].decl(), vals[i]);
    }
    return m;
  }
  static int as_int(const z3::expr& v) {
    return v.is_bool() ? (v.is_true() ? 1 : 0) : static_cast<int>(v.get_numeral_uint());
  }
};

SymbolicEvaluator::SymbolicEvaluator(const Variant& v) : impl_(std::make_unique<Impl>(v)) {}
SymbolicEvaluator::~SymbolicEvaluator() = default;

SymbolicEvaluator::Step SymbolicEvaluator::step(const std::vector<int>& state, const KInput& in) {
  const z3::model m = impl_->assign(state, &in);
  Step out;
  out.enabled = m.eval(impl_->enabled, true).is_true();
  for (const auto& e : impl_->next) out.next.push_back(Impl::as_int(m.eval(e, true)));
  return out;
}

bool SymbolicEvaluator::bad(const std::string& property, const std::vector<int>& state) {
  const z3::model m = impl_->assign(state, nullptr);
  return m.eval(impl_->bad.at(property), true).is_true();
}

bool SymbolicEvaluator::init(const std::vector<int>& state) {
  const z3::model m = impl_->assign(state, nullptr);
  return m.eval(impl_->init, true).is_true();
}

}  // namespace pasidcheck::solver::kcore
