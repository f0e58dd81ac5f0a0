#include "solver/kcore/validate.h"

#include <memory>
#include <set>
#include <sstream>
#include <unordered_set>

#include "model/stop.h"
#include "properties/property.h"
#include "solver/explicit.h"
#include "solver/kcore/concrete.h"
#include "solver/kcore/eval.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::solver::kcore {

namespace {

// kcore's transition and properties on a projected state: compiled at the default size,
// symbolic elsewhere.
class Oracle {
 public:
  explicit Oracle(const Variant& v) {
    if (v.size() == Size{})
      compiled_ = std::make_unique<Successor>(v);
    else
      symbolic_ = std::make_unique<SymbolicEvaluator>(v);
  }
  std::string name() const { return compiled_ ? "compiled" : "symbolic"; }
  // The source state of the steps that follow (converted once, not per input).
  void at(const std::vector<int>& s) {
    vars_ = s;
    if (compiled_) from_ = Successor::from_vars(s);
  }
  bool step(const KInput& in, std::vector<int>& next) {
    if (compiled_) {
      if (!compiled_->step(from_, in, next_)) return false;
      next = Successor::to_vars(next_);
      return true;
    }
    auto r = symbolic_->step(vars_, in);
    next = std::move(r.next);
    return r.enabled;
  }
  bool bad(const std::string& property, const std::vector<int>& s) {
    return compiled_ ? compiled_->bad(property, Successor::from_vars(s))
                     : symbolic_->bad(property, s);
  }

 private:
  // unique_ptr, not optional: GCC 12 at -O1 with the sanitizers warns (falsely) that an
  // optional<Successor>'s vectors may be used uninitialized.
  std::unique_ptr<Successor> compiled_;
  std::unique_ptr<SymbolicEvaluator> symbolic_;
  std::vector<int> vars_;
  CState from_, next_;
};

std::string differing(const std::vector<int>& want, const std::vector<int>& got, Size size) {
  std::ostringstream o;
  const auto& vars = layout(size).vars();
  int shown = 0;
  for (std::size_t i = 0; i < want.size() && i < got.size() && shown < 6; ++i)
    if (want[i] != got[i]) {
      o << (shown++ ? ", " : "") << vars[i].name << ": model " << want[i] << ", kcore " << got[i];
    }
  return o.str();
}

}  // namespace

ValidateResult validate(const model::Config& kcore_config, const ValidateOptions& opt) {
  const Variant v = variant_of(kcore_config, opt.row);
  const Size size = v.size();
  std::vector<KInput> ins;
  for (const auto& in : inputs(size))
    if (allowed(v, in)) ins.push_back(in);
  Oracle oracle(v);
  std::vector<const properties::Property*> props;
  if (auto err = properties::select_properties(property_ids(), props)) throw std::logic_error(*err);
  ValidateResult r;
  r.evaluator = oracle.name();
  std::unordered_set<std::string> projections;
  std::vector<int> cur, want, got;
  auto fail = [&](const std::string& what) {
    r.mismatch = what;
    return false;
  };
  auto projected = [&](const model::Model& m, const model::State& s, std::vector<int>& out) {
    if (auto err = project(m, s, out)) {
      r.mismatch = "the state has no kcore projection: " + *err;
      return false;
    }
    return true;
  };
  ExplicitOptions eo;
  eo.max_depth = 100000;
  eo.time_budget = opt.timeout;
  eo.max_states = opt.max_states;
  eo.properties = property_ids();
  eo.alphabet.emplace();
  for (const auto& in : ins) eo.alphabet->push_back(to_op(in, size));
  eo.on_state = [&](const model::Model& m, const model::State& s) {
    if (!projected(m, s, cur)) return false;
    projections.insert(std::string(cur.begin(), cur.end()));
    std::set<std::string> violated;
    for (const auto& x : properties::check_all(m, s, props)) violated.insert(x.property);
    for (const auto& id : property_ids()) {
      ++r.verdicts;
      const bool model_bad = violated.count(id) > 0;
      if (model_bad != oracle.bad(id, cur))
        return fail(id + (model_bad ? " is violated in the executable model, not in kcore"
                                    : " is violated in kcore, not in the executable model"));
    }
    return true;
  };
  eo.on_transition = [&](const model::Model& m, const model::State& from, std::size_t i,
                         bool applied, const model::State& to) {
    ++r.transitions;
    // The explorer offers a state's inputs in order: input 0 starts a new source state.
    if (i == 0) {
      if (!projected(m, from, cur)) return false;
      oracle.at(cur);
    }
    const bool enabled = oracle.step(ins[i], got);
    if (enabled != applied)
      return fail(describe(ins[i], size) +
                  (applied ? ": the executable model applies it, kcore refuses it"
                           : ": kcore applies it, the executable model refuses it"));
    if (!applied) return true;
    if (!projected(m, to, want)) return false;
    if (want != got)
      return fail(describe(ins[i], size) + ": successors differ: " + differing(want, got, size));
    return true;
  };
  const ExplicitResult x = explore(opt.model_config ? *opt.model_config : kcore_config, eo);
  r.states = x.states;
  r.kcore_states = static_cast<long long>(projections.size());
  r.exhausted = x.exhausted;
  r.time_capped = x.time_capped;
  r.interrupted = x.interrupted;
  r.seconds = x.seconds;
  if (r.mismatch) r.at = x.stopped_at;
  return r;
}

}  // namespace pasidcheck::solver::kcore
