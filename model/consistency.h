// Internal consistency of a model state: what every op must preserve whatever the variant, checked
// by the fuzzers after every step and by tests. Stale cache entries are *allowed* here: they are
// what the properties exist to report. Returns the first broken rule, or nothing.
#pragma once

#include <optional>
#include <string>

#include "model/model.h"

namespace pasidcheck::model {

std::optional<std::string> check_consistency(const Model& m, const State& s);

}  // namespace pasidcheck::model
