// The state-update helpers shared by the kcore transition (kcore/transition.h) and the kcore
// properties (kcore/properties.h): guarded updates of a copy of the state, written as the
// executable code is. Generic over the term type: Z3 expressions (kcore/z3.cpp: the symbolic
// encoding) or concrete values (kcore/concrete.h: the compiled successor of the `kcore-bfs`
// engine), so that both are the same source text.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include "solver/kcore/kcore.h"

namespace pasidcheck::solver::kcore {

// One input of the transition as terms (symbolic: solver-chosen; concrete: a KInput's values).
template <class Term>
struct InputOf {
  Term act, dev, frame, page, table, attr, prot_w, addr, mode;
  std::vector<Term> all() const { return {act, dev, frame, page, table, attr, prot_w, addr, mode}; }
  // What the shared argument slots mean per action (Act's comments in kcore.h): the encoding's
  // input variables are the slots, the transition reads them by these names.
  const Term& slot() const { return page; }           // kalloc, kfree, dma_map: the slab slot
  const Term& vpage() const { return page; }          // vmalloc, vfree, set_memory vmalloc:page
  const Term& via_pasid() const { return page; }      // 0: RID_PASID, 1: the device's PASID
  const Term& large() const { return page; }          // cache_evict iotlb: the block's large entry
  const Term& table_frame() const { return table; }   // a free frame for a new table page
  const Term& bounce_frame() const { return table; }  // dma_map: swiotlb's bounce frame
  const Term& slot_mask() const { return attr; }  // kva_map, 2 slots: 0 slot 0, 1 slot 1, else both
};

// `to = from` for states; kcore/concrete.h overloads it for its fixed-size states.
template <class Vec>
void assign_state(Vec& to, const Vec& from) {
  to = from;
}

}  // namespace pasidcheck::solver::kcore

namespace pasidcheck::solver::kcore::detail {

// Is `e` the constant false? A symbolic term never is; concrete values (kcore/concrete.h
// overloads this) can say so, which lets the compiled successor skip a refused op's effects.
template <class Term>
bool known_false(const Term& /*e*/) {
  return false;
}

inline constexpr int kActBits = 6;

// The layout of a context's states: a context whose states have one fixed size names it as a
// constant (ConcreteCtx::kLayout, kcore/concrete.h), so that the compiler folds the offsets;
// the others (Z3) take the variant's size.
template <class Ctx>
const Layout& layout_for(Size size) {
  if constexpr (requires { Ctx::kLayout; })
    return *Ctx::kLayout;
  else
    return layout(size);
}

// The symbolic transition, written as the executable code is: guarded updates of a copy of the
// state. `n` starts as the current state; every helper takes a guard so that a branch of the
// executable code becomes an ite. `n` is the caller's (no copy to return); readers that build no
// successor (kcore/properties.h) take ReadSym, whose `n` is `s`.
template <class Ctx, class Vec, class Next = Vec&>
struct Sym {
  using expr = typename Vec::value_type;
  Ctx& c;
  const Layout& L;
  const Variant& V;
  const Vec& s;  // the state before the op (preconditions read it)
  Next n;        // the state being built

