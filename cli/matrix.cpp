// The verdict table's engines, row by row (cli/matrix.h): the explicit BFS of the full model at
// the default bounds, kcore-bfs at kcore's bounds (one exploration per distinct kcore row,
// shared by the variants whose kcore transition is the same), then the random search for what
// neither decided. The cell each row gets is decided by cli/matrix_cells.cpp.
#include "cli/matrix.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "cli/gate.h"
#include "cli/itf.h"
#include "cli/matrix_cells.h"
#include "fuzz/minimize.h"
#include "fuzz/search.h"
#include "model/input_error.h"
#include "model/stop.h"
#include "properties/replay.h"
#include "solver/engine.h"
#include "solver/explicit.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::cli {

using namespace model;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct RowSpec {
  std::string variant;
  Mode mode = Mode::iova;
  bool sva = false;
  bool trusted = true;
  std::string mode_name() const { return sva ? "sva" : to_string(mode); }
  std::string trust_name() const { return trusted ? "trusted" : "untrusted"; }
  std::string kcore_row() const { return mode_name() + "/" + trust_name(); }
};

// The table's rows in the canonical order: variants as preset_table() lists them (whatever order
// --presets gives), so that shards merge back into the same table.
std::vector<RowSpec> all_specs(const std::vector<std::string>& presets) {
  for (const auto& v : presets)
    if (!preset(v))
      throw model::InputError("unknown preset '" + v + "' (see `pasidcheck list presets`)");
  std::vector<std::string> variants;
  for (const auto& p : preset_table())
    if (presets.empty() || std::find(presets.begin(), presets.end(), p.name) != presets.end())
      variants.push_back(p.name);
  std::vector<RowSpec> specs;
  for (const auto& v : variants) {
    for (const auto& [mode, sva] : std::vector<std::pair<Mode, bool>>{
             {Mode::bypass, false}, {Mode::iova, false}, {Mode::kva, false}, {Mode::iova, true}})
      for (bool trusted : {true, false}) specs.push_back({v, mode, sva, trusted});
  }
  return specs;
}

Config preset_config(const std::string& variant) {
  Config c;
  c.preset = variant;
  c.knobs = *preset(variant);
  return c;
}

// One device per row: dsa0 (integrated, SATC, ATS, PRI) or tbt0 (external-facing, ATS, no PRI).
Config row_config(const RowSpec& r) {
  Config c = preset_config(r.variant);
  const auto defaults = default_devices();
  c.devices = {defaults[r.trusted ? 0 : 1]};
  c.devices_explicit = true;
  return c;
}

OpFilter row_filter(const RowSpec& r) {
  OpFilter f;
  f.any = false;
  f.mode = r.mode;
  f.sva = r.sva;
  return f;
}

// What the variant gives this device in this mode: a submode name, or "refused".
std::string probe(const Config& c, const RowSpec& r) {
  const Model m(c);
  State s = m.boot();
  Op op;
  if (r.sva) {
    op.kind = OpKind::mm_create;
    op.mm = 0;
    m.apply(s, op);
    op.kind = OpKind::sva_bind;
    op.dev = 0;
  } else {
    op.kind = OpKind::pasid_enable;
    op.dev = 0;
    op.pasid = 1;
    op.mode = r.mode;
  }
  const StepResult res = m.apply(s, op);
  if (!res.applied || res.outcome.result == Result::refused) return "refused";
  return to_string(res.outcome.submode);
}

std::string write_counterexample(Trace t, const MatrixOptions& opt, const Row& row,
                                 const std::string& property, const std::string& engine) {
  fuzz::annotate_outcomes(t);
  t.name = row.variant + "/" + row.mode + "-" + row.trust + "/" + property;
  t.description = "verdict-table counterexample (" + engine + "): " + property + " in " +
                  row.variant + ", " + row.mode + " mode (" + row.submode + "), " + row.trust +
                  " device";
  const auto replayed = properties::replay(t);
  if (replayed.bad_input || !replayed.failures.empty())
    throw std::runtime_error("counterexample for " + t.name + " does not replay");
  const auto dir = std::filesystem::path(opt.out) / row.variant;
  std::filesystem::create_directories(dir);
  const auto path = (dir / (row.mode + "-" + row.trust + "-" + property + ".json")).string();
  write_file_atomic(path, trace_to_json(t).dump(2) + "\n");
  write_itf(path.substr(0, path.size() - 5) + ".itf.json", t);
  return path;
}

