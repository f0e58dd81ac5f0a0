// `pasidcheck import ftrace FILE`: a real kernel's recording as a model trace
// (cli/import_ftrace.h), with its conformance and the lazy-flush windows it shows.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/gate.h"
#include "cli/import_ftrace.h"

namespace pasidcheck::cli {

namespace {

struct ImportOptions {
  std::string file, mode, out, report;
  bool quiet = false;
};

nlohmann::json summary(const ImportResult& r, const std::string& file, const std::string& out) {
  int total = 0;
  for (const auto& [kind, n] : r.events) total += n;
  nlohmann::json departures = nlohmann::json::array();
  for (const auto& d : r.departures)
    departures.push_back({{"line", d.line}, {"op", d.op}, {"reason", d.reason}});
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& w : r.windows)
    windows.push_back({{"free_line", w.free_line},
                       {"flush_line", w.flush_line},
                       {"events", w.events_between},
                       {"microseconds", w.flush_line ? (w.flush_time - w.free_time) * 1e6 : -1}});
  const auto& e = *r.trace.expect;
  nlohmann::json j{{"format", "pasidcheck-import"},
                   {"recording", file},
                   {"trace", out},
                   {"mode", r.mode},
                   {"kernel", r.kernel},
                   {"cmdline", r.cmdline},
                   {"events", r.events},
                   {"events_total", total},
                   {"events_relevant", r.events_relevant},
                   {"events_explained", r.events_explained},
                   {"unrelated", r.unrelated},
                   {"not_expressed", r.not_expressed},
                   {"ops", r.ops},
                   {"steps", r.trace.steps.size()},
                   {"departures", departures},
                   {"freed_before_flush", windows},
                   {"verdict", e.verdict}};
  if (e.verdict == "violated") {
    j["property"] = e.property;
    j["step"] = e.step;
    j["step_line"] = e.step >= 0 ? r.step_lines.at(static_cast<std::size_t>(e.step)) : 0;
  }
  return j;
}

void print(const nlohmann::json& j, const ImportResult& r) {
  std::cout << "import: " << j["recording"].get<std::string>() << " (" << r.mode << ", " << r.kernel
            << ")\n  events:";
  for (const auto& [kind, n] : r.events) std::cout << " " << kind << " " << n;
  const int relevant = j["events_relevant"], explained = j["events_explained"];
  std::cout << "\n  " << r.ops << " ops, " << r.trace.steps.size() << " applied; " << explained
            << " of " << relevant << " DMA-related events explained ("
            << (relevant ? 100.0 * explained / relevant : 100.0) << "%)\n";
  for (const auto& [why, n] : r.unrelated) std::cout << "  unrelated: " << n << " " << why << "\n";
  for (const auto& [why, n] : r.not_expressed)
    std::cout << "  not expressed: " << n << " " << why << "\n";
  for (const auto& d : r.departures)
    std::cout << "  DEPARTURE line " << d.line << ": " << d.op << ": " << d.reason << "\n";
  const FreedBeforeFlush* longest = nullptr;
  for (const auto& w : r.windows)
    if (w.flush_line &&
        (!longest || w.flush_time - w.free_time > longest->flush_time - longest->free_time))
      longest = &w;
  std::cout << "  pages freed after their unmap and before the IOTLB invalidation: "
            << r.windows.size();
  if (longest)
    std::cout << " (longest: line " << longest->free_line << " to " << longest->flush_line << ", "
              << longest->events_between << " events, "
              << (longest->flush_time - longest->free_time) * 1e6 << " us)";
  std::cout << "\n  model verdict: " << j["verdict"].get<std::string>();
  if (j.contains("property"))
    std::cout << " (" << j["property"].get<std::string>() << " at step " << j["step"].get<int>()
              << ", recording line " << j["step_line"].get<int>() << ")";
  std::cout << "\n  trace: " << j["trace"].get<std::string>() << "\n";
}

int run_import(const ImportOptions& o) {
  const std::string out =
      o.out.empty() ? std::filesystem::path(o.file).replace_extension(".json").string() : o.out;
  if (std::filesystem::path(out) == std::filesystem::path(o.file))
    throw model::TraceError(o.file, "", "the output trace would overwrite the recording: give -o");
  check_output_file(out, "-o");
  check_output_file(o.report, "--report");
  const ImportResult r = import_ftrace(o.file, o.mode);
  write_file_atomic(out, model::trace_to_json(r.trace).dump(2) + "\n");
  const nlohmann::json j = summary(r, o.file, out);
  if (!o.report.empty()) write_file_atomic(o.report, j.dump(2) + "\n");
  if (!o.quiet) print(j, r);
  return r.departures.empty() ? 0 : 1;
}

}  // namespace

void add_import(CLI::App& app, OptionStore& store, int& rc) {
  auto& opt = store.make<ImportOptions>();
  auto* cmd = app.add_subcommand(
      "import",
      "Turn a recording of a real system into a trace of the model (docs/real-kernel.md)");
  cmd->require_subcommand(1);
  auto* ftrace = cmd->add_subcommand(
      "ftrace",
      "A Linux ftrace recording of iommu/map, iommu/unmap, intel_iommu/qi_submit and "
      "kmem/mm_page_{alloc,free} (bench/realkernel/record.sh) as a trace of linux-6.12's IOVA "
      "mode: maps and unmaps become dma_map/dma_unmap (with an assumed device read before each "
      "unmap), IOTLB invalidation descriptors (VT-d 6.5.2.3) become fq_flush or the strict "
      "unmap's own invalidation, page frees and allocations kfree/kalloc. Replays it and reports "
      "the events explained, every op the model refuses (a departure), and every page freed "
      "after its unmap and before the invalidation covering it (the no-dma-to-freed window).\n"
      "Exit: 0 imported, every op applied; 1 the model refused a real kernel sequence; 3 bad "
      "input.\nExample: bench/realkernel/record.sh lazy lazy.txt && pasidcheck import ftrace "
      "lazy.txt -o lazy.json && pasidcheck replay lazy.json");
  ftrace->add_option("file", opt.file, "the recording (raw ftrace text)")->required();
  ftrace
      ->add_option("--mode", opt.mode,
                   "strict or lazy IOTLB flushing (default: the recording's header)")
      ->check(CLI::IsMember({"strict", "lazy"}));
  ftrace->add_option("-o,--out", opt.out, "the trace to write (default: FILE with .json)");
  ftrace->add_option("--report", opt.report, "also write the summary as JSON");
  ftrace->add_flag("-q,--quiet", opt.quiet, "no summary on stdout");
  ftrace->callback([&rc, &opt] { rc = run_import(opt); });
}

}  // namespace pasidcheck::cli
