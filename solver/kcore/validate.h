// kcore checked exhaustively against the executable model (`prove --engine kcore-bfs --validate`,
// docs/engines.md "Exhaustive validation"): the explicit engine explores every reachable state of
// the executable model on kcore's alphabet for a row and, on every state and every input, compares
//   - the executable model's successor (or refusal) with kcore's transition from the state's
//     projection, projected;
//   - every property's verdict with kcore's on the projection.
// By induction from boot, when the exploration is exhausted without a mismatch, kcore's
// reachable states are exactly the projections of the model's, with the same verdicts: a
// kcore-bfs proof is a proof about the executable model at kcore's bounds.
// The default size compares the compiled transition (kcore-bfs's); other sizes (--kcore-slots 2)
// the symbolic one evaluated on concrete values (the Z3 engines').
#pragma once

#include <optional>
#include <string>

#include "model/trace.h"

namespace pasidcheck::solver::kcore {

struct ValidateOptions {
  std::string row;  // as variant_of(); empty: every device, every kernel mode
  long long max_states = 2000000;
  double timeout = 60;  // seconds
  // The executable model explored, when not kcore_config itself: a mutant (another knob
  // setting, i.e. another transition rule) that the validation must catch (tests).
  std::optional<model::Config> model_config;
};

struct ValidateResult {
  long long states = 0;        // executable-model states explored
  long long kcore_states = 0;  // their distinct projections
  long long transitions = 0;   // (state, input) pairs compared
  long long verdicts = 0;      // (state, property) verdicts compared
  bool exhausted = false;      // every reachable state compared
  bool time_capped = false, interrupted = false;
  double seconds = 0;
  std::string evaluator;                // "compiled" or "symbolic"
  std::optional<std::string> mismatch;  // the first disagreement, in words
  std::optional<model::Trace> at;       // ... and the ops that reach its state
};

// `kcore_config` is kcore::make_config(variant, size). Throws model::InputError for a row
// variant_of() refuses.
ValidateResult validate(const model::Config& kcore_config, const ValidateOptions& opt);

}  // namespace pasidcheck::solver::kcore
