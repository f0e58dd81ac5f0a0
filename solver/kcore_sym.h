// The state-update helpers shared by the kcore transition (kcore_trans.h) and the kcore
// properties (kcore_props.h): guarded updates of a copy of the state, written as the executable
// code is. Generic over the term type: Z3 expressions (kcore_z3.cpp: the symbolic encoding) or
// concrete values (kcore_concrete.h: the compiled successor of the `kcore-bfs` engine), so that
// both are the same source text.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include "solver/kcore.h"

namespace pasidcheck::solver::kcore {

// One input of the transition as terms (symbolic: solver-chosen; concrete: a KInput's values).
template <class Term>
struct InputOf {
  Term act, dev, frame, page, table, attr, prot_w, addr, mode;
  std::vector<Term> all() const { return {act, dev, frame, page, table, attr, prot_w, addr, mode}; }
};

}  // namespace pasidcheck::solver::kcore

namespace pasidcheck::solver::kcore::detail {

// Is `e` the constant false? A symbolic term never is; concrete values (kcore_concrete.h
// overloads this) can say so, which lets the compiled successor skip a refused op's effects.
template <class Term>
bool known_false(const Term& /*e*/) {
  return false;
}

inline constexpr int kActBits = 6;

// The symbolic transition, written as the executable code is: guarded updates of a copy of the
// state. `n` starts as the current state; every helper takes a guard so that a branch of the
// executable code becomes an ite.
template <class Ctx, class Vec>
struct Sym {
  using expr = typename Vec::value_type;
  Ctx& c;
  const Layout& L;
  const Variant& V;
  const Vec& s;  // the state before the op (preconditions read it)
  Vec n;         // the state being built

