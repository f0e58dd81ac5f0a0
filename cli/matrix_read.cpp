// matrix.json back into a Matrix, for `pasidcheck report` (the schema matrix_json writes). Every
// malformed field is bad input naming the file and its JSON path.
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
  if (j.contains("seconds") && j["seconds"].is_number()) m.seconds = j["seconds"].get<double>();
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
    if (r.contains("states") && r["states"].is_number_integer())
      row.states = r["states"].get<long long>();
    const json& cells = rd.at(r, "cells", path);
    for (const auto& p : m.properties)
      row.cells.push_back(read_cell(rd, rd.at(cells, p, path + ".cells"), path + ".cells." + p));
    m.rows.push_back(std::move(row));
  }
  return m;
}

}  // namespace pasidcheck::cli
