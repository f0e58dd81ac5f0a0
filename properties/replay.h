// Running a trace on the executable model: per-step outcomes and expectations, the properties after
// the initial state and after every op, and the trace's top-level expectation (TRACE-FORMAT.md,
// MODEL.md §8.13). Bad input (a failed precondition, an unknown property) is reported, not judged.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/trace.h"
#include "properties/property.h"

namespace pasidcheck::properties {

struct StepRecord {
  int index = 0;
  model::Outcome outcome;
  std::vector<std::string> changes;  // +fact / -fact (only when requested)
  std::optional<std::string> expect_mismatch;
  std::vector<Violation> violations;  // all violations in the state after this step
};

struct ReplayOptions {
  std::vector<std::string> properties;  // empty: the trace's `expect.properties`, else all
  bool record_changes = true;
  bool check_properties = true;
};

struct ReplayResult {
  std::optional<std::string> bad_input;  // "steps[K]: reason"
  std::vector<Violation> initial_violations;
  std::vector<StepRecord> steps;
  int first_violation_step = -2;  // -2: none; -1: the initial state
  std::vector<Violation> first_violations;
  std::vector<std::string> failures;  // unmet expectations, in words
  bool expectation_met = true;        // meaningful when the trace has an expect
  bool violated() const { return first_violation_step != -2; }
  // TRACE-FORMAT.md exit codes 0/1/3.
  int exit_code(bool has_expect) const;
};

ReplayResult replay(const model::Trace& t, const ReplayOptions& opt = {});

}  // namespace pasidcheck::properties
