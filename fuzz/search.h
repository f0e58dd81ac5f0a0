// `pasidcheck check`: random stateful search for a property violation. Each run draws up to
// `max_steps` ops from the state they apply to (fuzz/op_gen.h, the generators of gen_op with a
// splitmix64 stream per run), applies them to the executable model directly and checks the
// properties after each one. A violating run is shrunk with RapidCheck's removeChunks, then by
// trace-level delta debugging. The result is a trace with its top-level expect that `replay`
// reproduces.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/trace.h"

namespace pasidcheck::fuzz {

struct SearchOptions {
  std::uint64_t seed = 1;
  int runs = 100000;                    // op sequences, at most
  int max_steps = 30;                   // longest op sequence
  double time_budget = 60;              // seconds
  std::vector<std::string> properties;  // empty: all
  std::string reproduce;                // "SEED/RUN" from an earlier run: that run alone
  model::OpFilter filter;               // restrict the ops (a verdict-table row)
  // Called after each batch of runs (for progress); may be empty.
  std::function<void(int runs, long long steps, double elapsed)> progress;
};

struct SearchResult {
  bool found = false;
  model::Trace trace;            // the shrunk counterexample, with expect
  int rc_length = 0;             // steps after RapidCheck shrinking, before delta debugging
  int runs = 0;                  // sequences tried
  long long steps = 0;           // ops applied during search (shrinking excluded)
  double elapsed = 0;            // seconds to find (or the budget spent)
  std::uint64_t batch_seed = 0;  // the seed of the run that failed
  std::string reproduce;         // "SEED/RUN": `check --reproduce` re-runs that run alone
};

// Throws model::InputError for an unknown property or a malformed `reproduce`.
SearchResult search(const model::Config& config, const SearchOptions& opt);

}  // namespace pasidcheck::fuzz
