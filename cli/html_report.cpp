// The HTML pages: static markup for the table (so it reads with JavaScript off), the data as JSON
// in a <script type="application/json">, and the inline assets (cli/html_assets.cpp).
#include "cli/html_report.h"

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "cli/gate.h"
#include "cli/html_assets.h"
#include "model/trace.h"
#include "properties/timeline.h"

namespace pasidcheck::cli {
namespace {

std::string esc(const std::string& s) {
  return xml_escape(s);
}

// JSON inside <script>: "</" and "<!--" cannot appear (both are escaped as JSON allows).
std::string script_json(const nlohmann::json& j) {
  std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && (s[i + 1] == '/' || s[i + 1] == '!'))
      o += "\\u003c";
    else
      o += s[i];
  }
  return o;
}

std::string head(const std::string& title) {
  return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<link rel=\"icon\" href=\"data:,\">\n<title>" +
         esc(title) + "</title>\n<style>" + kReportCss + "</style>\n</head>\n<body>\n";
}

std::string tail(const nlohmann::json& data) {
  return "<script type=\"application/json\" id=\"pasidcheck-data\">" + script_json(data) +
         "</script>\n<script>" + kReportJs + "</script>\n</body>\n</html>\n";
}

// The mark a cell shows (readable in black and white) and its class and words.
struct Mark {
  std::string cls, text, words;
};

Mark mark(const Cell& c) {
  const std::string runs =
      c.runs ? "; " + std::to_string(c.runs) + " random runs found nothing" : "";
  switch (c.kind) {
    case Cell::Kind::violated: {
      const std::string how = c.engine == "check"       ? ", random search, shrunk"
                              : c.engine == "kcore-bfs" ? ", shortest at kcore's bounds"
                                                        : ", shortest";
      return {"violated",
              "\u2717" + std::to_string(c.depth) +
                  (c.engine == "check"       ? "r"
                   : c.engine == "kcore-bfs" ? "k"
                                             : ""),
              "violated: a " + std::to_string(c.depth) + "-step counterexample (" + c.engine + how +
                  "), replayed on the executable model"};
    }
    case Cell::Kind::holds:
      if (c.all_depths)
        return {"proved", c.engine == "explicit" ? "\u2713\u2200\u2200" : "\u2713\u2200",
                c.engine == "explicit"
                    ? "proved: holds for all depths at the default bounds (explicit exhausted "
                      "the row)" +
                          runs
                    : "proved: holds for all depths at kcore's bounds on kcore's row (kcore-bfs "
                      "exhausted it; kcore's rows leave out set_memory np/p, and DMA-API ops "
                      "outside the iova rows); the full model's row holds up to depth " +
                          std::to_string(c.depth) + runs};
      return {"bounded", "\u2264" + std::to_string(c.depth),
              "holds up to depth " + std::to_string(c.depth) + " (" + c.engine + ")" + runs +
                  (c.why.empty() ? "" : "; not proved: " + c.why)};
    case Cell::Kind::refused:
      return {"refused", "\u2013", "refused: the variant refuses this mode for this device"};
    case Cell::Kind::unknown:
      return {"unknown", "?", "unknown: " + (c.why.empty() ? "not decided" : c.why)};
  }
  return {"unknown", "?", "unknown"};
}

std::string cell_id(std::size_t row, std::size_t prop) {
  return "r" + std::to_string(row) + "p" + std::to_string(prop);
}

nlohmann::json lanes_json() {
  return properties::timeline_lanes();
}

}  // namespace

