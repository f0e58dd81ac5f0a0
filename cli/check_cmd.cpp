#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/config_args.h"
#include "cli/gate.h"
#include "cli/itf.h"
#include "fuzz/minimize.h"
#include "fuzz/search.h"
#include "model/stop.h"
#include "properties/explain.h"
#include "properties/replay.h"

namespace pasidcheck::cli {

namespace {

struct CheckOptions {
  VariantArgs variant;
  fuzz::SearchOptions search;
  std::vector<std::string> properties;
  std::string out = "out";
  std::string report;  // JSON summary file
  std::string junit;   // JUnit XML: one testcase per property searched
  bool quiet = false;
};

void write_junit(const std::string& file, const model::Config& c,
                 const std::vector<std::string>& searched, const fuzz::SearchResult& r,
                 const std::string& trace_path) {
  if (file.empty()) return;
  std::ostringstream o;
  const bool found = r.found;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"" << searched.size()
    << "\" failures=\"" << (found ? 1 : 0) << "\">\n  <testsuite name=\"check " << c.preset
    << "\" tests=\"" << searched.size() << "\" failures=\"" << (found ? 1 : 0) << "\">\n";
  for (const auto& p : searched) {
    o << "    <testcase classname=\"check." << c.preset << "\" name=\"" << p << "\">";
    if (found && r.trace.expect->property == p)
      o << "<failure message=\"" << p << " violated at step " << r.trace.expect->step
        << "\">pasidcheck replay " << trace_path << "</failure>";
    o << "</testcase>\n";
  }
  o << "  </testsuite>\n</testsuites>\n";
  write_file_atomic(file, o.str());
}

void write_report(const std::string& file, const model::Config& c, const CheckOptions& opt,
                  const fuzz::SearchResult& r, const std::string& trace_path) {
  if (file.empty()) return;
  nlohmann::json j{{"preset", c.preset},       {"seed", opt.search.seed},
                   {"found", r.found},         {"runs", r.runs},
                   {"steps", r.steps},         {"seconds", r.elapsed},
                   {"reproduce", r.reproduce}, {"incomplete", stop_requested()}};
  if (r.found) {
    j["property"] = r.trace.expect->property;
    j["violation_step"] = r.trace.expect->step;
    j["length"] = r.trace.steps.size();
    j["rapidcheck_length"] = r.rc_length;
    j["trace"] = trace_path;
  }
  write_file_atomic(file, j.dump(2) + "\n");
}

std::string write_trace(const model::Trace& t, const std::string& dir, const std::string& stem) {
  std::filesystem::create_directories(dir);
  const std::string path = (std::filesystem::path(dir) / (stem + ".json")).string();
  write_file_atomic(path, model::trace_to_json(t).dump(2) + "\n");
  write_itf(path.substr(0, path.size() - 5) + ".itf.json", t);
  return path;
}

std::vector<std::string> searched_ids(const std::vector<std::string>& selected) {
  if (!selected.empty()) return selected;
  std::vector<std::string> all;
  for (const auto& p : properties::registry()) all.push_back(p.id);
  return all;
}

int run_check(CheckOptions& opt) {
  const model::Config config = make_config(opt.variant);
  check_property_ids(opt.properties, "--properties");
  check_output_dir(opt.out, "--out");
  check_output_file(opt.report, "--report");
  check_output_file(opt.junit, "--junit");
  opt.search.properties = opt.properties;
  const bool tty = isatty(STDERR_FILENO) && !opt.quiet;
  if (tty)
    opt.search.progress = [](int runs, long long steps, double elapsed) {
      std::cerr << "\r  runs " << runs << ", steps " << steps << ", "
                << static_cast<long long>(steps / std::max(elapsed, 1e-3)) << " steps/s, "
                << static_cast<int>(elapsed) << " s elapsed   " << std::flush;
    };
  const fuzz::SearchResult r = fuzz::search(config, opt.search);
  if (tty) std::cerr << "\n";
  std::cout << "check: preset " << config.preset << ", seed " << opt.search.seed << ", " << r.runs
            << " runs, " << r.steps << " steps, " << r.elapsed << " s\n";
  if (!r.found) {
    write_report(opt.report, config, opt, r, "");
    write_junit(opt.junit, config, searched_ids(opt.properties), r, "");
    std::cout << "check: no violation found within the budget (random search is not a proof)\n";
    return 0;
  }
  model::Trace t = r.trace;
  const std::string prop = t.expect->property;
  t.name = "check-" + config.preset + "-" + prop;
  t.description = "found by `pasidcheck check --seed " + std::to_string(opt.search.seed) + "` in " +
                  std::to_string(r.runs) + " runs; RapidCheck's removeChunks shrank it to " +
                  std::to_string(r.rc_length) + " steps, delta debugging to " +
                  std::to_string(t.steps.size());
  const std::string path = write_trace(t, opt.out, config.preset + "-" + prop);
  const auto replayed = properties::replay(t);
  if (replayed.bad_input || !replayed.failures.empty()) {
    std::cerr << "pasidcheck: internal error: the counterexample does not replay: "
              << replayed.bad_input.value_or(replayed.failures.empty() ? ""
                                                                       : replayed.failures.front())
              << "\n";
    return 4;
  }
  write_report(opt.report, config, opt, r, path);
  write_junit(opt.junit, config, searched_ids(opt.properties), r, path);
  std::cout << "check: " << prop << " violated at step " << t.expect->step << " of "
            << t.steps.size() << "\n";
  std::cout << "check: counterexample written to " << path << " (replay it with `pasidcheck replay "
            << path << "`)\n";
  if (!r.reproduce.empty())
    std::cout << "check: re-run this run alone with `--reproduce " << r.reproduce << "`\n";
  if (!opt.quiet) std::cout << "\n" << properties::explain(t, replayed);
  return 1;
}

int run_minimize(const std::vector<std::string>& files, const std::vector<std::string>& props,
                 const std::string& out) {
  check_property_ids(props, "--properties");
  if (!out.empty() && files.size() > 1)
    throw model::TraceError("command line", "-o", "names one output file for several traces");
  auto out_path = [&out](const std::string& f) {
    return out.empty() ? f.substr(0, f.size() - (f.size() > 5 && f.ends_with(".json") ? 5 : 0)) +
                             ".min.json"
                       : out;
  };
  std::vector<model::Trace> traces;  // every input is read and checked before any work
  for (const auto& f : files) {
    check_output_file(out_path(f), "-o");
    traces.push_back(model::load_trace(f));
    if (traces.back().expect)
      check_property_ids(traces.back().expect->properties, f + ": expect.properties");
  }
  int worst = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& f = files[i];
    const model::Trace& t = traces[i];
    const auto r = fuzz::minimize(t, props);
    if (!r.violated) {
      std::cout << f << ": no property is violated; nothing to minimize\n";
      continue;
    }
    const std::string path = out_path(f);
    write_file_atomic(path, model::trace_to_json(r.trace).dump(2) + "\n");
    std::cout << f << ": " << t.steps.size() << " -> " << r.trace.steps.size()
              << " steps, still violating " << r.property << " at step " << r.trace.expect->step
              << "; written to " << path << "\n";
    worst = worse_exit(worst, 1);
  }
  return worst;
}

}  // namespace

