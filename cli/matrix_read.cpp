// matrix.json back into a Matrix, for `pasidcheck report` (the schema matrix_json writes). Every
// malformed field is bad input naming the file and its JSON path.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/matrix.h"
#include "model/trace.h"

namespace pasidcheck::cli {
namespace {

using nlohmann::json;

struct Reader {
  const std::string& file;
  [[noreturn]] void fail(const std::string& path, const std::string& why) const {
    throw model::TraceError(file, path, why);
  }
  const json& at(const json& j, const std::string& key, const std::string& path) const {
    if (!j.is_object()) fail(path, "must be an object");
    if (!j.contains(key)) fail(path + "." + key, "is missing");
    return j.at(key);
  }
  std::string str(const json& j, const std::string& key, const std::string& path) const {
    const json& v = at(j, key, path);
    if (!v.is_string()) fail(path + "." + key, "must be a string");
    return v.get<std::string>();
  }
  int integer(const json& j, const std::string& key, const std::string& path) const {
    const json& v = at(j, key, path);
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 1 << 30)
      fail(path + "." + key, "must be an integer in [0, 2^30]");
    return v.get<int>();
  }
  std::string optional_str(const json& j, const std::string& key) const {
    return j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : "";
  }
  long long optional_count(const json& j, const std::string& key, const std::string& path) const {
    if (!j.contains(key)) return 0;
    const json& v = j.at(key);
    if (!v.is_number_integer() || v.get<long long>() < 0)
      fail(path + "." + key, "must be a non-negative integer");
    return v.get<long long>();
  }
  double optional_seconds(const json& j, const std::string& key) const {
    return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : 0;
  }
};

Cell read_cell(const Reader& rd, const json& c, const std::string& path) {
  Cell cell;
  const std::string v = rd.str(c, "verdict", path);
  if (v == "holds") {
    cell.kind = Cell::Kind::holds;
    cell.depth = rd.integer(c, "depth", path);
    const json& all = rd.at(c, "all_depths", path);
    if (!all.is_boolean()) rd.fail(path + ".all_depths", "must be true or false");
    cell.all_depths = all.get<bool>();
    cell.engine = rd.str(c, "engine", path);
    cell.runs = static_cast<int>(rd.optional_count(c, "runs", path));
  } else if (v == "violated") {
    cell.kind = Cell::Kind::violated;
    cell.depth = rd.integer(c, "length", path);
    cell.engine = rd.str(c, "engine", path);
    cell.trace_file = rd.str(c, "trace", path);
  } else if (v == "refused") {
    cell.kind = Cell::Kind::refused;
  } else if (v == "unknown") {
    cell.kind = Cell::Kind::unknown;
  } else {
    rd.fail(path + ".verdict", "'" + v + "' is not holds, violated, refused or unknown");
  }
  cell.why = rd.optional_str(c, "why");
  return cell;
}

}  // namespace

Matrix matrix_from_json(const std::string& text, const std::string& file) {
  const json j = model::parse_json_text(text, file);
  const Reader rd{file};
  if (rd.str(j, "format", "$") != "pasidcheck-matrix")
    rd.fail("$.format", "must be \"pasidcheck-matrix\" (a table written by `pasidcheck matrix`)");
  Matrix m;
  const json& props = rd.at(j, "properties", "$");
  if (!props.is_array() || props.empty()) rd.fail("$.properties", "must be a non-empty array");
  for (std::size_t i = 0; i < props.size(); ++i) {
    if (!props[i].is_string())
      rd.fail("$.properties[" + std::to_string(i) + "]", "must be a string");
    m.properties.push_back(props[i].get<std::string>());
  }
  m.seconds = rd.optional_seconds(j, "seconds");
  m.shard = rd.optional_str(j, "shard");
  if (!m.shard.empty()) {
    int k = 0, n = 0;
    char slash = 0, extra = 0;
    if (std::sscanf(m.shard.c_str(), "%d%c%d%c", &k, &slash, &n, &extra) != 3 || slash != '/' ||
        k < 1 || n < k || n > 1000)
      rd.fail("$.shard", "must be \"K/N\" with 1 <= K <= N <= 1000");
  }
  if (j.contains("budgets")) {
    const json& b = j.at("budgets");
    if (!b.is_object()) rd.fail("$.budgets", "must be an object");
    m.budgets.engines = rd.optional_str(b, "engines");
    m.budgets.explicit_states = rd.optional_count(b, "explicit_states", "$.budgets");
    m.budgets.max_depth = static_cast<int>(rd.optional_count(b, "depth", "$.budgets"));
    m.budgets.kcore_states = rd.optional_count(b, "kcore_states", "$.budgets");
    m.budgets.focus = rd.optional_str(b, "focus");
    m.budgets.focus_kcore_states = rd.optional_count(b, "focus_kcore_states", "$.budgets");
    m.budgets.check_runs = static_cast<int>(rd.optional_count(b, "check_runs", "$.budgets"));
    m.budgets.seed = static_cast<std::uint64_t>(rd.optional_count(b, "seed", "$.budgets"));
  }
  m.incomplete = j.contains("incomplete") && j["incomplete"].is_boolean() && j["incomplete"];
  m.command = rd.optional_str(j, "command");
  m.commit = rd.optional_str(j, "commit");
  m.date = rd.optional_str(j, "date");
  const json& rows = rd.at(j, "rows", "$");
  if (!rows.is_array()) rd.fail("$.rows", "must be an array");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string path = "$.rows[" + std::to_string(i) + "]";
    const json& r = rows[i];
    Row row;
    row.variant = rd.str(r, "variant", path);
    row.mode = rd.str(r, "mode", path);
    row.trust = rd.str(r, "trust", path);
    row.submode = rd.str(r, "given", path);
    row.states = rd.optional_count(r, "states", path);
    if (r.contains("effort")) {
      const json& e = r.at("effort");
      const std::string ep = path + ".effort";
      if (!e.is_object()) rd.fail(ep, "must be an object");
      row.effort.explicit_states = rd.optional_count(e, "explicit_states", ep);
      row.effort.kcore_states = rd.optional_count(e, "kcore_states", ep);
      row.effort.check_runs = rd.optional_count(e, "check_runs", ep);
      row.effort.kcore = rd.optional_str(e, "kcore");
      row.effort.kcore_shared_with = rd.optional_str(e, "kcore_shared_with");
      row.effort.explicit_seconds = rd.optional_seconds(e, "explicit_seconds");
      row.effort.kcore_seconds = rd.optional_seconds(e, "kcore_seconds");
      row.effort.check_seconds = rd.optional_seconds(e, "check_seconds");
    }
    const json& cells = rd.at(r, "cells", path);
    for (const auto& p : m.properties)
      row.cells.push_back(read_cell(rd, rd.at(cells, p, path + ".cells"), path + ".cells." + p));
    m.rows.push_back(std::move(row));
  }
  return m;
}

}  // namespace pasidcheck::cli
