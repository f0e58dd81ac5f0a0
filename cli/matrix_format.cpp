// Renderings of the verdict table: aligned text, markdown, JSON (schema in docs/user-guide.md) and
// JUnit XML (one testcase per variant, row and property), and the summary in words.
#include <filesystem>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/matrix.h"

namespace pasidcheck::cli {

namespace {

const std::map<std::string, std::string> kShort{
    {"no-stale-iotlb", "stale"},   {"no-wx-dma", "w+x"},         {"untrusted-confined", "confined"},
    {"pasid-isolation", "isolat"}, {"no-dma-to-freed", "freed"}, {"pasid-lifecycle", "lifecyc"},
    {"pt-integrity", "pt"},        {"trust-gating", "trust"},    {"iopf-integrity", "iopf"},
    {"kva-mirror-exact", "mirror"}};

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char ch : s) {
    switch (ch) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += ch;
    }
  }
  return o;
}

std::string cell_text(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::holds:
      if (c.all_depths) return c.engine == "explicit" ? "ok**" : "ok*";
      return "ok<=" + std::to_string(c.depth);
    case Cell::Kind::violated:
      return "X" + std::to_string(c.depth) +
             (c.engine == "check"       ? "r"
              : c.engine == "kcore-bfs" ? "k"
                                        : "");
    case Cell::Kind::refused:
      return "-";
    case Cell::Kind::unknown:
      return "?";
  }
  return "?";
}

std::string matrix_legend() {
  return "ok*: proved, holds for all depths on the executable model at kcore's bounds and on\n"
         "  kcore's row (kcore-bfs exhausted it: one block of 3 frames, dsa0 + tbt0; no "
         "set_memory\n"
         "  np/p; DMA-API ops on the RID only in the iova rows; docs/engines.md). Outside that\n"
         "  row, the full model still holds up to the depth in the JSON;\n"
         "ok**: proved at the default bounds (explicit BFS exhausted the full model's row);\n"
         "ok<=k: holds up to depth k on the full model (explicit BFS), not proved;\n"
         "Xn: violated, a shortest counterexample of n steps on the full model (explicit BFS);\n"
         "  Xnk: shortest at kcore's bounds (kcore-bfs); Xnr: found by random search, shrunk;\n"
         "  every one is written and replayed on the executable model;\n"
         "-: the variant refuses this mode for this device;\n"
         "?: unknown: an engine was cut short by the time cap or a stop (see the JSON's `why`).\n"
         "Budgets are counts (states, depth, runs), so the table is the same on every machine.\n";
}

