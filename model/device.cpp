// Requests from devices and what the IOMMU does with them (MODEL.md §4 "Hardware and device",
// §8.5, §8.6, §8.10, §8.20-§8.23): resolve the PASID entry (PASID cache first), then an IOTLB hit,
// else a PSC entry, else a walk of the current tables; walks fill the caches, faulting ones
// included.
#include <algorithm>

#include "model/step_context.h"
#include "model/translate.h"

namespace pasidcheck::model::detail {
namespace {

enum class Kind { dma, ats, walk };

void fill_pasid_cache(State& s, int dev, int pasid, const PasidEntry& e) {
  s.pasid_cache.push_back({dev, pasid, e, {}});
}

FillContext ctx_of(const PasidEntry& e) {
  return {e.root, e.sre, e.wpe};
}

// A fill replaces only the entry of its own key: a 4 KiB entry and the large-block entry covering
// the same page are different keys (MODEL.md §8.26).
void fill_iotlb(const Model& m, State& s, const PasidEntry& e, int pasid, const Leaf& l) {
  std::erase_if(s.iotlb, [&](const IotlbEntry& x) {
    return x.did == e.did && x.pasid == pasid && x.key == l.key && x.large == l.large;
  });
  s.iotlb.push_back({e.did, pasid, l.key, l.large, l.frame, l.w, l.u, l.nx, ctx_of(e), false});
  const int cap = m.bounds().iotlb_capacity;
  if (cap > 0 && static_cast<int>(s.iotlb.size()) > cap) s.iotlb.erase(s.iotlb.begin());
}

void fill_psc(State& s, const PasidEntry& e, int pasid, const TableRead& t) {
  std::erase_if(s.psc, [&](const PscEntry& x) {
    return x.did == e.did && x.pasid == pasid && x.space == t.space && x.index == t.index;
  });
  s.psc.push_back({e.did, pasid, t.space, t.index, t.table, ctx_of(e), false, false, {}});
}

void fill_devtlb(State& s, int dev, int pasid, Addr a, int frame, bool w, Priv priv,
                 const PasidEntry& e) {
  std::erase_if(s.devtlb, [&](const DevtlbEntry& x) {
    return x.dev == dev && x.pasid == pasid && x.page == a;
  });
  s.devtlb.push_back({dev, pasid, a, frame, w, priv, ctx_of(e), false});
}

// The 4 KiB entry of `a` wins over a large entry covering it (they coexist only when a split or
// collapse was not notified; MODEL.md §8.26). VT-d leaves the choice between overlapping entries
// of different page sizes to the implementation (it is a software error); the rule fixes one that
// does not depend on fill order, so a state is its set of entries (docs/model.md, "IOTLB lookup").
const IotlbEntry* iotlb_lookup(const Model& m, const State& s, int did, int pasid, Addr a) {
  const IotlbEntry* large = nullptr;
  for (const auto& e : s.iotlb) {
    if (e.did != did || e.pasid != pasid) continue;
    if (!e.large && e.key == a) return &e;
    if (!large && e.large && a.space == Space::direct &&
        m.block_of(a.page) == m.block_of(e.key.page))
      large = &e;
  }
  return large;
}

const PscEntry* psc_lookup(const Model& m, const State& s, int did, int pasid, Addr a) {
  Space sp = a.space;
  int index = 0;
  if (sp == Space::direct)
    index = m.block_of(a.page);
  else if (sp == Space::vmalloc)
    index = m.group_of(a.page);
  else
    return nullptr;
  for (const auto& e : s.psc)
    if (e.did == did && e.pasid == pasid && e.space == sp && e.index == index) return &e;
  return nullptr;
}

// The leaf an IOTLB entry holds (a large entry keeps the block's first frame; reach() offsets it).
Leaf iotlb_leaf(const IotlbEntry& e) {
  return {true, e.frame, e.w, e.u, e.nx, e.large, e.key};
}

// §8.23: raise a page request for a not-present user page through a PRI-enabled SVA PASID.
bool raise_prq(Ctx& c, const PasidEntry& e, int dev, int pasid, Addr a, Access access) {
  if (e.root != Root::sva || a.space != Space::user || e.fpd) return false;
  if (!c.m.pri(dev) || c.s.devices[dev].quiesced[pasid]) return false;
  std::vector<int> used;
  for (const auto& r : c.s.prq)
    if (r.dev == dev) used.push_back(r.group);
  if (static_cast<int>(used.size()) >= c.m.bounds().prq_depth) return false;
  int group = c.op.group;  // named by the op (§8.34; free, checked by serve()), else lowest free
  for (int g = 0; group < 0; ++g)
    if (std::find(used.begin(), used.end(), g) == used.end()) group = g;
  c.s.prq.push_back({dev, pasid, a.page, access, group, false});
  c.out.result = Result::prq;
  c.out.group = group;
  return true;
}

void fault(Ctx& c, FaultReason why) {
  c.out.result = Result::fault;
  c.out.fault = why;
}

void reach(Ctx& c, Kind kind, int dev, int pasid, Addr a, const Leaf& l, const PasidEntry& e,
           Priv priv, Via via) {
  // A large leaf maps the block: the request reaches the frame under its own page.
  const int frame = l.large ? l.frame + (a.page - l.key.page) : l.frame;
  c.out.result = Result::ok;
  c.out.frame = frame;
  c.out.via = via;
  if (kind == Kind::ats)
    fill_devtlb(c.s, dev, pasid, a, frame, leaf_writable(l, e.wpe, priv), priv, e);
}

// The common path of dma, ats_translate and iommu_walk (MODEL.md §8.5): the PASID entry (PASID
// cache first), then an IOTLB hit, else a PSC entry, else a walk of the current tables. An
// iommu_walk resolves the same way but checks no permission and raises no page request (§8.27):
// reaching a present leaf is `ok`, and an IOTLB hit ends it without a fill.
Error serve(Ctx& c, Kind kind, Priv priv, Access access) {
  const int dev = c.op.dev, pasid = c.op.pasid;
  const Addr a = c.op.addr;
  if (pasid == 0 && priv == Priv::supervisor)
    return fail("a request without PASID cannot carry supervisor privilege (MODEL.md §8.3)");
  if (c.op.group >= 0 && std::any_of(c.s.prq.begin(), c.s.prq.end(), [&](const PageRequest& r) {
        return r.dev == dev && r.group == c.op.group;
      }))
    return fail("page-request group " + std::to_string(c.op.group) +
                " is already outstanding for this device (MODEL.md §8.10, §8.34)");
  if (kind == Kind::ats && !c.m.ats(dev)) return fault(c, FaultReason::ats_disabled), kOk;
  bool cached = false;
  const PasidEntry e = effective_entry(c.s, dev, pasid, &cached);
  if (!e.present) return fault(c, FaultReason::not_present), kOk;
  if (!cached) fill_pasid_cache(c.s, dev, pasid, e);
  const bool check = kind != Kind::walk;  // §8.27: a speculative walk checks no permission
  if (check && priv == Priv::supervisor && !e.sre) return fault(c, FaultReason::sre_clear), kOk;
  if (!translates(e, a.space)) return fault(c, FaultReason::no_translation), kOk;
  const FaultReason denied_as = kind == Kind::ats ? FaultReason::denied : FaultReason::none;
  auto judge = [&](const Leaf& l, Via via) {
    const FaultReason f = check ? check_leaf(l, e.wpe, priv, access)
                                : (l.present ? FaultReason::none : FaultReason::not_present);
    if (f == FaultReason::none) return reach(c, kind, dev, pasid, a, l, e, priv, via);
    fault(c, denied_as != FaultReason::none && f != FaultReason::not_present ? denied_as : f);
  };
  if (e.root == Root::passthrough)
    return judge(walk_tables(c.m, c.s, e, pasid, a).leaf, Via::passthrough), kOk;
  if (const IotlbEntry* hit = iotlb_lookup(c.m, c.s, e.did, pasid, a)) {
    return judge(iotlb_leaf(*hit), Via::iotlb), kOk;  // a denying hit faults, no re-walk
  }
  const PscEntry* psc = walks_kernel(e) ? psc_lookup(c.m, c.s, e.did, pasid, a) : nullptr;
  if (psc && psc->table != current_table(c.m, c.s, psc->space, psc->index)) {
    if (psc->reused) {  // the new owner's bytes: any frame, any permission, no fill (§8.6, §8.28)
      const int frame = c.op.frame >= 0 ? c.op.frame : psc->table;
      return reach(c, kind, dev, pasid, a, {true, frame, true, true, false, false, a}, e, priv,
                   Via::stale_psc),
             kOk;
    }
    if (psc->space == Space::vmalloc || !psc->frozen.present)
      return fault(c, FaultReason::not_present), kOk;
    // §8.28: the frozen table's 4 KiB leaf, cached as any walk caches the leaf it reaches.
    const Leaf frozen{true, a.page, psc->frozen.w, false, true, false, a};
    fill_iotlb(c.m, c.s, e, pasid, frozen);
    return judge(frozen, Via::stale_psc), kOk;
  }
  const Walk w = walk_tables(c.m, c.s, e, pasid, a);
  if (walks_kernel(e) && w.table) fill_psc(c.s, e, pasid, *w.table);
  if (w.leaf.present) {
    fill_iotlb(c.m, c.s, e, pasid, w.leaf);
    return judge(w.leaf, Via::walk), kOk;
  }
  if (kind != Kind::walk && raise_prq(c, e, dev, pasid, a, access)) return kOk;
  return fault(c, w.fault == FaultReason::none ? FaultReason::not_present : w.fault), kOk;
}

}  // namespace

Error do_dma(Ctx& c) {
  if (c.op.frame >= 0 && c.op.addr.space == Space::phys && c.op.frame != c.op.addr.page)
    return fail("frame contradicts the phys: address");
  return serve(c, Kind::dma, c.op.priv, c.op.access);
}

Error do_ats_translate(Ctx& c) {
  return serve(c, Kind::ats, c.op.priv, c.op.access);
}

Error do_iommu_walk(Ctx& c) {
  return serve(c, Kind::walk, c.op.priv, Access::read);
}

// A translated request (AT=translated): the IOMMU does not check it when ATS is on (§8.21).
Error do_dma_translated(Ctx& c) {
  const int dev = c.op.dev;
  if (!c.m.ats(dev)) return fault(c, FaultReason::ats_disabled), kOk;
  c.out.result = Result::ok;
  c.out.frame = c.op.frame;
  if (!c.m.trusted(dev)) {
    c.out.via = Via::translated;
    return kOk;
  }
  const bool write = c.op.access == Access::write;
  for (const auto& e : c.s.devtlb) {
    if (e.dev == dev && e.pasid == c.op.pasid && e.frame == c.op.frame && (!write || e.w)) {
      c.out.via = Via::devtlb;
      return kOk;
    }
  }
  return fail("a trusted device only sends translations its device TLB holds (MODEL.md §8.21)");
}

// Hardware may drop any cached entry at any time.
Error do_cache_evict(Ctx& c) {
  const CacheRef& r = c.op.entry;
  if (r.dev < 0 || r.dev >= c.m.device_count()) return fail("entry.dev: unknown device");
  if (r.pasid < 0 || r.pasid >= c.m.bounds().pasids) return fail("entry.pasid is out of range");
  std::size_t removed = 0;
  if (r.cache == CacheKind::pasid) {
    removed = std::erase_if(c.s.pasid_cache, [&](const PasidCacheEntry& e) {
      return e.dev == r.dev && e.pasid == r.pasid;
    });
  } else {
    if (!r.has_addr) return fail("entry.addr is needed for this cache");
    if (r.addr.page < 0 || r.addr.page >= c.m.space_size(r.addr.space))
      return fail("entry.addr is out of range");
    // The effective entry's DID when it is present; else any DID (a freed domain's DID may have
    // been reallocated, MODEL.md §8.30).
    const PasidEntry e = effective_entry(c.s, r.dev, r.pasid);
    auto did_ok = [&](int did) { return !e.present || did == e.did; };
    if (r.cache == CacheKind::iotlb) {
      // §8.26: exactly the named entry, the 4 KiB one at addr or (large) the block's.
      removed = std::erase_if(c.s.iotlb, [&](const IotlbEntry& x) {
        if (!did_ok(x.did) || x.pasid != r.pasid || x.large != r.large) return false;
        if (!r.large) return x.key == r.addr;
        return c.m.block_of(r.addr.page) == c.m.block_of(x.key.page);
      });
    } else if (r.cache == CacheKind::psc) {
      const int index =
          r.addr.space == Space::direct ? c.m.block_of(r.addr.page) : c.m.group_of(r.addr.page);
      removed = std::erase_if(c.s.psc, [&](const PscEntry& x) {
        return did_ok(x.did) && x.pasid == r.pasid && x.space == r.addr.space && x.index == index;
      });
    } else {
      removed = std::erase_if(c.s.devtlb, [&](const DevtlbEntry& x) {
        return x.dev == r.dev && x.pasid == r.pasid && x.page == r.addr;
      });
    }
  }
  if (removed == 0) return fail("no such " + to_string(r.cache) + " entry to evict");
  return kOk;
}

// This family's rows of op_catalogue() (model/ops.cpp gathers them in OpKind order): each op's
// trace name, arguments and meaning (TRACE-FORMAT.md), its handler above, what it may write
// (model/footprint.h; tests/footprint_test.cpp checks the handler stays inside it) and how often
// random search tries it (fuzz/op_gen.cpp).
const std::vector<OpSpec>& device_ops() {
  using A = Arg;
  using D = Footprint::Devices;
  static const std::vector<OpSpec> rows{
      {.kind = OpKind::dma,
       .name = "dma",
       .required = {A::dev, A::pasid, A::priv, A::addr, A::access},
       .optional = {A::frame, A::group},
       .meaning =
           "an untranslated DMA request (frame: where a reused stale table points; group: the page "
           "request's group if one is raised)",
       .handler = do_dma,
       .writes = {D::none, -1, 0, false},
       .weight = 8},
      {.kind = OpKind::ats_translate,
       .name = "ats_translate",
       .required = {A::dev, A::pasid, A::addr, A::access},
       .optional = {A::priv, A::group},
       .meaning = "an ATS translation request (fills the device TLB; group: as for dma)",
       .handler = do_ats_translate,
       .writes = {D::none, -1, 0, false},
       .weight = 2},
      {.kind = OpKind::dma_translated,
       .name = "dma_translated",
       .required = {A::dev, A::pasid, A::frame, A::access},
       .optional = {},
       .meaning = "a translated request (not checked by the IOMMU when ATS is on)",
       .handler = do_dma_translated,
       .writes = {D::none, -1, 0, false},
       .weight = 1},
      {.kind = OpKind::iommu_walk,
       .name = "iommu_walk",
       .required = {A::dev, A::pasid, A::addr},
       .optional = {A::priv},
       .meaning =
           "a speculative page walk that only fills caches (no permission check, no page request)",
       .handler = do_iommu_walk,
       .writes = {D::none, -1, 0, false},
       .weight = 3},
      {.kind = OpKind::cache_evict,
       .name = "cache_evict",
       .required = {A::entry},
       .optional = {},
       .meaning = "hardware drops a cached entry",
       .handler = do_cache_evict,
       .writes = {D::none, -1, 0, false},
       .weight = 1}};
  return rows;
}

}  // namespace pasidcheck::model::detail
