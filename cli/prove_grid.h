// A kcore run's outputs besides the text lines: `--report FILE` (JSON, one object per cell) and
// `prove --format grid`: a kcore sweep condensed to one line per variant and one column per
// property, the form docs/results.md pastes (a cell names the rows that fail and how short their
// counterexamples are).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "solver/engine.h"

namespace pasidcheck::cli {

// One engine's answer for one (variant, row, property) cell of a kcore run.
struct ProveRow {
  std::string variant, row, property;
  solver::EngineResult r;
  std::string file;                        // the counterexample trace written, if any
  int frames = 0, devices = 0, slots = 1;  // kcore's size (prove --kcore-frames, -devices, -slots)
  bool interrupted = false;  // a stop (SIGINT/SIGTERM) came while it ran: it may be cut short
};

// Every (variant, row) pair's engines merged (they agree, or prove exits 4 first): a violation
// with its shortest length, else a proof, else the deepest bound reached, else unknown. A grid
// cell is `proved` when every row is; `**X** bT3, kU4` lists the violated rows (b/i/k/s =
// bypass/iova/kva/sva, T/U/B = trusted/untrusted/both, `*` = no row) with their shortest
// lengths; `ok; r rows to dK` or `; r to dK` counts rows that hold only to a bound (the
// shallowest, K); `r unknown` counts rows no engine decided.
void print_grid(std::ostream& o, const std::vector<ProveRow>& rows,
                const std::vector<std::string>& properties);

// `--report FILE`: the cells as JSON, written atomically.
void write_prove_report(const std::vector<ProveRow>& rows, const std::string& file);

}  // namespace pasidcheck::cli
