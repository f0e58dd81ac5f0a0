// Property-based tests of MODEL.md's rulings on caches and mirrors, over random traces of every
// preset and knock-out (fuzz::gen_op, RapidCheck): §8.26 (a fill never removes an entry of
// another key), §8.27 (an IOTLB hit never walks), §8.29 (a strict mirror entry is min(grant, CPU
// leaf) while its grant lives). Each test also counts the cases it judged, so that it cannot pass
// vacuously.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <iostream>
#include <set>
#include <tuple>

#include "fuzz/op_gen.h"
#include "model/translate.h"
#include "tests/test_util.h"

namespace pasidcheck {
namespace {

using namespace model;

// Ops per generated trace: long enough that splits, collapses and np/p of mapped pages happen.
// Under AddressSanitizer (.ci/sanitize, about 25x slower here) every third preset and shorter
// traces: the release suite runs them all, the sanitizer run is about memory safety.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kLength = 60;
constexpr std::size_t kPresetStride = 3;
#else
constexpr int kLength = 150;
constexpr std::size_t kPresetStride = 1;
#endif

// Every preset and knock-out (default devices: dsa0 trusted, tbt0 external-facing).
std::vector<std::string> all_presets() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < preset_table().size(); i += kPresetStride)
    out.push_back(preset_table()[i].name);
  return out;
}

using Key = std::tuple<int, int, Space, int, bool>;  // (DID, PASID, space, page, large)
Key key_of(const IotlbEntry& e) {
  return {e.did, e.pasid, e.key.space, e.key.page, e.large};
}

bool is_request(OpKind k) {
  return k == OpKind::dma || k == OpKind::ats_translate || k == OpKind::iommu_walk;
}

// Runs `length` generated ops of `preset` from boot and calls check(before, op, result, after) on
// each applied one.
template <class Check>
void run(const Config& c, int length, Check check) {
  const Model m(c);
  State s = m.boot();
  for (int i = 0; i < length; ++i) {
    const Op op = *fuzz::gen_op(m, s);
    const State before = s;
    const StepResult r = m.apply(s, op);
    if (r.applied) check(m, before, op, r, s);
  }
}

// Replays the corpus trace `file` (corpora/rules/) and calls check(model, before, op, after) on
// each step, every one of which must apply. Returns whether every check passed.
template <class Check>
bool on_rule_trace(const std::string& file, Check&& check) {  // by reference: counters
  const Trace t = load_trace(PASIDCHECK_SOURCE_DIR "/corpora/rules/" + file);
  const Model m(t.config);
  return rc::check("MODEL.md rule on " + file, [&] {
    State st = m.boot();
    for (const auto& step : t.steps) {
      const State before = st;
      RC_ASSERT(m.apply(st, step.op).applied);
      check(m, before, step.op, st);
    }
  });
}

Config preset_config(const std::string& name, bool all_notified = false) {
  Config c = testing::config(name);
  if (all_notified) c.knobs.kpt_notifier = kNotifyAll;
  return c;
}

// §8.26: a request's fill replaces only the entry of its own key (4 KiB and large are different
// keys); nothing else leaves the IOTLB (the default config has no capacity limit). Random traces
// rarely make both forms coexist (a split, a walk, an un-notified collapse, the PSC entry evicted,
// a walk again), so the rule-26 corpus trace runs through the same check too.
struct FillCheck {
  int judged = 0, both_forms = 0;
  void operator()(const Model& m, const State& before, const Op& op, const State& after) {
    if (!is_request(op.kind)) return;
    std::set<Key> now;
    for (const auto& e : after.iotlb) now.insert(key_of(e));
    for (const auto& e : before.iotlb) RC_ASSERT(now.count(key_of(e)) == 1u);
    ++judged;
    std::set<std::tuple<int, int, int>> small, large;
    for (const auto& e : after.iotlb)
      if (e.key.space == Space::direct)
        (e.large ? large : small).insert({e.did, e.pasid, e.key.page});
    for (const auto& [did, pasid, page] : small)
      for (const auto& [ldid, lpasid, lpage] : large)
        both_forms += did == ldid && pasid == lpasid && m.block_of(page) == m.block_of(lpage);
  }
};

TEST(Rules, NoFillRemovesAnEntryOfAnotherKey) {
  FillCheck check;
  for (const auto& name : all_presets()) {
    const Config c = preset_config(name);
    const bool ok = rc::check("MODEL.md rule on " + name, [&] {
      run(c, kLength,
          [&](const Model& m, const State& before, const Op& op, const StepResult&,
              const State& after) { check(m, before, op, after); });
    });
    EXPECT_TRUE(ok) << name;
  }
  const int random_both = check.both_forms;
  const bool ok = on_rule_trace("rule-26-iotlb-keys.violated.json", check);
  EXPECT_TRUE(ok);
  std::cout << check.judged << " request steps judged; both entry forms after " << random_both
            << " random and " << check.both_forms - random_both << " corpus steps\n";
  EXPECT_GT(check.judged, 1000);
  EXPECT_GT(check.both_forms, random_both) << "the rule-26 trace held no 4 KiB and large entry";
}

