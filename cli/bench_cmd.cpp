// `pasidcheck bench`: figures measured in one run, as JSON.
//  - model: steps/s (apply only, and apply + every property), RapidCheck sequences/s and steps/s,
//    on the small default config, 256 frames, and 1024 frames with 16 devices and 64 PASIDs;
//  - explicit: explorer states/s and bytes per state (full model and kcore);
//  - z3: time to verdict per engine on kcore, and scaling with depth (bmc, explicit) and with
//    frames (explicit on the full model);
//  - scaling: time to verdict as kcore's frames grow (bmc, spacer, explicit; a holding and a
//    violated cell), and as the full model's PASIDs grow (explicit to a fixed depth).

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/config_args.h"
#include "cli/gate.h"
#include "fuzz/op_gen.h"
#include "fuzz/search.h"
#include "model/footprint.h"
#include "model/stop.h"
#include "properties/incremental_capability.h"
#include "properties/property.h"
#include "solver/engine.h"
#include "solver/explicit.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::cli {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct BenchOptions {
  double seconds = 5;
  bool json_only = false;
  std::vector<std::string> sections{"model", "explicit", "z3"};
};

// The fixed workload: `count` generated sequences of 30 ops (seeds 1..count), each from boot.
std::vector<std::vector<model::Op>> sequences(const model::Model& m, int count) {
  std::vector<std::vector<model::Op>> out;
  for (int i = 0; i < count; ++i)
    out.push_back(fuzz::generated_ops(m, static_cast<std::uint64_t>(i) + 1, 30));
  return out;
}

// Steps per second over the fixed sequences, with the properties checked after every op:
// not at all, from scratch (check_all), incrementally with full reports (CapabilityCache and
// check_all), or incrementally for verdicts (check_first: what `check` runs after every op).
enum class Props { none, from_scratch, incremental_reports, incremental_verdicts };

struct Rate {
  double steps_per_s = 0;
  double violating_share = 0;  // steps after which some property is violated
};

