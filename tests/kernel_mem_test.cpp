// Unit tests of kernel memory (model/kernel_mem.cpp) and the kernel page-table notifier: happy
// paths, each precondition failure, fault reasons, knob effects.
#include <gtest/gtest.h>

#include <set>

#include "model/translate.h"
#include "tests/model_harness.h"

namespace pasidcheck {
namespace {

using namespace model;
using nlohmann::json;
using testing::cfg;
using testing::Harness;

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

}  // namespace
}  // namespace pasidcheck