void add_check(CLI::App& app, OptionStore& store, int& rc) {
  auto& opt = store.make<CheckOptions>();
  auto* cmd = app.add_subcommand("check",
                                 "Random stateful search (RapidCheck) for a property violation in "
                                 "a design variant; shrinks the first one "
                                 "found and writes it as a replayable trace.\nExample: pasidcheck "
                                 "check --preset proposal-2021 --properties "
                                 "no-wx-dma --seed 1 --time-budget 60");
  add_variant_options(*cmd, opt.variant);
  cmd->add_option("--properties", opt.properties, "look for violations of these properties only")
      ->delimiter(',');
  cmd->add_option("--seed", opt.search.seed, "seed (the same seed gives the same search)")
      ->check(integer_in(0, kMaxSeed))
      ->capture_default_str();
  cmd->add_option("--runs", opt.search.runs, "op sequences to try, at most")
      ->check(integer_in(1, 1000000000))
      ->capture_default_str();
  cmd->add_option("--max-steps", opt.search.max_steps, "longest op sequence")
      ->check(integer_in(1, 100000))
      ->capture_default_str();
  cmd->add_option("--time-budget", opt.search.time_budget, "seconds")
      ->check(finite_in(0.001, 31536000))
      ->capture_default_str();
  cmd->add_option("--out", opt.out, "folder for the counterexample trace")->capture_default_str();
  cmd->add_option("--reproduce", opt.search.reproduce,
                  "re-run one run alone: SEED/RUN, as an earlier run printed it");
  cmd->add_option("--junit", opt.junit,
                  "write JUnit XML (a failure for the property found violated)");
  cmd->add_option("--report", opt.report,
                  "also write a JSON summary (found, runs, seconds, lengths)");
  cmd->add_flag("-q,--quiet", opt.quiet, "no progress and no explanation");
  cmd->callback([&rc, &opt] { rc = run_check(opt); });
}

void add_minimize(CLI::App& app, OptionStore& store, int& rc) {
  struct MinimizeOptions {
    std::vector<std::string> files, props;
    std::string out;
  };
  auto& opt = store.make<MinimizeOptions>();
  auto* cmd = app.add_subcommand(
      "minimize",
      "Shrink a violating trace (delta debugging) while it keeps its first violated property; "
      "writes TRACE.min.json.\nExample: pasidcheck minimize my-bug.json");
  cmd->add_option("traces", opt.files, "trace files")->required();
  cmd->add_option("--properties", opt.props, "properties to check")->delimiter(',');
  cmd->add_option("-o,--out", opt.out, "output file (one input trace)");
  cmd->callback([&rc, &opt] { rc = run_minimize(opt.files, opt.props, opt.out); });
}

}  // namespace pasidcheck::cli
