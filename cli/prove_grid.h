// A kcore run's outputs: the text lines, markdown, the summary, `--report FILE` (JSON, one object
// per cell) and `prove --format grid`: a kcore sweep condensed to one line per variant and one
// column per property, the form docs/results.md pastes (a cell names the rows that fail and how
// short their counterexamples are).
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

// A cell's verdict as the text and markdown forms print it: "violated, 3 steps", "holds all
// depths", "holds to depth 5", "unknown (why)".
std::string verdict_cell(const solver::EngineResult& r);
// `--format text`: one line per engine answer (with the invariant unless several variants run).
void print_prove_line(std::ostream& o, const ProveRow& row, bool several_variants);
// Markdown and grid: one progress line per cell (to stderr), "[done/cells] ...".
void print_prove_progress(std::ostream& o, const std::vector<ProveRow>& cell, std::size_t done,
                          std::size_t cells);
void print_prove_markdown(std::ostream& o, const std::vector<ProveRow>& rows);
// After a SIGINT/SIGTERM: how many cells are complete.
void print_prove_incomplete(std::ostream& o, const std::vector<ProveRow>& rows, std::size_t engines,
                            std::size_t cells);
// One line per engine, to paste under the table.
void print_prove_summary(std::ostream& o, const std::vector<ProveRow>& rows,
                         const std::vector<std::string>& engines, std::size_t cells,
                         bool blank_line_first);

// `--report FILE`: the cells as JSON, written atomically.
void write_prove_report(const std::vector<ProveRow>& rows, const std::string& file);

}  // namespace pasidcheck::cli