// §8.27 and §8.5: when the IOTLB holds an entry for the request's (DID, PASID) covering the
// address, the request ends there: no walk (the PSC and the IOTLB are unchanged), and a granted
// request reports `via: iotlb`.
TEST(Rules, AnIotlbHitNeverWalks) {
  int hits = 0, walks = 0;
  for (const auto& name : all_presets()) {
    const Config c = preset_config(name);
    const bool ok = rc::check("MODEL.md rule on " + name, [&] {
      run(c, kLength,
          [&](const Model& m, const State& before, const Op& op, const StepResult& r,
              const State& after) {
            if (!is_request(op.kind)) return;
            if (op.kind == OpKind::ats_translate && !m.ats(op.dev)) return;
            const PasidEntry e = effective_entry(before, op.dev, op.pasid);
            if (!e.present || e.root == Root::passthrough || !translates(e, op.addr.space)) return;
            if (op.kind != OpKind::iommu_walk && op.priv == Priv::supervisor && !e.sre) return;
            bool covered = false;
            for (const auto& x : before.iotlb)
              covered |= x.did == e.did && x.pasid == op.pasid &&
                         (x.large ? op.addr.space == Space::direct &&
                                        m.block_of(x.key.page) == m.block_of(op.addr.page)
                                  : x.key == op.addr);
            if (!covered) {
              walks += op.kind == OpKind::iommu_walk;
              return;
            }
            ++hits;
            RC_ASSERT(after.psc == before.psc);
            RC_ASSERT(after.iotlb == before.iotlb);
            RC_ASSERT(after.prq == before.prq);
            if (r.outcome.result == Result::ok) RC_ASSERT(r.outcome.via == Via::iotlb);
          });
    });
    EXPECT_TRUE(ok) << name;
  }
  std::cout << hits << " IOTLB hits, " << walks << " walks\n";
  EXPECT_GT(hits, 100);
  EXPECT_GT(walks, 0);
}

// §8.29 with §8.4: with every kernel page-table update notified, each live grant of a strict
// mirror PASID has a mirror entry exactly when the CPU leaf is present, and it is
// min(kva_map prot, CPU leaf); no mirror entry lives without a grant.
struct MirrorCheck {
  int checked = 0, absent = 0;
  void operator()(const Model& m, const State& s) {
    for (int d = 0; d < m.device_count(); ++d)
      for (int p = 0; p < m.bounds().pasids; ++p) {
        const DeviceState& ds = s.devices[d];
        const bool strict = ds.entries[p].present && ds.entries[p].root == Root::mirror;
        if (!strict) {
          RC_ASSERT(ds.mirror[p].empty());
          continue;
        }
        for (const auto& [a, l] : ds.mirror[p]) RC_ASSERT(ds.kva[p].count(a) == 1u);
        for (const auto& [a, g] : ds.kva[p]) {
          bool present = false, w = false;
          int frame = -1;
          if (a.space == Space::direct) {
            present = s.direct[a.page].present;
            w = s.direct[a.page].w;
            frame = a.page;
          } else if (a.space == Space::vmalloc) {
            const VmallocLeaf& v = s.vmalloc[a.page];
            present = v.present && v.frame >= 0;
            w = v.w;
            frame = v.frame;
          } else {
            present = true;
            frame = a.page;
          }
          const auto it = ds.mirror[p].find(a);
          if (!present) {
            RC_ASSERT(it == ds.mirror[p].end());
            ++absent;
            continue;
          }
          RC_ASSERT(it != ds.mirror[p].end());
          RC_ASSERT(it->second.frame == frame);
          RC_ASSERT(it->second.w == (g.w && w));
          ++checked;
        }
      }
  }
};

// Random traces of every preset, then the rule-29 corpus trace, which makes a mirrored leaf not
// present on purpose: short random traces (the sanitizer run) may never do so, and the "absent"
// half of the rule must be judged on every run, whatever the seed.
TEST(Rules, AMirrorEntryIsMinOfGrantAndCpuLeafWhileItsGrantLives) {
  MirrorCheck check;
  for (const auto& name : all_presets()) {
    const Config c = preset_config(name, true);
    const bool ok = rc::check("MODEL.md rule on " + name, [&] {
      run(c, kLength,
          [&](const Model& m, const State&, const Op&, const StepResult&, const State& s) {
            check(m, s);
          });
    });
    EXPECT_TRUE(ok) << name;
  }
  const int random_absent = check.absent;
  const bool ok = on_rule_trace(
      "rule-29-mirror-follows-leaf.json",
      [&](const Model& m, const State&, const Op&, const State& after) { check(m, after); });
  EXPECT_TRUE(ok);
  std::cout << check.checked << " mirror entries checked; absent while not present after "
            << random_absent << " random and " << check.absent - random_absent << " corpus steps\n";
  EXPECT_GT(check.checked, 100);
  EXPECT_GT(check.absent, random_absent) << "the rule-29 trace made no mirrored leaf not present";
}

}  // namespace
}  // namespace pasidcheck