std::string verdict(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::holds:
      return "holds";
    case Cell::Kind::violated:
      return "violated";
    case Cell::Kind::refused:
      return "refused";
    case Cell::Kind::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string matrix_text(const Matrix& m, bool markdown) {
  std::ostringstream o;
  const int vw = 22, rw = 18, sw = 9, cw = 8;
  if (markdown) {
    o << "| variant | row | given |";
    for (const auto& p : m.properties) o << " " << kShort.at(p) << " |";
    o << "\n|---|---|---|";
    for (std::size_t i = 0; i < m.properties.size(); ++i) o << "---|";
    o << "\n";
  } else {
    o << std::left << std::setw(vw) << "variant" << std::setw(rw) << "row" << std::setw(sw)
      << "given";
    for (const auto& p : m.properties) o << std::setw(cw) << kShort.at(p);
    o << "\n";
  }
  std::string last;
  for (const auto& r : m.rows) {
    const std::string variant = r.variant == last ? "" : r.variant;
    last = r.variant;
    const std::string row = r.mode + "/" + r.trust;
    if (markdown) {
      o << "| " << variant << " | " << row << " | " << r.submode << " |";
      for (const auto& c : r.cells) o << " " << cell_text(c) << " |";
    } else {
      o << std::left << std::setw(vw) << variant << std::setw(rw) << row << std::setw(sw)
        << r.submode;
      for (const auto& c : r.cells) o << std::setw(cw) << cell_text(c);
    }
    o << "\n";
  }
  o << "\n" << matrix_legend();
  return o.str();
}

std::string matrix_summary(const Matrix& m) {
  std::ostringstream o;
  if (m.incomplete)
    o << "INCOMPLETE: interrupted (SIGINT/SIGTERM); the cells not reached are \"?\" and the "
         "summary below covers only what was complete.\n";
  // cell key -> violated?
  std::map<std::string, std::map<std::string, const Cell*>> by_variant;
  for (const auto& r : m.rows)
    for (std::size_t p = 0; p < m.properties.size(); ++p)
      by_variant[r.variant][r.mode + "/" + r.trust + " " + m.properties[p]] = &r.cells[p];
  auto violated_cells = [&](const std::string& v) {
    std::vector<std::string> out;
    for (const auto& [k, c] : by_variant[v])
      if (c->kind == Cell::Kind::violated) out.push_back(k);
    return out;
  };
  if (by_variant.count("revamp")) {
    const auto bad = violated_cells("revamp");
    o << "revamp (every mitigation): "
      << (bad.empty() ? "no violation found." : std::to_string(bad.size()) + " violated cells:");
    for (const auto& k : bad) o << "\n  - " << k;
    o << "\n";
    for (const auto& [v, cells] : by_variant) {
      if (v.rfind("revamp-", 0) != 0) continue;
      std::vector<std::string> broken;
      for (const auto& [k, c] : cells) {
        const Cell* base = by_variant["revamp"][k];
        if (c->kind == Cell::Kind::violated && base && base->kind != Cell::Kind::violated)
          broken.push_back(k);
      }
      o << v << ": ";
      if (broken.empty()) {
        o << "nothing breaks that revamp keeps (not shown necessary at these bounds and budgets)\n";
      } else {
        o << "necessary: removing it breaks " << broken.size() << " cell(s):";
        for (std::size_t i = 0; i < broken.size() && i < 4; ++i) o << " " << broken[i] << ";";
        if (broken.size() > 4) o << " ...";
        o << "\n";
      }
    }
  }
  for (const auto& [v, cells] : by_variant) {
    if (v.rfind("revamp", 0) == 0) continue;
    o << v << ": " << violated_cells(v).size() << " violated cells\n";
  }
  return o.str();
}

std::string matrix_json(const Matrix& m, bool with_timings) {
  const MatrixBudgets& b = m.budgets;
  nlohmann::json j{{"format", "pasidcheck-matrix"},
                   {"version", 2},
                   {"incomplete", m.incomplete},
                   {"budgets",
                    {{"engines", b.engines},
                     {"explicit_states", b.explicit_states},
                     {"depth", b.max_depth},
                     {"kcore_states", b.kcore_states},
                     {"focus", b.focus},
                     {"focus_kcore_states", b.focus_kcore_states},
                     {"check_runs", b.check_runs},
                     {"seed", b.seed}}},
                   {"properties", m.properties}};
  if (!m.shard.empty()) j["shard"] = m.shard;
  if (with_timings) {
    j["seconds"] = m.seconds;
    j["command"] = m.command;
    j["commit"] = m.commit;
    j["date"] = m.date;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : m.rows) {
    nlohmann::json cells = nlohmann::json::object();
    for (std::size_t p = 0; p < m.properties.size(); ++p) {
      const Cell& c = r.cells[p];
      nlohmann::json cj{{"verdict", verdict(c)}};
      if (c.kind == Cell::Kind::holds) {
        cj["depth"] = c.depth;
        cj["all_depths"] = c.all_depths;
        cj["engine"] = c.engine;
        cj["runs"] = c.runs;
      }
      if (c.kind == Cell::Kind::violated) {
        cj["length"] = c.depth;
        cj["engine"] = c.engine;
        // verdicts.json names it relative to the table's folder, so that it does not depend on
        // where the table was written.
        cj["trace"] = with_timings ? c.trace_file
                                   : r.variant + "/" +
                                         std::filesystem::path(c.trace_file).filename().string();
      }
      if (!c.why.empty()) cj["why"] = c.why;
      cells[m.properties[p]] = cj;
    }
    const RowEffort& e = r.effort;
    nlohmann::json effort{{"explicit_states", e.explicit_states},
                          {"kcore_states", e.kcore_states},
                          {"check_runs", e.check_runs},
                          {"kcore", e.kcore}};
    if (with_timings) {
      effort["explicit_seconds"] = e.explicit_seconds;
      effort["kcore_seconds"] = e.kcore_seconds;
      effort["check_seconds"] = e.check_seconds;
      if (!e.kcore_shared_with.empty()) effort["kcore_shared_with"] = e.kcore_shared_with;
    }
    rows.push_back({{"variant", r.variant},
                    {"mode", r.mode},
                    {"trust", r.trust},
                    {"given", r.submode},
                    {"states", r.states},
                    {"effort", effort},
                    {"cells", cells}});
  }
  j["rows"] = rows;
  return j.dump(2) + "\n";
}

std::string matrix_junit(const Matrix& m) {
  std::map<std::string, std::vector<const Row*>> suites;
  std::vector<std::string> order;
  for (const auto& r : m.rows) {
    if (!suites.count(r.variant)) order.push_back(r.variant);
    suites[r.variant].push_back(&r);
  }
  std::ostringstream o;
  int total = 0, failures = 0, skipped = 0;
  std::ostringstream body;
  for (const auto& v : order) {
    int t = 0, f = 0, s = 0;
    std::ostringstream cases;
    for (const Row* r : suites[v]) {
      for (std::size_t p = 0; p < m.properties.size(); ++p) {
        const Cell& c = r->cells[p];
        ++t;
        cases << "    <testcase classname=\"" << xml_escape(v + "." + r->mode + "-" + r->trust)
              << "\" name=\"" << xml_escape(m.properties[p]) << "\">";
        if (c.kind == Cell::Kind::violated) {
          ++f;
          cases << "<failure message=\""
                << xml_escape(m.properties[p] + " violated in " + std::to_string(c.depth) +
                              " steps")
                << "\">" << xml_escape("replay: pasidcheck replay " + c.trace_file) << "</failure>";
        } else if (c.kind != Cell::Kind::holds) {
          ++s;
          cases << "<skipped message=\""
                << xml_escape(verdict(c) + (c.why.empty() ? "" : ": " + c.why)) << "\"/>";
        } else {
          cases << "<system-out>"
                << xml_escape("holds " +
                              (c.all_depths ? std::string("for all depths")
                                            : "up to depth " + std::to_string(c.depth)) +
                              " (" + c.engine + ")")
                << "</system-out>";
        }
        cases << "</testcase>\n";
      }
    }
    body << "  <testsuite name=\"" << xml_escape(v) << "\" tests=\"" << t << "\" failures=\"" << f
         << "\" errors=\"0\" skipped=\"" << s << "\">\n"
         << cases.str() << "  </testsuite>\n";
    total += t, failures += f, skipped += s;
  }
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pasidcheck matrix\" tests=\""
    << total << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"" << skipped
    << "\" time=\"" << m.seconds << "\">\n"
    << body.str() << "</testsuites>\n";
  return o.str();
}

}  // namespace pasidcheck::cli
