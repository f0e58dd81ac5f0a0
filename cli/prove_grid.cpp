#include "cli/prove_grid.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <utility>

#include "cli/gate.h"

namespace pasidcheck::cli {

namespace {

// bypass/trusted -> bT, kva/both -> kB, the unrestricted row -> *.
std::string row_code(const std::string& row) {
  const auto slash = row.find('/');
  if (slash == std::string::npos || slash == 0) return "*";
  const std::string trust = row.substr(slash + 1);
  const char t = trust == "trusted" ? 'T' : trust == "untrusted" ? 'U' : 'B';
  return std::string(1, row[0]) + t;
}

// The engines' answers for one row, merged.
struct Merged {
  std::optional<int> violated;  // the shortest length
  bool proved = false;
  int bound = -1;  // deepest depth a bounded answer reached
};

}  // namespace

void print_grid(std::ostream& o, const std::vector<ProveRow>& rows,
                const std::vector<std::string>& properties) {
  std::vector<std::string> variants, row_order;
  std::map<std::pair<std::string, std::string>, std::map<std::string, Merged>> cells;
  for (const auto& r : rows) {
    if (std::find(variants.begin(), variants.end(), r.variant) == variants.end())
      variants.push_back(r.variant);
    if (std::find(row_order.begin(), row_order.end(), r.row) == row_order.end())
      row_order.push_back(r.row);
    Merged& m = cells[{r.variant, r.property}][r.row];
    if (r.r.verdict == solver::Verdict::violated)
      m.violated = std::min(m.violated.value_or(r.r.depth), r.r.depth);
    else if (r.r.verdict == solver::Verdict::holds && r.r.all_depths)
      m.proved = true;
    else if (r.r.verdict == solver::Verdict::holds)
      m.bound = std::max(m.bound, r.r.depth);
  }
  o << "| variant |";
  for (const auto& p : properties) o << " " << p << " |";
  o << "\n|---|";
  for (std::size_t i = 0; i < properties.size(); ++i) o << "---|";
  o << "\n";
  for (const auto& v : variants) {
    o << "| " << v << " |";
    for (const auto& p : properties) {
      std::string failing;
      int bounded = 0, unknown = 0, shallowest = -1;
      const auto& by_row = cells[{v, p}];
      for (const auto& row : row_order) {
        const auto it = by_row.find(row);
        if (it == by_row.end()) continue;
        const Merged& m = it->second;
        if (m.violated) {
          failing += (failing.empty() ? "" : ", ") + row_code(row) + std::to_string(*m.violated);
        } else if (!m.proved && m.bound >= 0) {
          ++bounded;
          shallowest = shallowest < 0 ? m.bound : std::min(shallowest, m.bound);
        } else if (!m.proved) {
          ++unknown;
        }
      }
      std::string text = failing.empty() ? "" : "**X** " + failing;
      if (bounded > 0)
        text +=
            (failing.empty() ? "ok; " + std::to_string(bounded) + (bounded == 1 ? " row" : " rows")
                             : "; " + std::to_string(bounded)) +
            " to d" + std::to_string(shallowest);
      if (unknown > 0) text += (text.empty() ? "" : "; ") + std::to_string(unknown) + " unknown";
      o << " " << (text.empty() ? "proved" : text) << " |";
    }
    o << "\n";
  }
}

// `--report FILE`: the cells as JSON.
void write_prove_report(const std::vector<ProveRow>& rows, const std::string& file) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& row : rows)
    j.push_back({{"variant", row.variant},
                 {"row", row.row},
                 {"kcore_frames", row.frames},
                 {"kcore_devices", row.devices},
                 {"kcore_slots", row.slots},
                 {"property", row.property},
                 {"engine", row.r.engine},
                 {"verdict", solver::to_string(row.r.verdict)},
                 {"all_depths", row.r.all_depths},
                 {"depth", row.r.depth},
                 {"states", row.r.states},
                 {"kcore_states", row.r.kcore_states},
                 {"seconds", row.r.seconds},
                 {"stored_bytes", row.r.stored_bytes},
                 {"trace", row.file},
                 {"invariant", row.r.invariant},
                 {"reason", row.r.reason},
                 {"interrupted", row.interrupted}});
  write_file_atomic(file, j.dump(2) + "\n");
}

