#include "cli/itf.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/gate.h"
#include "model/describe.h"
#include "properties/explain.h"

namespace pasidcheck::cli {

namespace {

using nlohmann::json;

json itf_state(int index, const std::string& action, const std::string& outcome,
               const model::Model& m, const model::State& s) {
  json facts = json::array();
  for (const auto& f : model::state_facts(m, s)) facts.push_back(f);
  return {{"#meta", {{"index", index}}},
          {"step", index - 1},
          {"action", action},
          {"outcome", outcome},
          {"iotlb_entries", static_cast<int>(s.iotlb.size())},
          {"psc_entries", static_cast<int>(s.psc.size())},
          {"devtlb_entries", static_cast<int>(s.devtlb.size())},
          {"page_requests", static_cast<int>(s.prq.size())},
          {"facts", {{"#set", facts}}}};
}

}  // namespace

void write_itf(const std::string& path, const model::Trace& t) {
  const model::Model m(t.config);
  model::State s = m.boot();
  json states = json::array();
  states.push_back(itf_state(0, "init", "", m, s));
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const auto r = m.apply(s, t.steps[i].op);
    states.push_back(itf_state(
        static_cast<int>(i) + 1, properties::describe_op(t.steps[i].op, t.config),
        r.applied ? model::describe_outcome(r.outcome) : "precondition failed: " + r.error, m, s));
    if (!r.applied) break;
  }
  json itf{{"#meta",
            {{"format", "ITF"},
             {"format-description", "https://apalache.informal.systems/docs/adr/015adr-trace.html"},
             {"source", "pasidcheck"},
             {"description", t.name}}},
           {"vars",
            {"step", "action", "outcome", "iotlb_entries", "psc_entries", "devtlb_entries",
             "page_requests", "facts"}},
           {"states", states}};
  write_file_atomic(path, itf.dump(2) + "\n");
}

}  // namespace pasidcheck::cli
