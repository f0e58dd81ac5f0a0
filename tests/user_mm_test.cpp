// Unit tests of user mms and SVA (model/user_mm.cpp): happy paths, each precondition failure, fault
// reasons, knob effects.
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

}  // namespace
}  // namespace pasidcheck
