// Properties judged on capabilities: what a device can reach (MODEL.md §6, §8.21, §8.22).
#include <set>
#include <tuple>

#include "properties/property.h"

namespace pasidcheck::properties {

using namespace model;

namespace {

constexpr std::size_t kMaxPerDevice = 4;  // enough to explain; the verdict needs one

struct Collector {
  explicit Collector(std::size_t limit) : first(limit) {}
  std::size_t first = 0;  // Snapshot::first(): stop after this many (0: no overall limit)
  std::vector<Violation> out;
  std::set<std::tuple<int, int, int>> seen;  // (dev, pasid, frame)
  std::vector<std::size_t> per_dev;
  bool done() const { return first && out.size() >= first; }
  bool full(int dev) const {
    return done() || (static_cast<std::size_t>(dev + 1) < per_dev.size() &&
                      per_dev[dev + 1] >= kMaxPerDevice);
  }
  // Would a violation at (dev, pasid, frame) be kept? Checked before a message is built.
  bool wants(int dev, int pasid, int frame) const {
    return !full(dev) && !seen.count({dev, pasid, frame});
  }
  bool add(Violation v) {
    if (done()) return false;
    if (per_dev.size() <= static_cast<std::size_t>(v.dev + 1)) per_dev.resize(v.dev + 2, 0);
    if (per_dev[v.dev + 1] >= kMaxPerDevice) return false;
    if (!seen.insert({v.dev, v.pasid, v.frame}).second) return false;
    ++per_dev[v.dev + 1];
    out.push_back(std::move(v));
    return true;
  }
};

// The frames a reach covers — one frame, or for "any frame" every frame, or only `candidates`
// (ascending) when the caller knows no other frame can violate — that the collector still wants.
template <typename F>
void for_frames(const Model& m, const Reach& r, const Collector& c, F f,
                const std::vector<int>* candidates = nullptr) {
  if (r.frame >= 0) {
    if (c.wants(r.dev, r.pasid, r.frame)) f(r.frame);
    return;
  }
  auto visit = [&](int x) {
    if (c.wants(r.dev, r.pasid, x)) f(x);
    return !c.full(r.dev);
  };
  if (candidates) {
    for (int x : *candidates)
      if (!visit(x)) return;
    return;
  }
  for (int x = 0; x < m.bounds().frames; ++x)
    if (!visit(x)) return;
}

// The ascending list of the frames in a bitset.
// Can the reach touch a frame of `bits`? One-frame reaches are answered by their bit, so the
// collector is consulted only for reaches that may violate.
bool may_hit(const Reach& r, const std::vector<std::uint64_t>& bits) {
  return r.frame < 0 || (bits[r.frame / 64] >> (r.frame % 64) & 1u);
}

std::vector<int> frames_in(const std::vector<std::uint64_t>& bits) {
  std::vector<int> out;
  for (std::size_t i = 0; i < bits.size(); ++i)
    for (std::uint64_t w = bits[i]; w; w &= w - 1)
      out.push_back(static_cast<int>(i * 64) + __builtin_ctzll(w));
  return out;
}

// Frames the CPU can execute: kernel text, and vmalloc pages mapped without NX.
std::vector<std::uint64_t> cpu_executable(const Model& m, const State& s) {
  std::vector<std::uint64_t> x((m.bounds().frames + 63) / 64, 0);
  auto set = [&x](int f) { x[f / 64] |= std::uint64_t{1} << (f % 64); };
  for (int t = 0; t < m.bounds().text_pages; ++t) set(t);
  for (const auto& v : s.vmalloc)
    if (v.present && v.frame >= 0 && !v.nx) set(v.frame);
  return x;
}

bool confined_root(Root r) {
  return r == Root::dma || r == Root::mirror || r == Root::sva;
}

// Live grants of a device, per frame: (slot mask readable, slot mask writable). One buffer serves
// every device of a check: fill() records the frames it sets, clear() resets only those.
struct Grants {
  std::vector<std::uint32_t> r, w;
  std::vector<int> touched;

