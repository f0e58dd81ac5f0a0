#include "solver/explicit.h"

#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "model/input_error.h"
#include "model/stop.h"
#include "properties/replay.h"
#include "solver/canonical.h"
#include "solver/enumerate.h"
#include "solver/key_set.h"

namespace pasidcheck::solver {

using namespace model;

namespace {

// How each state was first reached: its parent and its op. With an alphabet (kcore) the op is
// an index into it (6 bytes per state); otherwise the enumerated op is kept whole.
class Paths {
 public:
  explicit Paths(const std::vector<Op>* alphabet) : alphabet_(alphabet) {}
  void add(int parent, std::size_t input, const Op& op) {
    parent_.push_back(parent);
    if (alphabet_)
      input_.push_back(static_cast<std::uint16_t>(input));
    else
      ops_.push_back(op);
  }
  int size() const { return static_cast<int>(parent_.size()); }
  int parent(int i) const { return parent_[i]; }
  const Op& op(int i) const { return alphabet_ ? (*alphabet_)[input_[i]] : ops_[i]; }
  std::size_t bytes() const {
    return parent_.size() * sizeof(int) + input_.size() * sizeof(std::uint16_t) +
           ops_.size() * sizeof(Op);
  }

 private:
  const std::vector<Op>* alphabet_;
  std::vector<int> parent_{-1};  // state 0 is boot
  std::vector<std::uint16_t> input_{0};
  std::vector<Op> ops_{Op{}};
};

Trace trace_to(const Config& c, const Paths& paths, int index, const std::string& property) {
  Trace t;
  t.config = c;
  for (int i = index; i > 0; i = paths.parent(i)) t.steps.push_back({paths.op(i), std::nullopt});
  std::reverse(t.steps.begin(), t.steps.end());
  t.expect = TraceExpect{"violated", property, static_cast<int>(t.steps.size()) - 1, {property}};
  return t;
}

// What one State holds in memory, roughly (its vectors and maps; the frontier keeps whole States).
std::size_t state_bytes(const State& s) {
  std::size_t n = sizeof(State) + s.frames.size() * sizeof(Frame) +
                  s.direct.size() * sizeof(DirectLeaf) + s.blocks.size() * sizeof(DirectBlock) +
                  s.vmalloc.size() * sizeof(VmallocLeaf) + s.vgroup_table.size() * sizeof(int) +
                  s.pasids.size() * sizeof(PasidOwner);
  for (const auto& mm : s.mms) n += sizeof(Mm) + mm.pages.size() * sizeof(UserPage);
  for (const auto& d : s.devices)
    n += sizeof(DeviceState) + d.entries.size() * sizeof(PasidEntry) +
         d.iova.size() * sizeof(IovaPage) + d.kva.size() * 2 * 48 + d.bound.size() / 4;
  return n;
}

std::size_t default_memory_cap() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return std::size_t{4} << 30;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) / 2;
}

}  // namespace