// A kcore exploration: the rows (indices into the table) whose kcore transition is this one.
struct KcoreGroup {
  Config config;  // the first row's variant at kcore bounds
  std::string row;
  long long max_states = 0;  // the rows' budget (a group's rows all have the same one)
  std::vector<std::size_t> rows;
  std::vector<solver::EngineResult> results;  // per property
};

// The kcore groups of the table's rows; rows kcore cannot express get the reason in `why`.
// Rows share an exploration only with rows of the same budget, so that what a row claims never
// depends on which other rows ran with it (a shard).
std::vector<KcoreGroup> kcore_groups(const std::vector<RowSpec>& specs,
                                     const std::vector<std::size_t>& rows, const MatrixOptions& opt,
                                     std::vector<std::string>& why) {
  std::vector<KcoreGroup> groups;
  std::vector<std::pair<solver::kcore::Variant, long long>> keys;
  for (std::size_t i : rows) {
    const Config variant = preset_config(specs[i].variant);
    if (auto reason = solver::kcore::unsupported(variant)) {
      why[i] = "kcore cannot express this variant: " + *reason;
      continue;
    }
    try {
      const Config kc = solver::kcore::make_config(variant);
      const auto v = solver::kcore::variant_of(kc, specs[i].kcore_row());
      const bool focus =
          std::find(opt.focus.begin(), opt.focus.end(), specs[i].variant) != opt.focus.end();
      const long long budget = focus ? opt.focus_kcore_states : opt.kcore_states;
      const auto key = std::make_pair(v, budget);
      const auto at = std::find(keys.begin(), keys.end(), key) - keys.begin();
      if (at == static_cast<std::ptrdiff_t>(keys.size())) {
        keys.push_back(key);
        groups.push_back({kc, specs[i].kcore_row(), budget, {}, {}});
      }
      groups[at].rows.push_back(i);
    } catch (const model::InputError& e) {
      why[i] = std::string("kcore cannot express this row: ") + e.what();
    }
  }
  return groups;
}

}  // namespace

std::vector<std::tuple<std::string, std::string, std::string>> matrix_row_keys(
    const std::vector<std::string>& presets) {
  std::vector<std::tuple<std::string, std::string, std::string>> keys;
  for (const auto& s : all_specs(presets))
    keys.emplace_back(s.variant, s.mode_name(), s.trust_name());
  return keys;
}

void check_matrix_options(const MatrixOptions& opt) {
  (void)all_specs(opt.presets);
  for (const auto& v : opt.focus)
    if (!v.empty() && !preset(v))
      throw model::InputError("--focus: unknown preset '" + v +
                              "' (see `pasidcheck list presets`)");
}

