// `pasidcheck prove`: bounded proofs.
//  - `--engine explicit` (default) explores the full executable model for the config given.
//  - `--engine bmc|kind|spacer|all`, or `--kcore`, work on kcore (solver/kcore/kcore.h): the
//    reduced core that Z3 encodes, for the variant's knobs; `all` runs the four engines and
//    requires that they agree.
// Every counterexample is annotated and replayed on the executable model before it is reported:
// a witness that does not replay, a Spacer invariant that a fresh solver rejects, or engines that
// disagree are internal errors (exit 4), never verdicts.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cli/commands.h"
#include "cli/config_args.h"
#include "cli/gate.h"
#include "cli/prove_grid.h"
#include "cli/prove_options.h"
#include "cli/prove_validate.h"
#include "fuzz/minimize.h"
#include "model/stop.h"
#include "properties/replay.h"
#include "solver/engine.h"
#include "solver/explicit.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::cli {

namespace {

int run_full_explicit(ProveOptions& opt) {
  const model::Config c = make_config(opt.variant);
  const auto r = solver::explore(c, opt.explicit_opt);
  std::cout << "explicit: " << r.states << " states, " << r.transitions << " transitions, depth "
            << r.depth_completed << (r.exhausted ? " (state space exhausted)" : "") << ", "
            << r.seconds << " s, " << static_cast<long long>(r.states / std::max(r.seconds, 1e-9))
            << " states/s, " << r.bytes_per_state << " bytes/state key"
            << (r.memory_capped ? "; stopped at the memory cap (--max-memory)"
                : r.time_capped ? "; stopped at the time budget (--timeout)"
                : r.interrupted ? "; interrupted (SIGINT/SIGTERM)"
                                : "")
            << "\n";
  int rc = 0;
  for (const auto& [id, o] : r.outcomes) {
    if (!o.violated) {
      std::cout << "  " << id << ": holds "
                << (r.exhausted ? "for all depths"
                                : "up to depth " + std::to_string(r.depth_completed))
                << " (explicit)\n";
      if (!r.exhausted) rc = worse_exit(rc, 2);
      continue;
    }
    model::Trace t = o.trace;
    fuzz::annotate_outcomes(t);
    t.name = "prove-" + c.preset + "-" + id;
    t.description = "shortest counterexample found by `pasidcheck prove --engine explicit` (BFS)";
    const auto replayed = properties::replay(t);
    if (replayed.bad_input || !replayed.failures.empty()) {
      std::cerr << "pasidcheck: internal error: the explicit witness for " << id
                << " does not replay\n";
      return 4;
    }
    std::filesystem::create_directories(opt.out);
    const auto path = (std::filesystem::path(opt.out) / (c.preset + "-" + id + ".json")).string();
    write_file_atomic(path, model::trace_to_json(t).dump(2) + "\n");
    std::cout << "  " << id << ": violated at depth " << t.steps.size() << " -> " << path << "\n";
    rc = worse_exit(rc, 1);  // a violation is exit 1 whatever else is bounded
  }
  return rc;
}

using Row = ProveRow;

// Replays a witness; returns the path written, or nothing when it does not replay.
std::optional<std::string> check_witness(const Row& row, const std::string& out) {
  model::Trace t = *row.r.trace;
  fuzz::annotate_outcomes(t);
  t.name = "prove-" + row.variant + "-" + row.property + "-" + row.r.engine;
  t.description = "counterexample from `pasidcheck prove --engine " + row.r.engine +
                  "` on kcore (docs/engines.md)";
  const auto replayed = properties::replay(t);
  if (replayed.bad_input || !replayed.failures.empty()) {
    std::cerr << "pasidcheck: internal error: the " << row.r.engine << " witness for "
              << row.property << " on " << row.variant << " does not replay: "
              << (replayed.bad_input ? *replayed.bad_input : replayed.failures.front()) << "\n";
    return std::nullopt;
  }
  std::filesystem::create_directories(out);
  std::string row_name = row.row;
  std::replace(row_name.begin(), row_name.end(), '/', '-');
  const auto path = (std::filesystem::path(out) / (row.variant + "-" + row_name + "-" +
                                                   row.property + "-" + row.r.engine + ".json"))
                        .string();
  write_file_atomic(path, model::trace_to_json(t).dump(2) + "\n");
  return path;
}

// Engines that finished must agree: no proof against a counterexample, and the shortest
// counterexamples of bmc and explicit have the same length.
std::optional<std::string> disagreement(const std::vector<Row>& rows) {
  const Row* violated = nullptr;
  const Row* proved = nullptr;
  std::optional<int> shortest;
  for (const auto& row : rows) {
    if (row.r.verdict == solver::Verdict::violated) {
      violated = &row;
      if (row.r.engine == "bmc" || row.r.engine == "explicit") {
        if (shortest && *shortest != row.r.depth)
          return "bmc and explicit report shortest counterexamples of different lengths";
        shortest = row.r.depth;
      }
    }
    if (row.r.verdict == solver::Verdict::holds && row.r.all_depths) proved = &row;
  }
  if (violated && proved)
    return proved->r.engine + " proves what " + violated->r.engine + " refutes";
  for (const auto& row : rows)
    if (violated && row.r.verdict == solver::Verdict::holds && row.r.depth >= violated->r.depth &&
        (row.r.engine == "bmc" || row.r.engine == "explicit"))
      return row.r.engine + " holds to depth " + std::to_string(row.r.depth) + " but " +
             violated->r.engine + " found a violation of length " +
             std::to_string(violated->r.depth);
  return std::nullopt;
}

// What a kcore run covers, resolved from the options and checked before any work starts.
struct KcorePlan {
  std::vector<std::string> engines, props, rows;
  std::vector<model::Config> configs;  // the variants (full configs; kcore::make_config sizes them)
};

KcorePlan plan_kcore(const ProveOptions& opt) {
  if (!opt.variant.bounds.empty())
    throw model::TraceError("command line", "--bound",
                            "the Z3 engines use the kcore bounds (docs/engines.md); --bound "
                            "applies to `prove --engine explicit` on the full model");
  KcorePlan plan;
  std::vector<std::string>& engines = plan.engines;
  for (const auto& e : opt.engines) {
    if (e == "all")
      engines.insert(engines.end(), solver::engine_names().begin(), solver::engine_names().end());
    else
      engines.push_back(e);
  }
  std::string known;  // "bmc, kind, ..., " for the message
  for (const auto& n : solver::engine_names()) known += n + ", ";
  for (const auto& e : engines)
    if (!solver::make_engine(e))
      throw model::TraceError("command line", "--engine",
                              "unknown engine '" + e + "' (" + known + "all)");
  std::vector<std::string>& props = plan.props;
  props = opt.explicit_opt.properties;
  if (props.empty()) props = solver::kcore::property_ids();
  for (const auto& p : props) {
    const auto& ids = solver::kcore::property_ids();
    if (std::find(ids.begin(), ids.end(), p) == ids.end()) {
      std::string known;
      for (const auto& id : ids) known += (known.empty() ? "" : ", ") + id;
      throw model::TraceError("command line", "--properties",
                              "kcore encodes " + known + "; not '" + p + "'");
    }
  }
  std::vector<std::string> variants = opt.variants;
  if (variants.size() == 1 && variants[0] == "all") {
    variants.clear();
    for (const auto& p : model::preset_table()) variants.push_back(p.name);
  }
  std::vector<model::Config>& configs = plan.configs;
  if (variants.empty()) {
    configs.push_back(make_config(opt.variant));
  } else {
    for (const auto& v : variants) {
      VariantArgs a = opt.variant;
      a.preset = v;
      configs.push_back(make_config(a));
    }
  }
  std::vector<std::string>& kcore_rows = plan.rows;
  kcore_rows = opt.rows;
  if (kcore_rows.size() == 1 && kcore_rows[0] == "all") kcore_rows = solver::kcore::rows();
  if (kcore_rows.empty()) kcore_rows = {""};
  for (const auto& r : kcore_rows) {
    const auto& known = solver::kcore::rows();
    if (!r.empty() && std::find(known.begin(), known.end(), r) == known.end() && r != "kva/both")
      throw model::TraceError(
          "command line", "--rows",
          "unknown row '" + r + "' (bypass|iova|kva|sva / trusted|untrusted, kva/both, or all)");
  }
  // Every variant kcore cannot express at this size is refused before any work starts.
  for (const auto& variant : configs) {
    if (auto why = solver::kcore::unsupported(variant))
      throw model::TraceError("command line", "--preset " + variant.preset, *why);
    try {
      solver::kcore::variant_of(solver::kcore::make_config(
          variant, {opt.kcore_frames, opt.kcore_devices, opt.kcore_slots}));
    } catch (const model::InputError& e) {
      throw model::TraceError("command line", "--preset " + variant.preset, e.what());
    }
  }
  return plan;
}

// Run: every engine on one (variant, row), all the row's properties at once (kcore-bfs: one
// exploration). by_engine[e][p] answers props[p].
std::vector<std::vector<solver::EngineResult>> run_kcore_row(const ProveOptions& opt,
                                                             const KcorePlan& plan,
                                                             const model::Config& c,
                                                             const std::string& kr) {
  std::vector<std::vector<solver::EngineResult>> by_engine;
  for (const auto& e : plan.engines) {
    const solver::ProveProblem p{.config = c,
                                 .property = plan.props.front(),
                                 .depth = opt.explicit_opt.max_depth,
                                 .timeout = opt.explicit_opt.time_budget,
                                 .check_proofs = opt.check_proofs,
                                 .row = kr,
                                 .max_states = opt.explicit_opt.max_states,
                                 .jobs = opt.jobs};
    by_engine.push_back(solver::make_engine(e)->check_properties(p, plan.props));
  }
  return by_engine;
}

// Agree: one cell's answers, each witness replayed on the executable model and written, each
// Spacer invariant re-checked, and the engines compared. Exit 4 (internal error) when any of
// that fails; else the cell's exit code (1 violated, 2 bounded or unknown, 0 proved).
int agree_on_cell(const ProveOptions& opt, std::vector<Row>& cellrows) {
  int rc = 0;
  for (Row& row : cellrows) {
    if (row.r.trace) {
      auto path = check_witness(row, opt.out);
      if (!path) return 4;
      row.file = *path;
    }
    if (row.r.proof_checked && !*row.r.proof_checked) {
      std::cerr << "pasidcheck: internal error: a fresh solver rejects Spacer's invariant for "
                << row.property << " on " << row.variant << "\n";
      return 4;
    }
    if (row.r.verdict == solver::Verdict::violated)
      rc = worse_exit(rc, 1);
    else if (!(row.r.verdict == solver::Verdict::holds && row.r.all_depths))
      rc = worse_exit(rc, 2);  // bounded or unknown: exit 2 unless something is violated
  }
  if (auto d = disagreement(cellrows)) {
    std::cerr << "pasidcheck: internal error: engines disagree on " << cellrows.front().property
              << " for " << cellrows.front().variant << " " << cellrows.front().row << ": " << *d
              << "\n";
    return 4;
  }
  return rc;
}

// Validate (--validate), run, agree, report (cli/prove_grid.cpp formats the table).
int run_kcore(ProveOptions& opt) {
  const KcorePlan plan = plan_kcore(opt);
  const solver::kcore::Size size{opt.kcore_frames, opt.kcore_devices, opt.kcore_slots};
  std::vector<Row> rows;
  int rc = 0;
  // Markdown and grid print the table at the end: a progress line per cell goes to stderr
  // meanwhile.
  const std::size_t cells = plan.configs.size() * plan.rows.size() * plan.props.size();
  std::size_t done = 0;
  if (opt.validate) {
    std::vector<model::Config> kcore_configs;
    for (const auto& variant : plan.configs)
      kcore_configs.push_back(solver::kcore::make_config(variant, size));
    rc = validate_kcore_rows(opt, kcore_configs, plan.rows);
    if (rc == 4) return rc;
  }
  for (const auto& variant : plan.configs) {
    if (stop_requested()) break;  // SIGINT/SIGTERM: the cells done so far are reported
    const model::Config c = solver::kcore::make_config(variant, size);
    for (const auto& kr : plan.rows) {
      if (stop_requested()) break;
      const auto by_engine = run_kcore_row(opt, plan, c, kr);
      const bool interrupted = stop_requested();
      for (std::size_t pi = 0; pi < plan.props.size(); ++pi) {
        std::vector<Row> cellrows;
        for (std::size_t ei = 0; ei < plan.engines.size(); ++ei)
          cellrows.push_back({c.preset, kr.empty() ? "any" : kr, plan.props[pi], by_engine[ei][pi],
                              "", size.frames, size.devices, size.slots, interrupted});
        const int cell_rc = agree_on_cell(opt, cellrows);
        if (cell_rc == 4) return 4;
        rc = worse_exit(rc, cell_rc);
        for (const auto& row : cellrows) {
          if (opt.format == "text") print_prove_line(std::cout, row, !opt.variants.empty());
        }
        if (opt.format != "text") print_prove_progress(std::cerr, cellrows, ++done, cells);
        rows.insert(rows.end(), cellrows.begin(), cellrows.end());
      }
    }
  }
  if (opt.format == "markdown") print_prove_markdown(std::cout, rows);
  if (opt.format == "grid") print_grid(std::cout, rows, plan.props);
  if (stop_requested()) print_prove_incomplete(std::cout, rows, plan.engines.size(), cells);
  if (cells > 1) print_prove_summary(std::cout, rows, plan.engines, cells, opt.format != "text");
  if (!opt.report.empty()) write_prove_report(rows, opt.report);
  return rc;
}

int run_prove(ProveOptions& opt) {
  validate_prove_options(opt);  // before any work (cli/prove_options.cpp)
  return full_model_run(opt) ? run_full_explicit(opt) : run_kcore(opt);
}

}  // namespace