ExplicitResult explore(const Config& config, const ExplicitOptions& opt) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  const Model m(config);
  std::vector<const properties::Property*> props;
  if (auto err = properties::select_properties(opt.properties, props))
    throw model::InputError(*err);
  ExplicitResult r;
  for (const auto* p : props) r.outcomes[p->id] = {};
  std::size_t open = props.size();
  if (opt.alphabet && opt.alphabet->size() > 65536)
    throw model::InputError("the explicit engine takes at most 65,536 inputs per state");
  auto record = [&](const State& s, const Paths& nodes, int index) {
    for (const auto& v : properties::check_all(m, s, props)) {
      auto& o = r.outcomes[v.property];
      if (o.violated) continue;
      o.violated = true;
      o.trace = trace_to(config, nodes, index, v.property);
      --open;
    }
  };
  Paths nodes(opt.alphabet ? &*opt.alphabet : nullptr);
  KeySet seen;
  const State boot = m.boot();
  const std::string boot_key = encode(m, boot);
  r.bytes_per_state = boot_key.size();
  seen.insert(boot_key);
  // The memory cap (ExplicitOptions::max_memory): estimated per stored state and per frontier
  // state, checked as states are added, so a config too large for the machine stops cleanly.
  const std::size_t cap = opt.max_memory ? opt.max_memory : default_memory_cap();
  const std::size_t per_key =
      boot_key.size() + 4 + 2 * 16 + sizeof(int) + (opt.alphabet ? 2 : sizeof(Op));
  const std::size_t per_frontier = state_bytes(boot);
  if (per_frontier + per_key > cap)
    throw model::InputError(
        "one state of this config needs about " + std::to_string((per_frontier + per_key) >> 20) +
        " MiB, more than the memory cap (" + std::to_string(cap >> 20) + " MiB)");
  KeySet counted;
  auto count = [&](const State& s) {
    if (opt.count_key) counted.insert(opt.count_key(m, s));
  };
  const bool validating = opt.on_state || opt.on_transition;
  bool hook_stop = false;
  auto stop_at = [&](int index) {
    r.stopped_at = trace_to(config, nodes, index, "");
    r.stopped_at->expect.reset();
    hook_stop = true;
  };
  count(boot);
  record(boot, nodes, 0);
  if (opt.on_state && !opt.on_state(m, boot)) stop_at(0);
  std::vector<std::pair<int, State>> frontier{{0, boot}};
  bool stopped = false;
  long long tried = 0;
  std::vector<Op> enumerated;
  State succ;
  std::string key;
  // States the frontier is done with, kept (a few) so that new successors are copied into their
  // buffers instead of fresh allocations.
  constexpr std::size_t kPool = 64;
  std::vector<State> pool;
  for (int depth = 1; depth <= opt.max_depth && !frontier.empty() && (open > 0 || validating) &&
                      !stopped && !hook_stop;
       ++depth) {
    std::vector<std::pair<int, State>> next;
    for (auto& [index, s] : frontier) {
      if (!opt.alphabet) enumerated = enumerate_ops(m, s, opt.filter);
      const auto& ops = opt.alphabet ? *opt.alphabet : enumerated;
      // One scratch successor per state: Model::apply leaves the state untouched when a
      // precondition fails (its handlers check before they change anything; the
      // RejectedStepsLeaveTheStateUntouched tests hold it to that), so `succ` is copied from `s`
      // again only after an op applied. Most inputs of a state do not apply.
      succ = s;
      for (std::size_t oi = 0; oi < ops.size() && !hook_stop; ++oi) {
        const Op& op = ops[oi];
        if ((++tried & 1023) == 0 && (elapsed() > opt.time_budget || stop_requested())) {
          // large configs: checked within a state's successors too
          r.interrupted = stop_requested();
          r.time_capped = !r.interrupted;
          stopped = true;
          break;
        }
        const bool applied = m.apply(succ, op).applied;
        if (opt.on_transition && !opt.on_transition(m, s, oi, applied, succ)) {
          stop_at(index);
          break;
        }
        if (!applied) continue;
        ++r.transitions;
        encode_into(m, succ, key);
        if (!seen.insert(key)) {
          succ = s;
          continue;
        }
        nodes.add(index, oi, op);
        count(succ);
        record(succ, nodes, static_cast<int>(nodes.size()) - 1);
        if (opt.on_state && !opt.on_state(m, succ)) {
          stop_at(static_cast<int>(nodes.size()) - 1);
          break;
        }
        next.emplace_back(static_cast<int>(nodes.size()) - 1, std::move(succ));
        if (!pool.empty()) {  // a done state's buffers: the copy below reuses them
          succ = std::move(pool.back());
          pool.pop_back();
        }
        succ = s;
        if ((seen.size() & 255) == 0 &&
            seen.size() * per_key + (frontier.size() + next.size()) * per_frontier > cap) {
          r.memory_capped = stopped = true;
          break;
        }
      }
      if (stopped || hook_stop) break;
      if (pool.size() < kPool) pool.push_back(std::move(s));  // done with it
      if (elapsed() > opt.time_budget || static_cast<long long>(seen.size()) > opt.max_states ||
          stop_requested()) {
        r.interrupted = stop_requested();
        r.time_capped = !r.interrupted && elapsed() > opt.time_budget;
        stopped = true;
        break;
      }
    }
    if (!stopped && !hook_stop) r.depth_completed = depth;
    frontier = std::move(next);
  }
  r.exhausted = !stopped && !hook_stop && frontier.empty();
  r.states = static_cast<long long>(seen.size());
  r.counted_keys = static_cast<long long>(counted.size());
  r.stored_bytes = seen.bytes() + nodes.bytes();
  r.seconds = elapsed();
  return r;
}

}  // namespace pasidcheck::solver
