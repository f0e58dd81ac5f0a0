// The random search: the generator's ops are valid and round-trip, `check` finds scenario
// violations from scratch with a small budget, is deterministic for a seed, and its traces replay.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "fuzz/minimize.h"
#include "fuzz/op_gen.h"
#include "fuzz/search.h"
#include "model/consistency.h"
#include "properties/replay.h"
#include "tests/test_util.h"

namespace pasidcheck {
namespace {

using namespace model;

// Every op the generator yields satisfies its precondition, and a JSON round trip of the sequence
// replays to the same outcomes, in every preset and knock-out.
RC_GTEST_PROP(Generator, OpsAreValidAndRoundTrip, ()) {
  const auto& presets = preset_table();
  const std::string name = presets[*rc::gen::inRange<std::size_t>(0, presets.size())].name;
  const Model m(testing::config(name));
  State s = m.boot();
  Trace t{"gen", "", m.config(), {}, std::nullopt};
  std::vector<Outcome> outcomes;
  const int n = *rc::gen::inRange(1, 40);
  for (int i = 0; i < n; ++i) {
    const Op op = *fuzz::gen_op(m, s);
    const StepResult r = m.apply(s, op);
    RC_ASSERT(r.applied);
    const auto broken = check_consistency(m, s);
    RC_ASSERT(!broken.has_value());
    t.steps.push_back({op, std::nullopt});
    outcomes.push_back(r.outcome);
  }
  properties::ReplayOptions opt;
  opt.check_properties = false;
  const auto r = properties::replay(parse_trace(trace_to_json(t), "gen"), opt);
  RC_ASSERT(!r.bad_input.has_value());
  for (std::size_t i = 0; i < outcomes.size(); ++i) RC_ASSERT(r.steps[i].outcome == outcomes[i]);
}

struct Scenario {
  std::string preset;
  std::vector<std::pair<std::string, std::vector<std::string>>> knobs;
  std::string property;
  std::size_t hand_written_length;  // steps up to the violation in corpora/scenarios
  std::uint64_t seed = 1;
};

class CheckFinds : public ::testing::TestWithParam<Scenario> {};

TEST_P(CheckFinds, ViolationFromScratchAndReplays) {
  const Scenario& sc = GetParam();
  fuzz::SearchOptions opt;
  // Bounded by runs, not time, so that the verdict does not depend on the machine (or a sanitizer).
  opt.seed = sc.seed;
  opt.runs = 20000;
  opt.time_budget = 600;
  opt.properties = {sc.property};
  const auto r = fuzz::search(testing::config(sc.preset, sc.knobs), opt);
  ASSERT_TRUE(r.found) << sc.preset << " " << sc.property;
  ASSERT_TRUE(r.trace.expect.has_value());
  EXPECT_EQ(r.trace.expect->property, sc.property);
  EXPECT_LE(static_cast<std::size_t>(r.trace.expect->step + 1), sc.hand_written_length);
  const auto replayed = properties::replay(r.trace);
  EXPECT_FALSE(replayed.bad_input.has_value());
  EXPECT_TRUE(replayed.failures.empty())
      << (replayed.failures.empty() ? "" : replayed.failures.front());
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, CheckFinds,
    ::testing::Values(
        Scenario{"linux-6.12", {{"bounce_untrusted", {"off"}}}, "untrusted-confined", 3},
        Scenario{"linux-6.12", {{"iova_flush", {"lazy"}}}, "no-dma-to-freed", 5},
        Scenario{"legacy-2021", {}, "untrusted-confined", 2},
        Scenario{"linux-6.12", {{"teardown", {"no_drain"}}}, "iopf-integrity", 5, 2},
        Scenario{"proposal-2021", {}, "untrusted-confined", 4}));

TEST(Check, SameSeedSameCounterexample) {
  fuzz::SearchOptions opt;
  opt.seed = 7;
  opt.properties = {"no-dma-to-freed"};
  const Config c = testing::config("linux-6.12", {{"iova_flush", {"lazy"}}});
  const auto a = fuzz::search(c, opt);
  const auto b = fuzz::search(c, opt);
  ASSERT_TRUE(a.found && b.found);
  EXPECT_EQ(a.trace.steps, b.trace.steps);
  EXPECT_EQ(a.runs, b.runs);
}

// The run that found it, given alone (`--reproduce SEED/RUN`), finds the same sequence; a
// malformed reproduce string is bad input.
TEST(Check, ReproduceReRunsTheFailingRunAlone) {
  fuzz::SearchOptions opt;
  opt.seed = 7;
  opt.properties = {"no-dma-to-freed"};
  const Config c = testing::config("linux-6.12", {{"iova_flush", {"lazy"}}});
  const auto a = fuzz::search(c, opt);
  ASSERT_TRUE(a.found);
  ASSERT_GT(a.runs, 1);  // else re-running one run alone proves nothing
  EXPECT_EQ(a.reproduce, "7/" + std::to_string(a.runs - 1));
  fuzz::SearchOptions again = opt;
  again.seed = 12345;  // ignored: the seed comes with the run
  again.reproduce = a.reproduce;
  const auto b = fuzz::search(c, again);
  ASSERT_TRUE(b.found);
  EXPECT_EQ(b.runs, 1);
  EXPECT_EQ(a.trace.steps, b.trace.steps);
  for (const std::string bad : {"7", "7/", "/3", "7/x", "x/3", "7/3/1", "-1/2"}) {
    again.reproduce = bad;
    EXPECT_THROW(fuzz::search(c, again), model::InputError) << bad;
  }
}

TEST(Check, InitialStateViolationIsAnEmptyTrace) {
  fuzz::SearchOptions opt;
  opt.properties = {"trust-gating"};
  const auto r = fuzz::search(testing::config("revamp-ats-all"), opt);
  ASSERT_TRUE(r.found);
  EXPECT_TRUE(r.trace.steps.empty());
  EXPECT_EQ(r.trace.expect->step, -1);
}

TEST(Minimize, ShrinksAPaddedTraceBackToItsCore) {
  Trace t = load_trace(PASIDCHECK_SOURCE_DIR "/corpora/scenarios/03-lazy-flush-window.json");
  const std::size_t core = t.steps.size();
  // Pad with ops that change nothing relevant.
  Trace padded = t;
  for (int i = 0; i < 4; ++i) {
    Op flush;
    flush.kind = OpKind::fq_flush;
    flush.dev = 1;
    padded.steps.insert(padded.steps.begin() + 1, {flush, std::nullopt});
  }
  const auto r = fuzz::minimize(padded);
  ASSERT_TRUE(r.violated);
  EXPECT_EQ(r.property, "no-dma-to-freed");
  EXPECT_LE(r.trace.steps.size(), core - 2);  // the steps after the violation go too
  const auto replayed = properties::replay(r.trace);
  EXPECT_TRUE(replayed.failures.empty());
}

}  // namespace
}  // namespace pasidcheck

namespace pasidcheck {
namespace {

// A short random search in every preset and knock-out: whatever it finds must replay with its
// verdict.
class CheckEveryPreset : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckEveryPreset, CounterexamplesReplay) {
  fuzz::SearchOptions opt;
  opt.seed = 3;
  opt.time_budget = 0.4;
  const auto r = fuzz::search(testing::config(GetParam()), opt);
  if (!r.found) return;  // nothing within the budget is a legitimate outcome
  const auto replayed = properties::replay(r.trace);
  EXPECT_FALSE(replayed.bad_input.has_value()) << GetParam();
  EXPECT_TRUE(replayed.failures.empty())
      << GetParam() << ": " << (replayed.failures.empty() ? "" : replayed.failures.front());
}

std::vector<std::string> preset_names() {
  std::vector<std::string> v;
  for (const auto& p : model::preset_table()) v.push_back(p.name);
  return v;
}

INSTANTIATE_TEST_SUITE_P(Presets, CheckEveryPreset, ::testing::ValuesIn(preset_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& ch : n)
                             if (ch == '-' || ch == '.') ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace pasidcheck
