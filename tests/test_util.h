// Helpers for building configs and ops in tests without JSON.
#pragma once

#include <string>

#include "model/model.h"
#include "model/trace.h"

namespace pasidcheck::testing {

model::Config config(
    const std::string& preset,
    const std::vector<std::pair<std::string, std::vector<std::string>>>& knobs = {});
model::Trace parse(const std::string& json_text);
// Apply and require success; returns the outcome.
model::Outcome must(const model::Model& m, model::State& s, const model::Op& op);
// Apply and require a precondition failure; returns the message.
std::string rejected(const model::Model& m, model::State& s, const model::Op& op);
model::Addr A(const std::string& a);

}  // namespace pasidcheck::testing
