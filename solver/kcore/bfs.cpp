// The `kcore-bfs` engine: breadth-first search of kcore's reachable states with the compiled
// transition (kcore/concrete.h), each state packed two bits per variable (72 bytes) and kept once
// in an open-addressing table. It answers the same question as `explicit` (which explores the
// executable model on the kcore alphabet and counts the same states) at a fraction of the cost;
// its witnesses are replayed on the executable model like every engine's (cli/prove_cmd.cpp).
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <future>
#include <limits>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "model/stop.h"
#include "solver/engines_internal.h"
#include "solver/kcore/concrete.h"

namespace pasidcheck::solver {

namespace {

using kcore::CState;
using kcore::Packed;

// An array of zero bytes straight from mmap, populated at once: the kernel zeroes the pages in one
// call (no memset when the table grows, and no fault per page as the random inserts reach it,
// which cost 4% on the peers' core). (MADV_HUGEPAGE was slower here: with THP defrag=madvise
// the faults compact memory.)
template <class T>
class ZeroPages {
 public:
  explicit ZeroPages(std::size_t n) : n_(n), bytes_(std::max<std::size_t>(n * sizeof(T), 1)) {
    static_assert(std::is_trivially_copyable_v<T>);
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
  }
  ZeroPages(const ZeroPages&) = delete;
  ZeroPages& operator=(const ZeroPages&) = delete;
  ~ZeroPages() { munmap(data_, bytes_); }
  void swap(ZeroPages& o) {
    std::swap(data_, o.data_);
    std::swap(n_, o.n_);
    std::swap(bytes_, o.bytes_);
  }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::size_t size() const { return n_; }

 private:
  T* data_ = nullptr;
  std::size_t n_, bytes_;
};

// The states found so far, in BFS order (their ids), with an open-addressing index that holds
// each state inline (one cache miss per lookup; callers prefetch the slot first).
class StateSet {
  static std::uint64_t mum(std::uint64_t a, std::uint64_t b) {
    __extension__ using U128 = unsigned __int128;
    const U128 r = static_cast<U128>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
  }

 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  explicit StateSet(std::size_t expected) : slots_(1u << 16) { order_.reserve(expected); }
  const Packed& operator[](std::uint32_t id) const { return order_[id]; }
  std::size_t size() const { return order_.size(); }
  // The states (as stored, in BFS order) and the index's slots.
  std::size_t bytes() const {
    return order_.size() * sizeof(Packed) + slots_.size() * sizeof(Slot);
  }
  // wyhash's mixing: one 128-bit product per pair of words, the products independent of each
  // other (a chain of multiplies through every word was a tenth of the run).
  static std::uint64_t hash(const Packed& p) {
    constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
    std::uint64_t h = 0x8ebc6af09c88c6e3ull;
    std::size_t k = 0;
    for (; k + 1 < p.size(); k += 2) h ^= mum(p[k] ^ (k0 + k), p[k + 1] ^ (k1 + k));
    if (k < p.size()) h ^= mum(p[k] ^ k0, k1);
    return mum(h ^ k0, 0x589965cc75374cc3ull);
  }
  static bool same(const Packed& a, const Packed& b) {
    std::uint64_t diff = 0;
    for (std::size_t k = 0; k < a.size(); ++k) diff |= a[k] ^ b[k];
    return diff == 0;
  }
  // Both cache lines of the slot (80 bytes).
  void prefetch(std::uint64_t h) const {
    const char* slot = reinterpret_cast<const char*>(&slots_[h & (slots_.size() - 1)]);
    __builtin_prefetch(slot);
    __builtin_prefetch(slot + sizeof(Slot) - 1);
  }
  // Adds p (whose hash is h) unless present; true when it was new.
  bool insert(const Packed& p, std::uint64_t h) {
    if (2 * (order_.size() + 1) > slots_.size()) grow();  // load factor 1/2
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.id1 == 0) {
        slot.key = p;
        slot.id1 = order_.size() + 1;
        order_.push_back(p);
        return true;
      }
      if (same(slot.key, p)) return false;
    }
  }

