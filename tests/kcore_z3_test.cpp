// Differential validation of the Z3 encoding of kcore (issue 5): on states reached by random walks
// of the executable model, for every kcore input, the symbolic transition evaluated on the
// concrete state must give exactly the executable successor (or exactly its refusal to apply), and
// the symbolic properties must agree with the executable ones. The same holds for the compiled
// transition of `kcore-bfs` (kcore/concrete.h), whose packing must round-trip. The engines'
// agreement is tests/kcore_engines_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <tuple>

#include "model/model.h"
#include "properties/property.h"
#include "properties/replay.h"
#include "solver/engine.h"
#include "solver/kcore/concrete.h"
#include "solver/kcore/eval.h"
#include "solver/kcore/kcore.h"

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
#if defined(__SANITIZE_ADDRESS__)  // about 20x slower: one random walk per variant
  const int walks = 1;
#else
  const int walks = 2;
#endif
  for (const char* p : {"revamp-no-cpa", "revamp-no-alias", "revamp-no-wpe", "revamp-no-vfree",
                        "revamp-no-ptfree", "revamp-no-ptcollapse", "revamp-no-kva-range",
                        "revamp-free-first", "legacy-2021", "linux-6.12"})
    EXPECT_GT(differential(p, {}, walks, 30, 3, {"kva/trusted", "kva/untrusted"}), 10) << p;
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
      differential("revamp-free-first", {}, 2, 12, 25, {"kva/untrusted", "sva/trusted"}, {}, three),
      12);
  {  // two strict-KVA devices (tbt0, tbt1) and free_first: DID reuse is left out (§8.30)
    Config v;
    v.knobs = *model::preset("revamp-free-first");
    EXPECT_THROW(kc::variant_of(kc::make_config(v, four)), model::InputError);
  }
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
  // ... and through the shortest un-notified pagealloc_unmap (random walks need not find one).
  walk_counterexample("kcore-bfs", "revamp-no-pagealloc", on, "kva/trusted", "no-stale-iotlb", 8, 3,
                      15);
  EXPECT_GT(violated_by["no-stale-iotlb"], 0);
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
// ATS translations of kernel addresses through the KVA PASID (fast: the kernel table, its IOTLB,
// stale PSC entries; strict: the mirror) and the device-TLB entries they leave: notified or not,
// torn down or not.
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableKernelDeviceTlb) {
  violated_by.clear();
  const std::vector<std::string> rows{"kva/trusted", "kva/untrusted"};
  EXPECT_GT(differential("revamp-no-devtlb", {}, 2, 25, 27, rows), 20);
  EXPECT_GT(differential("proposal-2021", {}, 2, 25, 28, rows), 20);
  EXPECT_GT(differential("revamp", {{"ats", "all"}}, 2, 25, 29, rows), 20);
  // A 4 KiB IOTLB entry and the block's large entry are different keys (MODEL.md §8.26): an
  // un-notified split lets a walk cache direct:1 read-only; the block is made uniform again and
  // collapses without a notification, and after the PSC entry goes a walk of direct:2 caches the
  // large (writable) entry beside it. The translation of direct:1 takes the 4 KiB entry
  // (read-only), direct:2 the large one (iotlb_lookup()).
  auto op = [](kc::KInput in) { return kc::to_op(in); };
  auto at = [](int act, int a) { return kc::KInput{act, 0, 0, 0, 0, 0, false, a}; };
  const std::vector<Op> overlap{op({kc::kPasidEnable, 0}), op({kc::kSetMemD, 0, 1, 0, 2, kc::kRo}),
                                op(at(kc::kWalk, 1)),      op({kc::kSetMemD, 0, 1, 0, 0, kc::kRw}),
                                op({kc::kKptFreeD}),       op(at(kc::kEvictPsc, 0)),
                                op(at(kc::kWalk, 2)),      op(at(kc::kAtsKernel, 1)),
                                op(at(kc::kAtsKernel, 2))};
  EXPECT_GT(differential("proposal-2021", {}, 1, 12, 30, {"kva/trusted"}, {overlap}), 6);
  {  // the executable model's own answer on that path
    Config v;
    v.knobs = *model::preset("proposal-2021");
    const Model m(kc::make_config(v));
    State s = m.boot();
    std::vector<StepResult> r;
    for (const Op& o : overlap) r.push_back(m.apply(s, o));
    for (const auto& x : r) ASSERT_TRUE(x.applied) << x.error;
    EXPECT_EQ(r[7].outcome.via, Via::iotlb);
    EXPECT_EQ(s.devtlb.size(), 2u);
    for (const auto& e : s.devtlb) EXPECT_EQ(e.w, e.page.page == 2) << to_string(e.page);
  }
  // Through shortest counterexamples that use the device TLB of kernel addresses.
  walk_counterexample("kcore-bfs", "revamp-no-devtlb", {}, "kva/trusted", "pasid-isolation", 8, 3,
                      31);
  walk_counterexample("kcore-bfs", "revamp-free-first", {}, "kva/trusted", "no-stale-iotlb", 8, 3,
                      32);
  for (const char* id : {"pasid-lifecycle", "pasid-isolation", "no-stale-iotlb", "pt-integrity"})
    EXPECT_GT(violated_by[id], 0) << id;
}
// set_memory with every attribute kcore takes: x and nx on vmalloc (the alias left alone), np
// and p on vmalloc (its alias too) and on the direct map (a split, then a collapse once uniform
// again).
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableSetMemoryAttributes) {
  auto op = [](kc::KInput in) { return kc::to_op(in); };
  const std::vector<Op> vmalloc{
      op({kc::kVmalloc, 0, 0, 0, 1}),          op({kc::kSetMemV, 0, 0, 0, 2, kc::kRo}),
      op({kc::kSetMemV, 0, 0, 0, 0, kc::kX}),  op({kc::kSetMemV, 0, 0, 0, 0, kc::kNx}),
      op({kc::kSetMemV, 0, 0, 0, 0, kc::kNp}), op({kc::kSetMemV, 0, 0, 0, 0, kc::kP}),
      op({kc::kSetMemD, 0, 1, 0, 0, kc::kNp}), op({kc::kSetMemD, 0, 1, 0, 0, kc::kP})};
  const std::vector<Op> direct{op({kc::kSetMemD, 0, 0, 0, 2, kc::kNp}),
                               op({kc::kSetMemD, 0, 0, 0, 0, kc::kP}), op({kc::kKptFreeD})};
  for (const char* p : {"revamp", "revamp-no-cpa", "revamp-no-alias"})
    EXPECT_GT(differential(p, {}, 2, 16, 33, {"", "kva/trusted"}, {vmalloc, direct}), 16) << p;
}
// Two slab objects per frame (`prove --kcore-slots 2`): per-slot kalloc/kfree and grants, swiotlb
// bounce frames for tbt0's sub-page maps (freed at unmap, or at the flush when lazy) and kva_map
// of part of a page.
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableTwoSlots) {
  violated_by.clear();
  const kc::Size two{kc::kFrames, kc::kDevices, 2};
  auto op = [&](kc::KInput in) { return kc::to_op(in, two); };
  const std::vector<Op> bounced{op({kc::kKalloc, 0, 0, 0}),
                                op({kc::kKalloc, 0, 0, 1}),
                                op({kc::kDmaMap, 1, 0, 1, 2, 0, true}),
                                op({kc::kWalkIova, 1, 0, 0}),
                                op({kc::kDmaUnmap, 1}),
                                op({kc::kFqFlush, 1})};
  const std::vector<std::string> rows{"", "iova/untrusted", "kva/untrusted", "iova/trusted"};
#if defined(__SANITIZE_ADDRESS__)  // about 15x slower: the bounced prefix and one random walk
  const int walks = 1;
#else
  const int walks = 4;
#endif
  for (const char* p : {"revamp", "revamp-lazy", "revamp-no-bounce", "revamp-no-kva-aligned"})
    EXPECT_GT(differential(p, {}, walks, 16, 41, rows, {bounced}, two), 6 * walks) << p;
  // Through each knock-out's shortest counterexample (2 and 3 steps).
  walk_counterexample("bmc", "revamp-no-bounce", {}, "iova/untrusted", "untrusted-confined", 4, 6,
                      42, two);
  walk_counterexample("explicit", "revamp-no-kva-aligned", {}, "kva/untrusted",
                      "untrusted-confined", 5, 6, 43, two);
  EXPECT_GT(violated_by["untrusted-confined"], 0);
}
TEST(KcoreZ3, SymbolicTransitionMatchesExecutableKnobCorners) {
  EXPECT_GT(differential("revamp", {{"cpa_alias", "off"}, {"kva_fast_for", "all"}}, 2, 20, 4), 10);
  EXPECT_GT(differential("proposal-2021", {{"ats", "all"}, {"kva_fast_for", "none"}}, 2, 20, 5),
            10);
}

// kcore-bfs runs the transition compiled once per input of the default size: every input of
// inputs() has an instance (the differential walks above run them through Successor::step, and
// KcoreEngines.CompiledBfsMatchesExplicit* explore with them), and an input outside the list is
// refused, never run as another.
TEST(KcoreZ3, EveryInputHasACompiledTransition) {
  for (const auto& in : kc::inputs()) EXPECT_NE(kc::Successor::compiled(in), nullptr);
  kc::KInput outside;
  outside.act = kc::kKalloc;
  outside.frame = kc::kFrames;  // no such frame at the default size
  EXPECT_THROW(kc::Successor::compiled(outside), std::logic_error);
  outside.act = kc::kActCount;
  EXPECT_THROW(kc::Successor::compiled(outside), std::logic_error);
}

}  // namespace
}  // namespace pasidcheck
