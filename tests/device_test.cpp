// Unit tests of device requests (model/device.cpp): happy paths, each precondition failure, fault
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

}  // namespace
}  // namespace pasidcheck