 private:
  // 80 bytes, not aligned to cache lines: 341 bytes per stored state on the peers' core, against
  // 499 aligned (and SPIN's 389), at the same speed (docs/performance.md, "Speed, round 2").
  struct Slot {
    Packed key;
    std::uint64_t id1;  // the state's id + 1; 0: empty (zeroed memory)
  };
  void grow() {
    ZeroPages<Slot> bigger(slots_.size() * 2);
    for (std::uint64_t id = 0; id < order_.size(); ++id) {
      std::size_t i = hash(order_[id]) & (bigger.size() - 1);
      while (bigger[i].id1 != 0) i = (i + 1) & (bigger.size() - 1);
      bigger[i].key = order_[id];
      bigger[i].id1 = id + 1;
    }
    slots_.swap(bigger);
  }
  std::vector<Packed> order_;  // reserved up front: pages are touched as states arrive
  ZeroPages<Slot> slots_;
};

// The successors of a batch of states, hashed, in (state, alphabet) order; no-ops left out.
struct Candidate {
  Packed key;
  std::uint64_t hash;
  std::uint16_t input;  // alphabet index
};
// The distinct candidates of a batch so far (their indices in Batch::candidates), in an
// open-addressing table small enough for the core's caches: a successor already found in the
// same batch is dropped before the set sees it. Three in four are (commuting steps from nearby
// states), and dropping them where successors are computed takes them off the thread that adds
// candidates in order. The set's answer is the same: the first copy is added, or found, first.
class BatchIndex {
 public:
  void clear() {
    if (slots_.empty()) slots_.assign(std::size_t{1} << 16, kEmpty);
    std::fill(slots_.begin(), slots_.end(), kEmpty);
    size_ = 0;
  }
  // True when a candidate equal to c is already at an index in `all`; else records `at`.
  bool seen(const std::vector<Candidate>& all, const Candidate& c, std::uint32_t at) {
    if (2 * (size_ + 1) > slots_.size()) grow(all);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = (c.hash >> 32) & mask;; i = (i + 1) & mask) {
      const std::uint32_t j = slots_[i];
      if (j == kEmpty) {
        slots_[i] = at;
        ++size_;
        return false;
      }
      if (all[j].hash == c.hash && StateSet::same(all[j].key, c.key)) return true;
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();
  void grow(const std::vector<Candidate>& all) {
    std::vector<std::uint32_t> bigger(2 * slots_.size(), kEmpty);
    const std::size_t mask = bigger.size() - 1;
    for (const std::uint32_t j : slots_) {
      if (j == kEmpty) continue;
      std::size_t i = (all[j].hash >> 32) & mask;
      while (bigger[i] != kEmpty) i = (i + 1) & mask;
      bigger[i] = j;
    }
    slots_.swap(bigger);
  }
  std::vector<std::uint32_t> slots_;
  std::size_t size_ = 0;
};
struct Batch {
  std::vector<Packed> states;  // copies of the states to expand (the set grows meanwhile)
  std::vector<Candidate> candidates;
  std::vector<std::uint16_t> counts;  // per state of the batch
  BatchIndex index;                   // candidates' distinct keys
};
// Also the granularity of --max-states: a bounded cell's depth depends on it (1024 was as fast on
// the peers' core, and changed the verdict table's bounded depths).
constexpr std::size_t kBatchStates = 4096;
constexpr std::size_t kPrefetchAhead = 16;  // slots requested this many lookups early

// Fills b.candidates and b.counts from b.states (buffers are reused from batch to batch).
void successors(const kcore::Successor& succ,
                const std::vector<kcore::Successor::Compiled>& alphabet, Batch& b) {
  b.candidates.clear();
  b.counts.clear();
  b.index.clear();
  CState scratch;
  Candidate c;
  for (const Packed& key : b.states) {
    const CState s = kcore::Successor::unpack(key);
    std::uint16_t n = 0;
    for (std::size_t k = 0; k < alphabet.size(); ++k) {
      if (!succ.next_key(s, key, alphabet[k], scratch, c.key)) continue;  // refused, or a no-op
      c.hash = StateSet::hash(c.key);
      c.input = static_cast<std::uint16_t>(k);
      if (b.index.seen(b.candidates, c, static_cast<std::uint32_t>(b.candidates.size())))
        continue;  // found earlier in the batch
      b.candidates.push_back(c);
      ++n;
    }
    b.counts.push_back(n);
  }
}

// The answer for a kcore of another size than the packed layout's.
EngineResult other_size() {
  EngineResult u;
  u.engine = "kcore-bfs";
  u.verdict = Verdict::unknown;
  u.reason = "kcore-bfs runs the " + std::to_string(kcore::kFrames) + "-frame, " +
             std::to_string(kcore::kDevices) + "-device kcore only (use explicit for other sizes)";
  return u;
}

class KcoreBfs : public Engine {
 public:
  EngineResult check(const ProveProblem& p) override {
    return check_properties(p, {p.property})[0];
  }

