#include "cli/prove_validate.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cli/gate.h"
#include "model/stop.h"
#include "solver/kcore/validate.h"

namespace pasidcheck::cli {

int validate_kcore_rows(const ProveOptions& opt, const std::vector<model::Config>& kcore_configs,
                        const std::vector<std::string>& rows) {
  int rc = 0;
  for (const auto& c : kcore_configs)
    for (const auto& row : rows) {
      if (stop_requested()) return worse_exit(rc, 2);
      const solver::kcore::ValidateResult v = solver::kcore::validate(
          c, {row, opt.explicit_opt.max_states, opt.explicit_opt.time_budget, std::nullopt});
      const std::string name = row.empty() ? "any" : row;
      std::cout << "validate " << c.preset << " " << name << ": ";
      if (v.mismatch) {
        std::string file;
        if (v.at) {
          std::string r = name;
          std::replace(r.begin(), r.end(), '/', '-');
          file = (std::filesystem::path(opt.out) / ("validate-" + c.preset + "-" + r + ".json"))
                     .string();
          std::filesystem::create_directories(opt.out);
          model::Trace t = *v.at;
          t.name = "validate-" + c.preset + "-" + r;
          t.description = "kcore and the executable model disagree after these ops: " + *v.mismatch;
          write_file_atomic(file, model::trace_to_json(t).dump(2) + "\n");
        }
        std::cout << "MISMATCH after " << v.states << " states: " << *v.mismatch
                  << (file.empty() ? "" : " (the state's ops: " + file + ")") << "\n";
        std::cerr << "pasidcheck: internal error: kcore departs from the executable model on "
                  << c.preset << " " << name << ": " << *v.mismatch << "\n";
        return 4;
      }
      std::cout << (v.exhausted ? "exhaustive" : "NOT exhausted") << ", " << v.states << " states ("
                << v.kcore_states << " distinct in kcore), " << v.transitions
                << " (state, input) pairs and " << v.verdicts
                << " property verdicts compared with kcore's " << v.evaluator
                << " transition, no mismatch [" << std::fixed << std::setprecision(2) << v.seconds
                << " s"
                << (v.time_capped   ? ", stopped by --timeout"
                    : v.interrupted ? ", interrupted"
                    : !v.exhausted  ? ", stopped by --max-states"
                                    : "")
                << "]\n";
      if (!v.exhausted) rc = worse_exit(rc, 2);
    }
  return rc;
}

}  // namespace pasidcheck::cli