void add_prove(CLI::App& app, OptionStore& store, int& rc) {
  auto& opt = store.make<ProveOptions>();
  const std::string help = [] {
    std::string ids;
    for (const auto& id : solver::kcore::property_ids()) ids += (ids.empty() ? "" : ", ") + id;
    return "Bounded proofs and shortest counterexamples.\n"
           "  --engine explicit (default): exhaustive BFS of the full executable model for the "
           "config.\n"
           "  --engine bmc|kind|spacer|all (or --kcore): the reduced core `kcore` that Z3 encodes "
           "(one large direct-map block, one vmalloc group, one IOVA page, dsa0 + tbt0 with a "
           "PASID each, enabled in kva, bypass or iova mode and disabled in the variant's "
           "teardown order, or in the sva rows bound to one mm with one user page and its page "
           "requests; every op kind, DMA and ATS translations of every address space included; "
           "properties " +
           ids +
           "; docs/engines.md). `all` runs bmc, kind, spacer, explicit "
           "and kcore-bfs and fails (exit 4) if they disagree. --kcore-frames F (2..6) sizes "
           "kcore's block (default 3); --kcore-devices N (2..4) adds dsa1 and tbt1, copies of "
           "dsa0 and tbt0 with a kernel PASID each (PASID scaling; a row's trust then names "
           "every device of that trust); --kcore-slots 2 gives slab frames two objects, so a "
           "dma_map or kva_map of one is sub-page (swiotlb bounce buffers for untrusted "
           "devices, kva_page_aligned_untrusted).\n"
           "  --engine kcore-bfs: exhaustive BFS of kcore with its compiled transition (the Z3 "
           "encoding's own source on concrete values): the same states as explicit --kcore, 15x "
           "faster on kva/both; --jobs 2 computes successors on two threads (same result).\n"
           "Every counterexample is replayed on the executable model before it is reported.\n"
           "Exit: 0 all hold for all depths, 1 some violated (whatever else is bounded or "
           "unknown), 2 some hold only up to the bound or are unknown, 3 bad input, 4 internal "
           "error; precedence 3 > 4 > 1 > 2 > 0.\n"
           "Examples:\n"
           "  pasidcheck prove --preset revamp --bound frames=4 --depth 6 --timeout 60\n"
           "  pasidcheck prove --engine spacer --preset revamp --properties no-wx-dma "
           "--check-proofs\n"
           "  pasidcheck prove --engine all --preset revamp --rows all --check-proofs\n"
           "  pasidcheck prove --engine kcore-bfs --jobs 2 --preset revamp --rows all\n"
           "  pasidcheck prove --engine bmc,spacer,explicit --kcore-frames 5 --rows kva/untrusted\n"
           "  pasidcheck prove --engine bmc,spacer --kcore-devices 4 --rows kva/both\n"
           "  pasidcheck prove --engine bmc,spacer,explicit --kcore-slots 2 --variants "
           "revamp,revamp-no-bounce --rows iova/untrusted --properties untrusted-confined\n"
           "  pasidcheck prove --engine bmc,spacer,explicit --variants all --rows kva/trusted "
           "--format markdown";
  }();
  auto* cmd = app.add_subcommand("prove", help);
  add_variant_options(*cmd, opt.variant);
  std::vector<std::string> engine_names = solver::engine_names();
  engine_names.push_back("all");
  cmd->add_option("--engine", opt.engines,
                  "explicit, bmc, kind, spacer, kcore-bfs, all, or a comma list (kcore: "
                  "bmc,spacer,explicit)")
      ->delimiter(',')
      ->check(CLI::IsMember(engine_names))
      ->capture_default_str();
  cmd->add_flag("--kcore", opt.kcore, "run the explicit engine on kcore (as the Z3 engines do)");
  cmd->add_option("--variants", opt.variants,
                  "kcore: presets/knock-outs to run (comma list, or `all`) instead of --preset")
      ->delimiter(',')
      ->excludes(cmd->get_option("--preset"));
  cmd->add_option(
         "--rows", opt.rows,
         "kcore: restrict pasid_enable to one mode and device trust per row (comma list of "
         "kva/trusted, kva/untrusted, iova/trusted, iova/untrusted, bypass/trusted, "
         "bypass/untrusted, sva/trusted, sva/untrusted (sva_bind of mm 0, page requests), "
         "kva/both (both devices in KVA mode: the SPIN/Quint peers' core), or `all`); "
         "default: both devices, every kernel mode (no SVA); implies a kcore run")
      ->delimiter(',');
  cmd->add_option("--depth", opt.explicit_opt.max_depth,
                  "deepest level (explicit), unrolling (bmc) or k (kind)")
      ->check(integer_in(1, 10000))
      ->capture_default_str();
  cmd->add_option("--timeout", opt.explicit_opt.time_budget,
                  "seconds per engine run (kcore-bfs: one run per row answers all its properties)")
      ->check(finite_in(0.001, 31536000))
      ->capture_default_str();
  cmd->add_option("--max-states", opt.explicit_opt.max_states,
                  "explicit, kcore-bfs: stop after this many states")
      ->check(integer_in(1, 4000000000LL))
      ->capture_default_str();
  cmd->add_option("--max-memory", opt.max_memory_mib,
                  "explicit: stop (holds up to depth d, exit 2) before the states kept would "
                  "pass this many MiB; a config whose one state is larger is refused (exit 3). "
                  "Default: half of physical memory")
      ->check(integer_in(16, 1LL << 30));
  cmd->add_option("--jobs", opt.jobs, "kcore-bfs: threads computing successors")
      ->check(integer_in(1, 64))
      ->capture_default_str();
  auto* frames_opt =
      cmd->add_option("--kcore-frames", opt.kcore_frames,
                      "kcore: frames in its one direct-map block (2..6; bmc, kind, spacer and "
                      "explicit; kcore-bfs packs 3 only); implies a kcore run")
          ->capture_default_str();
  auto* devices_opt =
      cmd->add_option("--kcore-devices", opt.kcore_devices,
                      "kcore: devices, one kernel PASID each (2..4: dsa0, tbt0, dsa1, tbt1; "
                      "bmc, kind, spacer and explicit; kcore-bfs packs 2 only); implies a kcore "
                      "run")
          ->capture_default_str();
  auto* slots_opt =
      cmd->add_option("--kcore-slots", opt.kcore_slots,
                      "kcore: slab objects per frame (1..2; with 2 a dma_map or kva_map of one "
                      "is sub-page: swiotlb bounce buffers, kva_page_aligned_untrusted; bmc, "
                      "kind, spacer and explicit; kcore-bfs packs 1 only); implies a kcore run")
          ->capture_default_str();
  cmd->add_option("--properties", opt.explicit_opt.properties, "properties to check")
      ->delimiter(',');
  cmd->add_flag("--validate", opt.validate,
                "kcore runs: first explore the executable model's every reachable state of each "
                "row on kcore's alphabet and compare, on every state and input, its successor and "
                "every property's verdict with kcore's (up to --max-states, --timeout): a "
                "mismatch is an internal error (exit 4)");
  cmd->add_flag(
      "--check-proofs", opt.check_proofs,
      "spacer: re-check the inductive invariant (init, step, safety) with a fresh solver");
  cmd->add_option("--format", opt.format,
                  "text, markdown (one line per cell), or grid (kcore runs: one line per "
                  "variant, one column per property; docs/results.md's form)")
      ->capture_default_str();
  cmd->add_option("--report", opt.report, "kcore runs: write the rows as JSON to this file");
  cmd->add_option("--out", opt.out, "folder for counterexample traces")->capture_default_str();
  cmd->callback([&rc, &opt, frames_opt, devices_opt, slots_opt] {
    opt.kcore_size_given =
        frames_opt->count() > 0 || devices_opt->count() > 0 || slots_opt->count() > 0;
    rc = run_prove(opt);
  });
}

}  // namespace pasidcheck::cli
