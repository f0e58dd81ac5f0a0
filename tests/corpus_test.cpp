// Every trace in corpora/ states its own expectation; this replays them all (STYLE.md §9), and
// checks that each property has a holds/violated pair and each SCENARIOS.md entry a mitigated twin.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "model/trace.h"
#include "properties/replay.h"

namespace pasidcheck {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(PASIDCHECK_SOURCE_DIR "/corpora"))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Corpus, EveryTraceMeetsItsExpectation) {
  for (const auto& p : corpus()) {
    const model::Trace t = model::load_trace(p.string());
    ASSERT_TRUE(t.expect.has_value()) << p << " has no top-level expect";
    const auto r = properties::replay(t);
    EXPECT_FALSE(r.bad_input.has_value()) << p << ": " << r.bad_input.value_or("");
    for (const auto& f : r.failures) ADD_FAILURE() << p << ": " << f;
    for (const auto& s : r.steps)
      if (t.steps[s.index].expect) {
        EXPECT_FALSE(s.expect_mismatch.has_value()) << p << " step " << s.index;
      }
  }
}

TEST(Corpus, EveryPropertyHasAHoldsAndAViolatedTrace) {
  std::map<std::string, std::set<std::string>> verdicts;
  for (const auto& p : corpus()) {
    const model::Trace t = model::load_trace(p.string());
    if (t.expect->verdict == "violated")
      verdicts[t.expect->property].insert("violated");
    else if (p.parent_path().parent_path().filename() == "properties")
      verdicts[p.parent_path().filename().string()].insert("holds");
  }
  for (const auto& prop : properties::registry()) {
    EXPECT_TRUE(verdicts[prop.id].count("violated")) << prop.id << " has no violated trace";
    EXPECT_TRUE(verdicts[prop.id].count("holds"))
        << prop.id << " has no holds trace in corpora/properties/" << prop.id;
  }
}

TEST(Corpus, EveryScenarioHasAMitigatedTwin) {
  std::set<std::string> seen;
  for (const auto& p : corpus()) {
    if (p.parent_path().filename() != "scenarios") continue;
    const std::string stem = p.filename().string();
    if (stem.find(".mitigated.") == std::string::npos) continue;
    seen.insert(stem.substr(0, 2));
  }
  for (int i = 1; i <= 10; ++i) {
    char id[3];
    std::snprintf(id, sizeof id, "%02d", i);
    EXPECT_TRUE(seen.count(id)) << "scenario " << i << " has no mitigated twin";
  }
}

// Coverage: the corpus walks through every op at least once.
TEST(Corpus, EveryOpAppears) {
  std::set<model::OpKind> used;
  for (const auto& p : corpus())
    for (const auto& s : model::load_trace(p.string()).steps) used.insert(s.op.kind);
  for (const auto& spec : model::op_catalogue())
    EXPECT_TRUE(used.count(spec.kind)) << spec.name << " is never used";
}

}  // namespace
}  // namespace pasidcheck
