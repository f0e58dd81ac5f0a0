#include "fuzz/search.h"

#include <rapidcheck.h>
#include <rapidcheck/detail/Configuration.h>
#include <rapidcheck/state.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "fuzz/minimize.h"
#include "fuzz/op_gen.h"
#include "model/footprint.h"
#include "model/stop.h"
#include "properties/explain.h"
#include "properties/incremental_capability.h"
#include "properties/replay.h"

// Part of librapidcheck (src/detail/Serialization), not declared in Debian's headers.
namespace rc::detail {
std::string reproduceMapToString(const std::unordered_map<std::string, Reproduce>& reproduceMap);
std::unordered_map<std::string, Reproduce> stringToReproduceMap(const std::string& str);
}  // namespace rc::detail

namespace pasidcheck::fuzz {

using namespace model;

namespace {

using Clock = std::chrono::steady_clock;

// What one search shares with every RapidCheck test case it runs.
struct Shared {
  const Model& m;
  OpFilter filter;
  std::vector<const properties::Property*> props;
  Clock::time_point start;
  double budget;
  long long steps = 0;
  int runs = 0;
  std::vector<Op>
      last_failure;  // the most recent failing sequence: after shrinking, the minimal one
  std::string last_property;
  double found_at = -1;
  // Capabilities kept up to date across the steps of a test case (properties/
  // incremental_capability.h); the first step of a case compares everything.
  std::unique_ptr<properties::CapabilityCache> cache;
};

// The system under test: the executable model, checked after every op.
struct Sut {
  Shared* shared;
  State s;
  std::vector<Op> ops;
};

struct StepCmd : rc::state::Command<State, Sut> {
  const model::Model* m;
  Op op;
  StepCmd(const model::Model& model, const State& s, const OpFilter& filter)
      : m(&model), op(*gen_op(model, s, filter)) {}
  void checkPreconditions(const State& s) const override {
    State copy = s;
    RC_PRE(m->apply(copy, op).applied);
  }
  void apply(State& s) const override { m->apply(s, op); }
  void run(const State&, Sut& sut) const override {
    const bool applied = m->apply(sut.s, op).applied;
    auto& cache = *sut.shared->cache;
    if (sut.ops.empty())
      cache.update(sut.s);
    else
      cache.update_after(sut.s, applied ? footprint(op) : Footprint{Footprint::Devices::none});
    sut.ops.push_back(op);
    ++sut.shared->steps;
    const auto v = properties::check_first(*m, sut.s, sut.shared->props, cache);
    if (v.empty()) return;
    Shared& sh = *sut.shared;
    sh.last_failure = sut.ops;
    sh.last_property = v.front().property;
    if (sh.found_at < 0)
      sh.found_at = std::chrono::duration<double>(Clock::now() - sh.start).count();
    const std::string why = properties::describe(*m, v.front());
    RC_FAIL(why);
  }
  void show(std::ostream& os) const override { os << properties::describe_op(op, m->config()); }
};

struct QuietListener : rc::detail::TestListener {
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

// RapidCheck prints "Using configuration: seed=..." to stderr when it first loads its
// configuration; our seed is --seed, so load it once with stderr muted.
void load_rapidcheck_configuration_quietly() {
  static const bool loaded = [] {
    std::streambuf* saved = std::cerr.rdbuf(nullptr);
    (void)rc::detail::configuration();
    std::cerr.rdbuf(saved);
    return true;
  }();
  (void)loaded;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

SearchResult search(const Config& config, const SearchOptions& opt) {
  load_rapidcheck_configuration_quietly();
  const Model m(config);
  Shared shared{m,
                opt.filter,
                {},
                Clock::now(),
                opt.time_budget,
                0,
                0,
                {},
                {},
                -1,
                std::make_unique<properties::CapabilityCache>(m)};
  if (auto err = properties::select_properties(opt.properties, shared.props))
    throw std::invalid_argument(*err);
  SearchResult out;
  out.trace.config = config;
  const State boot = m.boot();
  if (!properties::check_all(m, boot, shared.props).empty()) {  // violated before any op
    out.found = true;
    set_expect_from_replay(out.trace, opt.properties);
    return out;
  }
  const auto testable = [&shared, &boot] {
    // budget spent or a stop requested: pass quickly (a shrink in progress keeps what it has)
    if (seconds_since(shared.start) > shared.budget || stop_requested()) return;
    ++shared.runs;
    Sut sut{&shared, boot, {}};
    rc::state::check(boot, sut, [&shared](const State& s) {
      return rc::gen::exec([&shared, s] {
        return std::shared_ptr<const rc::state::Command<State, Sut>>(
            std::make_shared<StepCmd>(shared.m, s, shared.filter));
      });
    });
  };
  const rc::detail::TestMetadata meta{"pasidcheck-check", "random stateful search"};
  constexpr int kBatch = 50;
  for (int batch = 0;
       shared.runs < opt.runs && seconds_since(shared.start) < opt.time_budget && !stop_requested();
       ++batch) {
    rc::detail::TestParams params;
    params.seed = opt.seed * 1000003ULL + static_cast<std::uint64_t>(batch);
    params.maxSuccess = std::min(kBatch, opt.runs - shared.runs);
    params.maxSize = opt.max_steps;
    params.maxDiscardRatio = 100;
    QuietListener listener;
    const rc::detail::TestResult result =
        opt.reproduce.empty()
            ? rc::detail::checkTestable(testable, meta, params, listener)
            : rc::detail::checkTestable(testable, meta, params, listener,
                                        rc::detail::stringToReproduceMap(opt.reproduce));
    if (opt.progress) opt.progress(shared.runs, shared.steps, seconds_since(shared.start));
    rc::detail::FailureResult failure;
    if (result.match(failure)) {
      out.found = true;
      out.batch_seed = params.seed;
      out.reproduce = rc::detail::reproduceMapToString({{meta.id, failure.reproduce}});
      out.rc_description = failure.description;
      break;
    }
    if (!opt.reproduce.empty()) break;
  }
  out.runs = shared.runs;
  out.steps = shared.steps;
  out.elapsed = out.found ? shared.found_at : seconds_since(shared.start);
  if (!out.found) return out;
  for (const Op& op : shared.last_failure) out.trace.steps.push_back({op, std::nullopt});
  out.rc_length = static_cast<int>(out.trace.steps.size());
  const MinimizeResult mr = minimize(out.trace, opt.properties);
  if (mr.violated) out.trace = mr.trace;
  return out;
}

}  // namespace pasidcheck::fuzz