  void fill(const Model& m, const State& s, int dev) {
    if (r.empty()) {
      r.assign(m.bounds().frames, 0);
      w.assign(m.bounds().frames, 0);
    }
    const std::uint32_t all = all_slots(m.bounds());
    auto grant = [this](int f, std::uint32_t slots, bool writable) {
      touched.push_back(f);
      r[f] |= slots;
      if (writable) w[f] |= slots;
    };
    const DeviceState& ds = s.devices[dev];
    for (const auto& p : ds.iova)
      if (p.kind == IovaPage::Kind::mapped) grant(p.frame, p.slots, p.w);
    for (const auto& per : ds.kva)
      for (const auto& [a, k] : per) grant(k.frame, k.slots, k.w);
    for (int p = 1; p < m.bounds().pasids; ++p) {
      if (!ds.bound[p] || s.pasids[p].kind != PasidOwner::Kind::mm) continue;
      for (const auto& u : s.mms[s.pasids[p].id].pages)
        if (u.kind == UserPage::Kind::mapped) grant(u.frame, all, u.w);
    }
  }
  void clear() {
    for (int f : touched) r[f] = w[f] = 0;
    touched.clear();
  }
};

}  // namespace

std::vector<Violation> check_no_wx_dma(const Snapshot& snap) {
  const Model& m = snap.model();
  const auto exec_bits = cpu_executable(m, snap.state());
  auto exec = [&exec_bits](int f) { return exec_bits[f / 64] >> (f % 64) & 1u; };
  std::vector<int> exec_frames;
  Collector c(snap.first());
  for (int d = 0; d < m.device_count() && !c.done(); ++d) {
    if (!writes_any_of(snap.writes(d), exec_bits)) continue;  // the quick test: nothing to find
    if (exec_frames.empty()) exec_frames = frames_in(exec_bits);
    for (const Reach& r : snap.cap(d)) {
      if (c.done()) break;
      if (!r.write || !may_hit(r, exec_bits)) continue;
      for_frames(
          m, r, c,
          [&](int f) {
            if (exec(f))
              c.add(from_reach(
                  snap, "no-wx-dma", r, f,
                  "frame " + std::to_string(f) + " is CPU-executable and device-writable"));
          },
          &exec_frames);
    }
  }
  return c.out;
}

std::vector<Violation> check_pt_integrity(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  const std::vector<std::uint64_t>& table_bits = snap.frame_uses().tables;
  std::vector<int> table_frames;
  Collector c(snap.first());
  for (int d = 0; d < m.device_count() && !c.done(); ++d) {
    if (!writes_any_of(snap.writes(d), table_bits)) continue;  // the quick test: nothing to find
    if (table_frames.empty()) table_frames = frames_in(table_bits);
    for (const Reach& r : snap.cap(d)) {
      if (c.done()) break;
      if (!r.write || !may_hit(r, table_bits)) continue;
      for_frames(
          m, r, c,
          [&](int f) {
            const FrameUse u = s.frames[f].use;
            if (table_bits[f / 64] >> (f % 64) & 1u)
              c.add(from_reach(snap, "pt-integrity", r, f,
                               "page-table frame " + std::to_string(f) + " (" + to_string(u) +
                                   ") is device-writable"));
          },
          &table_frames);
    }
  }
  return c.out;
}

std::vector<Violation> check_untrusted_confined(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  Collector c(snap.first());
  Grants g;
  for (int d = 0; d < m.device_count(); ++d) {
    if (m.trusted(d) || snap.cap(d).empty()) continue;
    g.clear();
    g.fill(m, s, d);
    for (const Reach& r : snap.cap(d)) {
      for_frames(m, r, c, [&](int f) {
        for (int slot = 0; slot < m.bounds().slots; ++slot) {
          const std::uint32_t bit = 1u << slot;
          const bool ok = !r.freed && (g.r[f] & bit) && (!r.write || (g.w[f] & bit));
          if (ok) continue;
          Violation v = from_reach(snap, "untrusted-confined", r, f,
                                   r.freed ? "reaches frame " + std::to_string(f) +
                                                 " through a translation cached before it was freed"
                                           : "reaches beyond its live grants");
          v.slot = slot;
          c.add(std::move(v));
          break;
        }
      });
    }
  }
  return c.out;
}

std::vector<Violation> check_pasid_isolation(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  Collector c(snap.first());
  // The present user frames of each mm, computed when first needed.
  std::vector<std::vector<bool>> frames_of(s.mms.size());
  auto mine_of = [&](int mm) -> const std::vector<bool>& {
    auto& mine = frames_of[mm];
    if (mine.empty()) {
      mine.assign(m.bounds().frames, false);
      for (const auto& u : s.mms[mm].pages)
        if (u.kind == UserPage::Kind::mapped) mine[u.frame] = true;
    }
    return mine;
  };
  for (int d = 0; d < m.device_count(); ++d) {
    for (const Reach& r : snap.cap(d)) {
      if (r.pasid <= 0) continue;  // forged requests carry no PASID context (§8.21)
      const PasidOwner o = s.pasids[r.pasid];
      if (o.kind == PasidOwner::Kind::mm) {
        const std::vector<bool>& mine = mine_of(o.id);
        for_frames(m, r, c, [&](int f) {
          if (r.priv == Priv::supervisor)
            c.add(from_reach(snap, "pasid-isolation", r, f,
                             "supervisor request through PASID " + std::to_string(r.pasid) +
                                 " of mm " + std::to_string(o.id)));
          else if (!mine[f])
            c.add(from_reach(snap, "pasid-isolation", r, f,
                             "frame " + std::to_string(f) + " is not a present page of mm " +
                                 std::to_string(o.id) + ", which owns PASID " +
                                 std::to_string(r.pasid)));
        });
      } else if (r.priv == Priv::supervisor && o.kind != PasidOwner::Kind::kernel) {
        for_frames(m, r, c, [&](int f) {
          c.add(from_reach(snap, "pasid-isolation", r, f,
                           "supervisor request through a PASID that is not a kernel PASID"));
        });
      }
    }
  }
  // One PASID, one address space: every entry and cached copy of a PASID translates the same
  // space (MODEL.md §8.34 counts the copies): kernel VA (the kernel table or a strict mirror),
  // one device's IOVA space, one mm, or physical addresses.
  // Only PASIDs with two or more present entries or copies can break it (counted in one pass).
  std::vector<int> entries_of(m.bounds().pasids, 0);
  for (int d = 0; d < m.device_count(); ++d)
    for (int p : snap.pasids_in_use(d)) entries_of[p] += s.devices[d].entries[p].present;
  for (const auto& pc : s.pasid_cache) entries_of[pc.pasid] += pc.copy.present;
  auto space_of = [](const PasidEntry& e) -> std::pair<Root, int> {
    if (e.root == Root::mirror || e.root == Root::kernel) return {Root::kernel, -1};
    if (e.root == Root::passthrough) return {Root::passthrough, -1};
    return {e.root, e.root_id};
  };
  for (int p = 1; p < m.bounds().pasids; ++p) {
    if (entries_of[p] < 2) continue;
    std::optional<std::pair<Root, int>> root;
    auto visit = [&](const PasidEntry& e, int d, const char* where) {
      if (!e.present) return;
      const std::pair<Root, int> here = space_of(e);
      if (!root) {
        root = here;
      } else if (*root != here) {
        Violation v;
        v.property = "pasid-isolation";
        v.dev = d;
        v.pasid = p;
        v.path = where;
        v.message = "PASID " + std::to_string(p) + " names two address spaces";
        c.add(std::move(v));
      }
    };
    for (int d = 0; d < m.device_count(); ++d)
      visit(s.devices[d].entries[p], d, "PASID-table entry");
    for (const auto& pc : s.pasid_cache)
      if (pc.pasid == p) visit(pc.copy, pc.dev, "PASID-cache copy");
  }
  return c.out;
}

std::vector<Violation> check_no_dma_to_freed(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  Collector c(snap.first());
  const std::vector<std::uint64_t>& free_bits = snap.frame_uses().free;
  for (int d = 0; d < m.device_count(); ++d) {
    for (const Reach& r : snap.cap(d)) {
      if (r.pasid < 0 || !confined_root(r.root)) continue;
      if (!r.freed && !may_hit(r, free_bits)) continue;  // a live translation of a used frame
      for_frames(m, r, c, [&](int f) {
        if (r.freed)
          c.add(from_reach(
              snap, "no-dma-to-freed", r, f,
              "frame " + std::to_string(f) + " was freed since this translation was cached"));
        else if (s.frames[f].use == FrameUse::free)
          c.add(
              from_reach(snap, "no-dma-to-freed", r, f, "frame " + std::to_string(f) + " is free"));
        else if (r.frame < 0)
          c.add(from_reach(snap, "no-dma-to-freed", r, f,
                           "a reused page-table frame lets the device reach any frame"));
      });
    }
  }
  // §8.22: a PSC entry of a confined path whose table frame was freed since it was cached.
  for (const auto& x : s.psc) {
    if (!x.freed || !confined_root(x.ctx.root)) continue;
    for (int d = 0; d < m.device_count(); ++d) {
      const PasidEntry& e = s.devices[d].entries[x.pasid];
      if (!s.devices[d].bound[x.pasid] && !(e.present && e.did == x.did)) continue;
      Violation v;
      v.property = "no-dma-to-freed";
      v.dev = d;
      v.pasid = x.pasid;
      v.frame = x.table;
      v.path = "paging-structure cache entry did " + std::to_string(x.did) + " " +
               to_string(x.space) + " " + std::to_string(x.index);
      v.message = "the PSC still points at table frame " + std::to_string(x.table) +
                  ", freed since it was cached";
      c.add(std::move(v));
    }
  }
  return c.out;
}

}  // namespace pasidcheck::properties
