// Self-contained HTML pages (issue 24): inline CSS and JS, no network, the data embedded as JSON.
// The verdict table is static HTML (readable with JavaScript off); the script adds the filters and
// draws a counterexample's timeline (properties/timeline.h) when its cell is opened.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/matrix.h"

namespace pasidcheck::cli {

// The table page. `timelines`: cell id ("r<row>p<property>", row and property indexes in `m`)
// -> the timeline of that cell's counterexample.
std::string html_matrix_page(const Matrix& m,
                             const std::map<std::string, nlohmann::json>& timelines);
// One trace's timeline (`replay --html`), for any trace, holding or violated.
std::string html_trace_page(const nlohmann::json& timeline, const std::string& source);
// `pasidcheck report OUT_DIR`: reads OUT_DIR/matrix.json and each counterexample it lists
// (OUT_DIR/<variant>/<file name>), replays them into timelines, and returns the page. Throws
// model::TraceError (exit 3) on a missing or malformed table or trace.
std::string html_report_of_dir(const std::string& out_dir);

}  // namespace pasidcheck::cli
