#include "fuzz/minimize.h"

#include <algorithm>

#include "properties/replay.h"

namespace pasidcheck::fuzz {

using namespace model;

namespace {

properties::ReplayResult run(const Trace& t, const std::vector<std::string>& props) {
  properties::ReplayOptions o;
  o.properties = props;
  o.record_changes = false;
  Trace copy = t;
  copy.expect.reset();
  return properties::replay(copy, o);
}

bool keeps(const Trace& t, const std::vector<std::string>& props, const std::string& property) {
  const auto r = run(t, props);
  if (r.bad_input || !r.violated()) return false;
  return std::any_of(r.first_violations.begin(), r.first_violations.end(),
                     [&](const properties::Violation& v) { return v.property == property; });
}

// Only steps up to the first violation matter.
void truncate_after_violation(Trace& t, const std::vector<std::string>& props) {
  const auto r = run(t, props);
  if (r.violated() && r.first_violation_step + 1 < static_cast<int>(t.steps.size()))
    t.steps.resize(r.first_violation_step + 1);
}

}  // namespace

void annotate_outcomes(Trace& t) {
  const Model m(t.config);
  State s = m.boot();
  for (auto& step : t.steps) {
    const StepResult r = m.apply(s, step.op);
    StepExpect e;
    e.result = r.outcome.result;
    if (r.outcome.frame >= 0) e.frame = r.outcome.frame;
    if (r.outcome.fault != FaultReason::none && r.outcome.result == Result::fault)
      e.fault_reason = r.outcome.fault;
    if (r.outcome.via != Via::none) e.via = r.outcome.via;
    if (r.outcome.submode != Submode::none) e.submode = r.outcome.submode;
    if (r.outcome.group >= 0) e.group = r.outcome.group;
    step.expect = e;
  }
}

void set_expect_from_replay(Trace& t, const std::vector<std::string>& props) {
  const auto r = run(t, props);
  TraceExpect e;
  e.properties = props;
  if (r.violated()) {
    e.verdict = "violated";
    e.property = r.first_violations.front().property;
    e.step = r.first_violation_step;
  } else {
    e.verdict = "holds";
  }
  t.expect = e;
}

MinimizeResult minimize(const Trace& input, const std::vector<std::string>& properties) {
  std::vector<std::string> props = properties;
  if (props.empty() && input.expect) props = input.expect->properties;
  MinimizeResult out;
  out.trace = input;
  const auto first = run(input, props);
  if (first.bad_input || !first.violated()) return out;
  out.violated = true;
  out.property = first.first_violations.front().property;
  Trace& t = out.trace;
  truncate_after_violation(t, props);
  // ddmin over contiguous chunks, halving the chunk size down to single steps.
  for (std::size_t chunk = std::max<std::size_t>(1, t.steps.size() / 2); chunk >= 1;) {
    bool removed = false;
    for (std::size_t at = 0; at + chunk <= t.steps.size();) {
      Trace candidate = t;
      candidate.steps.erase(candidate.steps.begin() + at, candidate.steps.begin() + at + chunk);
      if (keeps(candidate, props, out.property)) {
        t = std::move(candidate);
        truncate_after_violation(t, props);
        removed = true;
      } else {
        at += chunk;
      }
    }
    if (!removed) {
      if (chunk == 1) break;
      chunk /= 2;
    }
  }
  annotate_outcomes(t);
  set_expect_from_replay(t, props);
  t.expect->property = out.property;
  return out;
}

}  // namespace pasidcheck::fuzz