  // Constants of the variables' widths.
  expr yes() { return c.bool_val(true); }
  expr no() { return c.bool_val(false); }
  expr frame_val(int f) { return c.bv_val(f, L.frame_bits()); }
  expr addr_val(int a) { return c.bv_val(a, L.addr_bits()); }
  expr use_val(int u) { return c.bv_val(u, L.use_bits()); }      // kUseFree, ...
  expr mode_val(int m) { return c.bv_val(m, 2); }                // kModeKva, ...
  expr iova_val(int k) { return c.bv_val(k, 2); }                // kIovaFree, ...
  expr dev_val(int d) { return c.bv_val(d, L.dev_bits()); }      // an input's device
  expr pasid_val(int p) { return c.bv_val(p, L.pasid_bits()); }  // mm_pasid's values
  // The PASID-table entry of device d's PASID is present in `mode` (what the API calls check).
  // The entry is present: enabled, or SVA-bound and not cleared by mm_exit (FPD).
  expr present(int d) { return s[L.pasid_enabled(d)] && !s[L.pasid_fpd(d)]; }
  expr entry_is(int d, int mode) { return present(d) && s[L.pasid_mode(d)] == mode_val(mode); }
  expr kva(int d) { return entry_is(d, kModeKva); }
  // effective_entry() (model/translate.cpp): the PASID-cache copy if one is cached, else the
  // entry; what requests use. Only teardown=free_first lets the copy outlive (and so differ from)
  // the entry: elsewhere a copy is always the current entry, and the entry is what is read.
  expr eff_is(int d, int mode) {
    if (!V.free_first) return entry_is(d, mode);
    return ite(s[L.pasid_cached(d)], s[L.pasid_cached_mode(d)] == mode_val(mode),
               entry_is(d, mode));
  }
  // The effective entry is present (a cached copy, or the entry).
  expr eff_present(int d) { return V.free_first ? s[L.pasid_cached(d)] || present(d) : present(d); }
  // The device's kernel-address caches (IOTLB, PSC) were filled walking the live kernel table:
  // fast KVA and init_mm, or in the sva rows the SVA PASID's kernel half. The mode whose DID tags
  // them (cache_evict names that DID).
  bool kernel_walker(int d) const { return V.sva || V.root[d] == KRoot::kernel; }
  int cache_mode() const { return V.sva ? kModeSva : kModeKva; }
  // do_cache_evict() names entries of the effective entry's DID only, when it is present; kcore
  // keeps one DID per mode for the device's PASID (kva: its kernel or mirror root, iova: the DMA
  // domain). Only a free-first teardown leaves entries of another mode's DID behind.
  expr evictable(int d, int mode) { return !eff_present(d) || eff_is(d, mode); }
  // fill_pasid_cache() on a request through the PASID of device d (guard g): a copy of the
  // present entry, unless one is cached already.
  void fill_pasid_cache(int d, const expr& g) {
    const expr fill = g && !s[L.pasid_cached(d)] && present(d);
    put(L.pasid_cached(d), fill, yes());
    put(L.pasid_cached_mode(d), fill, s[L.pasid_mode(d)]);
  }
  expr wr(const expr& w) { return V.wpe ? w : yes(); }  // leaf_writable() for supervisor requests

