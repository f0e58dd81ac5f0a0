// `pasidcheck import ftrace` (cli/import_ftrace.h) on the committed real-kernel recordings
// (corpora/real/, bench/realkernel/record.sh): every DMA-related event is explained and applies,
// strict mode shows no freed-before-flush page and holds, lazy mode's windows and the model's
// no-dma-to-freed verdict agree, and the import is what corpora/real/*.json holds. Malformed
// recordings are bad input naming the line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/import_ftrace.h"
#include "model/trace.h"

namespace pasidcheck {
namespace {

const std::string kReal = PASIDCHECK_SOURCE_DIR "/corpora/real/";

TEST(ImportFtrace, StrictRecordingConformsAndHolds) {
  const auto r = cli::import_ftrace(kReal + "strict.txt", "");
  EXPECT_EQ(r.mode, "strict");
  EXPECT_TRUE(r.departures.empty()) << r.departures.front().reason;
  EXPECT_GT(r.events.at("map"), 0);
  EXPECT_EQ(r.events.at("qi_submit"), r.events.at("unmap"));  // one invalidation per unmap
  EXPECT_EQ(r.events_explained, r.events_relevant);
  EXPECT_TRUE(r.not_expressed.empty());
  EXPECT_TRUE(r.windows.empty());
  ASSERT_TRUE(r.trace.expect.has_value());
  EXPECT_EQ(r.trace.expect->verdict, "holds");
}

TEST(ImportFtrace, LazyRecordingShowsTheWindowTheModelFlags) {
  const auto r = cli::import_ftrace(kReal + "lazy.txt", "");
  EXPECT_EQ(r.mode, "lazy");
  EXPECT_TRUE(r.departures.empty());
  EXPECT_EQ(r.events_explained, r.events_relevant);
  ASSERT_TRUE(r.trace.expect.has_value());
  // A page freed while its IOVA waits in the flush queue is what no-dma-to-freed judges.
  ASSERT_FALSE(r.windows.empty());
  EXPECT_EQ(r.trace.expect->verdict, "violated");
  EXPECT_EQ(r.trace.expect->property, "no-dma-to-freed");
  for (const auto& w : r.windows) {
    EXPECT_GT(w.flush_line, w.free_line);
    EXPECT_GE(w.flush_time, w.free_time);
  }
  // The same recording read as strict: the unmaps invalidate at once, nothing is flagged.
  const auto strict = cli::import_ftrace(kReal + "lazy.txt", "strict");
  EXPECT_EQ(strict.trace.expect->verdict, "holds");
}

TEST(ImportFtrace, ImportIsTheCommittedTrace) {
  for (const std::string mode : {"strict", "lazy"}) {
    const auto r = cli::import_ftrace(kReal + mode + ".txt", "");
    const auto committed = model::load_trace(kReal + mode + ".json");
    EXPECT_EQ(model::trace_to_json(r.trace), model::trace_to_json(committed)) << mode;
  }
}

std::string write(const std::string& name, const std::string& text) {
  const auto path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(ImportFtrace, MalformedRecordingsAreBadInputNamingTheLine) {
  const std::string head = "# pasidcheck recording: mode lazy\n";
  const std::string map =
      "  kworker-37 [000] d..1. 2.252272: map: IOMMU: iova=0x00000000ffff3000 - "
      "0x00000000ffff4000 paddr=0x000000001b810000 size=4096\n";
  struct Case {
    std::string text, where, why;
  };
  for (const Case& c : std::vector<Case>{
           {head + map + "garbage\n", "line 3", "[CPU]"},
           {head + "  dd-1 [000] ..... x.y: map: IOMMU: iova=0x0\n", "line 2", "timestamp"},
           {head + "  dd-1 [000] ..... 1.0: map: IOMMU: paddr=0x1000 size=4096\n", "line 2",
            "no iova="},
           {head + "  dd-1 [000] ..... 1.0: map: IOMMU: iova=0x1800 paddr=0x1000 size=4096\n",
            "line 2", "4 KiB"},
           {head + map + "  dd-1 [000] ..... 2.3: qi_submit: iotlb_inv dmar0: 0xzz 0x0 0 0\n",
            "line 3", "hexadecimal"},
           {head, "", "no ftrace events"},
           {map, "", "names no mode"}}) {
    const auto file = write("pasidcheck-import-bad.txt", c.text);
    try {
      (void)cli::import_ftrace(file, "");
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const model::TraceError& e) {
      EXPECT_EQ(e.path(), c.where) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.why), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace pasidcheck
