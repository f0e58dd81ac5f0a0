// The design-space verdict table (MODEL.md §7): for each variant and each (mode, device trust) row,
// per property: holds (bound, engine), violated (shortest counterexample found, as a trace file),
// refused (the variant refuses that mode for that device), or unknown.
#pragma once

#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "model/trace.h"

namespace pasidcheck::cli {

// Every budget that decides a verdict is a count (states, depth, runs), so the same commit gives
// the same table on any machine and thread count; seconds are only a safety cap, and a cell an
// engine could still have changed when the cap cut it short is "?" (docs/user-guide.md).
struct MatrixOptions {
  std::vector<std::string> presets;    // empty: the five presets and every revamp knock-out
  long long explicit_states = 100000;  // explicit BFS of the full model: states per row
  int max_depth = 8;                   // ... and its deepest level
  long long kcore_states = 200000;     // kcore-bfs: states per row (0: no kcore proofs)
  // The design under evaluation gets a larger kcore-bfs budget: enough to exhaust every revamp
  // row (kva/trusted is the largest, 6.9M states).
  std::vector<std::string> focus = {"revamp"};
  long long focus_kcore_states = 8000000;
  int check_runs = 3000;  // random search: op sequences per search
  std::uint64_t seed = 1;
  double time_cap = 600;           // seconds per engine run on a row: a safety cap only
  std::string out = "out/matrix";  // counterexample folder
  int jobs = 2;                    // rows explored at once
  bool use_explicit = true;        // --engines explicit
  bool use_kcore = true;           // --engines kcore-bfs
  bool use_check = true;           // --engines check
  int shard = 1, shards = 1;       // --shard K/N: the rows whose index is K-1 modulo N
  std::function<void(int done, int total, double elapsed)> progress;
};

struct Cell {
  enum class Kind { holds, violated, refused, unknown } kind = Kind::unknown;
  int depth = 0;            // holds: full-model depth explored; violated: counterexample length
  bool all_depths = false;  // holds for all depths (proved)
  // holds: the engine that bounded it (explicit); violated: the one that found it (explicit,
  // kcore-bfs or check); all_depths: the proof ("kcore-bfs" at kcore bounds, or "explicit" when
  // the full model's row was exhausted at the default bounds).
  std::string engine;
  std::string trace_file;  // violated
  int runs = 0;            // holds: random op sequences that did not violate it
  // unknown: why ("time cap", "interrupted", ...); holds without a proof: why kcore-bfs gave
  // none (the variant or row kcore cannot express, or the state budget).
  std::string why;
};

// What each engine spent on a row, in counts (deterministic) and seconds (not: reports keep
// them apart from the verdicts).
struct RowEffort {
  long long explicit_states = 0, kcore_states = 0, check_runs = 0;
  double explicit_seconds = 0, kcore_seconds = 0, check_seconds = 0;
  std::string kcore;  // "exhausted", "bounded", "every property violated", or why it did not run
  // The variant whose kcore exploration this row reused (identical kcore rows); which one it is
  // depends on the rows run together (a shard), so it is provenance, not part of verdicts.json.
  std::string kcore_shared_with;
};

struct Row {
  std::string variant;
  std::string mode;         // bypass | iova | kva | sva
  std::string trust;        // trusted | untrusted
  std::string submode;      // what the variant gave (fast, strict, init_mm, ...) or "refused"
  std::vector<Cell> cells;  // one per property, registry order
  long long states = 0;     // explicit's states (= effort.explicit_states)
  RowEffort effort;
};

// The budgets a table was made with (merge refuses shards whose budgets differ).
struct MatrixBudgets {
  long long explicit_states = 0, kcore_states = 0, focus_kcore_states = 0;
  std::string focus;  // comma list
  int max_depth = 0, check_runs = 0;
  std::uint64_t seed = 0;
  std::string engines;
  bool operator==(const MatrixBudgets&) const = default;
};

struct Matrix {
  std::vector<std::string> properties;
  std::vector<Row> rows;
  double seconds = 0;
  bool incomplete = false;  // stopped by SIGINT/SIGTERM: cells not reached are "?"
  MatrixBudgets budgets;
  std::string shard;  // "K/N" for one part of a table, empty for a whole one
  // Provenance, for the reports: the command line, the commit built from, the UTC date.
  std::string command, commit, date;
};

// Throws model::InputError for an unknown preset in --presets or --focus (before any work).
void check_matrix_options(const MatrixOptions& opt);
Matrix run_matrix(const MatrixOptions& opt);

// Output formats.
std::string matrix_text(const Matrix& m, bool markdown);
// with_timings = false: the verdicts only (no seconds, command or date): byte-identical for the
// same commit and budgets on any machine (verdicts.json).
std::string matrix_json(const Matrix& m, bool with_timings = true);
std::string matrix_junit(const Matrix& m);
std::string matrix_summary(const Matrix& m);
// The inverse of matrix_json (cli/matrix_read.cpp), for `pasidcheck report`: throws
// model::TraceError naming `file` and the JSON path on a malformed table.
Matrix matrix_from_json(const std::string& text, const std::string& file);
// `matrix merge`: the shards' tables as one, in the canonical row order; throws
// model::InputError when they differ in properties or budgets, overlap, or miss rows.
Matrix merge_matrices(const std::vector<Matrix>& parts);
// The rows of the whole table for these presets, in order: (variant, mode, trust).
std::vector<std::tuple<std::string, std::string, std::string>> matrix_row_keys(
    const std::vector<std::string>& presets);
// &, <, > and " escaped, for XML (JUnit) and HTML text and attributes.
std::string xml_escape(const std::string& s);
// The verdict word of a cell ("holds", "violated", "refused", "unknown") and its short text mark.
std::string verdict(const Cell& c);
std::string cell_text(const Cell& c);
// What each mark claims, for the text and markdown tables.
std::string matrix_legend();

}  // namespace pasidcheck::cli