std::string verdict_cell(const solver::EngineResult& r) {
  std::ostringstream o;
  if (r.verdict == solver::Verdict::violated)
    o << "violated, " << r.depth << " steps";
  else if (r.verdict == solver::Verdict::holds)
    o << "holds " << (r.all_depths ? "all depths" : "to depth " + std::to_string(r.depth))
      << (r.engine == "kind" && r.all_depths ? " (k=" + std::to_string(r.depth) + ")" : "");
  else
    o << "unknown (" << r.reason << ")";
  return o.str();
}

void print_prove_line(std::ostream& o, const ProveRow& row, bool several_variants) {
  o << std::left << std::setw(22) << row.variant << " " << std::setw(17) << row.row << std::setw(19)
    << row.property << " " << std::setw(10) << row.r.engine << verdict_cell(row.r) << "  ["
    << std::fixed << std::setprecision(2) << row.r.seconds << " s"
    << (row.r.states ? ", " + std::to_string(row.r.states) + " states (" +
                           std::to_string(row.r.kcore_states) + " distinct in kcore)"
                     : "")
    << "]" << (row.interrupted ? " (interrupted)" : "")
    << (row.file.empty() ? "" : " -> " + row.file) << "\n";
  if (!row.r.invariant.empty() && !several_variants)
    o << "    invariant: " << row.r.invariant << "\n"
      << (row.r.proof_checked ? "    invariant re-checked by a fresh solver: ok\n" : "");
}

void print_prove_progress(std::ostream& o, const std::vector<ProveRow>& cell, std::size_t done,
                          std::size_t cells) {
  o << "[" << done << "/" << cells << "] " << cell.front().variant << " " << cell.front().row << " "
    << cell.front().property << ":";
  for (const auto& r : cell)
    o << " " << r.r.engine << " " << verdict_cell(r.r) << " (" << std::fixed << std::setprecision(2)
      << r.r.seconds << " s)";
  o << "\n";
}

void print_prove_markdown(std::ostream& o, const std::vector<ProveRow>& rows) {
  o << "| variant | row | property | engine | verdict | time (s) | depth / states |\n"
    << "|---|---|---|---|---|---|---|\n";
  for (const auto& row : rows)
    o << "| " << row.variant << " | " << row.row << " | " << row.property << " | " << row.r.engine
      << " | " << verdict_cell(row.r) << " | " << std::fixed << std::setprecision(2)
      << row.r.seconds << " | " << row.r.depth
      << (row.r.states ? " / " + std::to_string(row.r.states) : "") << " |\n";
}

void print_prove_incomplete(std::ostream& o, const std::vector<ProveRow>& rows, std::size_t engines,
                            std::size_t cells) {
  const auto complete =
      std::count_if(rows.begin(), rows.end(), [](const ProveRow& r) { return !r.interrupted; });
  o << "INCOMPLETE: interrupted (SIGINT/SIGTERM): "
    << complete / static_cast<long>(std::max<std::size_t>(1, engines)) << " of " << cells
    << " cells complete; those marked interrupted may be cut short\n";
}

void print_prove_summary(std::ostream& o, const std::vector<ProveRow>& rows,
                         const std::vector<std::string>& engines, std::size_t cells,
                         bool blank_line_first) {
  for (const auto& e : engines) {
    int proved = 0, violated = 0, bounded = 0, unknown = 0;
    for (const auto& row : rows) {
      if (row.r.engine != e) continue;
      if (row.r.verdict == solver::Verdict::violated)
        ++violated;
      else if (row.r.verdict == solver::Verdict::unknown)
        ++unknown;
      else if (row.r.all_depths)
        ++proved;
      else
        ++bounded;
    }
    o << (blank_line_first ? "\n" : "") << "summary " << e << ": " << cells << " cells, " << proved
      << " hold for all depths, " << violated << " violated, " << bounded << " hold to a bound, "
      << unknown << " unknown\n";
  }
}

}  // namespace pasidcheck::cli
