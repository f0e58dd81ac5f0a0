// Trace-level delta debugging (ddmin): remove steps while the trace still replays without a
// precondition failure and its first violation is still of the same property.
#pragma once

#include <string>

#include "model/trace.h"

namespace pasidcheck::fuzz {

struct MinimizeResult {
  bool violated = false;  // the input trace violates some property at all
  model::Trace trace;     // minimized, with its top-level expect set from a replay
  std::string property;
};

// `properties` restricts which properties are checked (empty: the trace's own restriction, else
// all).
MinimizeResult minimize(const model::Trace& t, const std::vector<std::string>& properties = {});

// Sets every step's expect to the outcome it has (result, frame, via, fault reason, submode,
// group).
void annotate_outcomes(model::Trace& t);

// Sets t.expect from a replay (violated at the first step, or holds).
void set_expect_from_replay(model::Trace& t, const std::vector<std::string>& properties);

}  // namespace pasidcheck::fuzz
