#include <CLI/CLI.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/gate.h"
#include "cli/html_report.h"
#include "cli/itf.h"
#include "properties/explain.h"
#include "properties/replay.h"
#include "properties/timeline.h"

namespace pasidcheck::cli {

namespace {

using properties::ReplayResult;

void print_table(const model::Trace& t, const ReplayResult& r) {
  const model::Model m(t.config);
  for (const auto& v : r.initial_violations)
    std::cout << "  initial state: " << properties::describe(m, v) << "\n";
  for (const auto& rec : r.steps) {
    const std::string op = properties::describe_op(t.steps[rec.index].op, t.config);
    std::cout << std::setw(4) << rec.index << "  " << op << "\n"
              << "        -> " << model::describe_outcome(rec.outcome);
    if (t.steps[rec.index].expect)
      std::cout << (rec.expect_mismatch ? "   EXPECT FAILED: " + *rec.expect_mismatch
                                        : "   (as expected)");
    std::cout << "\n";
    for (const auto& ch : rec.changes) std::cout << "        " << ch << "\n";
    if (rec.index == r.first_violation_step)
      for (const auto& v : rec.violations)
        std::cout << "        VIOLATION " << properties::describe(m, v) << "\n";
  }
}

nlohmann::json violation_json(const model::Model& m, const properties::Violation& v) {
  nlohmann::json j{{"property", v.property}, {"message", v.message}, {"path", v.path}};
  if (v.dev >= 0) j["dev"] = m.device(v.dev).name;
  if (v.pasid >= 0) j["pasid"] = v.pasid == 0 ? nlohmann::json(nullptr) : nlohmann::json(v.pasid);
  if (v.frame >= 0) j["frame"] = v.frame;
  if (v.slot >= 0) j["slot"] = v.slot;
  if (!v.access.empty()) j["access"] = v.access;
  if (!v.priv.empty()) j["priv"] = v.priv;
  return j;
}

int replay_one(const std::string& file, const ReplayOptions& opt, nlohmann::json& report) {
  model::Trace t;
  try {
    t = model::load_trace(file);
  } catch (const model::TraceError& e) {
    std::cerr << "pasidcheck: " << e.what() << "\n";
    report = {{"file", file}, {"exit", 3}, {"error", e.what()}};
    return 3;
  }
  properties::ReplayOptions ro;
  ro.properties = opt.properties;
  const ReplayResult r = properties::replay(t, ro);
  const int rc = r.exit_code(t.expect.has_value());
  report = {{"file", file}, {"exit", rc}};
  if (r.bad_input) {
    std::cerr << "pasidcheck: " << file << ": " << *r.bad_input << "\n";
    report["error"] = *r.bad_input;
    return 3;
  }
  if (!opt.itf.empty()) write_itf(opt.itf, t);
  if (!opt.html.empty())
    write_file_atomic(opt.html, html_trace_page(properties::trace_timeline(t), file));
  const model::Model m(t.config);
  report["first_violation_step"] =
      r.violated() ? nlohmann::json(r.first_violation_step) : nlohmann::json(nullptr);
  nlohmann::json vs = nlohmann::json::array();
  for (const auto& v : r.first_violations) vs.push_back(violation_json(m, v));
  report["violations"] = vs;
  report["failures"] = r.failures;
  if (opt.format == "json") return rc;
  if (opt.explain) {
    std::cout << properties::explain(t, r);
  } else if (!opt.quiet) {
    std::cout << "== " << file << (t.name.empty() ? "" : " (" + t.name + ")") << "\n";
    print_table(t, r);
  }
  if (r.violated())
    std::cout << file << ": first violation at step " << r.first_violation_step << ": "
              << properties::describe(m, r.first_violations.front()) << "\n";
  else
    std::cout << file << ": every checked property holds\n";
  for (const auto& f : r.failures) std::cout << file << ": EXPECTATION NOT MET: " << f << "\n";
  if (t.expect && r.failures.empty()) std::cout << file << ": expectations met\n";
  return rc;
}

int run_replay(const ReplayOptions& opt) {
  if (!opt.itf.empty() && opt.files.size() > 1)
    throw model::TraceError("command line", "--itf", "names one ITF file for several traces");
  check_output_file(opt.itf, "--itf");
  if (!opt.html.empty() && opt.files.size() > 1)
    throw model::TraceError("command line", "--html", "draws one trace, not several");
  check_output_file(opt.html, "--html");
  int worst = 0;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& f : opt.files) {
    nlohmann::json rep;
    const int rc = replay_one(f, opt, rep);
    all.push_back(rep);
    worst = worse_exit(worst, rc);
  }
  if (opt.format == "json") std::cout << all.dump(2) << "\n";
  return worst;
}

void common(CLI::App* cmd, ReplayOptions& opt) {
  cmd->add_option("traces", opt.files, "trace files (pasidcheck-trace JSON)")
      ->required();  // read_input_file() says what is wrong with a path (exit 3)
  cmd->add_option("--properties", opt.properties, "check only these property ids (comma-separated)")
      ->delimiter(',');
}

}  // namespace

void add_replay(CLI::App& app, OptionStore& store, int& rc) {
  auto& opt = store.make<ReplayOptions>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Replay traces on the executable model: check every step's expect, every property "
      "after every step, and the trace's verdict expectation.\n"
      "Example: pasidcheck replay corpora/scenarios/05-kva-fast-module-load-wx.json");
  common(cmd, opt);
  cmd->add_flag("--explain", opt.explain, "tell the story of the run in sentences");
  cmd->add_flag("-q,--quiet", opt.quiet, "only the verdict lines");
  cmd->add_option("--format", opt.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--itf", opt.itf, "also write the run as an ITF trace (Apalache/Quint format)");
  cmd->add_option("--html", opt.html,
                  "also draw the run as a timeline in a self-contained HTML page (one trace)");
  cmd->callback([&opt, &rc] { rc = run_replay(opt); });
}

void add_explain(CLI::App& app, OptionStore& store, int& rc) {
  auto& opt = store.make<ReplayOptions>();
  auto* cmd = app.add_subcommand(
      "explain", "Explain a counterexample trace in plain sentences (= replay --explain)");
  common(cmd, opt);
  cmd->callback([&opt, &rc] {
    ReplayOptions o = opt;
    o.explain = true;
    rc = run_replay(o);
  });
}

}  // namespace pasidcheck::cli