Matrix run_matrix(const MatrixOptions& opt) {
  const auto start = Clock::now();
  Matrix mx;
  for (const auto& p : properties::registry()) mx.properties.push_back(p.id);
  mx.budgets = budgets_of(opt);
  if (opt.shards > 1) mx.shard = std::to_string(opt.shard) + "/" + std::to_string(opt.shards);
  check_matrix_options(opt);
  const std::vector<RowSpec> all = all_specs(opt.presets);
  std::vector<RowSpec> specs;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(opt.shards)) == opt.shard - 1)
      specs.push_back(all[i]);
  const std::size_t n = specs.size();
  mx.rows.resize(n);
  std::vector<RowRuns> runs(n);
  std::vector<std::size_t> live;  // rows the variant does not refuse
  for (std::size_t i = 0; i < n; ++i) {
    Row& row = mx.rows[i];
    row.variant = specs[i].variant;
    row.mode = specs[i].mode_name();
    row.trust = specs[i].trust_name();
    row.submode = probe(row_config(specs[i]), specs[i]);
    row.cells.assign(mx.properties.size(), {});
    if (row.submode != "refused") live.push_back(i);
  }
  std::vector<std::string> kcore_why(n);
  std::vector<KcoreGroup> groups;
  if (opt.use_kcore && opt.kcore_states > 0)
    groups = kcore_groups(specs, live, opt, kcore_why);
  else
    for (std::size_t i : live) kcore_why[i] = "kcore-bfs not run (--engines)";

  // The large-budget explorations first, so that they overlap the many small tasks.
  std::stable_sort(groups.begin(), groups.end(), [](const KcoreGroup& a, const KcoreGroup& b) {
    return a.max_states > b.max_states;
  });
  // Phase 1: kcore explorations and explicit explorations, `jobs` at a time (both are pure).
  // Each writes only its own slot, so the results do not depend on the order or the threads.
  const std::size_t tasks = groups.size() + (opt.use_explicit ? live.size() : 0);
  const int total = static_cast<int>(tasks + live.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::mutex progress_mu;
  auto report = [&](int d) {
    if (!opt.progress) return;
    std::lock_guard<std::mutex> lock(progress_mu);
    opt.progress(d, total, seconds_since(start));
  };
  auto worker = [&] {
    for (std::size_t t = next++; t < tasks; t = next++) {
      if (stop_requested()) break;
      if (t < groups.size()) {
        KcoreGroup& g = groups[t];
        const solver::ProveProblem p{.config = g.config,
                                     .property = mx.properties.front(),
                                     .depth = 1000,
                                     .timeout = opt.time_cap,
                                     .row = g.row,
                                     .max_states = g.max_states};
        g.results = solver::make_engine("kcore-bfs")->check_properties(p, mx.properties);
      } else {
        const std::size_t i = live[t - groups.size()];
        solver::ExplicitOptions eo;
        eo.time_budget = opt.time_cap;
        eo.max_depth = opt.max_depth;
        eo.max_states = opt.explicit_states;
        eo.filter = row_filter(specs[i]);
        runs[i].explicit_r = solver::explore(row_config(specs[i]), eo);
        runs[i].explicit_ran = true;
      }
      report(++done);
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < std::max(1, opt.jobs); ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  for (const auto& g : groups)
    for (std::size_t k = 0; k < g.rows.size(); ++k) {
      RowRuns& r = runs[g.rows[k]];
      if (g.results.empty()) continue;  // stopped before it ran
      r.kcore = g.results;
      r.row_config = row_config(specs[g.rows[k]]);
      r.kcore_config = solver::kcore::make_config(preset_config(specs[g.rows[k]].variant));
      r.kcore_device = specs[g.rows[k]].trusted ? 0 : 1;  // dsa0, tbt0
      r.kcore_shared_with = k == 0 ? "" : specs[g.rows.front()].variant;
    }
  for (std::size_t i = 0; i < n; ++i) {
    runs[i].kcore_why = kcore_why[i];
    attribute_kcore(runs[i], mx.properties);
  }

  // Phase 2: random search (RapidCheck is not thread-safe), one row at a time, for every
  // property neither exploration violated, unless explicit exhausted the row.
  for (std::size_t i : live) {
    RowRuns& r = runs[i];
    if (opt.use_check && !(r.explicit_ran && r.explicit_r.exhausted) && !stop_requested()) {
      std::vector<std::string> open;
      for (std::size_t p = 0; p < mx.properties.size(); ++p)
        if (!violated_by_exploration(r, mx.properties[p], p)) open.push_back(mx.properties[p]);
      r.check_ran = true;
      const auto check_start = Clock::now();
      while (!open.empty() && !stop_requested()) {
        fuzz::SearchOptions so;
        so.seed = opt.seed;
        so.runs = opt.check_runs;
        so.time_budget = opt.time_cap;
        so.properties = open;
        so.filter = row_filter(specs[i]);
        const auto sr = fuzz::search(row_config(specs[i]), so);
        r.check_runs_total += sr.runs;
        for (const auto& p : open) r.check_runs[p] += sr.runs;
        if (!sr.found) {
          r.check_capped = sr.runs < opt.check_runs && !stop_requested();
          break;
        }
        const std::string prop = sr.trace.expect->property;
        r.check_found[prop] = sr.trace;
        open.erase(std::find(open.begin(), open.end(), prop));
      }
      r.check_seconds = seconds_since(check_start);
    }
    report(++done);
  }

  // The cells, and the counterexample files of the violated ones.
  for (std::size_t i = 0; i < n; ++i) {
    Row& row = mx.rows[i];
    const RowRuns& r = runs[i];
    row.states = r.explicit_r.states;
    row.effort = effort_of(r);
    if (row.submode == "refused") {
      for (auto& c : row.cells) c.kind = Cell::Kind::refused;
      continue;
    }
    for (std::size_t p = 0; p < mx.properties.size(); ++p) {
      const Decision d = decide(r, mx.properties[p], p, stop_requested());
      row.cells[p] = d.cell;
      if (d.witness)
        row.cells[p].trace_file =
            write_counterexample(*d.witness, opt, row, mx.properties[p], d.how);
    }
  }
  mx.seconds = seconds_since(start);
  mx.incomplete = stop_requested();
  return mx;
}

}  // namespace pasidcheck::cli
