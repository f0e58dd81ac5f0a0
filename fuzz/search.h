// `pasidcheck check`: RapidCheck stateful search (rc::state, one command per generated op) for a
// property violation, RapidCheck shrinking, then a trace-level delta-debugging pass. The result is
// a trace with its top-level expect that `replay` reproduces.
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
  int runs = 100000;                    // RapidCheck test cases (op sequences), at most
  int max_steps = 30;                   // longest op sequence
  double time_budget = 60;              // seconds
  std::vector<std::string> properties;  // empty: all
  std::string reproduce;                // a RapidCheck reproduce string from an earlier run
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
  std::uint64_t batch_seed = 0;  // seed of the batch that failed
  std::string reproduce;         // RapidCheck reproduce string (RC_PARAMS="reproduce=...")
  std::string rc_description;    // RapidCheck's report of the shrunk sequence
};

// Throws std::invalid_argument for an unknown property.
SearchResult search(const model::Config& config, const SearchOptions& opt);

}  // namespace pasidcheck::fuzz