  // One exploration for every property: each one's result is what a run for it alone gives
  // (the BFS order does not depend on the properties): violated with the first violating state
  // in BFS order and the states seen then, or holds with the states of the whole run. The
  // exploration stops when every property is violated, or at the time or state budget.
  std::vector<EngineResult> check_properties(const ProveProblem& p,
                                             const std::vector<std::string>& props) override {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    const kcore::Variant v = kcore::variant_of(p.config, p.row);
    if (v.size() != kcore::Size{})  // the packed layout is the default one
      return std::vector<EngineResult>(props.size(), other_size());
    const kcore::Successor succ(v);
    std::vector<kcore::KInput> alphabet;
    std::vector<kcore::Successor::Compiled> compiled;  // alphabet[k]'s transition
    for (const auto& in : kcore::inputs())
      if (kcore::allowed(v, in)) {
        alphabet.push_back(in);
        compiled.push_back(kcore::Successor::compiled(in));
      }

    // Room for max_states (plus the last batch's overshoot) without moving: untouched pages of a
    // large reservation cost nothing.
    StateSet seen(static_cast<std::size_t>(std::clamp<long long>(p.max_states, 1, 1ll << 26)) +
                  kBatchStates * alphabet.size());
    std::vector<std::uint32_t> parent;  // per state: the state it was first reached from
    std::vector<std::uint16_t> via;     // and the alphabet index of that step
    EngineResult r;                     // the run so far (depth: levels completed)
    r.engine = "kcore-bfs";
    std::vector<EngineResult> out(props.size());
    std::vector<std::size_t> open;  // properties not violated yet
    for (std::size_t k = 0; k < props.size(); ++k) open.push_back(k);
    auto stamp = [&](EngineResult& x) {
      x.engine = "kcore-bfs";
      x.states = static_cast<long long>(seen.size());
      x.kcore_states = x.states;
      x.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      x.stored_bytes =
          seen.bytes() + parent.size() * sizeof(std::uint32_t) + via.size() * sizeof(std::uint16_t);
    };
    // Records the properties violated in state `at` (just added); true when none is left open.
    auto judge = [&](std::uint32_t at, const CState& s) {
      for (std::size_t j = 0; j < open.size();) {
        if (!succ.bad(props[open[j]], s)) {
          ++j;
          continue;
        }
        std::vector<kcore::KInput> ins;
        for (std::uint32_t i = at; parent[i] != StateSet::kNone; i = parent[i])
          ins.insert(ins.begin(), alphabet[via[i]]);
        EngineResult& x = out[open[j]];
        x.verdict = Verdict::violated;
        x.depth = static_cast<int>(ins.size());
        ProveProblem one = p;
        one.property = props[open[j]];
        x.trace = kcore_witness(one, ins);
        stamp(x);
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(j));
      }
      return open.empty();
    };
    auto finish = [&] {  // the open properties hold (up to r.depth, or for all depths)
      stamp(r);
      for (std::size_t k : open) {
        out[k] = r;
        out[k].verdict = Verdict::holds;
      }
      return out;
    };

