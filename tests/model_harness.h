// A small harness for the per-family op tests: a config from JSON, then steps applied one at a
// time.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/test_util.h"

namespace pasidcheck::testing {

using nlohmann::json;

struct Harness {
  model::Trace t;
  model::Model m;
  model::State s;
  explicit Harness(json config, json steps = json::array())
      : t(model::parse_trace(
            {{"format", "pasidcheck-trace"}, {"version", 1}, {"config", config}, {"steps", steps}},
            "test.json")),
        m(t.config),
        s(m.boot()) {}
  model::Op op(json step) const {
    return model::parse_trace({{"format", "pasidcheck-trace"},
                               {"version", 1},
                               {"config", model::config_to_json(t.config)},
                               {"steps", {step}}},
                              "t")
        .steps[0]
        .op;
  }
  model::Outcome ok(json step) { return testing::must(m, s, op(step)); }
  std::string bad(json step) { return testing::rejected(m, s, op(step)); }
};

inline json cfg(const std::string& preset, json knobs = json::object()) {
  return {{"preset", preset}, {"knobs", knobs}};
}

}  // namespace pasidcheck::testing
