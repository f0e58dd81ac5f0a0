// The `explicit` engine: breadth-first exploration of the executable model's reachable states for a
// bounded config (canonical state encoding, canonical allocation choices; see enumerate.h). Every
// property is checked on every new state; the first violation found for a property is a shortest
// one (BFS). A property never violated holds up to the deepest level explored completely, or for
// all depths when the reachable state space is exhausted.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "model/trace.h"

namespace pasidcheck::solver {

struct ExplicitOptions {
  int max_depth = 8;
  double time_budget = 10;  // seconds
  long long max_states = 2000000;
  // Stop (as for max_states: "holds up to depth d") when the states kept (keys, the search tree
  // and the frontier, estimated) would pass this many bytes. 0: half of physical memory.
  std::size_t max_memory = 0;
  std::vector<std::string> properties;  // empty: all
  model::OpFilter filter;
  // When set, every state tries exactly these ops (kcore's input alphabet) instead of
  // enumerate_ops with `filter`.
  std::optional<std::vector<model::Op>> alphabet;
  // When set, also count the distinct values of this key over the states explored (kcore: its
  // projection, to compare with a peer that models only those variables).
  std::function<std::string(const model::Model&, const model::State&)> count_key;
  // Differential validation (solver/kcore/validate.h), with `alphabet`: called on every new state,
  // and on every (state, alphabet[input]) pair with the op's result, applied or not, before
  // the successor is looked up. A state's inputs come in alphabet order, from input 0, before
  // the next state's. Returning false stops the exploration (stopped_at: the state).
  // Set either, and the exploration goes on while any property is open or until exhausted.
  std::function<bool(const model::Model&, const model::State&)> on_state;
  std::function<bool(const model::Model&, const model::State& from, std::size_t input, bool applied,
                     const model::State& to)>
      on_transition;
};

struct PropertyOutcome {
  bool violated = false;
  model::Trace trace;  // a shortest counterexample, with expect (when violated)
};

struct ExplicitResult {
  int depth_completed = 0;  // every state at this distance from boot was expanded
  bool exhausted = false;   // no new states: the bound covers every depth
  long long states = 0;
  long long counted_keys = 0;  // distinct count_key values (when count_key is set)
  long long transitions = 0;
  double seconds = 0;
  std::size_t bytes_per_state = 0;  // encoding size (the hashed key)
  std::size_t stored_bytes = 0;     // the visited-state set and the parent links, at the end
  bool memory_capped = false;       // stopped by max_memory
  bool time_capped = false;         // stopped by time_budget
  bool interrupted = false;         // stopped by stop_requested() (SIGINT/SIGTERM)
  std::map<std::string, PropertyOutcome> outcomes;  // per checked property id
  std::optional<model::Trace> stopped_at;  // a hook returned false: the ops to the state it saw
};

ExplicitResult explore(const model::Config& config, const ExplicitOptions& opt);

}  // namespace pasidcheck::solver
