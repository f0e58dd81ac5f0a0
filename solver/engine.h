// The proof engines behind one interface (issue 5): check(problem) -> Holds | Violated{trace} |
// Unknown{reason}, created by one factory. `bmc`, `kind` and `spacer` use the Z3 encoding of kcore
// (solver/kcore/z3.h); `explicit` explores the executable model on the same kcore alphabet, and
// `kcore-bfs` explores kcore with the encoding's source compiled for concrete states
// (solver/kcore/concrete.h), so the five answer the same question and can be compared. Witnesses
// are raw traces: the caller annotates and replays them on the executable model before reporting
// (cli/prove_cmd.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/trace.h"

namespace pasidcheck::solver {

struct ProveProblem {
  model::Config config;       // the kcore config (kcore::make_config)
  std::string property;       // one of kcore::property_ids()
  int depth = 12;             // bmc: deepest unrolling; kind: largest k (explicit: until exhausted)
  double timeout = 60;        // seconds per engine run (Z3 `timeout` in ms where Z3 honours it)
  bool check_proofs = false;  // spacer: re-check the invariant with a fresh solver
  std::string row;            // kcore row ("kva/trusted", ...); empty: every device, every mode
  long long max_states = 2000000;  // explicit, kcore-bfs: stop after this many states
  int jobs = 1;                    // kcore-bfs: threads computing successors
};

enum class Verdict { holds, violated, unknown };

struct EngineResult {
  std::string engine;
  Verdict verdict = Verdict::unknown;
  bool all_depths = false;     // holds: for every depth (a proof), else up to `depth`
  int depth = 0;               // holds: bound reached or k that closed; violated: trace length
  long long states = 0;        // explicit: states explored
  long long kcore_states = 0;  // explicit: distinct kcore projections of them (kcore::project)
  double seconds = 0;
  std::optional<model::Trace> trace;  // violated: the witness (ops only)
  std::string invariant;              // spacer: the inductive invariant, readable
  std::optional<bool> proof_checked;  // spacer with check_proofs: did the fresh solver agree
  std::string reason;                 // unknown: why
  // Stopped by the `timeout` (not by max_states or depth): what it claims depends on the
  // machine's speed, so the verdict table shows such a cell as "?" (cli/matrix.cpp).
  bool time_capped = false;
  // explicit and kcore-bfs: the memory the visited states take at the end (the set of states,
  // its index, and each state's parent link), without the frontier.
  std::size_t stored_bytes = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual EngineResult check(const ProveProblem& p) = 0;
  // One result per property, as check() with p.property set to each would give. The default runs
  // check() per property; an explorer may answer them all from one exploration (kcore-bfs: the
  // results equal one run per property, except where the time or state budget stops it).
  virtual std::vector<EngineResult> check_properties(const ProveProblem& p,
                                                     const std::vector<std::string>& properties);
};

const std::vector<std::string>& engine_names();  // bmc, kind, spacer, explicit, kcore-bfs
std::unique_ptr<Engine> make_engine(const std::string& name);

std::string to_string(Verdict v);

// The Z3 library this build links (Z3_get_version), for `pasidcheck --version`.
std::string z3_version();

}  // namespace pasidcheck::solver