  expr T() { return c.bool_val(true); }
  expr F() { return c.bool_val(false); }
  expr fr(int v) { return c.bv_val(v, L.frame_bits()); }
  expr ad(int v) { return c.bv_val(v, L.addr_bits()); }
  expr use(int v) { return c.bv_val(v, L.use_bits()); }
  expr md(int v) { return c.bv_val(v, 2); }
  expr dv(int d) { return c.bv_val(d, L.dev_bits()); }     // an input's device
  expr pid(int p) { return c.bv_val(p, L.pasid_bits()); }  // mm_pasid's values
  // The PASID-table entry of device d's PASID is present in `mode` (what the API calls check).
  // The entry is present: enabled, or SVA-bound and not cleared by mm_exit (FPD).
  expr present(int d) { return s[L.en(d)] && !s[L.fpd(d)]; }
  expr entry_is(int d, int mode) { return present(d) && s[L.md(d)] == md(mode); }
  expr kva(int d) { return entry_is(d, kModeKva); }
  // effective_entry() (model/translate.cpp): the PASID-cache copy if one is cached, else the
  // entry; what requests use. Only teardown=free_first lets the copy outlive (and so differ from)
  // the entry: elsewhere a copy is always the current entry, and the entry is what is read.
  expr eff_is(int d, int mode) {
    if (!V.free_first) return entry_is(d, mode);
    return ite(s[L.pc(d)], s[L.pcm(d)] == md(mode), entry_is(d, mode));
  }
  // The effective entry is present (a cached copy, or the entry).
  expr eff_present(int d) { return V.free_first ? s[L.pc(d)] || present(d) : present(d); }
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
    const expr fill = g && !s[L.pc(d)] && present(d);
    put(L.pc(d), fill, T());
    put(L.pcm(d), fill, s[L.md(d)]);
  }
  expr wr(const expr& w) { return V.wpe ? w : T(); }  // leaf_writable() for supervisor requests

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
  expr vpresent(const Vec& st, int v) { return st[L.vm(v)] && !st[L.vnp(v)]; }
  // cpu_executable(): a present vmalloc leaf maps the frame without NX (no text in kcore).
  expr cpu_exec(const Vec& st, const expr& f) {
    expr r = F();
    for (int v = 0; v < kVpages; ++v)
      r = r || (vpresent(st, v) && !st[L.vnx(v)] && st[L.vf(v)] == f);
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
    return ite(st[L.ib(d)] || frame_field(st, &Layout::vmap, st[L.ifr(d)]), c.bv_val(3, 2),
               slot_bit(st[L.ios(d)]));
  }
  // has_live_grant(frame, all slots) / has_live_write_grant() over every device's grants: mapped
  // (not queued) iova:0 pages, by their frame or the buffer they bounce, and kva grants.
  expr live_grant(const Vec& st, const expr& f, bool write_only) {
    expr r = F();
    for (int d = 0; d < L.devices(); ++d) {
      expr on = st[L.ifr(d)] == f;
      if (L.slots() > 1) on = on || (st[L.ib(d)] && st[L.iof(d)] == f);
      expr g = st[L.ik(d)] == md(1) && on;
      if (write_only) g = g && st[L.iw(d)];
      r = r || g;
    }
    for (int d = 0; d < L.devices(); ++d)
      for (int a = 0; a < L.addrs(); ++a) {
        expr g = st[L.g(d, a)] && st[L.gf(d, a)] == f;
        if (write_only) g = g && st[L.gw(d, a)];
        r = r || g;
      }
    return r;
  }
  // has_live_grant(frame, bit) with 2 slots: a grant holding that slot of the frame.
  expr live_slot_grant(const Vec& st, const expr& f, const expr& bit) {
    expr r = F();
    for (int d = 0; d < L.devices(); ++d) {
      const expr mine = (st[L.ifr(d)] == f && holds(iova_slots(st, d), bit)) ||
                        (st[L.ib(d)] && st[L.iof(d)] == f && slot_bit(st[L.ios(d)]) == bit);
      r = r || (st[L.ik(d)] == md(1) && mine);
    }
    for (int d = 0; d < L.devices(); ++d)
      for (int a = 0; a < L.addrs(); ++a)
        r = r || (st[L.g(d, a)] && st[L.gf(d, a)] == f && holds(st[L.gsl(d, a)], bit));
    return r;
  }
  // take_frame(): a new use; a freed table frame cached in a PSC becomes reused (§8.6).
  void take_frame(const expr& g, const expr& f, int u) {
    for (int i = 0; i < L.frames(); ++i) put(L.use(i), g && f == fr(i), use(u));
    for (int d = 0; d < L.devices(); ++d) {
      put(L.pdre(d), g && n[L.pdv(d)] && n[L.pdfr(d)] && n[L.pdt(d)] == f, T());
      put(L.pvre(d), g && n[L.pvv(d)] && n[L.pvfr(d)] && n[L.pvt(d)] == f, T());
    }
  }
  // release_frame(): the frame is free; cached translations naming it are marked freed, and a PSC
  // entry naming it as a table remembers the leaves it held (`frozen`).
  void release_frame(const expr& g, const expr& f, const expr& zp, const expr& zw) {
    for (int i = 0; i < L.frames(); ++i) {
      put(L.use(i), g && f == fr(i), use(kUseFree));
      put(L.vmap(i), g && f == fr(i), F());
      if (L.slots() > 1) put(L.sl(i), g && f == fr(i), c.bv_val(0, 2));
    }
    for (int d = 0; d < L.devices(); ++d) {
      for (int a = 0; a < L.addrs(); ++a) {
        put(L.itfr(d, a), g && n[L.it(d, a)] && n[L.itf(d, a)] == f, T());
        put(L.dtkfr(d, a), g && n[L.dtk(d, a)] && n[L.dtkf(d, a)] == f, T());
      }
      // The large entry covers every frame of kcore's one block.
      put(L.iotlb_large_freed(d), g && n[L.iotlb_large(d)], T());
      for (int k = 0; k < 2; ++k)
        put(L.itifr(d, k), g && n[L.iti(d, k)] && n[L.itif(d, k)] == f, T());
      put(L.itufr(d), g && n[L.itu(d)] && n[L.ituf(d)] == f, T());
      put(L.dtfr(d), g && n[L.dt(d)] && n[L.dtf(d)] == f, T());
      for (int k = 0; k < 2; ++k)
        put(L.dtifr(d, k), g && n[L.dti(d, k)] && n[L.dtif(d, k)] == f, T());
      for (int q = 0; q < L.frames(); ++q)
        put(L.dtpfr(d, q), g && n[L.dtp(d, q)] && f == fr(q), T());
      const expr pd = g && n[L.pdv(d)] && n[L.pdt(d)] == f && !n[L.pdfr(d)];
      put(L.pdre(d), pd, F());
      put(L.pdzp(d), pd, zp);
      put(L.pdzw(d), pd, zw);
      put(L.pdfr(d), pd, T());
      const expr pv = g && n[L.pvv(d)] && n[L.pvt(d)] == f && !n[L.pvfr(d)];
      put(L.pvre(d), pv, F());
      put(L.pvfr(d), pv, T());
    }
  }
  void split_block(const expr& g, const expr& t) {
    take_frame(g, t, kUseKpt);
    put(L.btab(), g, t);
    put(L.split(), g, T());
  }
  // The leaf of kernel address `a` (0..5) in the CPU tables, read from the state being built.
  struct Leaf {
    expr present, frame, w;
  };
  Leaf cpu_leaf(int a) {
    if (a < L.frames()) return {n[L.dp(a)], fr(a), n[L.dw(a)]};
    const int v = a - L.frames();
    return {vpresent(n, v), n[L.vf(v)], n[L.vw(v)]};
  }
  // kpt_notify(): every notified page drops the kernel-table translations covering it and
  // re-syncs the strict mirrors (model/invalidate.cpp).
  void notify(std::uint8_t event, std::initializer_list<std::pair<expr, expr>> pages) {
    if (!(V.notifier & event)) return;
    for (const auto& [g, a] : pages) {
      if (known_false(g)) continue;  // concrete: a page not notified
      const expr direct = ult(a, ad(L.frames()));
      for (int d = 0; d < L.devices(); ++d) {
        if (kernel_walker(d)) {
          for (int j = 0; j < L.addrs(); ++j) {
            put(L.it(d, j), g && a == ad(j), F());
            put(L.dtk(d, j), g && a == ad(j), F());  // device-TLB entries are per page
          }
          put(L.iotlb_large(d), g && direct, F());  // the large entry covering the page
          put(L.pdv(d), g && direct, F());
          put(L.pvv(d), g && !direct, F());
        } else if (V.root[d] == KRoot::mirror) {
          // Both ways while the grant lives (§8.29): the leaf's frame at min(prot, CPU leaf), or
          // no entry while the leaf is not present.
          for (int j = 0; j < L.addrs(); ++j) {
            const expr here = g && n[L.g(d, j)] && a == ad(j);
            if (known_false(here)) continue;
            const Leaf l = cpu_leaf(j);
            put(L.mr(d, j), here, l.present);
            put(L.mf(d, j), here && l.present, l.frame);
            put(L.mw(d, j), here && l.present, n[L.gw(d, j)] && l.w);
            put(L.it(d, j), here, F());
            put(L.dtk(d, j), here, F());
          }
        }
      }
    }
  }
  void notify_all(std::uint8_t event) {
    if (!(V.notifier & event)) return;
    for (int d = 0; d < L.devices(); ++d) {
      if (!kernel_walker(d)) continue;
      for (int j = 0; j < L.addrs(); ++j) n[L.it(d, j)] = n[L.dtk(d, j)] = F();
      n[L.iotlb_large(d)] = F();
      n[L.pdv(d)] = F();
      n[L.pvv(d)] = F();
    }
  }
  // sva_notify(): with the SVA notifier, a user-page change drops the mm's PASID's IOTLB and
  // device-TLB entries for the page.
  void sva_notify(const expr& g) {
    if (!V.sva_notifier) return;
    for (int d = 0; d < L.devices(); ++d) {
      put(L.itu(d), g && s[L.mmp()] == pid(d + 1), F());
      put(L.dt(d), g && s[L.mmp()] == pid(d + 1), F());
    }
  }
  // fill_iotlb(): a 4 KiB entry, or the block's large entry; neither replaces the other (§8.26).
  void fill_iotlb(int d, const expr& g, int key, const expr& frame, const expr& w, const expr& nx) {
    put(L.it(d, key), g, T());
    put(L.itf(d, key), g, frame);
    put(L.itw(d, key), g, w);
    put(L.itnx(d, key), g, nx);
    put(L.itfr(d, key), g, F());
  }
  void fill_iotlb_large(int d, const expr& g, const expr& w) {
    put(L.iotlb_large(d), g, T());
    put(L.iotlb_large_w(d), g, w);
    put(L.iotlb_large_freed(d), g, F());
  }
  // walk_kernel() of kernel address a for device d's PASID (guard g): the PSC entry of the table
  // it reads and the IOTLB entry of a present leaf, whatever the request's access (§8.5).
  void fill_kernel_walk(int d, const expr& g, int a) {
    if (a < L.frames()) {
      const expr split = s[L.split()];
      const expr gs = g && split;
      put(L.pdv(d), gs, T());
      put(L.pdt(d), gs, s[L.btab()]);
      for (int x : {L.pdfr(d), L.pdre(d), L.pdzp(d), L.pdzw(d)}) put(x, gs, F());
      fill_iotlb(d, gs && s[L.dp(a)], a, fr(a), s[L.dw(a)], T());
      fill_iotlb_large(d, g && !split && s[L.dp(a)], s[L.dw(a)]);
    } else {
      const int v = a - L.frames();
      const expr gt = g && s[L.gh()];
      put(L.pvv(d), gt, T());
      put(L.pvt(d), gt, s[L.gt()]);
      for (int x : {L.pvfr(d), L.pvre(d)}) put(x, gt, F());
      fill_iotlb(d, gt && vpresent(s, v), a, s[L.vf(v)], s[L.vw(v)], s[L.vnx(v)]);
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
    const expr exact = s[L.it(d, a)];
    const expr large = direct ? s[L.iotlb_large(d)] : F();
    const expr hit = exact || large;
    const expr stale = direct ? s[L.pdv(d)] && !(s[L.split()] && s[L.btab()] == s[L.pdt(d)])
                              : s[L.pvv(d)] && !(s[L.gh()] && s[L.gt()] == s[L.pvt(d)]);
    const expr reused = direct ? s[L.pdre(d)] : s[L.pvre(d)];
    const expr frozen = direct ? !reused && s[L.pdzp(d)] : F();
    const expr walk = !hit && !stale;
    fill_kernel_walk(d, g && walk, a);
    if (direct) fill_iotlb(d, g && !hit && stale && frozen, a, fr(a), s[L.pdzw(d)], T());
    return {exact, large, hit, stale, reused, frozen, walk};
  }
  // The mirror leaf of address a that device d's requests walk: the live mirror, or the frozen
  // one of a freed mirror whose PASID-cache copy is still in use (§8.38).
  struct MirrorLeaf {
    expr present, frame, w;
  };
  MirrorLeaf mirror_leaf(int d, int a) {
    if (!V.free_first) return {s[L.mr(d, a)], s[L.mf(d, a)], s[L.mw(d, a)]};
    const expr frozen = s[L.pc(d)] && s[L.pasid_cached_frozen(d)];
    return {ite(frozen, s[L.frozen_mirror(d, a)], s[L.mr(d, a)]),
            ite(frozen, s[L.frozen_mirror_frame(d, a)], s[L.mf(d, a)]),
            ite(frozen, s[L.frozen_mirror_w(d, a)], s[L.mw(d, a)])};
  }
  // plan_direct(): would the block stay uniform with frame f's leaf set to (p, w)?
  expr uniform_after(const expr& f, const expr& p, const expr& w) {
    expr r = T();
    for (int i = 0; i < L.frames(); ++i)
      r = r && (f == fr(i) || (s[L.dp(i)] == p && s[L.dw(i)] == w));
    return r;
  }
  void set_dw(const expr& g, const expr& f, const expr& w) {
    for (int i = 0; i < L.frames(); ++i) put(L.dw(i), g && f == fr(i), w);
  }
  void set_dp(const expr& g, const expr& f, const expr& p) {
    for (int i = 0; i < L.frames(); ++i) put(L.dp(i), g && f == fr(i), p);
  }
  expr vaddr(const expr& page) {
    expr r = ad(L.frames());
    for (int v = 1; v < kVpages; ++v) r = ite(page == c.bv_val(v, 1), ad(L.frames() + v), r);
    return r;
  }
  expr daddr(const expr& f) { return zext(f, L.addr_bits() - L.frame_bits()); }
};

// Every field of an absent entry is 0 (the projection's normal form; absent_fields() in kcore.h).
// Applied to a successor after the action's updates.
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
