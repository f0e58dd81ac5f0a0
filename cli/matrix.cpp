#include "cli/matrix.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "cli/gate.h"
#include "cli/itf.h"
#include "fuzz/minimize.h"
#include "fuzz/search.h"
#include "model/stop.h"
#include "properties/replay.h"
#include "solver/explicit.h"

namespace pasidcheck::cli {

using namespace model;

namespace {

struct RowSpec {
  std::string variant;
  Mode mode = Mode::iova;
  bool sva = false;
  bool trusted = true;
};

// One device per row: dsa0 (integrated, SATC, ATS, PRI) or tbt0 (external-facing, ATS, no PRI).
Config row_config(const RowSpec& r) {
  Config c;
  c.preset = r.variant;
  c.knobs = *preset(r.variant);
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

std::vector<std::string> all_variants() {
  std::vector<std::string> v;
  for (const auto& p : preset_table()) v.push_back(p.name);
  return v;
}

}  // namespace

Matrix run_matrix(const MatrixOptions& opt) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  Matrix mx;
  for (const auto& p : properties::registry()) mx.properties.push_back(p.id);
  std::vector<RowSpec> specs;
  for (const auto& v : opt.presets.empty() ? all_variants() : opt.presets) {
    if (!preset(v))
      throw std::invalid_argument("unknown preset '" + v + "' (see `pasidcheck list presets`)");
    for (const auto& [mode, sva] : std::vector<std::pair<Mode, bool>>{
             {Mode::bypass, false}, {Mode::iova, false}, {Mode::kva, false}, {Mode::iova, true}})
      for (bool trusted : {true, false}) specs.push_back({v, mode, sva, trusted});
  }
  mx.rows.resize(specs.size());
  std::vector<solver::ExplicitResult> explored(specs.size());
  // Phase 1: probes and exhaustive exploration, in parallel (the engine is pure).
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::mutex progress_mu;
  auto worker = [&] {
    for (std::size_t i = next++; i < specs.size(); i = next++) {
      const RowSpec& r = specs[i];
      Row& row = mx.rows[i];
      row.variant = r.variant;
      row.mode = r.sva ? "sva" : to_string(r.mode);
      row.trust = r.trusted ? "trusted" : "untrusted";
      const Config c = row_config(r);
      row.submode = probe(c, r);
      row.cells.assign(mx.properties.size(), {});
      if (row.submode != "refused" && opt.use_explicit && !stop_requested()) {
        solver::ExplicitOptions eo;
        eo.time_budget = opt.explicit_budget;
        eo.max_depth = opt.max_depth;
        eo.filter = row_filter(r);
        explored[i] = solver::explore(c, eo);
      }
      const int d = ++done;
      if (opt.progress) {
        std::lock_guard<std::mutex> lock(progress_mu);
        opt.progress(d, static_cast<int>(specs.size()) * 2,
                     std::chrono::duration<double>(Clock::now() - start).count());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < std::max(1, opt.jobs); ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  // Phase 2: verdicts, and random search (RapidCheck is not thread-safe) for what BFS left open.
  for (std::size_t i = 0; i < specs.size(); ++i) {
    Row& row = mx.rows[i];
    const RowSpec& r = specs[i];
    if (row.submode == "refused") {
      for (auto& c : row.cells) c.kind = Cell::Kind::refused;
    } else {
      auto& ex = explored[i];
      if (!opt.use_explicit || ex.outcomes.empty())  // not explored (or a stop came first)
        for (const auto& id : mx.properties) ex.outcomes[id] = {};
      row.states = ex.states;
      std::vector<std::string> open;
      for (std::size_t p = 0; p < mx.properties.size(); ++p) {
        const auto& o = ex.outcomes.at(mx.properties[p]);
        Cell& cell = row.cells[p];
        if (o.violated) {
          cell = {
              Cell::Kind::violated, static_cast<int>(o.trace.steps.size()), false, "explicit",
              write_counterexample(o.trace, opt, row, mx.properties[p], "explicit BFS, shortest")};
        } else if (ex.exhausted) {
          cell = {Cell::Kind::holds, ex.depth_completed, true, "explicit", ""};
        } else {
          cell = {ex.depth_completed > 0 ? Cell::Kind::holds : Cell::Kind::unknown,
                  ex.depth_completed, false, "explicit", ""};
          open.push_back(mx.properties[p]);
        }
      }
      const auto check_start = Clock::now();
      while (opt.use_check && !open.empty() && !stop_requested()) {
        const double left =
            opt.check_budget - std::chrono::duration<double>(Clock::now() - check_start).count();
        if (left <= 0.01) break;
        fuzz::SearchOptions so;
        so.seed = opt.seed;
        so.time_budget = left;
        so.properties = open;
        so.filter = row_filter(r);
        const auto sr = fuzz::search(row_config(r), so);
        if (!sr.found) break;
        const std::string prop = sr.trace.expect->property;
        const auto p =
            std::find(mx.properties.begin(), mx.properties.end(), prop) - mx.properties.begin();
        row.cells[p] = {Cell::Kind::violated, static_cast<int>(sr.trace.steps.size()), false,
                        "check",
                        write_counterexample(sr.trace, opt, row, prop, "random search, shrunk")};
        open.erase(std::find(open.begin(), open.end(), prop));
      }
    }
    if (opt.progress)
      opt.progress(static_cast<int>(specs.size() + i + 1), static_cast<int>(specs.size()) * 2,
                   std::chrono::duration<double>(Clock::now() - start).count());
  }
  mx.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  mx.incomplete = stop_requested();
  return mx;
}

}  // namespace pasidcheck::cli
