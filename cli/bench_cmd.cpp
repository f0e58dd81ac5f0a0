// `pasidcheck bench`: throughput figures measured in one run, as JSON (and a short text summary).
// Model steps/s (apply only, and apply + every property), RapidCheck sequences/s and steps/s, on
// the small default config and on a 256-frame config.
#include <rapidcheck.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/config_args.h"
#include "fuzz/op_gen.h"
#include "fuzz/search.h"
#include "properties/property.h"

namespace pasidcheck::cli {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct BenchOptions {
  double seconds = 5;
  bool json_only = false;
};

// A fixed sequence of valid ops from the search generator (restarting from boot every 30 ops).
std::vector<std::vector<model::Op>> sequences(const model::Model& m, int count) {
  std::vector<std::vector<model::Op>> out;
  const auto gen = rc::gen::exec([&m] {
    std::vector<model::Op> ops;
    model::State s = m.boot();
    for (int i = 0; i < 30; ++i) {
      ops.push_back(*fuzz::gen_op(m, s));
      m.apply(s, ops.back());
    }
    return ops;
  });
  for (int i = 0; i < count; ++i)
    out.push_back(gen(rc::Random(static_cast<std::uint64_t>(i) + 1), 100).value());
  return out;
}

json measure(const model::Config& c, double seconds) {
  const model::Model m(c);
  const auto seqs = sequences(m, 200);
  std::vector<const properties::Property*> all;
  properties::select_properties({}, all);
  auto rate = [&](bool with_properties) {
    long long steps = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    for (std::size_t i = 0; elapsed < seconds / 4; i = (i + 1) % seqs.size()) {
      model::State s = m.boot();
      for (const auto& op : seqs[i]) {
        m.apply(s, op);
        if (with_properties) (void)properties::check_all(m, s, all);
        ++steps;
      }
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    return steps / elapsed;
  };
  fuzz::SearchOptions so;
  so.time_budget = seconds / 2;
  so.properties = {"pasid-lifecycle"};
  const auto sr = fuzz::search(c, so);
  return {{"preset", c.preset},
          {"frames", c.bounds.frames},
          {"devices", c.devices.size()},
          {"pasids", c.bounds.pasids},
          {"model_steps_per_s", rate(false)},
          {"model_steps_per_s_all_properties", rate(true)},
          {"check_sequences_per_s", sr.runs / std::max(sr.elapsed, 1e-9)},
          {"check_steps_per_s", sr.steps / std::max(sr.elapsed, 1e-9)},
          {"check_found", sr.found}};
}

int run_bench(const BenchOptions& opt) {
  VariantArgs small;
  small.preset = "revamp";
  VariantArgs big = small;
  big.bounds = {"frames=256",    "large=8",   "slots=4",       "vmalloc_pages=32",
                "iova_pages=32", "pasids=16", "user_pages=16", "mms=4"};
  json out{{"machine", "see `nproc`/`lscpu`; single-threaded"},
           {"seconds_per_config", opt.seconds},
           {"configs",
            {measure(make_config(small), opt.seconds), measure(make_config(big), opt.seconds)}}};
  std::cout << out.dump(2) << "\n";
  return 0;
}

}  // namespace

void add_bench(CLI::App& app, int& rc) {
  static BenchOptions opt;
  auto* cmd = app.add_subcommand(
      "bench",
      "Measure model steps/s (with and without properties) and check sequences/s; prints JSON");
  cmd->add_option("--seconds", opt.seconds, "time per config")->capture_default_str();
  cmd->add_flag("--json", opt.json_only, "JSON output (the default and only format)");
  cmd->callback([&rc] { rc = run_bench(opt); });
}

}  // namespace pasidcheck::cli