Rate rate(const model::Model& m, const std::vector<std::vector<model::Op>>& seqs, Props props,
          double seconds) {
  std::vector<const properties::Property*> all;
  properties::select_properties({}, all);
  long long steps = 0, violating = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  properties::CapabilityCache cache(m);
  const bool incremental =
      props == Props::incremental_reports || props == Props::incremental_verdicts;
  for (std::size_t i = 0; elapsed < seconds && !stop_requested(); i = (i + 1) % seqs.size()) {
    model::State s = m.boot();
    if (incremental) cache.update(s);  // back at boot: compare everything
    for (const auto& op : seqs[i]) {
      const bool applied = m.apply(s, op).applied;
      if (incremental)
        cache.update_after(
            s, applied ? model::footprint(op) : model::Footprint{model::Footprint::Devices::none});
      if (props == Props::from_scratch) violating += !properties::check_all(m, s, all).empty();
      if (props == Props::incremental_reports)
        violating += !properties::check_all(m, s, all, cache).empty();
      if (props == Props::incremental_verdicts)
        violating += !properties::check_first(m, s, all, cache).empty();
      ++steps;
    }
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return {steps / elapsed, static_cast<double>(violating) / std::max(1LL, steps)};
}

json measure(const model::Config& c, double seconds) {
  const model::Model m(c);
  const auto seqs = sequences(m, 200);
  const Rate verdicts = rate(m, seqs, Props::incremental_verdicts, seconds / 5);
  const Rate reports = rate(m, seqs, Props::incremental_reports, seconds / 5);
  const Rate scratch = rate(m, seqs, Props::from_scratch, seconds / 5);
  const Rate apply = rate(m, seqs, Props::none, seconds / 5);
  fuzz::SearchOptions so;
  so.time_budget = seconds / 5;
  so.properties = {"pasid-lifecycle"};
  const auto sr = fuzz::search(c, so);
  // All ten properties, where all hold: the verdict table's revamp kva/untrusted row (tbt0
  // alone, pasid_enable in KVA mode only), so that the search runs its whole budget.
  model::Config row = c;
  row.devices = {model::default_devices()[1]};
  row.devices_explicit = true;
  fuzz::SearchOptions all = so;
  all.properties = {};
  all.filter.any = false;
  all.filter.mode = model::Mode::kva;
  const auto ar = fuzz::search(row, all);
  return {{"preset", c.preset},
          {"frames", c.bounds.frames},
          {"devices", c.devices.size()},
          {"pasids", c.bounds.pasids},
          {"model_steps_per_s", apply.steps_per_s},
          {"model_steps_per_s_all_properties", verdicts.steps_per_s},
          {"model_steps_per_s_all_properties_full_reports", reports.steps_per_s},
          {"model_steps_per_s_all_properties_from_scratch", scratch.steps_per_s},
          {"violating_steps_share", verdicts.violating_share},
          {"check_sequences_per_s", sr.runs / std::max(sr.elapsed, 1e-9)},
          {"check_steps_per_s", sr.steps / std::max(sr.elapsed, 1e-9)},
          {"check_found", sr.found},
          {"check_steps_per_s_all_properties_kva_untrusted", ar.steps / std::max(ar.elapsed, 1e-9)},
          {"check_found_all_properties_kva_untrusted", ar.found}};
}

model::Config kcore_of(const std::string& preset) {
  VariantArgs v;
  v.preset = preset;
  return solver::kcore::make_config(make_config(v));
}

json explorer(const model::Config& c, double seconds, int depth, bool kcore) {
  solver::ExplicitOptions o;
  o.max_depth = depth;
  o.time_budget = seconds;
  if (kcore) o.alphabet = solver::kcore::alphabet(solver::kcore::variant_of(c, "kva/trusted"));
  const auto r = solver::explore(c, o);
  return {{"preset", c.preset},
          {"kcore", kcore},
          {"frames", c.bounds.frames},
          {"depth_completed", r.depth_completed},
          {"exhausted", r.exhausted},
          {"states", r.states},
          {"transitions", r.transitions},
          {"seconds", r.seconds},
          {"states_per_s", r.states / std::max(r.seconds, 1e-9)},
          {"bytes_per_state_key", r.bytes_per_state}};
}

json engine_run(const std::string& engine, const std::string& preset, const std::string& prop,
                int depth, double timeout) {
  solver::ProveProblem p{.config = kcore_of(preset),
                         .property = prop,
                         .depth = depth,
                         .timeout = timeout,
                         .row = "kva/trusted"};
  const auto r = solver::make_engine(engine)->check(p);
  return {{"engine", engine},           {"preset", preset},
          {"property", prop},           {"verdict", solver::to_string(r.verdict)},
          {"all_depths", r.all_depths}, {"depth", r.depth},
          {"states", r.states},         {"seconds", r.seconds}};
}

// One engine on one kcore cell of a size (prove --kcore-frames, --kcore-devices).
json sized_run(const std::string& engine, const std::string& preset, const std::string& prop,
               const std::string& row, solver::kcore::Size size, int depth, double timeout) {
  VariantArgs v;
  v.preset = preset;
  solver::ProveProblem p{.config = solver::kcore::make_config(make_config(v), size),
                         .property = prop,
                         .depth = depth,
                         .timeout = timeout,
                         .row = row};
  const auto r = solver::make_engine(engine)->check(p);
  return {{"engine", engine},
          {"preset", preset},
          {"row", row},
          {"property", prop},
          {"frames", size.frames},
          {"devices", size.devices},
          {"verdict", solver::to_string(r.verdict)},
          {"all_depths", r.all_depths},
          {"depth", r.depth},
          {"states", r.states},
          {"seconds", r.seconds}};
}

// The explorer on kcore's alphabet (row kva/trusted) to a fixed depth: the depth scaling of
// `explicit` (the engine itself always runs until the row is exhausted).
json explicit_to_depth(const std::string& preset, const std::string& prop, int depth) {
  const model::Config c = kcore_of(preset);
  solver::ExplicitOptions o;
  o.max_depth = depth;
  o.time_budget = 120;
  o.properties = {prop};
  o.alphabet = solver::kcore::alphabet(solver::kcore::variant_of(c, "kva/trusted"));
  const auto r = solver::explore(c, o);
  const auto& out = r.outcomes.at(prop);
  return {{"engine", "explicit"},
          {"preset", preset},
          {"property", prop},
          {"verdict", out.violated ? "violated" : "holds"},
          {"all_depths", r.exhausted},
          {"depth", out.violated ? static_cast<int>(out.trace.steps.size()) : r.depth_completed},
          {"states", r.states},
          {"seconds", r.seconds}};
}

int run_bench(const BenchOptions& opt) {
  for (const auto& s : opt.sections)
    if (s != "model" && s != "explicit" && s != "z3" && s != "scaling")
      throw model::TraceError("command line", "--sections",
                              "unknown section '" + s + "' (model, explicit, z3, scaling)");
  auto want = [&](const char* s) {
    return std::find(opt.sections.begin(), opt.sections.end(), s) != opt.sections.end();
  };
  VariantArgs small;
  small.preset = "revamp";
  json out{{"machine", "see `nproc`/`lscpu`; single-threaded"}, {"seconds_per_run", opt.seconds}};
  if (want("model")) {
    VariantArgs big = small;
    big.bounds = {"frames=256",    "large=8",   "slots=4",       "vmalloc_pages=32",
                  "iova_pages=32", "pasids=16", "user_pages=16", "mms=4"};
    VariantArgs huge = small;
    huge.bounds = {"frames=1024",   "large=8",   "slots=4",       "vmalloc_pages=64",
                   "iova_pages=64", "pasids=64", "user_pages=16", "mms=4"};
    model::Config hc = make_config(huge);
    hc.devices.clear();
    for (int d = 0; d < 16; ++d) {
      model::DeviceAttrs a = model::default_devices()[d % 2];
      a.name += "_" + std::to_string(d);
      hc.devices.push_back(a);
    }
    hc.devices_explicit = true;
    out["configs"] = {measure(make_config(small), opt.seconds),
                      measure(make_config(big), opt.seconds), measure(hc, opt.seconds)};
  }
  if (want("explicit")) {
    json e = json::array();
    e.push_back(explorer(make_config(small), opt.seconds, 4, false));
    e.push_back(explorer(kcore_of("revamp"), opt.seconds, 12, true));
    for (int frames : {4, 8, 16}) {  // scaling with frames: full model, depth 4
      VariantArgs v = small;
      v.bounds = {"frames=" + std::to_string(frames)};
      e.push_back(explorer(make_config(v), 4 * opt.seconds, 4, false));
    }
    out["explicit"] = e;
  }
  if (want("z3")) {
    json z = json::array();
    for (const auto& engine : solver::engine_names()) {
      z.push_back(engine_run(engine, "revamp-no-cpa", "no-wx-dma", 10, 60));
      z.push_back(engine_run(engine, "revamp", "no-stale-iotlb", 6, 60));
    }
    out["z3_time_to_verdict"] = z;
    json d = json::array();
    for (int depth : {2, 4, 6, 8, 10}) {
      d.push_back(engine_run("bmc", "revamp", "no-wx-dma", depth, 120));
      d.push_back(explicit_to_depth("revamp", "no-wx-dma", depth));
    }
    d.push_back(engine_run("spacer", "revamp", "no-wx-dma", 0, 120));
    out["z3_scaling_depth"] = d;
  }
  if (want("scaling")) {
    // bmc to depth 6, spacer for all depths, explicit until exhausted; 30 s per run. A holding
    // cell and a violated one (the 4-step mirror drift).
    const std::pair<std::string, std::string> cells[] = {{"revamp", "no-stale-iotlb"},
                                                         {"revamp-no-cpa", "kva-mirror-exact"}};
    auto sized = [&](json& list, const std::string& row, solver::kcore::Size size) {
      for (const auto& [preset, prop] : cells)
        for (const char* engine : {"bmc", "spacer", "explicit"}) {
          list.push_back(sized_run(engine, preset, prop, row, size, 6, 30));
          std::cerr << "scaling: " << list.back().dump() << "\n";
        }
    };
    json f = json::array();
    for (int frames = solver::kcore::kMinFrames; frames <= solver::kcore::kMaxFrames; ++frames)
      sized(f, "kva/untrusted", {frames, solver::kcore::kDevices});
    out["z3_scaling_frames"] = f;
    // Kernel PASIDs: kva/both enables KVA on every device, one PASID each.
    json k = json::array();
    for (int devices = solver::kcore::kMinDevices; devices <= solver::kcore::kMaxDevices; ++devices)
      sized(k, "kva/both", {solver::kcore::kFrames, devices});
    out["z3_scaling_pasids"] = k;
    json q = json::array();
    for (int pasids : {2, 3, 4, 6, 8}) {  // the full model, depth 4
      VariantArgs v = small;
      v.bounds = {"pasids=" + std::to_string(pasids)};
      json e = explorer(make_config(v), 60, 4, false);
      e["pasids"] = pasids;
      q.push_back(e);
      std::cerr << "scaling: " << e.dump() << "\n";
    }
    out["explicit_scaling_pasids"] = q;
  }
  out["incomplete"] = stop_requested();  // SIGINT/SIGTERM cut the figures short
  std::cout << out.dump(2) << "\n";
  return 0;
}

}  // namespace

void add_bench(CLI::App& app, OptionStore& store, int& rc) {
  auto& opt = store.make<BenchOptions>();
  auto* cmd = app.add_subcommand(
      "bench",
      "Measure model steps/s (with and without properties) and check sequences/s; prints JSON");
  cmd->add_option("--seconds", opt.seconds, "time per config")
      ->check(finite_in(0.01, 3600))
      ->capture_default_str();
  cmd->add_flag("--json", opt.json_only, "JSON output (the default and only format)");
  cmd->add_option("--sections", opt.sections,
                  "model, explicit, z3, scaling (comma list; scaling is not in the default: "
                  "kcore frames 2..6 and PASIDs 2..4 for bmc, spacer and explicit, ~8 min)")
      ->delimiter(',')
      ->capture_default_str();
  cmd->callback([&rc, &opt] { rc = run_bench(opt); });
}

}  // namespace pasidcheck::cli
