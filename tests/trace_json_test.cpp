// Trace JSON: strict parsing with file/path/reason errors, and load -> save -> load round trips.
#include <gtest/gtest.h>

#include <filesystem>

#include "model/trace.h"
#include "tests/test_util.h"

namespace pasidcheck {
namespace {

using namespace model;
using nlohmann::json;

json base() {
  return json::parse(R"({"format": "pasidcheck-trace", "version": 1,
    "config": {"preset": "linux-6.12"},
    "steps": [{"op": "kalloc", "frame": 3, "slot": 0}]})");
}

// Parsing must fail with exactly this JSON path in the error.
void expect_error(const json& j, const std::string& path, const std::string& reason_part) {
  try {
    parse_trace(j, "bad.json");
    FAIL() << "accepted: " << j.dump();
  } catch (const TraceError& e) {
    EXPECT_EQ(e.file(), "bad.json");
    EXPECT_EQ(e.path(), path) << e.what();
    EXPECT_NE(e.reason().find(reason_part), std::string::npos) << e.what();
  }
}

TEST(TraceJson, RejectsMalformedInput) {
  json j = base();
  j["steps"][0]["colour"] = 1;
  expect_error(j, "steps[0].colour", "unknown field");
  j = base();
  j["steps"][0]["op"] = "kmalloc";
  expect_error(j, "steps[0].op", "unknown op");
  j = base();
  j["steps"][0]["frame"] = 8;
  expect_error(j, "steps[0].frame", "out of range");
  j = base();
  j["steps"][0] = {{"op", "dma"},    {"dev", "gpu9"},    {"pasid", 1},
                   {"priv", "user"}, {"addr", "iova:0"}, {"access", "read"}};
  expect_error(j, "steps[0].dev", "unknown device");
  j["steps"][0]["dev"] = "dsa0";
  j["steps"][0]["pasid"] = 0;
  expect_error(j, "steps[0].pasid", "RID_PASID");
  j["steps"][0]["pasid"] = 1;
  j["steps"][0]["addr"] = "iova:9";
  expect_error(j, "steps[0].addr", "outside");
  j["steps"][0]["addr"] = "heap:0";
  expect_error(j, "steps[0].addr", "not an address");
  j = base();
  j["config"]["knobs"] = {{"wpe", true}};
  expect_error(j, "config.knobs.wpe", "booleans are rejected");
  j["config"]["knobs"] = {{"teleport", "on"}};
  expect_error(j, "config.knobs.teleport", "unknown knob");
  j["config"]["knobs"] = {{"iova_flush", "sometimes"}};
  expect_error(j, "config.knobs.iova_flush", "bad value");
  j = base();
  j["config"]["preset"] = "linux-7";
  expect_error(j, "config.preset", "unknown preset");
  j = base();
  j["config"]["bounds"] = {{"frames", 0}};
  expect_error(j, "config", "frames");
  j["config"]["bounds"] = {{"frames", 2147483647}};
  expect_error(j, "config.bounds.frames", "out of range");
  j = base();
  j["config"]["devices"] = json::array({{{"name", "a"}}, {{"name", "a"}}});
  expect_error(j, "config", "duplicate");
  j = base();
  j["steps"][0].erase("slot");
  expect_error(j, "steps[0].slot", "required");
  j = base();
  j["expect"] = {{"verdict", "violated"}, {"property", "no-wx-dma"}};
  expect_error(j, "expect", "needs property and step");
  j = base();
  j["version"] = 2;
  expect_error(j, "version", "must be 1");
}

TEST(TraceJson, RoundTripOfEveryCorpusTrace) {
  int n = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(PASIDCHECK_SOURCE_DIR "/corpora")) {
    if (entry.path().extension() != ".json") continue;
    const Trace a = load_trace(entry.path().string());
    const json saved = trace_to_json(a);
    const Trace b = parse_trace(saved, "saved");
    EXPECT_EQ(a.steps, b.steps) << entry.path();
    EXPECT_EQ(a.expect, b.expect) << entry.path();
    EXPECT_TRUE(a.config.knobs == b.config.knobs) << entry.path();
    EXPECT_TRUE(a.config.bounds == b.config.bounds) << entry.path();
    EXPECT_EQ(a.config.devices, b.config.devices) << entry.path();
    EXPECT_EQ(saved, trace_to_json(b)) << entry.path();
    ++n;
  }
  EXPECT_GT(n, 40);
}

}  // namespace
}  // namespace pasidcheck
