// Differential validation of the Z3 encoding of kcore (issue 5): on states reached by random walks
// of the executable model, for every kcore input, the symbolic transition evaluated on the
// concrete state must give exactly the executable successor (or exactly its refusal to apply), and
// the symbolic properties must agree with the executable ones. The same holds for the compiled
// transition of `kcore-bfs` (kcore_concrete.h), whose packing must round-trip. Engines must agree
// with each other.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include "model/model.h"
#include "properties/property.h"
#include "properties/replay.h"
#include "solver/engine.h"
#include "solver/kcore.h"
#include "solver/kcore_concrete.h"
#include "solver/kcore_eval.h"

namespace pasidcheck {
namespace {

using namespace model;
namespace kc = solver::kcore;

std::string diff(const std::vector<int>& a, const std::vector<int>& b, kc::Size size = {}) {
  std::string out;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i])
      out += " " + kc::layout(size).vars()[i].name + ": exec " + std::to_string(a[i]) + " sym " +
             std::to_string(b[i]);
  return out;
}

bool exec_violates(const Model& m, const State& s, const std::string& id) {
  std::vector<const properties::Property*> props;
  EXPECT_FALSE(properties::select_properties({id}, props).has_value());
  return !properties::check_all(m, s, props).empty();
}

// Under AddressSanitizer (.ci/sanitize, about 15x slower here) the explorer comparison takes every
// third variant: the release suite runs them all, the sanitizer run is about memory safety.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kVariantStride = 3;
#else
constexpr int kVariantStride = 1;
#endif

int violated_states = 0;  // states where the executable model reports a kcore property violated
std::map<std::string, int> violated_by;  // ... per property

// Walks `walks` random paths of `steps` steps, comparing at every state; walk w first follows
// prefixes[w] when given. Returns states compared. The compiled transition (3 frames, 2 devices
// only) is compared when kcore has its default size.
int differential(const std::string& preset,
                 const std::vector<std::pair<std::string, std::string>>& knobs, int walks,
                 int steps, unsigned seed, const std::vector<std::string>& rows = {""},
                 const std::vector<std::vector<Op>>& prefixes = {}, kc::Size size = {}) {
  Config v;
  v.preset = preset;
  v.knobs = *model::preset(preset);
  for (const auto& [k, val] : knobs) EXPECT_FALSE(set_knob(v.knobs, k, {val}).has_value());
  const Config c = kc::make_config(v, size);
  const Model m(c);
  // The inputs compared: every row's (kernel PASIDs), or an sva row's own (user SVA changes what
  // the device's caches are); the walk is steered by its row.
  struct Side {
    kc::Variant v;
    kc::SymbolicEvaluator sym;
    std::optional<kc::Successor> native;
    explicit Side(const kc::Variant& variant) : v(variant), sym(variant) {
      if (variant.size() == kc::Size{}) native.emplace(variant);
    }
  };
  std::map<std::string, std::unique_ptr<Side>> sides;
  std::mt19937 rng(seed);
  int compared = 0;
  for (int w = 0; w < walks; ++w) {
    const std::string& row = rows[w % rows.size()];
    const kc::Variant steer = kc::variant_of(c, row);  // where the walk may go
    const std::string side_row = steer.sva ? row : "";
    auto& side = sides[side_row];
    if (!side) side = std::make_unique<Side>(kc::variant_of(c, side_row));
    kc::SymbolicEvaluator& sym = side->sym;
    std::optional<kc::Successor>& native = side->native;
    State s = m.boot();
    std::vector<int> cur;
    EXPECT_FALSE(kc::project(m, s, cur).has_value());
    EXPECT_TRUE(sym.init(cur));
    for (int k = 0; k < steps; ++k) {
      const kc::CState ncur = native ? kc::Successor::from_vars(cur) : kc::CState{};
      if (native) {
        EXPECT_EQ(kc::Successor::to_vars(kc::Successor::unpack(kc::Successor::pack(ncur))), cur);
      }
      for (const auto& id : kc::property_ids()) {
        const bool v = exec_violates(m, s, id);
        violated_states += v;
        violated_by[id] += v;
        EXPECT_EQ(v, sym.bad(id, cur))
            << preset << " " << id << " on state after " << k << " steps of walk " << w;
        if (native) {
          EXPECT_EQ(v, native->bad(id, ncur))
              << preset << " " << id << " (compiled) on state after " << k << " steps of walk "
              << w;
        }
      }
      std::vector<std::vector<State>> succs(kc::kActCount);  // by action: pick the action first
      for (const auto& in : kc::inputs(size)) {
        if (!kc::allowed(side->v, in)) continue;
        State t = s;
        const StepResult r = m.apply(t, kc::to_op(in, size));
        const auto got = sym.step(cur, in);
        kc::CState nnext;
        const bool nenabled = native ? native->step(ncur, in, nnext) : r.applied;
        const std::string what = preset + " " + kc::describe(in, size);
        EXPECT_EQ(r.applied, got.enabled) << what << ": " << r.error;
        EXPECT_EQ(r.applied, nenabled) << what << " (compiled)";
        if (!r.applied || !got.enabled) continue;
        std::vector<int> want;
        const auto err = kc::project(m, t, want);
        EXPECT_FALSE(err.has_value()) << *err;
        EXPECT_EQ(want, got.next) << what << diff(want, got.next, size);
        if (native && nenabled) {
          const auto nvars = kc::Successor::to_vars(nnext);
          EXPECT_EQ(want, nvars) << what << " (compiled)" << diff(want, nvars);
        }
        if (!(t == s) && kc::allowed(steer, in)) succs[in.act].push_back(t);
      }
      ++compared;
      std::erase_if(succs, [](const auto& v) { return v.empty(); });
      if (w < static_cast<int>(prefixes.size()) && k < static_cast<int>(prefixes[w].size())) {
        EXPECT_TRUE(m.apply(s, prefixes[w][k]).applied);
        EXPECT_FALSE(kc::project(m, s, cur).has_value());
        continue;
      }
      if (succs.empty()) break;
      const auto& pick =
          succs[std::uniform_int_distribution<std::size_t>(0, succs.size() - 1)(rng)];
      s = pick[std::uniform_int_distribution<std::size_t>(0, pick.size() - 1)(rng)];
      EXPECT_FALSE(kc::project(m, s, cur).has_value());
      if (::testing::Test::HasFailure()) return compared;
    }
  }
  return compared;
}

