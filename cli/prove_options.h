// The options of `pasidcheck prove` and their consistency rules, checked before any work starts:
// ranges the validators cannot express alone, engines named, outputs writable, and options the
// chosen engines would ignore (errors, not silent no-ops).
#pragma once

#include <string>
#include <vector>

#include "cli/config_args.h"
#include "solver/explicit.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::cli {

struct ProveOptions {
  VariantArgs variant;
  std::vector<std::string> engines{"explicit"};  // --engine a,b (CLI11 splits and checks)
  bool kcore = false;
  std::vector<std::string> variants;  // kcore runs over several presets / knock-outs
  std::vector<std::string> rows;      // kcore rows (mode/trust), or `all`
  solver::ExplicitOptions explicit_opt;
  bool check_proofs = false;
  bool validate = false;  // kcore against the executable model on every state (prove_validate.h)
  std::string format = "text";
  std::string report;
  std::string out = "out";
  int jobs = 1;
  long long max_memory_mib = 0;  // 0: half of physical memory
  int kcore_frames = solver::kcore::kFrames;
  int kcore_devices = solver::kcore::kDevices;
  int kcore_slots = 1;
  bool kcore_size_given = false;  // --kcore-frames, -devices or -slots implies a kcore run
};

// Is this a run of the explicit engine on the full model (not kcore)?
bool full_model_run(const ProveOptions& opt);
// Throws model::TraceError (exit 3) on an inconsistent option; sets derived fields.
void validate_prove_options(ProveOptions& opt);

}  // namespace pasidcheck::cli
