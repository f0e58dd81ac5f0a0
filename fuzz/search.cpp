#include "fuzz/search.h"

#include <rapidcheck.h>

#include <charconv>
#include <chrono>
#include <stdexcept>

#include "fuzz/draw.h"
#include "fuzz/minimize.h"
#include "fuzz/op_gen.h"
#include "model/footprint.h"
#include "model/input_error.h"
#include "model/stop.h"
#include "properties/incremental_capability.h"
#include "properties/replay.h"

namespace pasidcheck::fuzz {

using namespace model;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Run `run` of `seed` draws from its own splitmix64 stream, so that a run is reproduced alone
// (`--reproduce SEED/RUN`) and runs do not depend on each other.
std::uint64_t run_stream(std::uint64_t seed, std::uint64_t run) {
  FastDraw d{seed * 0x9e3779b97f4a7c15ULL ^ (run + 1) * 0xd1b54a32d192ed03ULL};
  return d.next();
}

// The first property of `props` violated by the ops of `ops` that apply, one after the other,
// from boot (ops that do not apply are skipped, as a shrunk sequence may hold some); empty if
// none. `applied`, when given, receives the ops that applied up to the violation.
std::string first_violation(const Model& m, const State& boot,
                            const std::vector<const properties::Property*>& props,
                            properties::CapabilityCache& cache, const std::vector<Op>& ops,
                            std::vector<Op>* applied = nullptr) {
  State s = boot;
  bool first = true;
  if (applied) applied->clear();
  for (const Op& op : ops) {
    if (!m.apply(s, op).applied) continue;
    if (applied) applied->push_back(op);
    if (first)
      cache.update(s);
    else
      cache.update_after(s, footprint(op));
    first = false;
    const auto v = properties::check_first(m, s, props, cache);
    if (!v.empty()) return v.front().property;
  }
  return {};
}

struct Search {
  const Model& m;
  const SearchOptions& opt;
  std::vector<const properties::Property*> props;
  properties::CapabilityCache cache;
  State boot;
  long long steps = 0;

  // One run: up to `--max-steps` ops (the length drawn first), each drawn from the state it
  // applies to (draw_and_apply) and checked after it. True, with `ops`, at a violation.
  bool run(std::uint64_t rng, std::vector<Op>& ops) {
    FastDraw len{rng};
    const int length = len.in_range(1, opt.max_steps + 1);
    rng = len.x;
    State s = boot;
    ops.clear();
    Op op;
    for (int i = 0; i < length; ++i) {
      if (!draw_and_apply(m, s, opt.filter, rng, op)) continue;
      if (ops.empty())
        cache.update(s);
      else
        cache.update_after(s, footprint(op));
      ops.push_back(op);
      ++steps;
      if (!properties::check_first(m, s, props, cache).empty()) return true;
    }
    return false;
  }

  // RapidCheck's shrinking on the op sequence: removeChunks (shorter sequences first) while the
  // sequence still violates a property; then only the ops that still apply.
  std::vector<Op> shrink(const std::vector<Op>& ops) {
    const auto shrinkable = rc::shrinkable::shrinkRecur(
        ops, [](const std::vector<Op>& v) { return rc::shrink::removeChunks(v); });
    const auto smallest = rc::shrinkable::findLocalMin(shrinkable, [&](const std::vector<Op>& v) {
                            return !first_violation(m, boot, props, cache, v).empty();
                          }).first;
    std::vector<Op> applied;
    first_violation(m, boot, props, cache, smallest, &applied);
    return applied;
  }
};

// "SEED/RUN", as `check` prints it.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_reproduce(const std::string& s) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::uint64_t seed = 0, run = 0;
  const char* end = s.data() + s.size();
  const auto a = std::from_chars(s.data(), s.data() + slash, seed);
  const auto b = std::from_chars(s.data() + slash + 1, end, run);
  if (a.ec != std::errc{} || a.ptr != s.data() + slash || b.ec != std::errc{} || b.ptr != end ||
      slash == 0)
    return std::nullopt;
  return std::make_pair(seed, run);
}

}  // namespace

SearchResult search(const Config& config, const SearchOptions& opt) {
  std::optional<std::pair<std::uint64_t, std::uint64_t>> only;
  if (!opt.reproduce.empty() && !(only = parse_reproduce(opt.reproduce)))
    throw model::InputError(
        "--reproduce: expected SEED/RUN as an earlier `check` printed it, "
        "not '" +
        opt.reproduce + "'");
  const Model m(config);
  Search search{m, opt, {}, properties::CapabilityCache(m), m.boot()};
  if (auto err = properties::select_properties(opt.properties, search.props))
    throw model::InputError(*err);
  SearchResult out;
  out.trace.config = config;
  const auto start = Clock::now();
  if (!properties::check_all(m, search.boot, search.props).empty()) {  // violated at boot
    out.found = true;
    set_expect_from_replay(out.trace, opt.properties);
    return out;
  }
  const std::uint64_t seed = only ? only->first : opt.seed;
  const std::uint64_t first = only ? only->second : 0;
  const std::uint64_t last = only ? only->second + 1 : static_cast<std::uint64_t>(opt.runs);
  std::vector<Op> ops;
  for (std::uint64_t run = first; run < last; ++run) {
    if ((run & 63) == 0) {
      if (seconds_since(start) > opt.time_budget || stop_requested()) break;
      if (opt.progress && run > 0)
        opt.progress(static_cast<int>(run - first), search.steps, seconds_since(start));
    }
    ++out.runs;
    if (!search.run(run_stream(seed, run), ops)) continue;
    out.found = true;
    out.elapsed = seconds_since(start);
    out.reproduce = std::to_string(seed) + "/" + std::to_string(run);
    out.batch_seed = seed;
    break;
  }
  out.steps = search.steps;
  if (opt.progress) opt.progress(out.runs, search.steps, seconds_since(start));
  if (!out.found) {
    out.elapsed = seconds_since(start);
    return out;
  }
  for (const Op& op : search.shrink(ops)) out.trace.steps.push_back({op, std::nullopt});
  out.rc_length = static_cast<int>(out.trace.steps.size());
  const MinimizeResult mr = minimize(out.trace, opt.properties);
  if (mr.violated) out.trace = mr.trace;
  return out;
}

}  // namespace pasidcheck::fuzz