  void put(int var, const expr& guard, const expr& val) { n[var] = ite(guard, val, n[var]); }
  // s[idx(i)] for i == key (key a bit-vector of width w).
  template <class Index>
  expr pick(const Vec& st, const Index& idx, int count, const expr& key, int w) {
    expr r = st[idx(0)];
    for (int i = 1; i < count; ++i) r = ite(key == c.bv_val(i, w), st[idx(i)], r);
    return r;
  }
  expr use_of(const Vec& st, const expr& f) {
    return pick(
        st, [&](int i) { return L.use(i); }, L.frames(), f, L.frame_bits());
  }
  expr frame_field(const Vec& st, int (Layout::*field)(int) const, const expr& f) {
    return pick(
        st, [&](int i) { return (L.*field)(i); }, L.frames(), f, L.frame_bits());
  }
  expr vpage_field(const Vec& st, int (Layout::*field)(int) const, const expr& p) {
    return pick(
        st, [&](int i) { return (L.*field)(i); }, kVpages, p, 1);
  }
  // The vmalloc leaf of page v is present: mapped, and not made not-present by set_memory np.
  expr vpresent(const Vec& st, int v) {
    return st[L.vmalloc_mapped(v)] && !st[L.vmalloc_not_present(v)];
  }
  // cpu_executable(): a present vmalloc leaf maps the frame without NX (no text in kcore).
  expr cpu_exec(const Vec& st, const expr& f) {
    expr r = no();
    for (int v = 0; v < kVpages; ++v)
      r = r || (vpresent(st, v) && !st[L.vmalloc_nx(v)] && st[L.vmalloc_frame(v)] == f);
    return r;
  }
  // With 2 slots: the mask (2 bits) of slot `slot` (1 bit), and whether `mask` holds it.
  expr slot_bit(const expr& slot) {
    return ite(slot == c.bv_val(0, 1), c.bv_val(1, 2), c.bv_val(2, 2));
  }
  expr holds(const expr& mask, const expr& bit) { return (mask & bit) != c.bv_val(0, 2); }
  // The slots a mapped iova:0 of device d grants on its frame (do_dma_map()): a bounce frame and
  // a vmalloc frame whole, else the caller's slot. One slot: the frame.
  expr iova_slots(const Vec& st, int d) {
    if (L.slots() == 1) return c.bv_val(1, 2);
    return ite(st[L.iova_bounced(d)] || frame_field(st, &Layout::vmap, st[L.iova_frame(d)]),
               c.bv_val(3, 2), slot_bit(st[L.iova_orig_slot(d)]));
  }
  // has_live_grant(frame, all slots) / has_live_write_grant() over every device's grants: mapped
  // (not queued) iova:0 pages, by their frame or the buffer they bounce, and kva grants.
  expr live_grant(const Vec& st, const expr& f, bool write_only) {
    expr r = no();
    for (int d = 0; d < L.devices(); ++d) {
      expr on = st[L.iova_frame(d)] == f;
      if (L.slots() > 1) on = on || (st[L.iova_bounced(d)] && st[L.iova_orig_frame(d)] == f);
      expr g = st[L.iova_kind(d)] == iova_val(kIovaMapped) && on;
      if (write_only) g = g && st[L.iova_w(d)];
      r = r || g;
    }
    for (int d = 0; d < L.devices(); ++d)
      for (int a = 0; a < L.addrs(); ++a) {
        expr g = st[L.grant(d, a)] && st[L.grant_frame(d, a)] == f;
        if (write_only) g = g && st[L.grant_w(d, a)];
        r = r || g;
      }
    return r;
  }
  // has_live_grant(frame, bit) with 2 slots: a grant holding that slot of the frame.
  expr live_slot_grant(const Vec& st, const expr& f, const expr& bit) {
    expr r = no();
    for (int d = 0; d < L.devices(); ++d) {
      const expr mine = (st[L.iova_frame(d)] == f && holds(iova_slots(st, d), bit)) ||
                        (st[L.iova_bounced(d)] && st[L.iova_orig_frame(d)] == f &&
                         slot_bit(st[L.iova_orig_slot(d)]) == bit);
      r = r || (st[L.iova_kind(d)] == iova_val(kIovaMapped) && mine);
    }
    for (int d = 0; d < L.devices(); ++d)
      for (int a = 0; a < L.addrs(); ++a)
        r = r || (st[L.grant(d, a)] && st[L.grant_frame(d, a)] == f &&
                  holds(st[L.grant_slots(d, a)], bit));
    return r;
  }
  // take_frame(): a new use; a freed table frame cached in a PSC becomes reused (§8.6).
  void take_frame(const expr& g, const expr& f, int u) {
    for (int i = 0; i < L.frames(); ++i) put(L.use(i), g && f == frame_val(i), use_val(u));
    for (int d = 0; d < L.devices(); ++d) {
      put(L.psc_direct_reused(d),
          g && n[L.psc_direct(d)] && n[L.psc_direct_freed(d)] && n[L.psc_direct_table(d)] == f,
          yes());
      put(L.psc_vmalloc_reused(d),
          g && n[L.psc_vmalloc(d)] && n[L.psc_vmalloc_freed(d)] && n[L.psc_vmalloc_table(d)] == f,
          yes());
    }
  }
  // release_frame(): the frame is free; cached translations naming it are marked freed, and a PSC
  // entry naming it as a table remembers the leaves it held (`frozen`).
  void release_frame(const expr& g, const expr& f, const expr& zp, const expr& zw) {
    for (int i = 0; i < L.frames(); ++i) {
      put(L.use(i), g && f == frame_val(i), use_val(kUseFree));
      put(L.vmap(i), g && f == frame_val(i), no());
      if (L.slots() > 1) put(L.slab_slots(i), g && f == frame_val(i), c.bv_val(0, 2));
    }
    for (int d = 0; d < L.devices(); ++d) {
      for (int a = 0; a < L.addrs(); ++a) {
        put(L.iotlb_freed(d, a), g && n[L.iotlb(d, a)] && n[L.iotlb_frame(d, a)] == f, yes());
        put(L.devtlb_freed(d, a), g && n[L.devtlb(d, a)] && n[L.devtlb_frame(d, a)] == f, yes());
      }
      // The large entry covers every frame of kcore's one block.
      put(L.iotlb_large_freed(d), g && n[L.iotlb_large(d)], yes());
      for (int k = 0; k < 2; ++k)
        put(L.iotlb_iova_freed(d, k),
            g && n[L.iotlb_iova(d, k)] && n[L.iotlb_iova_frame(d, k)] == f, yes());
      put(L.iotlb_user_freed(d), g && n[L.iotlb_user(d)] && n[L.iotlb_user_frame(d)] == f, yes());
      put(L.devtlb_user_freed(d), g && n[L.devtlb_user(d)] && n[L.devtlb_user_frame(d)] == f,
          yes());
      for (int k = 0; k < 2; ++k)
        put(L.devtlb_iova_freed(d, k),
            g && n[L.devtlb_iova(d, k)] && n[L.devtlb_iova_frame(d, k)] == f, yes());
      for (int q = 0; q < L.frames(); ++q)
        put(L.devtlb_phys_freed(d, q), g && n[L.devtlb_phys(d, q)] && f == frame_val(q), yes());
      const expr pd =
          g && n[L.psc_direct(d)] && n[L.psc_direct_table(d)] == f && !n[L.psc_direct_freed(d)];
      put(L.psc_direct_reused(d), pd, no());
      put(L.psc_direct_frozen_present(d), pd, zp);
      put(L.psc_direct_frozen_w(d), pd, zw);
      put(L.psc_direct_freed(d), pd, yes());
      const expr pv =
          g && n[L.psc_vmalloc(d)] && n[L.psc_vmalloc_table(d)] == f && !n[L.psc_vmalloc_freed(d)];
      put(L.psc_vmalloc_reused(d), pv, no());
      put(L.psc_vmalloc_freed(d), pv, yes());
    }
  }
  void split_block(const expr& g, const expr& t) {
    take_frame(g, t, kUseKpt);
    put(L.block_table(), g, t);
    put(L.block_split(), g, yes());
  }
  // The leaf of kernel address `a` (0..5) in the CPU tables, read from the state being built.
  struct Leaf {
    expr present, frame, w;
  };
  Leaf cpu_leaf(int a) {
    if (a < L.frames()) return {n[L.direct_present(a)], frame_val(a), n[L.direct_w(a)]};
    const int v = a - L.frames();
    return {vpresent(n, v), n[L.vmalloc_frame(v)], n[L.vmalloc_w(v)]};
  }
  // kpt_notify(): every notified page drops the kernel-table translations covering it and
  // re-syncs the strict mirrors (model/invalidate.cpp).
  void notify(std::uint8_t event, std::initializer_list<std::pair<expr, expr>> pages) {
    if (!(V.notifier & event)) return;
    for (const auto& [g, a] : pages) {
      if (known_false(g)) continue;  // concrete: a page not notified
      const expr direct = ult(a, addr_val(L.frames()));
      for (int d = 0; d < L.devices(); ++d) {
        if (kernel_walker(d)) {
          for (int j = 0; j < L.addrs(); ++j) {
            put(L.iotlb(d, j), g && a == addr_val(j), no());
            put(L.devtlb(d, j), g && a == addr_val(j), no());  // device-TLB entries are per page
          }
          put(L.iotlb_large(d), g && direct, no());  // the large entry covering the page
          put(L.psc_direct(d), g && direct, no());
          put(L.psc_vmalloc(d), g && !direct, no());
        } else if (V.root[d] == KRoot::mirror) {
          // Both ways while the grant lives (§8.29): the leaf's frame at min(prot, CPU leaf), or
          // no entry while the leaf is not present.
          for (int j = 0; j < L.addrs(); ++j) {
            const expr here = g && n[L.grant(d, j)] && a == addr_val(j);
            if (known_false(here)) continue;
            const Leaf l = cpu_leaf(j);
            put(L.mirror(d, j), here, l.present);
            put(L.mirror_frame(d, j), here && l.present, l.frame);
            put(L.mirror_w(d, j), here && l.present, n[L.grant_w(d, j)] && l.w);
            put(L.iotlb(d, j), here, no());
            put(L.devtlb(d, j), here, no());
          }
        }
      }
    }
  }
  void notify_all(std::uint8_t event) {
    if (!(V.notifier & event)) return;
    for (int d = 0; d < L.devices(); ++d) {
      if (!kernel_walker(d)) continue;
      for (int j = 0; j < L.addrs(); ++j) n[L.iotlb(d, j)] = n[L.devtlb(d, j)] = no();
      n[L.iotlb_large(d)] = no();
      n[L.psc_direct(d)] = no();
      n[L.psc_vmalloc(d)] = no();
    }
  }
  // sva_notify(): with the SVA notifier, a user-page change drops the mm's PASID's IOTLB and
  // device-TLB entries for the page.
  void sva_notify(const expr& g) {
    if (!V.sva_notifier) return;
    for (int d = 0; d < L.devices(); ++d) {
      put(L.iotlb_user(d), g && s[L.mm_pasid()] == pasid_val(d + 1), no());
      put(L.devtlb_user(d), g && s[L.mm_pasid()] == pasid_val(d + 1), no());
    }
  }
  // fill_iotlb(): a 4 KiB entry, or the block's large entry; neither replaces the other (§8.26).
  void fill_iotlb(int d, const expr& g, int key, const expr& frame, const expr& w, const expr& nx) {
    put(L.iotlb(d, key), g, yes());
    put(L.iotlb_frame(d, key), g, frame);
    put(L.iotlb_w(d, key), g, w);
    put(L.iotlb_nx(d, key), g, nx);
    put(L.iotlb_freed(d, key), g, no());
  }
  void fill_iotlb_large(int d, const expr& g, const expr& w) {
    put(L.iotlb_large(d), g, yes());
    put(L.iotlb_large_w(d), g, w);
    put(L.iotlb_large_freed(d), g, no());
  }
  // walk_kernel() of kernel address a for device d's PASID (guard g): the PSC entry of the table
  // it reads and the IOTLB entry of a present leaf, whatever the request's access (§8.5).
  void fill_kernel_walk(int d, const expr& g, int a) {
    if (a < L.frames()) {
      const expr split = s[L.block_split()];
      const expr gs = g && split;
      put(L.psc_direct(d), gs, yes());
      put(L.psc_direct_table(d), gs, s[L.block_table()]);
      for (int x : {L.psc_direct_freed(d), L.psc_direct_reused(d), L.psc_direct_frozen_present(d),
                    L.psc_direct_frozen_w(d)})
        put(x, gs, no());
      fill_iotlb(d, gs && s[L.direct_present(a)], a, frame_val(a), s[L.direct_w(a)], yes());
      fill_iotlb_large(d, g && !split && s[L.direct_present(a)], s[L.direct_w(a)]);
    } else {
      const int v = a - L.frames();
      const expr gt = g && s[L.vgroup_has_table()];
      put(L.psc_vmalloc(d), gt, yes());
      put(L.psc_vmalloc_table(d), gt, s[L.vgroup_table()]);
      for (int x : {L.psc_vmalloc_freed(d), L.psc_vmalloc_reused(d)}) put(x, gt, no());
      fill_iotlb(d, gt && vpresent(s, v), a, s[L.vmalloc_frame(v)], s[L.vmalloc_w(v)],
                 s[L.vmalloc_nx(v)]);
    }
  }
  // serve() (model/device.cpp) of kernel address a through a kernel-table walker's PASID (guard
  // g): an IOTLB hit (the 4 KiB entry first, else the block's large one) ends it; else a PSC
  // entry whose table is no longer the prefix's (§8.6): a reused table gives any frame and fills
  // nothing, a freed direct table its frozen leaf, which fills the IOTLB (§8.28), a freed vmalloc
  // table faults; else a walk of the current tables (fill_kernel_walk()).
  struct Served {
    expr exact, large, hit, stale, reused, frozen, walk;
  };
  Served serve_kernel(int d, const expr& g, int a) {
    const bool direct = a < L.frames();
    const expr exact = s[L.iotlb(d, a)];
    const expr large = direct ? s[L.iotlb_large(d)] : no();
    const expr hit = exact || large;
    const expr stale =
        direct ? s[L.psc_direct(d)] &&
                     !(s[L.block_split()] && s[L.block_table()] == s[L.psc_direct_table(d)])
               : s[L.psc_vmalloc(d)] &&
                     !(s[L.vgroup_has_table()] && s[L.vgroup_table()] == s[L.psc_vmalloc_table(d)]);
    const expr reused = direct ? s[L.psc_direct_reused(d)] : s[L.psc_vmalloc_reused(d)];
    const expr frozen = direct ? !reused && s[L.psc_direct_frozen_present(d)] : no();
    const expr walk = !hit && !stale;
    fill_kernel_walk(d, g && walk, a);
    if (direct)
      fill_iotlb(d, g && !hit && stale && frozen, a, frame_val(a), s[L.psc_direct_frozen_w(d)],
                 yes());
    return {exact, large, hit, stale, reused, frozen, walk};
  }
  // The mirror leaf of address a that device d's requests walk: the live mirror, or the frozen
  // one of a freed mirror whose PASID-cache copy is still in use (§8.38).
  struct MirrorLeaf {
    expr present, frame, w;
  };
  MirrorLeaf mirror_leaf(int d, int a) {
    if (!V.free_first) return {s[L.mirror(d, a)], s[L.mirror_frame(d, a)], s[L.mirror_w(d, a)]};
    const expr frozen = s[L.pasid_cached(d)] && s[L.pasid_cached_frozen(d)];
    return {ite(frozen, s[L.frozen_mirror(d, a)], s[L.mirror(d, a)]),
            ite(frozen, s[L.frozen_mirror_frame(d, a)], s[L.mirror_frame(d, a)]),
            ite(frozen, s[L.frozen_mirror_w(d, a)], s[L.mirror_w(d, a)])};
  }
  // plan_direct(): would the block stay uniform with frame f's leaf set to (p, w)?
  expr uniform_after(const expr& f, const expr& p, const expr& w) {
    expr r = yes();
    for (int i = 0; i < L.frames(); ++i)
      r = r && (f == frame_val(i) || (s[L.direct_present(i)] == p && s[L.direct_w(i)] == w));
    return r;
  }
  void set_dw(const expr& g, const expr& f, const expr& w) {
    for (int i = 0; i < L.frames(); ++i) put(L.direct_w(i), g && f == frame_val(i), w);
  }
  void set_dp(const expr& g, const expr& f, const expr& p) {
    for (int i = 0; i < L.frames(); ++i) put(L.direct_present(i), g && f == frame_val(i), p);
  }
  expr vaddr(const expr& page) {
    expr r = addr_val(L.frames());
    for (int v = 1; v < kVpages; ++v) r = ite(page == c.bv_val(v, 1), addr_val(L.frames() + v), r);
    return r;
  }
  expr daddr(const expr& f) { return zext(f, L.addr_bits() - L.frame_bits()); }
};
// A Sym that only reads the state (its writers do not compile).
template <class Ctx, class Vec>
using ReadSym = Sym<Ctx, Vec, const Vec&>;

// Every field of an absent entry is 0 (the projection's normal form; absent_fields() in
// kcore/kcore.h). Applied to a successor after the action's updates.
template <class Ctx, class Vec>
void normalize(Ctx& c, Size size, Vec& n) {
  const auto& vars = layout(size).vars();
  for (const auto& [field, presence] : absent_fields(size)) {
    const int wp = vars[presence].width, wf = vars[field].width;
    const auto present = wp ? n[presence] != c.bv_val(0, wp) : n[presence];
    n[field] = ite(present, n[field], wf ? c.bv_val(0, wf) : c.bool_val(false));
  }
}

}  // namespace pasidcheck::solver::kcore::detail
