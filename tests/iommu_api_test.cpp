// Unit tests of the driver-facing IOMMU API (model/iommu_api.cpp) and PASID teardown: happy paths,
// each precondition failure, fault reasons, knob effects.
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
