// Unit tests per op family: happy paths, each precondition failure, fault reasons, knob effects.
#include <gtest/gtest.h>

#include <set>

#include "model/translate.h"
#include "tests/test_util.h"

namespace pasidcheck {
namespace {

using namespace model;
using nlohmann::json;

// A small harness: a config from JSON, then steps applied one at a time.
struct Harness {
  Trace t;
  Model m;
  State s;
  explicit Harness(json config, json steps = json::array())
      : t(parse_trace(
            {{"format", "pasidcheck-trace"}, {"version", 1}, {"config", config}, {"steps", steps}},
            "test.json")),
        m(t.config),
        s(m.boot()) {}
  Op op(json step) const {
    return parse_trace({{"format", "pasidcheck-trace"},
                        {"version", 1},
                        {"config", config_to_json(t.config)},
                        {"steps", {step}}},
                       "t")
        .steps[0]
        .op;
  }
  Outcome ok(json step) { return testing::must(m, s, op(step)); }
  std::string bad(json step) { return testing::rejected(m, s, op(step)); }
};

json cfg(const std::string& preset, json knobs = json::object()) {
  return {{"preset", preset}, {"knobs", knobs}};
}

TEST(KernelMem, KallocKfreeLifecycle) {
  Harness r(cfg("linux-6.12"));
  r.ok({{"op", "kalloc"}, {"frame", 3}, {"slot", 0}});
  EXPECT_EQ(r.s.frames[3].use, FrameUse::kdata);
  EXPECT_NE(r.bad({{"op", "kalloc"}, {"frame", 3}, {"slot", 0}}).find("already allocated"),
            std::string::npos);
  r.ok({{"op", "kalloc"}, {"frame", 3}, {"slot", 1}});
  r.ok({{"op", "kfree"}, {"frame", 3}, {"slot", 0}});
  EXPECT_EQ(r.s.frames[3].use, FrameUse::kdata);
  r.ok({{"op", "kfree"}, {"frame", 3}, {"slot", 1}});
  EXPECT_EQ(r.s.frames[3].use, FrameUse::free);
  EXPECT_NE(r.bad({{"op", "kfree"}, {"frame", 3}, {"slot", 1}}).find("not an allocated"),
            std::string::npos);
}

TEST(KernelMem, KfreeRefusedWhileGranted) {
  Harness r(cfg("linux-6.12"));
  r.ok({{"op", "kalloc"}, {"frame", 3}, {"slot", 0}});
  r.ok({{"op", "dma_map"},
        {"dev", "dsa0"},
        {"frame", 3},
        {"slot", 0},
        {"dir", "to_device"},
        {"iova", "iova:0"}});
  EXPECT_NE(r.bad({{"op", "kfree"}, {"frame", 3}, {"slot", 0}}).find("live grant"),
            std::string::npos);
}

TEST(KernelMem, VmallocNeedsTableFrameForNewGroup) {
  Harness r(cfg("linux-6.12"));
  EXPECT_NE(r.bad({{"op", "vmalloc"}, {"page", 0}, {"frame", 2}}).find("table_frame"),
            std::string::npos);
  r.ok({{"op", "vmalloc"}, {"page", 0}, {"frame", 2}, {"table_frame", 5}});
  EXPECT_EQ(r.s.frames[5].use, FrameUse::kpt);
  EXPECT_EQ(r.s.vgroup_table[0], 5);
  r.ok({{"op", "vmalloc"}, {"page", 1}, {"frame", 3}});  // same group: the table exists
  EXPECT_NE(r.bad({{"op", "vmalloc"}, {"page", 1}, {"frame", 4}}).find("already mapped"),
            std::string::npos);
  EXPECT_NE(r.bad({{"op", "kpt_free"}, {"addr", "vmalloc:0"}}).find("still maps"),
            std::string::npos);
  r.ok({{"op", "vfree"}, {"page", 0}});
  r.ok({{"op", "vfree"}, {"page", 1}});
  r.ok({{"op", "kpt_free"}, {"addr", "vmalloc:0"}});
  EXPECT_EQ(r.s.frames[5].use, FrameUse::free);
}

TEST(KernelMem, SetMemorySplitsLargeBlockAndNamesTable) {
  Harness r(cfg("linux-6.12"));
  EXPECT_NE(r.bad({{"op", "set_memory"}, {"addr", "direct:2"}, {"count", 1}, {"attr", "ro"}})
                .find("table_frame"),
            std::string::npos);
  EXPECT_NE(
      r.bad({{"op", "set_memory"}, {"addr", "direct:2"}, {"count", 1}, {"attr", "x"}}).find("NX"),
      std::string::npos);
  r.ok({{"op", "set_memory"},
        {"addr", "direct:2"},
        {"count", 1},
        {"attr", "ro"},
        {"table_frame", 6}});
  EXPECT_TRUE(r.s.blocks[1].split);
  EXPECT_EQ(r.s.blocks[1].table, 6);
  EXPECT_FALSE(r.s.direct[2].w);
  EXPECT_TRUE(r.s.direct[3].w);
  // A change of the whole block keeps it large: no table needed.
  r.ok({{"op", "set_memory"}, {"addr", "direct:4"}, {"count", 2}, {"attr", "ro"}});
  EXPECT_FALSE(r.s.blocks[2].split);
  // Collapse once uniform again.
  r.ok({{"op", "set_memory"}, {"addr", "direct:2"}, {"count", 1}, {"attr", "rw"}});
  r.ok({{"op", "kpt_free"}, {"addr", "direct:2"}});
  EXPECT_FALSE(r.s.blocks[1].split);
  EXPECT_EQ(r.s.frames[6].use, FrameUse::free);
}

// MODEL.md §8.4: ptfree flushes "the whole kernel range" of every PASID that walks the kernel
// table (iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL)); an SVA PASID's user
// entries stay (they are the mm notifier's). Found by `prove --validate` on revamp sva/trusted:
// the model used to drop them, kcore did not.
TEST(KernelMem, PtfreeFlushesTheKernelRangeNotUserEntries) {
  Harness r(cfg("revamp"));
  r.ok({{"op", "vmalloc"}, {"page", 0}, {"frame", 1}, {"table_frame", 0}});
  r.ok({{"op", "mm_create"}, {"mm", 0}});
  r.ok({{"op", "sva_bind"}, {"dev", "dsa0"}, {"mm", 0}, {"pasid", 1}});
  r.ok({{"op", "mm_map"}, {"mm", 0}, {"page", 0}, {"frame", 2}, {"w", false}});
  r.ok({{"op", "dma"},
        {"dev", "dsa0"},
        {"pasid", 1},
        {"priv", "user"},
        {"addr", "user:0"},
        {"access", "read"}});
  r.ok({{"op", "dma"},
        {"dev", "dsa0"},
        {"pasid", 1},
        {"priv", "supervisor"},
        {"addr", "vmalloc:0"},
        {"access", "read"}});
  auto spaces = [&] {
    std::multiset<Space> out;
    for (const auto& e : r.s.iotlb) out.insert(e.key.space);
    return out;
  };
  ASSERT_EQ(spaces().count(Space::user), 1u);
  r.ok({{"op", "vfree"}, {"page", 0}, {"alias_table_frame", 0}});
  r.ok({{"op", "kpt_free"}, {"addr", "vmalloc:0"}});
  EXPECT_EQ(spaces().count(Space::user), 1u);  // the user entry survives
  EXPECT_EQ(spaces().count(Space::vmalloc), 0u);
  EXPECT_TRUE(r.s.psc.empty());
}

TEST(KernelMem, CpaAliasKnobControlsDirectMapAlias) {
  for (const std::string alias : {"on", "off"}) {
    Harness r(cfg("linux-6.12", {{"cpa_alias", alias}}));
    r.ok({{"op", "vmalloc"}, {"page", 0}, {"frame", 2}, {"table_frame", 5}});
    r.ok({{"op", "set_memory"},
          {"addr", "vmalloc:0"},
          {"count", 1},
          {"attr", "rox"},
          {"alias_table_frame", 6}});
    EXPECT_FALSE(r.s.vmalloc[0].w);
    EXPECT_FALSE(r.s.vmalloc[0].nx);
    EXPECT_EQ(r.s.direct[2].w, alias == "off") << "cpa_alias=" << alias;
    EXPECT_EQ(r.s.blocks[1].split, alias == "on");
  }
}

TEST(KernelMem, VfreeResetsAliasAndFreesFrame) {
  Harness r(cfg("linux-6.12"));
  r.ok({{"op", "vmalloc"}, {"page", 0}, {"frame", 2}, {"table_frame", 5}});
  r.ok({{"op", "set_memory"},
        {"addr", "vmalloc:0"},
        {"count", 1},
        {"attr", "ro"},
        {"alias_table_frame", 6}});
  EXPECT_FALSE(r.s.direct[2].w);
  r.ok({{"op", "vfree"}, {"page", 0}});
  EXPECT_TRUE(r.s.direct[2].w);
  EXPECT_EQ(r.s.frames[2].use, FrameUse::free);
}

TEST(KernelMem, DebugPagealloc) {
  Harness plain(cfg("linux-6.12"));
  EXPECT_NE(plain.bad({{"op", "pagealloc_unmap"}, {"frame", 1}}).find("debug_pagealloc"),
            std::string::npos);
  Harness r(cfg("linux-6.12", {{"debug_pagealloc", "on"}}));
  EXPECT_FALSE(r.s.direct[1].present);          // free frames start unmapped
  EXPECT_EQ(r.s.frames[7].use, FrameUse::kpt);  // boot tables from the top
  EXPECT_NE(r.bad({{"op", "pagealloc_map"}, {"frame", 1}}).find("free"), std::string::npos);
  r.ok({{"op", "kalloc"}, {"frame", 1}, {"slot", 0}});
  r.ok({{"op", "pagealloc_map"}, {"frame", 1}});
  EXPECT_TRUE(r.s.direct[1].present);
  r.ok({{"op", "kfree"}, {"frame", 1}, {"slot", 0}});
  r.ok({{"op", "pagealloc_unmap"}, {"frame", 1}});
  EXPECT_FALSE(r.s.direct[1].present);
}

// The kernel page-table notifier invalidates exactly the kernel-table walkers it names.
TEST(Notifier, CpaEventDropsOnlyKernelWalkersAtThatPage) {
  for (const bool with_cpa : {true, false}) {
    Harness r(cfg("proposal-2021", {{"kpt_notifier", with_cpa ? json{"cpa"} : json::array()}}));
    r.ok({{"op", "pasid_enable"}, {"dev", "dsa0"}, {"pasid", 1}, {"mode", "kva"}});
    r.ok({{"op", "kalloc"}, {"frame", 0}, {"slot", 0}});
    r.ok({{"op", "dma_map"},
          {"dev", "dsa0"},
          {"frame", 0},
          {"slot", 0},
          {"dir", "to_device"},
          {"iova", "iova:0"}});
    r.ok({{"op", "dma"},
          {"dev", "dsa0"},
          {"pasid", 1},
          {"priv", "supervisor"},
          {"addr", "direct:2"},
          {"access", "read"}});
    r.ok({{"op", "dma"},
          {"dev", "dsa0"},
          {"pasid", 1},
          {"priv", "supervisor"},
          {"addr", "direct:4"},
          {"access", "read"}});
    r.ok({{"op", "dma"},
          {"dev", "dsa0"},
          {"pasid", nullptr},
          {"priv", "user"},
          {"addr", "iova:0"},
          {"access", "read"}});
    ASSERT_EQ(r.s.iotlb.size(), 3u);
    r.ok({{"op", "set_memory"},
          {"addr", "direct:2"},
          {"count", 1},
          {"attr", "ro"},
          {"table_frame", 6}});
    auto has = [&](Addr a) {
      return std::any_of(r.s.iotlb.begin(), r.s.iotlb.end(),
                         [&](const IotlbEntry& e) { return e.key == a; });
    };
    EXPECT_EQ(has(testing::A("direct:2")), !with_cpa);
    EXPECT_TRUE(has(testing::A("direct:4")));  // another block: untouched
    EXPECT_TRUE(has(testing::A("iova:0")));    // a DMA domain: never a kernel-table walker
  }
}

TEST(IommuApi, PasidEnableModesPerVariant) {
  struct Case {
    std::string preset, dev, mode;
    Result result;
    Submode submode;
  };
  const std::vector<Case> cases{
      {"legacy-2021", "tbt0", "iova", Result::ok, Submode::init_mm},
      {"proposal-2021", "dsa0", "kva", Result::ok, Submode::fast},
      {"proposal-2021", "tbt0", "kva", Result::ok, Submode::strict},
      {"proposal-2021", "tbt0", "bypass", Result::refused, Submode::none},
      {"proposal-2021", "dsa0", "bypass", Result::ok, Submode::bypass},
      {"linux-6.12", "dsa0", "kva", Result::refused, Submode::none},
      {"linux-6.12", "tbt0", "iova", Result::ok, Submode::iova},
      {"revamp-bypass-all", "tbt0", "bypass", Result::ok, Submode::bypass},
  };
  for (const auto& c : cases) {
    Harness r(cfg(c.preset));
    const Outcome o =
        r.ok({{"op", "pasid_enable"}, {"dev", c.dev}, {"pasid", 1}, {"mode", c.mode}});
    EXPECT_EQ(o.result, c.result) << c.preset << " " << c.dev << " " << c.mode;
    EXPECT_EQ(o.submode, c.submode) << c.preset << " " << c.dev << " " << c.mode;
    if (c.result == Result::refused) {
      EXPECT_EQ(r.s.pasids[1].kind, PasidOwner::Kind::free);
    }
  }
  Harness r(cfg("linux-6.12"));
  r.ok({{"op", "pasid_enable"}, {"dev", "dsa0"}, {"pasid", 1}, {"mode", "iova"}});
  EXPECT_NE(r.bad({{"op", "pasid_enable"}, {"dev", "tbt0"}, {"pasid", 1}, {"mode", "iova"}})
                .find("not free"),
            std::string::npos);
}

TEST(IommuApi, TrustPolicyWithSatc) {
  json devs = json::array({{{"name", "nic0"}, {"pasid_capable", true}, {"ats_capable", true}}});
  Harness strict(json{{"preset", "revamp"}, {"devices", devs}});
  Harness flag(json{{"preset", "revamp-trust-flag"}, {"devices", devs}});
  EXPECT_FALSE(strict.m.trusted(0));  // neither SATC nor RCIEP
  EXPECT_TRUE(flag.m.trusted(0));
  EXPECT_FALSE(strict.m.ats(0));
}

TEST(IommuApi, DmaMapBouncesSubPageForUntrusted) {
  Harness r(cfg("linux-6.12"));
  r.ok({{"op", "kalloc"}, {"frame", 3}, {"slot", 0}});
  EXPECT_NE(r.bad({{"op", "dma_map"},
                   {"dev", "tbt0"},
                   {"frame", 3},
                   {"slot", 0},
                   {"dir", "to_device"},
                   {"iova", "iova:0"}})
                .find("bounce_frame"),
            std::string::npos);
  const Outcome o = r.ok({{"op", "dma_map"},
                          {"dev", "tbt0"},
                          {"frame", 3},
                          {"slot", 0},
                          {"dir", "to_device"},
                          {"iova", "iova:0"},
                          {"bounce_frame", 4}});
  EXPECT_EQ(o.frame, 4);
  EXPECT_EQ(r.s.frames[4].use, FrameUse::bounce);
  r.ok({{"op", "dma_unmap"},
        {"dev", "tbt0"},
        {"iova", "iova:0"}});  // strict for untrusted: freed now
  EXPECT_EQ(r.s.frames[4].use, FrameUse::free);
}

TEST(IommuApi, LazyUnmapQueuesUntilFlush) {
  Harness r(cfg("linux-6.12"));
  r.ok({{"op", "kalloc"}, {"frame", 3}, {"slot", 0}});
  r.ok({{"op", "dma_map"},
        {"dev", "dsa0"},
        {"frame", 3},
        {"slot", 0},
        {"dir", "to_device"},
        {"iova", "iova:0"}});
  r.ok({{"op", "dma"},
        {"dev", "dsa0"},
        {"pasid", nullptr},
        {"priv", "user"},
        {"addr", "iova:0"},
        {"access", "read"}});
  r.ok({{"op", "dma_unmap"}, {"dev", "dsa0"}, {"iova", "iova:0"}});
  EXPECT_EQ(r.s.devices[0].iova[0].kind, IovaPage::Kind::queued);
  EXPECT_EQ(r.s.iotlb.size(), 1u);
  EXPECT_NE(r.bad({{"op", "dma_map"},
                   {"dev", "dsa0"},
                   {"frame", 3},
                   {"slot", 0},
                   {"dir", "to_device"},
                   {"iova", "iova:0"}})
                .find("in use"),
            std::string::npos);
  r.ok({{"op", "fq_flush"}, {"dev", "dsa0"}});
  EXPECT_TRUE(r.s.iotlb.empty());
  EXPECT_EQ(r.s.devices[0].iova[0].kind, IovaPage::Kind::free);
}

TEST(Device, FaultReasons) {
  Harness r(cfg("proposal-2021"));
  auto dma = [&](json pasid, std::string priv, std::string addr, std::string access) {
    return r.ok({{"op", "dma"},
                 {"dev", "dsa0"},
                 {"pasid", pasid},
                 {"priv", priv},
                 {"addr", addr},
                 {"access", access}});
  };
  EXPECT_EQ(dma(1, "user", "iova:0", "read").fault, FaultReason::not_present);  // no entry
  r.ok({{"op", "pasid_enable"}, {"dev", "dsa0"}, {"pasid", 1}, {"mode", "iova"}});
  EXPECT_EQ(dma(1, "supervisor", "iova:0", "read").fault, FaultReason::sre_clear);
  EXPECT_EQ(dma(1, "user", "direct:0", "read").fault, FaultReason::no_translation);
  EXPECT_EQ(dma(1, "user", "iova:0", "read").fault, FaultReason::not_present);
  r.ok({{"op", "pasid_enable"}, {"dev", "dsa0"}, {"pasid", 2}, {"mode", "kva"}});
  // Before any walk caches the block: proposal-2021 has no notifier, so a later change would be
  // invisible to a cached large leaf (that is scenario 5, not this test).
  r.ok({{"op", "set_memory"}, {"addr", "direct:0"}, {"count", 2}, {"attr", "ro"}});
  EXPECT_EQ(dma(2, "user", "direct:0", "read").fault, FaultReason::user_to_supervisor);
  EXPECT_EQ(dma(2, "supervisor", "direct:0", "write").fault, FaultReason::write_to_readonly);
  EXPECT_EQ(r.ok({{"op", "ats_translate"},
                  {"dev", "dsa0"},
                  {"pasid", 2},
                  {"priv", "supervisor"},
                  {"addr", "direct:1"},
                  {"access", "write"}})
                .fault,
            FaultReason::denied);
  EXPECT_EQ(r.ok({{"op", "ats_translate"},
                  {"dev", "tbt0"},
                  {"pasid", nullptr},
                  {"addr", "iova:0"},
                  {"access", "read"}})
                .fault,
            FaultReason::ats_disabled);
  EXPECT_NE(r.bad({{"op", "dma"},
                   {"dev", "dsa0"},
                   {"pasid", nullptr},
                   {"priv", "supervisor"},
                   {"addr", "iova:0"},
                   {"access", "read"}})
                .find("supervisor"),
            std::string::npos);
}

TEST(Device, WpeOffLetsSupervisorWriteReadOnly) {
  Harness r(cfg("revamp-no-wpe"));
  r.ok({{"op", "pasid_enable"}, {"dev", "dsa0"}, {"pasid", 1}, {"mode", "kva"}});
  r.ok({{"op", "set_memory"}, {"addr", "direct:0"}, {"count", 2}, {"attr", "ro"}});
  const Outcome o = r.ok({{"op", "dma"},
                          {"dev", "dsa0"},
                          {"pasid", 1},
                          {"priv", "supervisor"},
                          {"addr", "direct:0"},
                          {"access", "write"}});
  EXPECT_EQ(o.result, Result::ok);
}

TEST(Device, AtsFillsDeviceTlbAndTrustedTranslatedUsesIt) {
  Harness r(cfg("linux-6.12"));
  r.ok({{"op", "kalloc"}, {"frame", 3}, {"slot", 0}});
  r.ok({{"op", "dma_map"},
        {"dev", "dsa0"},
        {"frame", 3},
        {"slot", 0},
        {"dir", "to_device"},
        {"iova", "iova:1"}});
  EXPECT_NE(r.bad({{"op", "dma_translated"},
                   {"dev", "dsa0"},
                   {"pasid", nullptr},
                   {"frame", 3},
                   {"access", "read"}})
                .find("device TLB"),
            std::string::npos);
  r.ok({{"op", "ats_translate"},
        {"dev", "dsa0"},
        {"pasid", nullptr},
        {"addr", "iova:1"},
        {"access", "read"}});
  EXPECT_EQ(r.s.devtlb.size(), 1u);
  EXPECT_EQ(r.ok({{"op", "dma_translated"},
                  {"dev", "dsa0"},
                  {"pasid", nullptr},
                  {"frame", 3},
                  {"access", "read"}})
                .via,
            Via::devtlb);
  r.ok({{"op", "cache_evict"},
        {"entry", {{"cache", "devtlb"}, {"dev", "dsa0"}, {"pasid", nullptr}, {"addr", "iova:1"}}}});
  EXPECT_TRUE(r.s.devtlb.empty());
  EXPECT_NE(r.bad({{"op", "cache_evict"},
                   {"entry", {{"cache", "devtlb"}, {"dev", "dsa0"}, {"addr", "iova:1"}}}})
                .find("no such"),
            std::string::npos);
}

TEST(UserMm, SvaBindPageRequestAndFaultHandling) {
  Harness r(cfg("linux-6.12"));
  r.ok({{"op", "mm_create"}, {"mm", 0}});
  r.ok({{"op", "mm_mmap"}, {"mm", 0}, {"page", 1}, {"prot", "r"}});
  EXPECT_EQ(r.ok({{"op", "sva_bind"}, {"dev", "tbt0"}, {"mm", 0}}).result,
            Result::refused);  // no ATS
  EXPECT_EQ(r.ok({{"op", "sva_bind"}, {"dev", "dsa0"}, {"mm", 0}}).pasid, 1);
  const Outcome prq = r.ok({{"op", "dma"},
                            {"dev", "dsa0"},
                            {"pasid", 1},
                            {"priv", "user"},
                            {"addr", "user:1"},
                            {"access", "write"}});
  EXPECT_EQ(prq.result, Result::prq);
  EXPECT_EQ(r.ok({{"op", "iopf_handle"}, {"dev", "dsa0"}, {"pasid", 1}, {"group", 0}, {"frame", 3}})
                .fault,
            FaultReason::invalid);
  r.ok({{"op", "dma"},
        {"dev", "dsa0"},
        {"pasid", 1},
        {"priv", "user"},
        {"addr", "user:1"},
        {"access", "read"}});
  const Outcome ok =
      r.ok({{"op", "iopf_handle"}, {"dev", "dsa0"}, {"pasid", 1}, {"group", 0}, {"frame", 3}});
  EXPECT_EQ(ok.result, Result::ok);
  EXPECT_EQ(r.s.frames[3].use, FrameUse::user);
  r.ok({{"op", "device_quiesce"}, {"dev", "dsa0"}, {"pasid", 1}});
  EXPECT_EQ(r.ok({{"op", "dma"},
                  {"dev", "dsa0"},
                  {"pasid", 1},
                  {"priv", "user"},
                  {"addr", "user:0"},
                  {"access", "read"}})
                .fault,
            FaultReason::not_present);
  EXPECT_NE(r.bad({{"op", "mm_drop"}, {"mm", 0}}).find("mm_exit"), std::string::npos);
  r.ok({{"op", "mm_exit"}, {"mm", 0}});
  EXPECT_EQ(r.s.frames[3].use, FrameUse::free);
  EXPECT_TRUE(r.s.devices[0].entries[1].fpd);
  EXPECT_NE(r.bad({{"op", "mm_drop"}, {"mm", 0}}).find("bound"), std::string::npos);
  r.ok({{"op", "sva_unbind"}, {"dev", "dsa0"}, {"pasid", 1}});
  r.ok({{"op", "mm_drop"}, {"mm", 0}});
  EXPECT_EQ(r.s.pasids[1].kind, PasidOwner::Kind::free);
}

TEST(UserMm, SvaNotifierKnob) {
  for (const std::string on : {"on", "off"}) {
    Harness r(cfg("linux-6.12", {{"sva_notifier", on}}));
    r.ok({{"op", "mm_create"}, {"mm", 0}});
    r.ok({{"op", "mm_map"}, {"mm", 0}, {"page", 0}, {"frame", 3}, {"w", true}});
    r.ok({{"op", "sva_bind"}, {"dev", "dsa0"}, {"mm", 0}});
    r.ok({{"op", "dma"},
          {"dev", "dsa0"},
          {"pasid", 1},
          {"priv", "user"},
          {"addr", "user:0"},
          {"access", "write"}});
    r.ok({{"op", "mm_protect"}, {"mm", 0}, {"page", 0}, {"w", false}});
    EXPECT_EQ(r.s.iotlb.empty(), on == "on");
  }
}

TEST(Teardown, OrdersPerKnob) {
  for (const std::string preset : {"revamp", "revamp-no-devtlb", "revamp-free-first"}) {
    Harness r(cfg(preset));
    r.ok({{"op", "kalloc"}, {"frame", 3}, {"slot", 0}});
    r.ok({{"op", "pasid_enable"}, {"dev", "dsa0"}, {"pasid", 1}, {"mode", "iova"}});
    r.ok({{"op", "dma_map"},
          {"dev", "dsa0"},
          {"frame", 3},
          {"slot", 0},
          {"dir", "to_device"},
          {"iova", "iova:0"}});
    r.ok({{"op", "ats_translate"},
          {"dev", "dsa0"},
          {"pasid", 1},
          {"addr", "iova:0"},
          {"access", "read"}});
    r.ok({{"op", "pasid_disable"}, {"dev", "dsa0"}, {"pasid", 1}});
    EXPECT_EQ(r.s.pasids[1].kind, PasidOwner::Kind::free) << preset;
    EXPECT_EQ(r.s.devtlb.empty(), preset == "revamp") << preset;
    EXPECT_EQ(r.s.pasid_cache.empty(), preset != "revamp-free-first") << preset;
  }
}

}  // namespace
}  // namespace pasidcheck
