#include "cli/matrix_cells.h"

#include <algorithm>

#include "properties/replay.h"

namespace pasidcheck::cli {

namespace {

const solver::EngineResult* kcore_result(const RowRuns& r, std::size_t index) {
  return index < r.kcore.size() ? &r.kcore[index] : nullptr;
}

bool interrupted_run(const solver::EngineResult& k) {
  return k.reason.find("interrupted") != std::string::npos;
}

Decision violated(const std::string& engine, model::Trace t, const std::string& how) {
  Decision d;
  d.cell.kind = Cell::Kind::violated;
  d.cell.depth = static_cast<int>(t.steps.size());
  d.cell.engine = engine;
  d.witness = std::move(t);
  d.how = how;
  return d;
}

// The kcore witness as a trace of the row's own config, cut at its first violation of the
// property; nothing when it names the other device or does not violate the property there.
std::optional<model::Trace> on_row(const RowRuns& r, const model::Trace& kcore_trace,
                                   const std::string& property) {
  model::Trace t;
  t.config = r.row_config;
  bool acts = false;  // the row's device is named by an op
  for (auto step : kcore_trace.steps) {
    model::Op& op = step.op;
    for (int* dev : {&op.dev, &op.entry.dev}) {
      if (*dev < 0) continue;
      if (*dev != r.kcore_device) return std::nullopt;
      *dev = 0;
      acts = true;
    }
    step.expect.reset();
    t.steps.push_back(step);
  }
  properties::ReplayOptions ro;
  ro.properties = {property};
  ro.record_changes = false;
  const auto replayed = properties::replay(t, ro);
  if (!replayed.bad_input && replayed.violated()) {
    t.steps.resize(static_cast<std::size_t>(replayed.first_violation_step + 1));
    t.expect = model::TraceExpect{"violated", property, replayed.first_violation_step, {property}};
    return t;
  }
  // Only the row's device acts, and kcore's boot state holds: the witness at kcore's bounds.
  model::Trace k = kcore_trace;
  k.config = r.kcore_config;
  k.expect.reset();
  const auto at_kcore = properties::replay(k, ro);
  if (at_kcore.bad_input || at_kcore.first_violation_step < 0) return std::nullopt;
  // ... and the violation is the row's device's (not the idle other device's capability, such
  // as an untrusted device with ATS reaching every frame).
  const bool mine = std::any_of(at_kcore.first_violations.begin(), at_kcore.first_violations.end(),
                                [&](const properties::Violation& v) {
                                  return v.property == property &&
                                         (v.dev == r.kcore_device || (v.dev < 0 && acts));
                                });
  if (!mine) return std::nullopt;
  k.expect = model::TraceExpect{"violated", property, at_kcore.first_violation_step, {property}};
  return k;
}

Decision unknown(const std::string& why) {
  Decision d;
  d.cell.kind = Cell::Kind::unknown;
  d.cell.why = why;
  return d;
}

}  // namespace

void attribute_kcore(RowRuns& r, const std::vector<std::string>& properties) {
  for (std::size_t i = 0; i < properties.size() && i < r.kcore.size(); ++i)
    if (r.kcore[i].verdict == solver::Verdict::violated && r.kcore[i].trace)
      r.kcore_on_row[properties[i]] = on_row(r, *r.kcore[i].trace, properties[i]);
}

bool violated_by_exploration(const RowRuns& r, const std::string& property, std::size_t) {
  if (r.explicit_ran) {
    const auto it = r.explicit_r.outcomes.find(property);
    if (it != r.explicit_r.outcomes.end() && it->second.violated) return true;
  }
  const auto k = r.kcore_on_row.find(property);
  return k != r.kcore_on_row.end() && k->second.has_value();
}

Decision decide(const RowRuns& r, const std::string& property, std::size_t index,
                bool interrupted) {
  std::string cut;  // why an engine before the one deciding stopped short, if one did
  if (r.explicit_ran) {
    const auto& x = r.explicit_r;
    const auto it = x.outcomes.find(property);
    if (it != x.outcomes.end() && it->second.violated)
      return violated("explicit", it->second.trace, "explicit BFS, shortest");
    if (x.interrupted)
      cut = "interrupted";
    else if (x.time_capped)
      cut = "time cap (explicit)";
    else if (x.memory_capped)
      cut = "memory cap (explicit)";
  }
  const auto* k = kcore_result(r, index);
  std::string outside;  // a kcore witness outside the row
  if (k && k->verdict == solver::Verdict::violated && k->trace) {
    if (!cut.empty()) return unknown(cut);
    const auto t = r.kcore_on_row.find(property);
    if (t != r.kcore_on_row.end() && t->second)
      return violated("kcore-bfs", *t->second, "kcore-bfs, shortest at kcore bounds");
    outside = "kcore-bfs's " + std::to_string(k->depth) +
              "-step violation needs the other device kcore keeps (dsa0 and tbt0 both exist "
              "there), so it is not one of this row's: no proof";
  }
  if (k && cut.empty()) {
    if (interrupted_run(*k))
      cut = "interrupted";
    else if (k->time_capped)
      cut = "time cap (kcore-bfs)";
  }
  const auto found = r.check_found.find(property);
  if (found != r.check_found.end()) {
    if (!cut.empty()) return unknown(cut);
    return violated("check", found->second, "random search, shrunk");
  }
  if (cut.empty() && r.check_capped) cut = "time cap (check)";
  if (cut.empty() && interrupted) cut = "interrupted";
  if (!cut.empty()) return unknown(cut);

  Decision d;
  Cell& c = d.cell;
  c.kind = Cell::Kind::holds;
  c.depth = r.explicit_ran ? r.explicit_r.depth_completed : 0;
  const bool full = r.explicit_ran && r.explicit_r.exhausted;
  const bool kcore_proved = k && k->verdict == solver::Verdict::holds && k->all_depths;
  c.all_depths = full || kcore_proved;
  c.engine = full ? "explicit" : kcore_proved ? "kcore-bfs" : "explicit";
  const auto runs = r.check_runs.find(property);
  c.runs = runs == r.check_runs.end() ? 0 : runs->second;
  if (!c.all_depths) {
    if (!outside.empty())
      c.why = outside;
    else if (!k)
      c.why = r.kcore_why;
    else if (k->verdict == solver::Verdict::unknown)
      c.why = "kcore-bfs: " + k->reason;
    else
      c.why = "kcore-bfs stopped at its state budget (" + std::to_string(k->states) +
              " states, depth " + std::to_string(k->depth) + ")";
    if (c.depth == 0) {
      Decision u = unknown("no depth completed within the state budget");
      u.cell.runs = c.runs;
      return u;
    }
  }
  return d;
}

RowEffort effort_of(const RowRuns& r) {
  RowEffort e;
  if (r.explicit_ran) {
    e.explicit_states = r.explicit_r.states;
    e.explicit_seconds = r.explicit_r.seconds;
  }
  for (const auto& k : r.kcore) {
    e.kcore_states = std::max(e.kcore_states, k.states);
    e.kcore_seconds = std::max(e.kcore_seconds, k.seconds);
  }
  const bool exhausted = std::any_of(r.kcore.begin(), r.kcore.end(), [](const auto& k) {
    return k.verdict == solver::Verdict::holds && k.all_depths;
  });
  const bool all_violated =
      !r.kcore.empty() && std::all_of(r.kcore.begin(), r.kcore.end(), [](const auto& k) {
        return k.verdict == solver::Verdict::violated;
      });
  if (r.kcore.empty())
    e.kcore = r.kcore_why;
  else
    e.kcore = exhausted ? "exhausted" : all_violated ? "every property violated" : "bounded";
  e.kcore_shared_with = r.kcore_shared_with;
  e.check_runs = r.check_runs_total;
  e.check_seconds = r.check_seconds;
  return e;
}

MatrixBudgets budgets_of(const MatrixOptions& opt) {
  MatrixBudgets b;
  b.explicit_states = opt.use_explicit ? opt.explicit_states : 0;
  b.max_depth = opt.max_depth;
  b.kcore_states = opt.use_kcore ? opt.kcore_states : 0;
  b.focus_kcore_states = opt.use_kcore ? opt.focus_kcore_states : 0;
  for (std::size_t i = 0; i < opt.focus.size(); ++i) b.focus += (i ? "," : "") + opt.focus[i];
  b.check_runs = opt.use_check ? opt.check_runs : 0;
  b.seed = opt.seed;
  std::vector<std::string> e;
  if (opt.use_explicit) e.push_back("explicit");
  if (opt.use_kcore) e.push_back("kcore-bfs");
  if (opt.use_check) e.push_back("check");
  for (std::size_t i = 0; i < e.size(); ++i) b.engines += (i ? "," : "") + e[i];
  return b;
}

}  // namespace pasidcheck::cli