namespace pasidcheck {
namespace {

using namespace model;
using testing::A;
using testing::must;
using testing::rejected;

Op make(OpKind k) {
  Op op;
  op.kind = k;
  return op;
}
Op enable(int dev, int pasid, Mode mode) {
  Op op = make(OpKind::pasid_enable);
  op.dev = dev;
  op.pasid = pasid;
  op.mode = mode;
  return op;
}
Op mm_create() {
  Op op = make(OpKind::mm_create);
  op.mm = 0;
  return op;
}
Op sva_bind(int dev, int pasid = 0) {
  Op op = make(OpKind::sva_bind);
  op.dev = dev;
  op.mm = 0;
  op.pasid = pasid;
  return op;
}
Op kalloc(int frame, int slot) {
  Op op = make(OpKind::kalloc);
  op.frame = frame;
  op.slot = slot;
  return op;
}

// The rulings that tighten preconditions (§8.25, 31, 32, 36, 37): a step that breaks one is bad
// input, its message names the rule, and a precondition outranks the variant's refusal.
TEST(Rules, PreconditionFailuresNameTheirRule) {
  {  // §8.31 single binding; §8.36: a PASID that is not free, even with sva=off
    const Model m(testing::config("linux-6.12"));
    State s = m.boot();
    must(m, s, mm_create());
    const Op bind = sva_bind(0);
    must(m, s, bind);
    EXPECT_NE(rejected(m, s, bind).find("§8.31"), std::string::npos);
  }
  {
    const Model m(testing::config("linux-6.12", {{"sva", {"off"}}}));
    State s = m.boot();
    must(m, s, enable(0, 1, Mode::iova));
    must(m, s, mm_create());
    Op bind = sva_bind(0, 1);
    EXPECT_NE(rejected(m, s, bind).find("not free"), std::string::npos);
    bind.pasid = 2;  // a free PASID: the variant refuses
    EXPECT_EQ(must(m, s, bind).result, Result::refused);
  }
  {  // §8.25 (W^X) outranks revamp's kva_range refusal of a vmalloc address (§8.36)
    const Model m(testing::config("revamp"));
    State s = m.boot();
    must(m, s, enable(0, 1, Mode::kva));
    Op vm = make(OpKind::vmalloc);
    vm.page = 0;
    vm.frame = 2;
    vm.table_frames = {5};
    must(m, s, vm);
    Op rox = make(OpKind::set_memory);
    rox.addr = A("vmalloc:0");
    rox.attr = Attr::rox;
    rox.alias_table_frames = {6};
    must(m, s, rox);
    Op map = make(OpKind::kva_map);
    map.dev = 0;
    map.pasid = 1;
    map.addr = A("vmalloc:0");
    map.slots = {0, 1};
    map.prot = Prot::rw;
    EXPECT_NE(rejected(m, s, map).find("§8.25"), std::string::npos);
    map.prot = Prot::r;
    EXPECT_EQ(must(m, s, map).result, Result::refused);
  }
  {  // §8.32: no collapse under DEBUG_PAGEALLOC
    const Model m(testing::config("revamp", {{"debug_pagealloc", {"on"}}}));
    State s = m.boot();
    Op free = make(OpKind::kpt_free);
    free.addr = A("direct:0");
    EXPECT_NE(rejected(m, s, free).find("§8.32"), std::string::npos);
  }
  {  // §8.37: a bounced map still holds the caller's slot
    const Model m(testing::config("revamp"));
    State s = m.boot();
    must(m, s, kalloc(2, 0));
    Op map = make(OpKind::dma_map);
    map.dev = 1;
    map.frame = 2;
    map.slot = 0;
    map.iova = 0;
    map.dir = Dir::from_device;
    map.bounce_frame = 3;
    must(m, s, map);
    ASSERT_TRUE(s.devices[1].iova[0].bounced);
    Op kf = make(OpKind::kfree);
    kf.frame = 2;
    kf.slot = 0;
    EXPECT_NE(rejected(m, s, kf).find("§8.37"), std::string::npos);
  }
}

// §8.35: DEBUG_PAGEALLOC's unmap clears P and RW; set_memory p sets only P.
TEST(Rules, PresentAfterPageallocUnmapIsReadOnly) {
  const Model m(testing::config("revamp", {{"debug_pagealloc", {"on"}}}));
  State s = m.boot();
  EXPECT_FALSE(s.direct[2].present);
  EXPECT_FALSE(s.direct[2].w);
  must(m, s, kalloc(2, 0));
  Op p = make(OpKind::set_memory);
  p.addr = A("direct:2");
  p.attr = Attr::p;
  must(m, s, p);
  EXPECT_TRUE(s.direct[2].present);
  EXPECT_FALSE(s.direct[2].w);
  Op np = make(OpKind::set_memory);
  np.addr = A("direct:2");
  np.attr = Attr::np;
  must(m, s, np);
  Op map = make(OpKind::pagealloc_map);
  map.frame = 2;
  must(m, s, map);
  EXPECT_TRUE(s.direct[2].present && s.direct[2].w);
}

}  // namespace
}  // namespace pasidcheck
