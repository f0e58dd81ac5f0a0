// Address translation as VT-d scalable mode performs it (VT-d 3.x §3.6 first-stage translation,
// §6.2 caching, MODEL.md §3.5 and §8.3-§8.6): which PASID entry a request uses, which address
// spaces that entry translates, and a fresh walk of the current tables. Pure functions of the
// state, shared by the ops (device.cpp) and by the capability computation in properties/.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "model/model.h"

namespace pasidcheck::model {

// A leaf as the IOMMU sees it (first-stage PTE: P, R/W, U/S, XD).
struct Leaf {
  bool present = false;
  int frame = -1;  // the first frame for a large leaf
  bool w = false;
  bool u = false;
  bool nx = true;
  bool large = false;
  Addr key;  // the IOTLB key: the page, or the block's first page for a large leaf
};

// A page-table page the walk read, with the prefix it serves (the PSC key).
struct TableRead {
  Space space = Space::direct;
  int index = 0;
  int table = -1;
};

struct Walk {
  FaultReason fault = FaultReason::none;  // not_present when the walk found no leaf
  Leaf leaf;
  // The page-table page read on the way (a split direct block's or a vmalloc group's table): the
  // model's kernel tables have one level below the PSC-cached prefix, so at most one.
  std::optional<TableRead> table;
};

// The PASID entry a request of (dev, pasid) uses: the PASID-cache copy if one exists (§8.20).
PasidEntry effective_entry(const State& s, int dev, int pasid, bool* from_cache = nullptr);
// The leaves of the strict mirror an entry (root = mirror) points at: the live domain, or for a
// PASID-cache copy of a freed domain its last contents (MODEL.md §8.38).
const std::map<Addr, MirrorLeaf>& mirror_leaves(const State& s, const PasidEntry& e, int pasid);
// §8.3: the address spaces an entry translates (SVA also walks the kernel spaces, then faults U/S).
bool translates(const PasidEntry& e, Space space);
// Does the entry's root walk the live CPU kernel table (fast KVA, init_mm, user SVA)?
bool walks_kernel(const PasidEntry& e);
// The table frame currently serving a PSC prefix, or -1.
int current_table(const Model& m, const State& s, Space space, int index);
// A fresh walk of the current tables for an entry that translates `a`.
Walk walk_tables(const Model& m, const State& s, const PasidEntry& e, int pasid, Addr a);
// Permission check of a leaf for a request (U/S, then R/W honouring WPE for supervisor requests).
FaultReason check_leaf(const Leaf& l, bool wpe, Priv priv, Access access);
bool leaf_writable(const Leaf& l, bool wpe, Priv priv);

}  // namespace pasidcheck::model