// Finds the shortest counterexample of `prop` with `engine`, then walks the differential along it
// (and `extra` random steps past it), so violating states are compared too.
void walk_counterexample(const std::string& engine, const std::string& preset,
                         const std::vector<std::pair<std::string, std::string>>& knobs,
                         const std::string& row, const std::string& prop, int depth, int extra,
                         unsigned seed, kc::Size size = {}) {
  Config v;
  v.preset = preset;
  v.knobs = *model::preset(preset);
  for (const auto& [k, val] : knobs) EXPECT_FALSE(set_knob(v.knobs, k, {val}).has_value());
  const auto r =
      solver::make_engine(engine)->check({kc::make_config(v, size), prop, depth, 600, false, row});
  ASSERT_EQ(r.verdict, solver::Verdict::violated) << preset << " " << row << " " << prop;
  std::vector<Op> ops;
  for (const auto& step : r.trace->steps) ops.push_back(step.op);
  EXPECT_GT(differential(preset, knobs, 1, static_cast<int>(ops.size()) + extra, seed, {row}, {ops},
                         size),
            1);
}

TEST(KcoreZ3, SymbolicTransitionMatchesExecutableRevamp) {
  EXPECT_GT(differential("revamp", {}, 6, 30, 1, {"", "iova/trusted", "iova/untrusted"}), 100);
}
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableProposal2021) {
  violated_states = 0;
  EXPECT_GT(differential("proposal-2021", {}, 6, 30, 2), 100);
  EXPECT_GT(violated_states, 0);  // both property outcomes were compared
}
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableKnockouts) {
  violated_by.clear();
  for (const char* p : {"revamp-no-cpa", "revamp-no-alias", "revamp-no-wpe", "revamp-no-vfree",
                        "revamp-no-ptfree", "revamp-no-ptcollapse", "revamp-no-kva-range",
                        "revamp-free-first", "legacy-2021", "linux-6.12"})
    EXPECT_GT(differential(p, {}, 2, 30, 3, {"kva/trusted", "kva/untrusted"}), 10) << p;
  // Walks through the shortest counterexamples as well.
  for (const auto& [p, row, prop] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"revamp-no-cpa", "kva/trusted", "no-wx-dma"},
           {"revamp-no-kva-range", "kva/untrusted", "kva-mirror-exact"},
           {"revamp-no-ptcollapse", "kva/trusted", "no-stale-iotlb"},
           {"revamp", "kva/trusted", "pt-integrity"},
           {"revamp-lazy", "iova/untrusted", "untrusted-confined"},
           {"revamp-lazy", "iova/trusted", "no-dma-to-freed"},
           {"revamp-bypass-all", "bypass/untrusted", "trust-gating"},
           {"revamp-free-first", "kva/trusted", "pasid-lifecycle"},
           {"revamp-free-first", "kva/untrusted", "pasid-isolation"}})
    walk_counterexample("explicit", p, {}, row, prop, 8, 5, 4);
  for (const auto& id : kc::property_ids()) {  // both outcomes of every property were compared
    if (id == "iopf-integrity") continue;      // page requests: the sva rows (Sva test)
    EXPECT_GT(violated_by[id], 0) << id;
  }
}
// teardown=free_first with every mode open: the PASID-cache copy outlives the entry and can
// differ from the one a later pasid_enable writes (another mode), the case the copy's own mode
// variable exists for.
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableFreeFirstAllModes) {
  violated_by.clear();
  EXPECT_GT(differential("revamp-free-first", {}, 8, 30, 6), 100);
  EXPECT_GT(differential("legacy-2021", {{"teardown", "free_first"}}, 4, 30, 7), 50);
  // A kernel-address IOTLB entry and PSC entry outlive a free-first teardown; the PASID is then
  // re-enabled in bypass mode, so cache_evict only sees the pass-through DID's entries.
  auto op = [](kc::KInput in) { return kc::to_op(in); };
  kc::KInput bypass{kc::kPasidEnable, 0};
  bypass.mode = kc::kModeBypass;
  const std::vector<Op> reenable{op({kc::kPasidEnable, 0}),
                                 op({kc::kSetMemD, 0, 1, 0, 2, kc::kRo}),
                                 op({kc::kWalk, 0, 0, 0, 0, 0, false, 0}),
                                 op({kc::kPasidDisable, 0}),
                                 op({kc::kEvictPasid, 0, 0, 1}),
                                 op(bypass)};
  EXPECT_GT(differential("revamp-free-first", {}, 1, 10, 11, {""}, {reenable}), 6);
  for (const char* id : {"pasid-lifecycle", "pasid-isolation", "no-stale-iotlb", "trust-gating"})
    EXPECT_GT(violated_by[id], 0) << id;
}
// Other kcore sizes (`prove --kcore-frames`): the same source with 2, 4 and 6 frames in the block.
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableOtherSizes) {
  violated_by.clear();
  for (int frames : {2, 4, 6}) {  // 2-bit and 3-bit frame vectors; fewer walks as it grows
    const int walks = frames == 6 ? 1 : 2;
    EXPECT_GT(differential("revamp", {}, walks + 1, 20, 8, {"", "iova/trusted", "kva/untrusted"},
                           {}, {frames}),
              20)
        << frames;
    EXPECT_GT(differential("revamp-free-first", {}, walks, 20, 9, {"kva/trusted", "kva/untrusted"},
                           {}, {frames}),
              10)
        << frames;
    EXPECT_GT(differential("revamp-no-cpa", {}, walks, 20, 10, {"kva/untrusted"}, {}, {frames}), 10)
        << frames;
  }
  EXPECT_GT(violated_by["pasid-lifecycle"], 0);
  EXPECT_GT(violated_by["pt-integrity"], 0);
}
// More devices (`prove --kcore-devices`): dsa1 and tbt1 with a kernel PASID each (2-bit device
// inputs and mm_pasid at 4 devices); rows then name every device of their trust.
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableMoreDevices) {
  violated_by.clear();
  const kc::Size three{kc::kFrames, 3}, four{kc::kFrames, 4};
  EXPECT_GT(differential("revamp", {}, 2, 12, 23, {"", "kva/both"}, {}, three), 12);
  EXPECT_GT(
      differential("revamp-free-first", {}, 2, 12, 25, {"kva/untrusted", "sva/trusted"}, {}, four),
      12);
  // Through tbt0's mirror drift (4 steps) with dsa1 in KVA too, and a bmc witness at 4 devices.
  walk_counterexample("explicit", "revamp-no-cpa", {}, "kva/both", "kva-mirror-exact", 6, 4, 24,
                      three);
  walk_counterexample("bmc", "revamp", {}, "kva/trusted", "pt-integrity", 4, 4, 26, four);
  EXPECT_GT(violated_by["kva-mirror-exact"], 0);
  EXPECT_GT(violated_by["pt-integrity"], 0);
}
// DEBUG_PAGEALLOC: the block split at boot, pagealloc_unmap/map, no CPA collapse.
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableDebugPagealloc) {
  violated_by.clear();
  const std::vector<std::pair<std::string, std::string>> on{{"debug_pagealloc", "on"}};
  EXPECT_GT(differential("revamp", on, 4, 25, 12, {"", "kva/trusted", "kva/untrusted"}), 50);
  EXPECT_GT(differential("revamp-no-pagealloc", on, 4, 25, 13, {"kva/trusted", "kva/untrusted"}),
            50);
  EXPECT_GT(differential("proposal-2021", on, 2, 25, 14, {"kva/trusted"}, {}, {4}), 20);
  EXPECT_GT(violated_by["no-stale-iotlb"], 0);  // an un-notified pagealloc_unmap, at least
}
// User SVA (the sva rows): the mm and its page, sva_bind/unbind in every teardown order, page
// requests and their handler, user DMA and the kernel half's walks, with and without notifiers.
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableSva) {
  violated_by.clear();
  const std::vector<std::string> rows{"sva/trusted", "sva/untrusted"};
  for (const char* p : {"revamp", "revamp-no-drain", "revamp-free-first", "revamp-no-ptfree",
                        "revamp-ats-all", "legacy-2021"})
    EXPECT_GT(differential(p, {}, 2, 25, 15, rows), 20) << p;
  EXPECT_GT(differential("revamp", {{"sva_notifier", "off"}}, 1, 25, 16, {rows[0]}), 10);
  EXPECT_GT(differential("revamp", {{"debug_pagealloc", "on"}}, 1, 25, 17, {rows[0]}), 10);
  EXPECT_GT(differential("revamp", {}, 1, 20, 18, {rows[0]}, {}, {4}), 10);
  // Walks through the shortest counterexamples (kcore-bfs), so violating states are compared.
  for (const auto& [p, knob, prop] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"revamp-no-drain", "", "iopf-integrity"},
           {"revamp-no-devtlb", "", "pasid-lifecycle"},
           {"revamp-free-first", "", "pasid-lifecycle"},
           {"revamp-free-first", "", "pasid-isolation"},
           {"revamp-free-first", "", "no-stale-iotlb"},
           {"revamp-no-ptfree", "", "no-dma-to-freed"},
           {"revamp", "sva_notifier", "no-stale-iotlb"},
           {"revamp", "sva_notifier", "untrusted-confined"}}) {
    std::vector<std::pair<std::string, std::string>> knobs;
    if (!knob.empty()) knobs.push_back({knob, "off"});
    const bool untrusted = prop == "untrusted-confined";
    if (untrusted) knobs.push_back({"ats", "all"});  // tbt0 may bind
    walk_counterexample("kcore-bfs", p, knobs, untrusted ? "sva/untrusted" : "sva/trusted", prop,
                        10, 3, 19);
  }
  for (const char* id : {"iopf-integrity", "pasid-lifecycle", "pasid-isolation", "no-stale-iotlb",
                         "no-dma-to-freed", "untrusted-confined"})
    EXPECT_GT(violated_by[id], 0) << id;
}
// ATS translations that fill the device TLB where the IOTLB has one entry per key (iova:0,
// phys:, user:0), and the teardown order that forgets to invalidate it (no_devtlb).
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableDeviceTlb) {
  violated_by.clear();
  const std::vector<std::string> rows{"bypass/trusted", "iova/trusted", "iova/untrusted"};
  EXPECT_GT(differential("revamp-no-devtlb", {}, 3, 25, 20, rows), 30);
  EXPECT_GT(differential("revamp-lazy", {}, 2, 25, 21, {"iova/trusted"}), 20);
  EXPECT_GT(differential("revamp-ats-all", {}, 2, 25, 22, {"bypass/untrusted", "iova/untrusted"}),
            20);
  for (const auto& [p, row, prop] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"revamp-no-devtlb", "bypass/trusted", "pasid-lifecycle"},
           {"revamp-no-devtlb", "iova/trusted", "no-stale-iotlb"},
           {"revamp-lazy", "iova/trusted", "no-dma-to-freed"}})
    walk_counterexample("kcore-bfs", p, {}, row, prop, 10, 3, 23);
  for (const char* id : {"pasid-lifecycle", "no-stale-iotlb", "no-dma-to-freed"})
    EXPECT_GT(violated_by[id], 0) << id;
}
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableKnobCorners) {
  EXPECT_GT(differential("revamp", {{"cpa_alias", "off"}, {"kva_fast_for", "all"}}, 2, 20, 4), 10);
  EXPECT_GT(differential("proposal-2021", {{"ats", "all"}, {"kva_fast_for", "none"}}, 2, 20, 5),
            10);
}

}  // namespace
}  // namespace pasidcheck

