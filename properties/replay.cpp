#include "properties/replay.h"

#include <algorithm>

#include "model/describe.h"

namespace pasidcheck::properties {

using namespace model;

int ReplayResult::exit_code(bool has_expect) const {
  if (bad_input) return 3;
  if (has_expect) return failures.empty() ? 0 : 1;
  return (violated() || !failures.empty()) ? 1 : 0;
}

ReplayResult replay(const Trace& t, const ReplayOptions& opt) {
  ReplayResult r;
  std::vector<std::string> ids = opt.properties;
  if (ids.empty() && t.expect) ids = t.expect->properties;
  std::vector<const Property*> props;
  if (auto err = select_properties(ids, props)) {
    r.bad_input = *err;
    return r;
  }
  if (t.expect && t.expect->verdict == "violated" && !find_property(t.expect->property)) {
    r.bad_input = "expect.property: unknown property '" + t.expect->property + "'";
    return r;
  }
  const Model m(t.config);
  State s = m.boot();
  auto note_violations = [&r](int step, const std::vector<Violation>& v) {
    if (!v.empty() && r.first_violation_step == -2) {
      r.first_violation_step = step;
      r.first_violations = v;
    }
  };
  if (opt.check_properties) {
    r.initial_violations = check_all(m, s, props);
    note_violations(-1, r.initial_violations);
  }
  std::vector<std::string> before =
      opt.record_changes ? state_facts(m, s) : std::vector<std::string>{};
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const TraceStep& step = t.steps[i];
    StepResult sr = m.apply(s, step.op);
    if (!sr.applied) {
      r.bad_input = "steps[" + std::to_string(i) + "] (" + to_string(step.op.kind) +
                    "): precondition failed: " + sr.error;
      return r;
    }
    StepRecord rec;
    rec.index = static_cast<int>(i);
    rec.outcome = sr.outcome;
    if (opt.record_changes) {
      auto after = state_facts(m, s);
      rec.changes = diff_facts(before, after);
      before = std::move(after);
    }
    if (step.expect) {
      rec.expect_mismatch = check_expect(*step.expect, sr.outcome);
      if (rec.expect_mismatch)
        r.failures.push_back("steps[" + std::to_string(i) + "] expect." + *rec.expect_mismatch);
    }
    if (opt.check_properties) {
      rec.violations = check_all(m, s, props);
      note_violations(static_cast<int>(i), rec.violations);
    }
    r.steps.push_back(std::move(rec));
  }
  if (t.expect && opt.check_properties) {
    const TraceExpect& e = *t.expect;
    if (e.verdict == "holds" && r.violated()) {
      r.failures.push_back("expected every property to hold, but " +
                           r.first_violations.front().property + " is violated at step " +
                           std::to_string(r.first_violation_step));
    } else if (e.verdict == "violated") {
      if (!r.violated()) {
        r.failures.push_back("expected " + e.property + " violated at step " +
                             std::to_string(e.step) + ", but every property holds");
      } else {
        const bool has = std::any_of(r.first_violations.begin(), r.first_violations.end(),
                                     [&](const Violation& v) { return v.property == e.property; });
        if (r.first_violation_step != e.step || !has) {
          std::string got;
          for (const auto& v : r.first_violations)
            if (got.find(v.property) == std::string::npos)
              got += (got.empty() ? "" : ", ") + v.property;
          r.failures.push_back("expected the first violation to be " + e.property + " at step " +
                               std::to_string(e.step) + ", got " + got + " at step " +
                               std::to_string(r.first_violation_step));
        }
      }
    }
  }
  r.expectation_met = r.failures.empty();
  return r;
}

}  // namespace pasidcheck::properties
