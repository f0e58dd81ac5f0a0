// `prove --validate`: kcore checked against the executable model on every reachable state of
// each (variant, row) before the engines run (solver/kcore/validate.h).
#pragma once

#include <string>
#include <vector>

#include "cli/prove_options.h"
#include "model/config.h"

namespace pasidcheck::cli {

// Prints one line per (variant, row); returns 0 when every row was exhausted without a
// mismatch, 2 when one was cut by --max-states or --timeout, 4 on a mismatch (the ops to the
// state written to OUT/validate-*.json).
int validate_kcore_rows(const ProveOptions& opt, const std::vector<model::Config>& kcore_configs,
                        const std::vector<std::string>& rows);

}  // namespace pasidcheck::cli
