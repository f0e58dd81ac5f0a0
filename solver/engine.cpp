#include "solver/engine.h"

#include <algorithm>
#include <stdexcept>

#include "solver/engines_internal.h"
#include "solver/explicit.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::solver {

std::vector<EngineResult> Engine::check_properties(const ProveProblem& p,
                                                   const std::vector<std::string>& properties) {
  std::vector<EngineResult> out;
  for (const auto& id : properties) {
    ProveProblem one = p;
    one.property = id;
    out.push_back(check(one));
  }
  return out;
}

namespace {

// kcore's dma_map names a bounce frame whether or not the map is bounced (the executable model
// ignores it then); a witness keeps it only where do_dma_map() used it, so that it reads as what
// happened.
void drop_unused_bounce_frames(model::Trace& t) {
  const model::Model m(t.config);
  model::State s = m.boot();
  for (auto& step : t.steps) {
    model::Op& op = step.op;
    const bool applied = m.apply(s, op).applied;
    if (applied && op.kind == model::OpKind::dma_map && op.bounce_frame >= 0 &&
        !s.devices[op.dev].iova[op.iova].bounced)
      op.bounce_frame = -1;
  }
}

// The explicit engine on the kcore alphabet: BFS over the executable model. One exploration
// answers every property asked (explore() goes on while any is open), so each violated one gets
// its BFS-shortest witness, as a run for it alone would; states and time are the shared run's.
class ExplicitKcore : public Engine {
 public:
  EngineResult check(const ProveProblem& p) override {
    return check_properties(p, {p.property}).front();
  }
  std::vector<EngineResult> check_properties(const ProveProblem& p,
                                             const std::vector<std::string>& properties) override {
    ExplicitOptions o;
    o.max_depth = std::max(p.depth, 1000);  // BFS runs until exhausted or out of time
    o.time_budget = p.timeout;
    o.max_states = p.max_states;
    o.properties = properties;
    const kcore::Variant v = kcore::variant_of(p.config, p.row);
    o.alphabet = kcore::alphabet(v);
    o.count_key = [](const model::Model& m, const model::State& s) {
      std::vector<int> vars;
      if (auto err = kcore::project(m, s, vars))
        throw std::logic_error("kcore projection: " + *err);
      return std::string(vars.begin(), vars.end());  // every value fits a byte (2-3 bits)
    };
    const ExplicitResult x = explore(p.config, o);
    std::vector<EngineResult> out;
    for (const auto& id : properties) {
      EngineResult r;
      r.engine = "explicit";
      r.states = x.states;
      r.kcore_states = x.counted_keys;
      r.seconds = x.seconds;
      r.stored_bytes = x.stored_bytes;
      const PropertyOutcome& found = x.outcomes.at(id);
      if (found.violated) {
        r.verdict = Verdict::violated;
        r.trace = found.trace;
        drop_unused_bounce_frames(*r.trace);
        r.depth = static_cast<int>(found.trace.steps.size());
      } else {
        r.verdict = Verdict::holds;
        r.all_depths = x.exhausted;
        r.depth = x.depth_completed;
      }
      out.push_back(std::move(r));
    }
    return out;
  }
};

}  // namespace

model::Trace kcore_witness(const ProveProblem& p, const std::vector<kcore::KInput>& ins) {
  model::Trace t;
  t.config = p.config;
  const kcore::Size size{p.config.bounds.frames, static_cast<int>(p.config.devices.size()),
                         p.config.bounds.slots};
  for (const auto& in : ins) t.steps.push_back({kcore::to_op(in, size), std::nullopt});
  t.expect = model::TraceExpect{
      "violated", p.property, static_cast<int>(t.steps.size()) - 1, {p.property}};
  drop_unused_bounce_frames(t);
  return t;
}

const std::vector<std::string>& engine_names() {
  static const std::vector<std::string> names{"bmc", "kind", "spacer", "explicit", "kcore-bfs"};
  return names;
}

std::unique_ptr<Engine> make_engine(const std::string& name) {
  if (name == "explicit") return std::make_unique<ExplicitKcore>();
  if (name == "kcore-bfs") return make_kcore_bfs_engine();
  return make_z3_engine(name);
}

std::string to_string(Verdict v) {
  switch (v) {
    case Verdict::holds:
      return "holds";
    case Verdict::violated:
      return "violated";
    case Verdict::unknown:
      return "unknown";
  }
  return "?";
}

}  // namespace pasidcheck::solver