std::string html_matrix_page(const Matrix& m,
                             const std::map<std::string, nlohmann::json>& timelines) {
  std::ostringstream o;
  o << head("pasidcheck verdict table");
  o << "<header>\n<h1>pasidcheck: the design-space verdict table</h1>\n<p class=\"meta\">Made by "
       "<code>"
    << esc(m.command.empty() ? "pasidcheck matrix" : m.command) << "</code> at commit <code>"
    << esc(m.commit.empty() ? "unknown" : m.commit) << "</code> on "
    << esc(m.date.empty() ? "an unknown date" : m.date) << ": " << m.rows.size() << " rows x "
    << m.properties.size() << " properties, " << static_cast<long long>(m.seconds) << " s."
    << (m.incomplete ? " <strong>INCOMPLETE: the run was interrupted.</strong>" : "")
    << "</p>\n</header>\n";
  o << "<p class=\"legend\">Marks: <span class=\"violated\">\u2717N violated (an N-step "
       "counterexample, replayed; k: shortest at kcore's bounds; r: random search)</span><span "
       "class=\"proved\">\u2713\u2200 proved for all depths at kcore's bounds on kcore's "
       "row (no set_memory np/p; the RID's DMA API in the iova rows only); "
       "\u2713\u2200\u2200 at the default bounds</span><span class=\"bounded\">\u2264D holds up "
       "to depth D, not proved</span><span class=\"refused\">\u2013 refused</span><span "
       "class=\"unknown\">? unknown: cut by the time cap</span>. Hover a cell for its claim. The "
       "budgets are counts, so the same commit gives the same table on any machine. Open a "
       "violated cell for "
       "its timeline.</p>\n";
  std::set<std::string> variants, rows;
  std::vector<std::string> variant_order, row_order;
  for (const auto& r : m.rows) {
    if (variants.insert(r.variant).second) variant_order.push_back(r.variant);
    const std::string row = r.mode + "/" + r.trust;
    if (rows.insert(row).second) row_order.push_back(row);
  }
  auto select = [&](const char* name, const char* label, const std::vector<std::string>& values,
                    bool indexed) {
    o << "<label>" << label << " <select name=\"" << name << "\"><option value=\"\">all</option>";
    for (std::size_t i = 0; i < values.size(); ++i)
      o << "<option value=\"" << esc(indexed ? std::to_string(i) : values[i]) << "\">"
        << esc(values[i]) << "</option>";
    o << "</select></label>\n";
  };
  o << "<form id=\"filters\" hidden>\n";
  select("variant", "Variant", variant_order, false);
  select("row", "Row", row_order, false);
  select("property", "Property", m.properties, true);
  o << "</form>\n";
  o << "<table id=\"verdicts\" class=\"verdicts\">\n<thead><tr><th scope=\"col\">variant</th><th "
       "scope=\"col\">row</th><th scope=\"col\">given</th>";
  for (std::size_t p = 0; p < m.properties.size(); ++p)
    o << "<th scope=\"col\" data-p=\"" << p << "\">" << esc(m.properties[p]) << "</th>";
  o << "</tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < m.rows.size(); ++i) {
    const Row& r = m.rows[i];
    const std::string row = r.mode + "/" + r.trust;
    o << "<tr data-variant=\"" << esc(r.variant) << "\" data-row=\"" << esc(row)
      << "\"><th scope=\"row\">" << esc(r.variant) << "</th><td>" << esc(row) << "</td><td>"
      << esc(r.submode) << "</td>";
    for (std::size_t p = 0; p < m.properties.size(); ++p) {
      const Mark k = mark(r.cells[p]);
      const std::string id = cell_id(i, p);
      o << "<td class=\"c " << k.cls << "\" data-p=\"" << p << "\" data-verdict=\""
        << verdict(r.cells[p]) << "\" title=\"" << esc(m.properties[p] + ": " + k.words) << "\">";
      if (r.cells[p].kind == Cell::Kind::violated && timelines.count(id))
        o << "<a href=\"#" << id << "\" data-cell=\"" << id << "\">" << k.text << "</a>";
      else
        o << k.text;
      o << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</tbody>\n</table>\n";
  o << "<section id=\"knockouts\"><h2>What each mitigation is needed for</h2>\n<pre "
       "class=\"summary\">"
    << esc(matrix_summary(m)) << "</pre></section>\n";
  o << "<section id=\"timeline\" class=\"timeline\" hidden></section>\n";
  nlohmann::json data{{"lanes", lanes_json()}, {"timelines", timelines}};
  o << tail(data);
  return o.str();
}

std::string html_trace_page(const nlohmann::json& timeline, const std::string& source) {
  std::ostringstream o;
  const std::string name = timeline.value("name", std::string("trace"));
  o << head("pasidcheck: " + name);
  o << "<header>\n<h1>pasidcheck: " << esc(name) << "</h1>\n<p class=\"meta\">Replayed from <code>"
    << esc(source) << "</code> by <code>" << esc(invocation()) << "</code>.</p>\n</header>\n";
  o << "<noscript><p>The timeline is drawn by the page's script; <code>pasidcheck replay "
    << esc(source) << "</code> prints the same steps as text.</p></noscript>\n";
  o << "<section id=\"timeline\" class=\"timeline\" hidden></section>\n";
  o << tail({{"lanes", lanes_json()}, {"trace", timeline}});
  return o.str();
}

std::string html_report_of_dir(const std::string& out_dir) {
  namespace fs = std::filesystem;
  const std::string table_file = (fs::path(out_dir) / "matrix.json").string();
  const Matrix m = matrix_from_json(model::read_input_file(table_file), table_file);
  std::map<std::string, nlohmann::json> timelines;
  for (std::size_t i = 0; i < m.rows.size(); ++i)
    for (std::size_t p = 0; p < m.properties.size(); ++p) {
      const Cell& c = m.rows[i].cells[p];
      if (c.kind != Cell::Kind::violated) continue;
      const fs::path file =
          fs::path(out_dir) / m.rows[i].variant / fs::path(c.trace_file).filename();
      timelines[cell_id(i, p)] = properties::trace_timeline(model::load_trace(file.string()));
    }
  return html_matrix_page(m, timelines);
}

}  // namespace pasidcheck::cli
