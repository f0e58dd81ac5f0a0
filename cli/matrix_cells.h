// How a verdict-table cell is decided from what each engine found on its row (cli/matrix.cpp runs
// them). The strongest claim wins, with one rule for determinism: a cell shows only what every
// machine would show. An engine cut short by the time cap (or a stop) could still have changed
// every cell it did not decide, so such a cell is "?" rather than a weaker claim.
//
// Precedence: a violation found by explicit (shortest, full model at the default bounds), then
// kcore-bfs (shortest at kcore bounds), then the random search (shrunk); else "holds": for all
// depths when explicit exhausted the row (default bounds) or kcore-bfs did (kcore bounds), else
// up to the depth explicit completed.
//
// kcore keeps both devices (dsa0, tbt0) and restricts only what the row's device enables, while a
// table row has that one device. A kcore witness is therefore moved to the row's own config (its
// device's ops renamed, the default bounds) and replayed there: when it still violates the
// property, the trace written is that full-model one. Else, when it names only the row's device
// and the property holds at kcore's boot, it stands at kcore's bounds (the other device stays
// idle). A witness that needs the other device (an untrusted device with ATS at boot, say) lies
// outside the row: the cell gets no proof and says why.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/matrix.h"
#include "model/trace.h"
#include "solver/engine.h"
#include "solver/explicit.h"

namespace pasidcheck::cli {

// What the engines found on one row.
struct RowRuns {
  bool explicit_ran = false;
  solver::ExplicitResult explicit_r;
  std::vector<solver::EngineResult> kcore;  // per property (registry order); empty: not run
  model::Config row_config;    // the row's own config (one device): kcore witnesses are moved to it
  model::Config kcore_config;  // the row's variant at kcore's bounds
  int kcore_device = 0;        // the row's device in kcore (dsa0 0, tbt0 1)
  // Per property kcore-bfs violated: its witness moved to the row's own config (attribute_kcore),
  // or nothing when it lies outside the row.
  std::map<std::string, std::optional<model::Trace>> kcore_on_row;
  std::string kcore_shared_with;  // the variant whose exploration this row reused
  std::string kcore_why;          // why kcore-bfs did not run on the row
  bool check_ran = false;
  bool check_capped = false;  // a search stopped by the time cap before its runs
  long long check_runs_total = 0;
  std::map<std::string, int> check_runs;  // per property: sequences searched while it was open
  std::map<std::string, model::Trace> check_found;
  double check_seconds = 0;
};

struct Decision {
  Cell cell;
  std::optional<model::Trace> witness;  // violated: the trace to write and replay
  std::string how;                      // violated: in words, for the trace's description
};

// Fills r.kcore_on_row from r.kcore (properties in registry order).
void attribute_kcore(RowRuns& r, const std::vector<std::string>& properties);
// `index` is the property's position in the registry (RowRuns::kcore's order).
bool violated_by_exploration(const RowRuns& r, const std::string& property, std::size_t index);
Decision decide(const RowRuns& r, const std::string& property, std::size_t index, bool interrupted);
RowEffort effort_of(const RowRuns& r);
MatrixBudgets budgets_of(const MatrixOptions& opt);

}  // namespace pasidcheck::cli
