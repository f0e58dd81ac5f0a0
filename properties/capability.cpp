#include "properties/capability.h"

#include "model/describe.h"
#include "model/translate.h"

namespace pasidcheck::properties {

using namespace model;

namespace {

struct Builder {
  const Model& m;
  int dev;
  int pasid;
  const PasidEntry& e;
  bool cached;
  std::vector<Reach>& out;

  void add(Priv priv, int frame, bool write, Via via, bool freed, int index, Addr addr) {
    out.push_back({dev, pasid, priv, frame, write, via, e.root, freed, cached, index, addr});
  }

  // A leaf reached with each privilege the entry allows (read, and write when permitted).
  void leaf(const Leaf& l, Via via, bool freed, int index, Addr addr) {
    const int span = l.large ? m.bounds().large : 1;
    for (Priv priv : {Priv::user, Priv::supervisor}) {
      if (priv == Priv::supervisor && (pasid == 0 || !e.sre)) continue;
      if (check_leaf(l, e.wpe, priv, Access::read) != FaultReason::none) continue;
      const bool w = leaf_writable(l, e.wpe, priv);
      for (int f = l.frame; f < l.frame + span; ++f) add(priv, f, w, via, freed, index, addr);
    }
  }

  void any_frame(Via via, int index) {
    add(Priv::user, -1, true, via, false, index, {});
    if (pasid > 0 && e.sre) add(Priv::supervisor, -1, true, via, false, index, {});
  }
};

}  // namespace

void pasid_cached_reaches(const Model& m, const State& s, int dev, int pasid,
                          std::vector<Reach>& out) {
  bool cached = false;
  const PasidEntry e = effective_entry(s, dev, pasid, &cached);
  if (!e.present || e.root == Root::passthrough) return;
  Builder b{m, dev, pasid, e, cached, out};
  for (std::size_t i = 0; i < s.iotlb.size(); ++i) {
    const auto& x = s.iotlb[i];
    if (x.did != e.did || x.pasid != pasid || !translates(e, x.key.space)) continue;
    b.leaf({true, x.frame, x.w, x.u, x.nx, x.large, x.key}, Via::iotlb, x.freed,
           static_cast<int>(i), {});
  }
  if (!walks_kernel(e)) return;
  for (std::size_t i = 0; i < s.psc.size(); ++i) {
    const auto& x = s.psc[i];
    if (x.did != e.did || x.pasid != pasid || x.table == current_table(m, s, x.space, x.index))
      continue;
    if (x.reused) {
      b.any_frame(Via::stale_psc, static_cast<int>(i));
    } else if (x.space == Space::direct && x.frozen.present) {
      const int first = x.index * m.bounds().large;
      b.leaf({true, first, x.frozen.w, false, true, true, {Space::direct, first}}, Via::stale_psc,
             true, static_cast<int>(i), {});
    }
  }
}

void space_walk_reaches(const Model& m, const State& s, int dev, int pasid, const PasidEntry& e,
                        bool cached, Space sp, std::vector<Reach>& out) {
  if (!e.present || e.root == Root::passthrough || !translates(e, sp)) return;
  // SVA walks of the kernel half end in U=0 leaves, which an SRE=0 entry cannot use.
  if (e.root == Root::sva && sp != Space::user && !e.sre) return;
  Builder b{m, dev, pasid, e, cached, out};
  auto walk = [&](int p) {
    const Walk w = walk_tables(m, s, e, pasid, {sp, p});
    if (w.leaf.present && !(w.leaf.large && w.leaf.key.page != p))
      b.leaf(w.leaf, Via::walk, false, -1, {sp, p});
  };
  if (e.root == Root::mirror) {
    // A strict mirror maps only its leaves (walk_tables: a lookup in the mirror), so walking
    // those, in ascending order, finds what walking every page of the space would.
    for (const auto& [a, leaf] : mirror_leaves(s, e, pasid))
      if (a.space == sp) walk(a.page);
    return;
  }
  for (int p = 0; p < m.space_size(sp); ++p) walk(p);
}

void pasid_walk_reaches(const Model& m, const State& s, int dev, int pasid,
                        std::vector<Reach>& out) {
  bool cached = false;
  const PasidEntry e = effective_entry(s, dev, pasid, &cached);
  if (!e.present) return;
  if (e.root == Root::passthrough)
    return Builder{m, dev, pasid, e, cached, out}.any_frame(Via::passthrough, -1);
  for (Space sp : kWalkOrder) space_walk_reaches(m, s, dev, pasid, e, cached, sp, out);
}

void device_reaches(const Model& m, const State& s, int dev, std::vector<Reach>& out) {
  if (!m.ats(dev)) return;
  // Translated requests: a trusted device uses only its device TLB (MODEL.md §1, §8.21).
  for (std::size_t i = 0; i < s.devtlb.size(); ++i) {
    const auto& x = s.devtlb[i];
    if (x.dev != dev) continue;
    out.push_back({dev, x.pasid, x.priv, x.frame, x.w, Via::devtlb, x.ctx.root, x.freed, false,
                   static_cast<int>(i), x.page});
  }
  if (!m.trusted(dev))
    out.push_back(
        {dev, -1, Priv::supervisor, -1, true, Via::translated, Root::none, false, false, -1, {}});
}

std::vector<Reach> capability(const Model& m, const State& s, int dev) {
  std::vector<Reach> out;
  for (int p = 0; p < m.bounds().pasids; ++p) {
    pasid_cached_reaches(m, s, dev, p, out);
    pasid_walk_reaches(m, s, dev, p, out);
  }
  device_reaches(m, s, dev, out);
  return out;
}

WriteSummary write_summary(const Model& m, const std::vector<Reach>& cap) {
  WriteSummary w;
  w.bits.assign((m.bounds().frames + 63) / 64, 0);
  for (const Reach& r : cap) {
    if (!r.write) continue;
    if (r.frame < 0)
      w.any = true;
    else
      w.bits[r.frame / 64] |= std::uint64_t{1} << (r.frame % 64);
  }
  return w;
}

FrameUseBits frame_use_bits(const Model& m, const State& s) {
  FrameUseBits b;
  b.tables.assign((m.bounds().frames + 63) / 64, 0);
  b.free.assign(b.tables.size(), 0);
  // Branch-free, a word at a time: this runs after every op that names the frames.
  const int frames = m.bounds().frames;
  for (std::size_t w = 0; w < b.tables.size(); ++w) {
    std::uint64_t tables = 0, free = 0;
    const int end = std::min(frames, static_cast<int>(w * 64) + 64);
    for (int f = static_cast<int>(w * 64); f < end; ++f) {
      const FrameUse u = s.frames[f].use;
      tables |= std::uint64_t{u == FrameUse::kpt || u == FrameUse::iopt} << (f % 64);
      free |= std::uint64_t{u == FrameUse::free} << (f % 64);
    }
    b.tables[w] = tables;
    b.free[w] = free;
  }
  return b;
}

std::vector<int> pasids_in_use(const Model& m, const State& s, int dev) {
  // One pass over the PASID cache instead of effective_entry() per PASID: the first copy of
  // (dev, pasid) is the one a request uses.
  const int pasids = m.bounds().pasids;
  std::vector<char> used(pasids, 0), copied(pasids, 0);
  for (int p = 0; p < pasids; ++p) used[p] = s.devices[dev].entries[p].present;
  for (const auto& c : s.pasid_cache) {
    if (c.dev != dev || copied[c.pasid]) continue;
    copied[c.pasid] = 1;
    used[c.pasid] |= c.copy.present;
  }
  std::vector<int> out;
  for (int p = 0; p < pasids; ++p)
    if (used[p]) out.push_back(p);
  return out;
}

std::vector<int> mirrored_pasids(const Model& m, const State& s, int dev) {
  std::vector<int> out;
  for (int p = 0; p < m.bounds().pasids; ++p)
    if (!s.devices[dev].mirror[p].empty()) out.push_back(p);
  return out;
}

bool writes_any_of(const WriteSummary& w, const std::vector<std::uint64_t>& frames) {
  for (std::size_t i = 0; i < frames.size(); ++i)
    if (frames[i] && (w.any || (w.bits[i] & frames[i]))) return true;
  return false;
}

std::string describe_path(const Model& m, const State& s, const Reach& r) {
  if (r.via == Via::translated)
    return "forged translated request (ATS enabled on an untrusted device)";
  if (r.via == Via::devtlb) return describe_devtlb(m, s.devtlb.at(r.index));
  const PasidEntry e = effective_entry(s, r.dev, r.pasid);
  const std::string entry =
      std::string(r.cached_entry ? "cached PASID entry " : "PASID entry ") + describe_entry(e);
  switch (r.via) {
    case Via::iotlb:
      return describe_iotlb(m, s.iotlb.at(r.index)) + " under " + entry;
    case Via::stale_psc:
      return "stale " + describe_psc(s.psc.at(r.index)) + " under " + entry;
    case Via::walk:
      return "walk of " + to_string(r.addr) + " under " + entry;
    default:
      return entry;
  }
}

}  // namespace pasidcheck::properties
