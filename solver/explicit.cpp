#include "solver/explicit.h"

#include <chrono>
#include <stdexcept>
#include <unordered_set>

#include "properties/replay.h"
#include "solver/canonical.h"
#include "solver/enumerate.h"

namespace pasidcheck::solver {

using namespace model;

namespace {

struct Node {
  int parent = -1;
  Op op;
};

Trace trace_to(const Config& c, const std::vector<Node>& nodes, int index,
               const std::string& property) {
  Trace t;
  t.config = c;
  for (int i = index; i >= 0 && nodes[i].parent >= -1 && i != 0; i = nodes[i].parent)
    t.steps.push_back({nodes[i].op, std::nullopt});
  std::reverse(t.steps.begin(), t.steps.end());
  t.expect = TraceExpect{"violated", property, static_cast<int>(t.steps.size()) - 1, {property}};
  return t;
}

}  // namespace

ExplicitResult explore(const Config& config, const ExplicitOptions& opt) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  const Model m(config);
  std::vector<const properties::Property*> props;
  if (auto err = properties::select_properties(opt.properties, props))
    throw std::invalid_argument(*err);
  ExplicitResult r;
  for (const auto* p : props) r.outcomes[p->id] = {};
  std::size_t open = props.size();
  auto record = [&](const State& s, const std::vector<Node>& nodes, int index) {
    for (const auto& v : properties::check_all(m, s, props)) {
      auto& o = r.outcomes[v.property];
      if (o.violated) continue;
      o.violated = true;
      o.trace = trace_to(config, nodes, index, v.property);
      --open;
    }
  };
  std::vector<Node> nodes{{-1, {}}};
  std::unordered_set<std::string> seen;
  const State boot = m.boot();
  const std::string boot_key = encode(m, boot);
  r.bytes_per_state = boot_key.size();
  seen.insert(boot_key);
  std::unordered_set<std::string> counted;
  auto count = [&](const State& s) {
    if (opt.count_key) counted.insert(opt.count_key(m, s));
  };
  count(boot);
  record(boot, nodes, 0);
  std::vector<std::pair<int, State>> frontier{{0, boot}};
  bool stopped = false;
  std::vector<Op> enumerated;
  for (int depth = 1; depth <= opt.max_depth && !frontier.empty() && open > 0 && !stopped;
       ++depth) {
    std::vector<std::pair<int, State>> next;
    for (const auto& [index, s] : frontier) {
      if (!opt.alphabet) enumerated = enumerate_ops(m, s, opt.filter);
      for (const Op& op : opt.alphabet ? *opt.alphabet : enumerated) {
        State succ = s;
        if (!m.apply(succ, op).applied) continue;
        ++r.transitions;
        std::string key = encode(m, succ);
        if (!seen.insert(std::move(key)).second) continue;
        nodes.push_back({index, op});
        count(succ);
        record(succ, nodes, static_cast<int>(nodes.size()) - 1);
        next.emplace_back(static_cast<int>(nodes.size()) - 1, std::move(succ));
      }
      if (elapsed() > opt.time_budget || static_cast<long long>(seen.size()) > opt.max_states) {
        stopped = true;
        break;
      }
    }
    if (!stopped) r.depth_completed = depth;
    frontier = std::move(next);
  }
  r.exhausted = !stopped && frontier.empty();
  r.states = static_cast<long long>(seen.size());
  r.counted_keys = static_cast<long long>(counted.size());
  r.seconds = elapsed();
  return r;
}

}  // namespace pasidcheck::solver
