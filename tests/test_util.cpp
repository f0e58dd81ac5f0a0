#include "tests/test_util.h"

#include <gtest/gtest.h>

namespace pasidcheck::testing {

model::Config config(const std::string& preset,
                     const std::vector<std::pair<std::string, std::vector<std::string>>>& knobs) {
  model::Config c;
  c.preset = preset;
  c.knobs = *model::preset(preset);
  for (const auto& [k, v] : knobs) {
    EXPECT_FALSE(model::set_knob(c.knobs, k, v).has_value()) << k;
    c.knob_overrides.push_back({k, v});
  }
  c.devices = model::default_devices();
  EXPECT_FALSE(model::validate_config(c).has_value());
  return c;
}

model::Trace parse(const std::string& json_text) {
  return model::parse_trace(nlohmann::json::parse(json_text), "test.json");
}

model::Outcome must(const model::Model& m, model::State& s, const model::Op& op) {
  const auto r = m.apply(s, op);
  EXPECT_TRUE(r.applied) << model::to_string(op.kind) << ": " << r.error;
  return r.outcome;
}

std::string rejected(const model::Model& m, model::State& s, const model::Op& op) {
  const model::State before = s;
  const auto r = m.apply(s, op);
  EXPECT_FALSE(r.applied) << model::to_string(op.kind) << " should have been rejected";
  EXPECT_TRUE(before == s) << "a rejected op changed the state";
  return r.error;
}

model::Addr A(const std::string& a) {
  model::Addr out;
  EXPECT_TRUE(model::parse_addr(a, out)) << a;
  return out;
}

}  // namespace pasidcheck::testing