namespace pasidcheck {
namespace {

solver::ProveProblem problem(const std::string& preset, const std::string& property) {
  Config v;
  v.preset = preset;
  v.knobs = *model::preset(preset);
  return {kc::make_config(v), property, 8, 60, true, ""};
}

// Every engine finds the same shortest counterexample length, and each witness replays on the
// executable model with the property violated at its last step.
TEST(KcoreEngines, AgreeOnAKnockOutCounterexample) {
  for (const char* prop : {"no-stale-iotlb", "no-wx-dma"}) {
    std::vector<int> lengths;
    for (const auto& e : solver::engine_names()) {
      auto p = problem("revamp-no-cpa", prop);
      p.row = "kva/trusted";
      p.timeout = 120;
      const auto r = solver::make_engine(e)->check(p);
      ASSERT_EQ(r.verdict, solver::Verdict::violated) << e << " " << prop;
      ASSERT_TRUE(r.trace.has_value());
      lengths.push_back(static_cast<int>(r.trace->steps.size()));
      const auto replayed = properties::replay(*r.trace);
      EXPECT_FALSE(replayed.bad_input.has_value()) << e << " " << prop;
      EXPECT_TRUE(replayed.failures.empty())
          << e << " " << prop << ": " << replayed.failures.front();
      EXPECT_EQ(replayed.first_violation_step, static_cast<int>(r.trace->steps.size()) - 1);
    }
    EXPECT_EQ(std::set<int>(lengths.begin(), lengths.end()).size(), 1u) << prop;
  }
}

// The sva rows: every engine gives the same shortest counterexample for what the missing drain
// breaks; bmc, explicit and kcore-bfs for what free-first teardown and the missing ptfree
// notifier break; each witness replays. Where the row is exhausted, both explorers count the same
// states.
// With a third device (dsa1, a kernel PASID of its own: PASID scaling), every engine that takes
// other sizes finds tbt0's 4-step mirror drift, and Spacer proves the same cell holds in revamp
// (its invariant re-checked); kcore-bfs answers unknown for the size instead of a verdict.
TEST(KcoreEngines, AgreeWithMoreDevices) {
  auto sized = [](const std::string& preset) {
    auto p = problem(preset, "kva-mirror-exact");
    Config v;
    v.preset = preset;
    v.knobs = *model::preset(preset);
    p.config = kc::make_config(v, {kc::kFrames, 3});
    p.row = "kva/both";
    return p;
  };
  for (const auto& e : solver::engine_names()) {
    const auto r = solver::make_engine(e)->check(sized("revamp-no-cpa"));
    if (e == "kcore-bfs") {
      EXPECT_EQ(r.verdict, solver::Verdict::unknown);
      continue;
    }
    ASSERT_EQ(r.verdict, solver::Verdict::violated) << e;
    ASSERT_EQ(r.trace->steps.size(), 4u) << e;
    EXPECT_EQ(r.trace->config.devices.size(), 3u);
    const auto replayed = properties::replay(*r.trace);
    EXPECT_FALSE(replayed.bad_input.has_value()) << e;
    EXPECT_EQ(replayed.first_violation_step, 3) << e;
  }
  const auto proof = solver::make_engine("spacer")->check(sized("revamp"));
  EXPECT_EQ(proof.verdict, solver::Verdict::holds);
  EXPECT_TRUE(proof.all_depths);
}
TEST(KcoreEngines, AgreeOnSvaRows) {
  for (const auto& [preset, prop, all] : std::vector<std::tuple<std::string, std::string, bool>>{
           {"revamp-no-drain", "iopf-integrity", true},
           {"revamp-free-first", "pasid-lifecycle", false},
           {"revamp-no-ptfree", "no-stale-iotlb", false}}) {
    std::set<int> lengths;
    for (const auto& e : solver::engine_names()) {
      if (!all && (e == "kind" || e == "spacer")) continue;
      auto p = problem(preset, prop);
      p.row = "sva/trusted";
      p.timeout = 120;
      const auto r = solver::make_engine(e)->check(p);
      const std::string where = preset + " " + prop + " " + e;
      ASSERT_EQ(r.verdict, solver::Verdict::violated) << where;
      ASSERT_TRUE(r.trace.has_value()) << where;
      lengths.insert(static_cast<int>(r.trace->steps.size()));
      const auto replayed = properties::replay(*r.trace);
      EXPECT_TRUE(replayed.failures.empty()) << where;
      EXPECT_EQ(replayed.first_violation_step, static_cast<int>(r.trace->steps.size()) - 1)
          << where;
    }
    EXPECT_EQ(lengths.size(), 1u) << preset << " " << prop;
  }
  // revamp refuses tbt0 SVA (no ATS): the mm's own ops and kernel memory, exhausted quickly.
  auto p = problem("revamp", "pasid-isolation");
  p.row = "sva/untrusted";
  p.timeout = 300;
  p.check_proofs = false;
  const auto x = solver::make_engine("explicit")->check(p);
  const auto b = solver::make_engine("kcore-bfs")->check(p);
  ASSERT_EQ(x.verdict, solver::Verdict::holds);
  EXPECT_TRUE(x.all_depths && b.all_depths);
  EXPECT_EQ(b.verdict, x.verdict);
  EXPECT_EQ(b.states, x.states);
}

// kcore-bfs answers every property of a row from one exploration: each result equals a run for
// that property alone (verdict, length, states), violated and exhausted ones alike.
TEST(KcoreEngines, CompiledBfsAnswersEveryPropertyAtOnce) {
  int violated = 0, held = 0;
  for (const char* row : {"bypass/trusted", "kva/untrusted"}) {
    auto p = problem("revamp-no-devtlb", kc::property_ids().front());
    p.row = row;
    p.timeout = 300;
    p.check_proofs = false;
    const auto all = solver::make_engine("kcore-bfs")->check_properties(p, kc::property_ids());
    ASSERT_EQ(all.size(), kc::property_ids().size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      auto one = p;
      one.property = kc::property_ids()[i];
      const auto r = solver::make_engine("kcore-bfs")->check(one);
      const std::string where = std::string(row) + " " + one.property;
      EXPECT_EQ(all[i].verdict, r.verdict) << where;
      EXPECT_EQ(all[i].all_depths, r.all_depths) << where;
      EXPECT_EQ(all[i].depth, r.depth) << where;
      EXPECT_EQ(all[i].states, r.states) << where;
      EXPECT_EQ(all[i].trace.has_value(), r.trace.has_value()) << where;
      if (all[i].trace && r.trace) {
        EXPECT_EQ(all[i].trace->steps.size(), r.trace->steps.size()) << where;
        EXPECT_TRUE(properties::replay(*all[i].trace).failures.empty()) << where;
      }
      violated += r.verdict == solver::Verdict::violated;
      held += r.verdict == solver::Verdict::holds && r.all_depths;
    }
  }
  EXPECT_GT(violated, 0);  // both outcomes compared
  EXPECT_GT(held, 0);
}

// Spacer proves the mitigated design for all depths, with an invariant a fresh solver accepts;
// BMC and the explorer find nothing within their bounds.
TEST(KcoreEngines, SpacerProvesRevampNoStaleIotlb) {
  auto p = problem("revamp", "no-stale-iotlb");
  p.row = "kva/trusted";  // fast KVA: the row whose caches walk the CPU tables
  p.timeout = 300;
  const auto r = solver::make_engine("spacer")->check(p);
  ASSERT_EQ(r.verdict, solver::Verdict::holds) << r.reason;
  EXPECT_TRUE(r.all_depths);
  EXPECT_FALSE(r.invariant.empty());
  ASSERT_TRUE(r.proof_checked.has_value());
  EXPECT_TRUE(*r.proof_checked);
  auto shallow = p;
  shallow.depth = 5;
  shallow.timeout = 120;
  const auto b = solver::make_engine("bmc")->check(shallow);
  EXPECT_EQ(b.verdict, solver::Verdict::holds);
  EXPECT_EQ(b.depth, 5);
  shallow.row = "kva/untrusted";  // small enough for the explorer to exhaust: a second proof
  shallow.timeout = 600;          // ~0.5 s normally; much longer under ASan on a loaded machine
  const auto x = solver::make_engine("explicit")->check(shallow);
  EXPECT_EQ(x.verdict, solver::Verdict::holds);
  EXPECT_TRUE(x.all_depths) << x.depth << " levels, " << x.states << " states";
}

// kcore-bfs (the compiled transition over packed states) explores exactly what the explicit engine
// explores on the executable model: on every preset and knock-out, the same verdict, the same
// number of states when the row is exhausted, the same shortest counterexample length, and the
// witness replays. Its result does not depend on --jobs.
TEST(KcoreEngines, CompiledBfsMatchesExplicitOnEveryVariant) {
  int i = 0, violated = 0, compared = 0;
  for (const auto& preset : model::preset_table()) {
    const std::string prop = kc::property_ids()[i % kc::property_ids().size()];
    if (i++ % kVariantStride != 0) continue;
    ++compared;
    auto p = problem(preset.name, prop);
    p.row = "kva/untrusted";
    p.check_proofs = false;
    p.timeout = 600;
    const auto x = solver::make_engine("explicit")->check(p);
    const auto b = solver::make_engine("kcore-bfs")->check(p);
    p.jobs = 2;
    const auto b2 = solver::make_engine("kcore-bfs")->check(p);
    const std::string where = preset.name + " " + prop;
    ASSERT_NE(x.verdict, solver::Verdict::unknown) << where;
    EXPECT_EQ(b.verdict, x.verdict) << where;
    EXPECT_EQ(b.all_depths, x.all_depths) << where;
    EXPECT_EQ(b.depth, x.depth) << where;
    if (x.verdict == solver::Verdict::holds) {
      EXPECT_TRUE(b.all_depths) << where;
      EXPECT_EQ(b.states, x.states) << where;
    } else {
      ++violated;
      ASSERT_TRUE(b.trace.has_value()) << where;
      const auto replayed = properties::replay(*b.trace);
      EXPECT_TRUE(replayed.failures.empty()) << where;
      EXPECT_EQ(replayed.first_violation_step, b.depth - 1) << where;
    }
    EXPECT_EQ(b2.states, b.states) << where;
    EXPECT_EQ(b2.depth, b.depth) << where;
    EXPECT_EQ(b2.trace.has_value(), b.trace.has_value()) << where;
    if (b.trace && b2.trace) {
      EXPECT_EQ(b2.trace->steps.size(), b.trace->steps.size()) << where;
    }
  }
  EXPECT_GT(violated, 0);  // both outcomes compared
  EXPECT_GE(i, 20);
  EXPECT_GE(compared * kVariantStride, i - kVariantStride + 1);
}

// The same with DEBUG_PAGEALLOC (its own boot state and ops): equal state counts when the row is
// exhausted, equal shortest lengths when violated.
TEST(KcoreEngines, CompiledBfsMatchesExplicitWithDebugPagealloc) {
  for (const auto& [preset, row, prop] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"revamp", "kva/untrusted", "no-stale-iotlb"},
           {"revamp-no-pagealloc", "kva/trusted", "no-stale-iotlb"}}) {
    Config v;
    v.preset = preset;
    v.knobs = *model::preset(preset);
    v.knobs.debug_pagealloc = true;
    solver::ProveProblem p{kc::make_config(v), prop, 8, 600, false, row};
    const auto x = solver::make_engine("explicit")->check(p);
    const auto b = solver::make_engine("kcore-bfs")->check(p);
    const std::string where = preset + " " + row + " " + prop;
    ASSERT_NE(x.verdict, solver::Verdict::unknown) << where;
    EXPECT_EQ(b.verdict, x.verdict) << where;
    EXPECT_EQ(b.depth, x.depth) << where;
    if (x.verdict == solver::Verdict::holds) {
      EXPECT_TRUE(x.all_depths && b.all_depths) << where;
      EXPECT_EQ(b.states, x.states) << where;
    } else {
      ASSERT_TRUE(b.trace.has_value()) << where;
      EXPECT_TRUE(properties::replay(*b.trace).failures.empty()) << where;
    }
  }
}

}  // namespace
}  // namespace pasidcheck
