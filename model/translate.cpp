#include "model/translate.h"

namespace pasidcheck::model {

PasidEntry effective_entry(const State& s, int dev, int pasid, bool* from_cache) {
  for (const auto& c : s.pasid_cache) {
    if (c.dev == dev && c.pasid == pasid) {
      if (from_cache) *from_cache = true;
      return c.copy;
    }
  }
  if (from_cache) *from_cache = false;
  return s.devices[dev].entries[pasid];
}

const std::map<Addr, MirrorLeaf>& mirror_leaves(const State& s, const PasidEntry& e, int pasid) {
  if (e.frozen) {
    for (const auto& c : s.pasid_cache)
      if (c.dev == e.root_id && c.pasid == pasid) return c.frozen_mirror;
  }
  return s.devices[e.root_id].mirror[pasid];
}

bool translates(const PasidEntry& e, Space space) {
  switch (e.root) {
    case Root::dma:
      return space == Space::iova;
    case Root::passthrough:
      return space == Space::phys;
    case Root::kernel:
    case Root::mirror:
      return space == Space::direct || space == Space::vmalloc || space == Space::text;
    case Root::sva:
      return space == Space::user || space == Space::direct || space == Space::vmalloc ||
             space == Space::text;
    case Root::none:
      return false;
  }
  return false;
}

bool walks_kernel(const PasidEntry& e) {
  return e.root == Root::kernel || e.root == Root::sva;
}

int current_table(const Model& m, const State& s, Space space, int index) {
  (void)m;
  if (space == Space::direct) return s.blocks[index].split ? s.blocks[index].table : -1;
  if (space == Space::vmalloc) return s.vgroup_table[index];
  return -1;
}

namespace {

// The CPU kernel page table (init_mm), shared by fast KVA, init_mm and the kernel half of SVA.
Walk walk_kernel(const Model& m, const State& s, Addr a) {
  Walk w;
  if (a.space == Space::direct) {
    const int b = m.block_of(a.page);
    const DirectLeaf& d = s.direct[a.page];
    if (s.blocks[b].split) {
      w.table = TableRead{Space::direct, b, s.blocks[b].table};
      w.leaf = {d.present, a.page, d.w, false, true, false, a};
    } else {
      const int first = b * m.bounds().large;
      w.leaf = {d.present, first, d.w, false, true, true, {Space::direct, first}};
    }
  } else if (a.space == Space::vmalloc) {
    const int g = m.group_of(a.page);
    if (s.vgroup_table[g] < 0) {
      w.fault = FaultReason::not_present;
      return w;
    }
    w.table = TableRead{Space::vmalloc, g, s.vgroup_table[g]};
    const VmallocLeaf& v = s.vmalloc[a.page];
    w.leaf = {v.present && v.frame >= 0, v.frame, v.w, false, v.nx, false, a};
  } else if (a.space == Space::text) {
    w.leaf = {true, a.page, false, false, false, false, a};
  }
  if (!w.leaf.present) w.fault = FaultReason::not_present;
  return w;
}

}  // namespace

Walk walk_tables(const Model& m, const State& s, const PasidEntry& e, int pasid, Addr a) {
  Walk w;
  w.leaf.key = a;
  switch (e.root) {
    case Root::dma: {
      const IovaPage& p = s.devices[e.root_id].iova[a.page];
      // Linux sets U/S on first-stage DMA-domain PTEs (DMA_FL_PTE_US).
      if (p.kind == IovaPage::Kind::mapped) w.leaf = {true, p.frame, p.w, true, true, false, a};
      break;
    }
    case Root::mirror: {
      const auto& mir = mirror_leaves(s, e, pasid);
      auto it = mir.find(a);
      if (it != mir.end()) w.leaf = {true, it->second.frame, it->second.w, false, true, false, a};
      break;
    }
    case Root::kernel:
      return walk_kernel(m, s, a);
    case Root::sva: {
      if (a.space != Space::user) return walk_kernel(m, s, a);
      const UserPage& p = s.mms[e.root_id].pages[a.page];
      if (p.kind == UserPage::Kind::mapped) w.leaf = {true, p.frame, p.w, true, true, false, a};
      break;
    }
    case Root::passthrough:
      w.leaf = {true, a.page, true, true, true, false, a};
      break;
    case Root::none:
      break;
  }
  if (!w.leaf.present) w.fault = FaultReason::not_present;
  return w;
}

bool leaf_writable(const Leaf& l, bool wpe, Priv priv) {
  return l.w || (priv == Priv::supervisor && !wpe);
}

FaultReason check_leaf(const Leaf& l, bool wpe, Priv priv, Access access) {
  if (!l.present) return FaultReason::not_present;
  if (priv == Priv::user && !l.u) return FaultReason::user_to_supervisor;
  if (access == Access::write && !leaf_writable(l, wpe, priv))
    return FaultReason::write_to_readonly;
  return FaultReason::none;
}

}  // namespace pasidcheck::model
