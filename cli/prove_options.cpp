#include "cli/prove_options.h"

#include <algorithm>

#include "cli/commands.h"
#include "cli/gate.h"
#include "model/trace.h"

namespace pasidcheck::cli {

bool full_model_run(const ProveOptions& opt) {
  return opt.engines == std::vector<std::string>{"explicit"} && !opt.kcore &&
         opt.variants.empty() && !opt.kcore_size_given && opt.rows.empty();
}

void validate_prove_options(ProveOptions& opt) {
  if (opt.format != "text" && opt.format != "markdown" && opt.format != "grid")
    throw model::TraceError("command line", "--format", "text, markdown or grid");
  const auto& engines = opt.engines;
  if (engines.empty()) throw model::TraceError("command line", "--engine", "names no engine");
  if (opt.kcore_frames < solver::kcore::kMinFrames || opt.kcore_frames > solver::kcore::kMaxFrames)
    throw model::TraceError("command line", "--kcore-frames",
                            "kcore takes " + std::to_string(solver::kcore::kMinFrames) + ".." +
                                std::to_string(solver::kcore::kMaxFrames) + " frames, not " +
                                std::to_string(opt.kcore_frames));
  if (opt.kcore_devices < solver::kcore::kMinDevices ||
      opt.kcore_devices > solver::kcore::kMaxDevices)
    throw model::TraceError("command line", "--kcore-devices",
                            "kcore takes " + std::to_string(solver::kcore::kMinDevices) + ".." +
                                std::to_string(solver::kcore::kMaxDevices) + " devices, not " +
                                std::to_string(opt.kcore_devices));
  if (opt.kcore_slots < solver::kcore::kMinSlots || opt.kcore_slots > solver::kcore::kMaxSlots)
    throw model::TraceError("command line", "--kcore-slots",
                            "kcore takes " + std::to_string(solver::kcore::kMinSlots) + ".." +
                                std::to_string(solver::kcore::kMaxSlots) +
                                " slots per frame, not " + std::to_string(opt.kcore_slots));
  opt.explicit_opt.max_memory = static_cast<std::size_t>(opt.max_memory_mib) << 20;
  check_output_dir(opt.out, "--out");
  check_output_file(opt.report, "--report");
  auto uses = [&engines](const std::string& e) {
    return std::find(engines.begin(), engines.end(), e) != engines.end() ||
           std::find(engines.begin(), engines.end(), "all") != engines.end();
  };
  if (opt.check_proofs && !uses("spacer"))
    throw model::TraceError("command line", "--check-proofs",
                            "re-checks Spacer's invariants: add spacer to --engine");
  if (opt.validate && full_model_run(opt))
    throw model::TraceError("command line", "--validate",
                            "checks kcore against the executable model: add --rows, --kcore or a "
                            "kcore engine");
  if (opt.jobs != 1 && !uses("kcore-bfs"))
    throw model::TraceError("command line", "--jobs", "applies to kcore-bfs only");
  const bool full = full_model_run(opt);
  if (!full && opt.max_memory_mib != 0 && !uses("explicit"))
    throw model::TraceError("command line", "--max-memory", "applies to the explicit engine only");
  if (full && !opt.report.empty())
    throw model::TraceError("command line", "--report",
                            "writes kcore rows: add --kcore, --rows or a kcore engine");
}

}  // namespace pasidcheck::cli
