// The design-space verdict table (MODEL.md §7): for each variant and each (mode, device trust) row,
// per property: holds (bound, engine), violated (shortest counterexample found, as a trace file),
// refused (the variant refuses that mode for that device), or unknown.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/trace.h"

namespace pasidcheck::cli {

struct MatrixOptions {
  std::vector<std::string> presets;  // empty: the five presets and every revamp knock-out
  double explicit_budget = 1.0;      // seconds of exhaustive exploration per row
  double check_budget = 1.5;         // seconds of random search per row, for what BFS left open
  int max_depth = 8;
  std::uint64_t seed = 1;
  std::string out = "out/matrix";  // counterexample folder
  int jobs = 2;                    // threads for the explicit engine
  bool use_explicit = true;        // --engines explicit
  bool use_check = true;           // --engines check
  std::function<void(int done, int total, double elapsed)> progress;
};

struct Cell {
  enum class Kind { holds, violated, refused, unknown } kind = Kind::unknown;
  int depth = 0;            // holds: explored depth; violated: counterexample length
  bool all_depths = false;  // holds for all depths (state space exhausted)
  std::string engine;       // explicit | check
  std::string trace_file;   // violated
};

struct Row {
  std::string variant;
  std::string mode;         // bypass | iova | kva | sva
  std::string trust;        // trusted | untrusted
  std::string submode;      // what the variant gave (fast, strict, init_mm, ...) or "refused"
  std::vector<Cell> cells;  // one per property, registry order
  long long states = 0;
  double seconds = 0;
};

struct Matrix {
  std::vector<std::string> properties;
  std::vector<Row> rows;
  double seconds = 0;
  bool incomplete = false;  // stopped by SIGINT/SIGTERM: cells not reached are "?"
  // Provenance, for the reports: the command line, the commit built from, the UTC date.
  std::string command, commit, date;
};

Matrix run_matrix(const MatrixOptions& opt);

// Output formats.
std::string matrix_text(const Matrix& m, bool markdown);
std::string matrix_json(const Matrix& m);
std::string matrix_junit(const Matrix& m);
std::string matrix_summary(const Matrix& m);
// The inverse of matrix_json (cli/matrix_read.cpp), for `pasidcheck report`: throws
// model::TraceError naming `file` and the JSON path on a malformed table.
Matrix matrix_from_json(const std::string& text, const std::string& file);
// &, <, > and " escaped, for XML (JUnit) and HTML text and attributes.
std::string xml_escape(const std::string& s);
// The verdict word of a cell ("holds", "violated", "refused", "unknown") and its short text mark.
std::string verdict(const Cell& c);
std::string cell_text(const Cell& c);

}  // namespace pasidcheck::cli