    const CState boot = succ.boot();
    const Packed boot_key = succ.pack(boot);
    seen.insert(boot_key, StateSet::hash(boot_key));
    parent.push_back(StateSet::kNone);
    via.push_back(0);
    if (judge(0, boot)) return out;

    // States are expanded in batches of consecutive ids: up to `jobs` batches compute their
    // successors at once (worker threads, on copies of their states), and this thread adds them
    // in id order, so ids, depths and witnesses do not depend on `jobs`.
    const int jobs = std::max(1, p.jobs);
    std::deque<std::pair<std::unique_ptr<Batch>, std::future<void>>> running;
    std::vector<std::unique_ptr<Batch>> spare;
    std::uint32_t launched = 0;  // states [0, launched) are in a batch
    std::uint32_t i = 0;         // the state whose successors are added next
    // Holds up to r.depth: every trace of r.depth steps was checked, i.e. every state at distance
    // r.depth - 1 was expanded (the explicit engine's depth_completed).
    std::size_t level_end = 1;  // the states before it are at distance <= r.depth
    r.depth = 0;
    // Keeps 2 x `jobs` batches computing besides the one being added (1 with one thread: computed
    // on demand). With only `jobs`, cores sat idle while this thread added a batch (2 threads:
    // 1.67 cores busy, against 1.77). The states they expand must exist already, so early levels
    // run with fewer.
    const std::size_t in_flight = jobs > 1 ? 2 * static_cast<std::size_t>(jobs) : 1;
    auto launch = [&] {
      while (running.size() < in_flight && launched < seen.size()) {
        const auto hi =
            static_cast<std::uint32_t>(std::min<std::size_t>(seen.size(), launched + kBatchStates));
        std::unique_ptr<Batch> b;
        if (spare.empty()) {
          b = std::make_unique<Batch>();
        } else {
          b = std::move(spare.back());
          spare.pop_back();
        }
        b->states.assign(&seen[launched], &seen[launched] + (hi - launched));
        Batch* out = b.get();
        auto work = [&succ, &compiled, out] { successors(succ, compiled, *out); };
        running.emplace_back(
            std::move(b),
            std::async(jobs > 1 ? std::launch::async : std::launch::deferred, std::move(work)));
        launched = hi;
      }
    };
    while (true) {
      launch();
      if (running.empty()) break;  // every state expanded: exhausted
      running.front().second.get();
      std::unique_ptr<Batch> done = std::move(running.front().first);
      running.pop_front();
      launch();
      const Batch& b = *done;
      std::size_t c = 0;
      for (const std::uint16_t count : b.counts) {
        if (i == level_end) {  // a whole level is expanded
          ++r.depth;
          level_end = seen.size();
        }
        for (const std::size_t end = c + count; c < end; ++c) {
          if (c + kPrefetchAhead < b.candidates.size())
            seen.prefetch(b.candidates[c + kPrefetchAhead].hash);
          const Candidate& x = b.candidates[c];
          if (!seen.insert(x.key, x.hash)) continue;
          parent.push_back(i);
          via.push_back(x.input);
          if (judge(static_cast<std::uint32_t>(seen.size() - 1), kcore::Successor::unpack(x.key)))
            return out;
        }
        ++i;
      }
      spare.push_back(std::move(done));
      const bool timed_out = std::chrono::duration<double>(Clock::now() - t0).count() > p.timeout;
      if (timed_out || static_cast<long long>(seen.size()) > p.max_states || stop_requested()) {
        r.time_capped = timed_out;
        r.reason = "stopped at " + std::to_string(seen.size()) + " states (" +
                   (stop_requested() ? "interrupted" : "time or --max-states") + ")";
        return finish();  // hold up to r.depth
      }
    }
    r.all_depths = true;
    ++r.depth;  // the last level, expanded: nothing new
    return finish();
  }
};

}  // namespace

std::unique_ptr<Engine> make_kcore_bfs_engine() {
  return std::make_unique<KcoreBfs>();
}

}  // namespace pasidcheck::solver
