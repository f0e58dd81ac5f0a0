#include "properties/incremental_capability.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>

#include "model/translate.h"

namespace pasidcheck::properties {

using namespace model;

CapabilityCache::CapabilityCache(const Model& m) : m_(m) {}

void CapabilityCache::prime(const State& s) {
  const int devices = m_.device_count();
  const int pasids = m_.bounds().pasids;
  pieces_.assign(devices, std::vector<Piece>(pasids));
  present_.assign(devices, {});
  in_use_.assign(devices, {});
  mirrored_.assign(devices, {});
  device_part_.assign(devices, {});
  caps_.assign(devices, {});
  for (int d = 0; d < devices; ++d) {
    for (int p = 0; p < pasids; ++p) {
      Piece& x = pieces_[d][p];
      x.entry = effective_entry(s, d, p, &x.cached_entry);
      if (x.entry.present) present_[d].push_back(p);
      pasid_cached_reaches(m_, s, d, p, x.cached);
      pasid_walk_reaches(m_, s, d, p, x.walks);
      caps_[d].insert(caps_[d].end(), x.cached.begin(), x.cached.end());
      caps_[d].insert(caps_[d].end(), x.walks.begin(), x.walks.end());
      ++stats_.pieces_recomputed;
    }
    in_use_[d] = properties::pasids_in_use(m_, s, d);
    mirrored_[d] = properties::mirrored_pasids(m_, s, d);
    device_reaches(m_, s, d, device_part_[d]);
    caps_[d].insert(caps_[d].end(), device_part_[d].begin(), device_part_[d].end());
  }
  writes_.clear();
  for (int d = 0; d < devices; ++d) writes_.push_back(write_summary(m_, caps_[d]));
  const std::size_t pairs = static_cast<std::size_t>(devices) * pasids;
  ch_.entry.assign(pairs, 0);
  ch_.mirror.assign(pairs, 0);
  ch_.iova.assign(devices, 0);
  ch_.mm.assign(s.mms.size(), 0);
  last_ = s;
  primed_ = true;
}

namespace {

// Vector equality; byte-wise for element types whose bytes are their value (the direct map's
// leaves: element-wise comparison of 1024 two-byte leaves was a third of diff()).
template <typename T>
bool same(const std::vector<T>& a, const std::vector<T>& b) {
  if constexpr (std::has_unique_object_representations_v<T>)
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
  else
    return a == b;
}

}  // namespace

void CapabilityCache::diff(const State& s, const Footprint& fp) {
  const int pasids = m_.bounds().pasids;
  ch_.direct = !same(s.direct, last_.direct) || !same(s.blocks, last_.blocks);
  ch_.vmalloc = !same(s.vmalloc, last_.vmalloc) || !same(s.vgroup_table, last_.vgroup_table);
  ch_.kernel = ch_.direct || ch_.vmalloc;
  for (KernelWalk& k : kernel_walks_) {
    k.direct_ok &= !ch_.direct;
    k.vmalloc_ok &= !ch_.vmalloc;
  }
  ch_.iotlb = s.iotlb != last_.iotlb;
  ch_.psc = s.psc != last_.psc;
  ch_.devtlb = s.devtlb != last_.devtlb;
  ch_.pasid_cache = s.pasid_cache != last_.pasid_cache;
  for (int d = 0; d < m_.device_count(); ++d) {
    if (!fp.touches(d)) continue;
    const DeviceState& now = s.devices[d];
    const DeviceState& was = last_.devices[d];
    const bool entries = fp.writes(Footprint::entries), mirrors = fp.writes(Footprint::mirrors);
    if (fp.writes(Footprint::domain)) ch_.iova[d] = now.iova != was.iova;
    for (int p = 0; p < pasids && (entries || mirrors); ++p) {
      const int i = d * pasids + p;
      if (entries && !(now.entries[p] == was.entries[p])) ch_.mark_entry(i);
      if (mirrors && now.mirror[p] != was.mirror[p]) {
        ch_.mirror[i] = 1;
        ch_.mirrors.push_back(i);
      }
    }
  }
  // A PASID-cache change can only change the effective entry of the pairs it held or holds.
  if (ch_.pasid_cache) {
    for (const std::vector<PasidCacheEntry>* pc :
         {&s.pasid_cache, &std::as_const(last_).pasid_cache})
      for (const auto& c : *pc) ch_.mark_entry(c.dev * pasids + c.pasid);
  }
  for (std::size_t i = 0; i < s.mms.size(); ++i) ch_.mm[i] = s.mms[i].pages != last_.mms[i].pages;
}

const FrameUseBits& CapabilityCache::frame_uses() const {
  if (frames_of_) frame_uses_ = frame_use_bits(m_, *frames_of_);
  frames_of_ = nullptr;
  return frame_uses_;
}

// Do the tables an entry's walks read differ (translate.cpp walk_tables)?
bool CapabilityCache::walk_inputs_changed(const PasidEntry& e, int pasid) const {
  switch (e.root) {
    case Root::kernel:
      return ch_.kernel;
    case Root::sva:
      return ch_.kernel || ch_.mm.at(e.root_id);
    case Root::dma:
      return ch_.iova.at(e.root_id);
    case Root::mirror:
      return ch_.mirror.at(e.root_id * m_.bounds().pasids + pasid);
    case Root::passthrough:
    case Root::none:
      return false;
  }
  return true;
}

// Recomputes one part of a piece; returns whether its reaches changed.
template <typename F>
bool CapabilityCache::recompute(std::vector<Reach>& part, F fill) {
  scratch_.clear();
  fill(scratch_);
  if (scratch_ == part) return false;
  part.swap(scratch_);
  return true;
}

bool CapabilityCache::refresh_piece(const State& s, int d, int p) {
  Piece& x = pieces_[d][p];
  bool entry_changed = false;
  if (ch_.entry[d * m_.bounds().pasids + p]) {
    bool cached = false;
    const PasidEntry e = effective_entry(s, d, p, &cached);
    entry_changed = !(e == x.entry) || cached != x.cached_entry;
    x.entry = e;
    x.cached_entry = cached;
  }
  // Cached reaches read the IOTLB and PSC, and current_table() of the kernel table for PSC entries.
  const bool cached_stale =
      entry_changed ||
      (x.entry.present && (ch_.iotlb || ch_.psc || (ch_.kernel && !s.psc.empty())));
  const bool walks_stale = entry_changed || walk_inputs_changed(x.entry, p);
  if (!cached_stale && !walks_stale) {
    ++stats_.pieces_reused;
    return false;
  }
  ++stats_.pieces_recomputed;
  bool changed = false;
  if (cached_stale)
    changed |= recompute(x.cached, [&](auto& out) { pasid_cached_reaches(m_, s, d, p, out); });
  if (walks_stale) changed |= recompute(x.walks, [&](auto& out) { walk_reaches(s, d, p, x, out); });
  return changed;
}

// pasid_walk_reaches() of (dev, pasid), whose effective entry the piece holds. Every entry rooted
// at the CPU kernel table (fast KVA and init_mm binds share it, MODEL.md §3) walks the same leaves,
// and its reaches (capability.cpp Builder) depend on the entry only through SRE, WPE and whether
// the PASID is RID_PASID; they differ in device, PASID and cached_entry alone. So the kernel table
// is walked once per (SRE, WPE, PASID > 0) and per address space, again only when that space's
// tables change (a vmalloc op re-walks vmalloc, not the direct map), and pieces copy the walk.
void CapabilityCache::walk_reaches(const State& s, int d, int p, const Piece& x,
                                   std::vector<Reach>& out) {
  const PasidEntry& e = x.entry;
  if (e.root != Root::kernel) return pasid_walk_reaches(m_, s, d, p, out);
  auto k = std::find_if(kernel_walks_.begin(), kernel_walks_.end(), [&](const KernelWalk& w) {
    return w.sre == e.sre && w.wpe == e.wpe && w.pasid_set == (p > 0);
  });
  if (k == kernel_walks_.end()) k = kernel_walks_.insert(k, {e.sre, e.wpe, p > 0, {}, {}, {}});
  auto part = [&](Space sp, std::vector<Reach>& walk, bool& ok) {
    if (!ok) {
      walk.clear();
      space_walk_reaches(m_, s, d, p, e, false, sp, walk);
      ok = true;
    } else {
      ++stats_.kernel_walks_shared;
    }
    out.insert(out.end(), walk.begin(), walk.end());
  };
  // The order of kWalkOrder (a kernel root translates neither IOVA nor user addresses).
  part(Space::direct, k->direct, k->direct_ok);
  part(Space::vmalloc, k->vmalloc, k->vmalloc_ok);
  part(Space::text, k->text, k->text_ok);
  for (Reach& r : out) {
    r.dev = d;
    r.pasid = p;
    r.cached_entry = x.cached_entry;
  }
}

void CapabilityCache::remember(const State& s) {
  if (ch_.kernel) {
    last_.direct = s.direct;
    last_.blocks = s.blocks;
    last_.vmalloc = s.vmalloc;
    last_.vgroup_table = s.vgroup_table;
  }
  if (ch_.iotlb) last_.iotlb = s.iotlb;
  if (ch_.psc) last_.psc = s.psc;
  if (ch_.devtlb) last_.devtlb = s.devtlb;
  if (ch_.pasid_cache) last_.pasid_cache = s.pasid_cache;
  const int pasids = m_.bounds().pasids;
  for (int i : ch_.entries) {
    last_.devices[i / pasids].entries[i % pasids] = s.devices[i / pasids].entries[i % pasids];
    ch_.entry[i] = 0;
  }
  for (int i : ch_.mirrors) {
    const int d = i / pasids, p = i % pasids;
    last_.devices[d].mirror[p] = s.devices[d].mirror[p];
    ch_.mirror[i] = 0;
    auto& mirrored = mirrored_[d];
    const auto at = std::lower_bound(mirrored.begin(), mirrored.end(), p);
    const bool listed = at != mirrored.end() && *at == p;
    if (s.devices[d].mirror[p].empty() && listed) mirrored.erase(at);
    if (!s.devices[d].mirror[p].empty() && !listed) mirrored.insert(at, p);
  }
  ch_.entries.clear();
  ch_.mirrors.clear();
  for (std::size_t d = 0; d < s.devices.size(); ++d)
    if (ch_.iova[d]) last_.devices[d].iova = s.devices[d].iova;
  for (std::size_t i = 0; i < s.mms.size(); ++i)
    if (ch_.mm[i]) last_.mms[i].pages = s.mms[i].pages;
  std::fill(ch_.iova.begin(), ch_.iova.end(), 0);
}

void CapabilityCache::update(const State& s) {
  refresh(s, Footprint{});
}

void CapabilityCache::update_after(const State& s, const Footprint& fp) {
  refresh(s, fp);
}

void CapabilityCache::refresh(const State& s, const Footprint& fp) {
  ++stats_.updates;
  // Still to compute from an earlier state: `s` has the same frames (or newer ones), and the
  // earlier state may be gone.
  if (!primed_ || fp.frames || frames_of_) frames_of_ = &s;
  if (!primed_) return prime(s);
  diff(s, fp);
  const int pasids = m_.bounds().pasids;
  // Visit each device's present pieces and the pieces whose entry may have changed; an entry that
  // was and stays absent has no reaches.
  for (int d = 0; d < m_.device_count(); ++d) {
    auto& present = present_[d];
    bool changed = false, entries_changed = false;
    for (int p : present) changed |= refresh_piece(s, d, p);
    for (int i : ch_.entries) {
      if (i / pasids != d) continue;
      entries_changed = true;
      const int p = i % pasids;
      if (std::find(present.begin(), present.end(), p) == present.end())
        changed |= refresh_piece(s, d, p);
    }
    if (ch_.devtlb)
      changed |= recompute(device_part_[d], [&](auto& out) { device_reaches(m_, s, d, out); });
    if (entries_changed) {
      present.clear();
      for (int p = 0; p < pasids; ++p)
        if (pieces_[d][p].entry.present) present.push_back(p);
      in_use_[d] = properties::pasids_in_use(m_, s, d);
    }
    if (!changed) continue;
    auto& cap = caps_[d];
    cap.clear();
    for (int p : present) {
      const Piece& x = pieces_[d][p];
      cap.insert(cap.end(), x.cached.begin(), x.cached.end());
      cap.insert(cap.end(), x.walks.begin(), x.walks.end());
    }
    cap.insert(cap.end(), device_part_[d].begin(), device_part_[d].end());
    writes_[d] = write_summary(m_, cap);
  }
  remember(s);
}

}  // namespace pasidcheck::properties
