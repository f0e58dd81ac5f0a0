#include "properties/explain.h"

#include <sstream>

namespace pasidcheck::properties {

using namespace model;

std::string describe_op(const Op& op, const Config& c) {
  const auto j = op_to_json(op, c);
  std::string s = j["op"].get<std::string>();
  for (const auto& [k, v] : j.items()) {
    if (k == "op") continue;
    s += " " + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return s;
}

namespace {

std::string variant_sentence(const Config& c) {
  std::ostringstream o;
  o << "Variant: preset " << c.preset;
  for (const auto& [k, v] : c.knob_overrides) {
    o << ", " << k << "=";
    for (std::size_t i = 0; i < v.size(); ++i) o << (i ? "|" : "") << v[i];
    if (v.empty()) o << "{}";
  }
  o << ". Devices: ";
  const Model m(c);
  for (int d = 0; d < m.device_count(); ++d) {
    o << (d ? "; " : "") << m.device(d).name << " (" << (m.trusted(d) ? "trusted" : "untrusted")
      << (m.ats(d) ? ", ATS on" : ", ATS off") << (m.pri(d) ? ", PRI on" : "") << ")";
  }
  o << ".";
  return o.str();
}

}  // namespace

std::string explain(const Trace& t, const ReplayResult& r) {
  std::ostringstream o;
  const Model m(t.config);
  o << (t.name.empty() ? "Trace" : t.name) << (t.description.empty() ? "" : ": " + t.description)
    << "\n";
  o << variant_sentence(t.config) << "\n\n";
  if (r.bad_input) {
    o << "The trace cannot be replayed: " << *r.bad_input << "\n";
    return o.str();
  }
  if (r.first_violation_step == -1) {
    o << "Already in the initial state:\n";
    for (const auto& v : r.first_violations) o << "  - " << describe(m, v) << "\n";
  }
  const int last =
      r.first_violation_step >= 0 ? r.first_violation_step : static_cast<int>(r.steps.size()) - 1;
  for (int i = 0; i <= last && i < static_cast<int>(r.steps.size()); ++i) {
    const auto& rec = r.steps[i];
    o << "step " << i << ": " << describe_op(t.steps[i].op, t.config) << " -> "
      << describe_outcome(rec.outcome) << ".";
    int shown = 0;
    for (const auto& ch : rec.changes) {
      const bool cache =
          ch.find("iotlb[") != std::string::npos || ch.find("psc[") != std::string::npos ||
          ch.find("devtlb[") != std::string::npos || ch.find("table") != std::string::npos ||
          ch.find("entry:") != std::string::npos;
      if (!cache || shown >= 4) continue;
      o << (shown++ ? "; " : " Changes: ") << ch;
    }
    o << "\n";
  }
  if (r.first_violation_step >= 0) {
    o << "\nAfter step " << r.first_violation_step
      << " (steps count from 0, as in the trace), the state breaks:\n";
    std::string done;
    for (const auto& v : r.first_violations) {
      o << "  - " << describe(m, v) << "\n";
      if (done.find(v.property + ";") == std::string::npos) done += v.property + ";";
    }
    o << "\nWhat the broken properties say:\n";
    for (const auto& p : registry())
      if (done.find(p.id + ";") != std::string::npos)
        o << "  - " << p.id << " (" << p.source << "): " << p.statement << "\n";
  } else if (r.first_violation_step == -2) {
    o << "\nEvery checked property holds after every step.\n";
  }
  return o.str();
}

}  // namespace pasidcheck::properties
