// The kcore transition, one action at a time, generic over the term type (kcore_sym.h): the Z3
// encoding (kcore_z3.cpp) and the compiled successor (kcore_concrete.cpp) are this same text. Each
// action mirrors the executable op it encodes (model/kernel_mem.cpp, iommu_api.cpp, device.cpp,
// invalidate.cpp); tests/kcore_z3_test.cpp checks that, on concrete states, they agree exactly.
#pragma once

#include "solver/kcore_trans_requests.h"
#include "solver/kcore_trans_sva.h"

namespace pasidcheck::solver::kcore::detail {

template <class Vec>
struct ActResult {
  typename Vec::value_type pre;
  Vec next;
};

// One action's precondition and successor, before normalize() (kcore_sym.h): the caller
// normalizes the successors it keeps.
template <class Ctx, class Vec>
ActResult<Vec> encode_act(Ctx& c, const Variant& V, const Vec& s,
                          const InputOf<typename Vec::value_type>& in, int act) {
  using expr = typename Vec::value_type;
  const Layout& L = layout(V.size());
  Sym<Ctx, Vec> y{c, L, V, s, s};
  const expr f = in.frame, t = in.table, p = in.page;
  if (!act_allowed(V, act)) return {c.bool_val(false), s};
  expr pre = c.bool_val(true);
  // Model::apply(): each op starts with no bad response.
  y.n[L.bad()] = y.F();
  if (is_sva_act(act) && !is_mm_act(act)) {  // only the row's devices
    expr dev_ok = y.F();
    for (int d = 0; d < L.devices(); ++d)
      dev_ok = dev_ok || (in.dev == y.dv(d) && c.bool_val(V.allow_sva[d]));
    pre = dev_ok;
  }
  switch (act) {
    case kKalloc:  // do_kalloc(): a free frame becomes a slab on its first slot
      if (L.slots() > 1) {
        const expr bit = y.slot_bit(p), held = y.frame_field(s, &Layout::sl, f);
        const expr free = y.use_of(s, f) == y.use(kUseFree);
        const expr slab = y.use_of(s, f) == y.use(kUseKdata) && !y.frame_field(s, &Layout::vmap, f);
        pre = free || (slab && !y.holds(held, bit));
        y.take_frame(free, f, kUseKdata);
        for (int i = 0; i < L.frames(); ++i) y.put(L.sl(i), f == y.fr(i), held | bit);
        break;
      }
      pre = y.use_of(s, f) == y.use(kUseFree);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.take_frame(y.T(), f, kUseKdata);
      break;
    case kKfree:  // do_kfree(): a slab object with no live grant; the last one frees the frame
      if (L.slots() > 1) {
        const expr bit = y.slot_bit(p), held = y.frame_field(s, &Layout::sl, f);
        pre = y.use_of(s, f) == y.use(kUseKdata) && !y.frame_field(s, &Layout::vmap, f) &&
              y.holds(held, bit) && !y.live_slot_grant(s, f, bit);
        const expr left = held & ~bit;
        for (int i = 0; i < L.frames(); ++i) y.put(L.sl(i), f == y.fr(i), left);
        y.release_frame(left == c.bv_val(0, 2), f, y.F(), y.F());
        break;
      }
      pre = y.use_of(s, f) == y.use(kUseKdata) && !y.frame_field(s, &Layout::vmap, f) &&
            !y.live_grant(s, f, false);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.release_frame(y.T(), f, y.F(), y.F());
      break;
    case kVmalloc: {  // do_vmalloc(): the group's table first, then the data frame
      const expr has = s[L.gh()];
      pre = !y.vpage_field(s, &Layout::vm, p) && y.use_of(s, f) == y.use(kUseFree) &&
            (has || (t != f && y.use_of(s, t) == y.use(kUseFree)));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.take_frame(!has, t, kUseKpt);
      y.put(L.gt(), !has, t);
      y.put(L.gh(), !has, y.T());
      y.take_frame(y.T(), f, kUseKdata);
      for (int i = 0; i < L.frames(); ++i) y.put(L.vmap(i), f == y.fr(i), y.T());
      for (int v = 0; v < kVpages; ++v) {
        const expr here = p == c.bv_val(v, 1);
        y.put(L.vm(v), here, y.T());
        y.put(L.vf(v), here, f);
        y.put(L.vw(v), here, y.T());
        y.put(L.vnx(v), here, y.T());
      }
      break;
    }
    case kVfree: {  // do_vfree(): alias reset to RW (may split), leaf cleared, frame freed
      const expr vf = y.vpage_field(s, &Layout::vf, p);
      const expr need_reset =
          !(y.frame_field(s, &Layout::dp, vf) && y.frame_field(s, &Layout::dw, vf));
      const expr need_split = need_reset && !s[L.split()] && !y.uniform_after(vf, y.T(), y.T());
      pre = y.vpage_field(s, &Layout::vm, p) && !y.live_grant(s, vf, false) &&
            (!need_split || y.use_of(s, t) == y.use(kUseFree));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.split_block(need_split, t);
      y.set_dp(need_reset, vf, y.T());
      y.set_dw(need_reset, vf, y.T());
      for (int v = 0; v < kVpages; ++v) y.put(L.vm(v), p == c.bv_val(v, 1), y.F());
      y.release_frame(y.T(), vf, y.F(), y.F());
      y.notify(model::kNotifyVfree, {{y.T(), y.vaddr(p)}, {y.T(), y.daddr(vf)}});
      break;
    }
    case kSetMemV: {  // do_set_memory() on vmalloc:page, cpa_process_alias() on its frame
      const expr vf = y.vpage_field(s, &Layout::vf, p);
      const auto is = [&](int a) { return in.attr == c.bv_val(a, kAttrBits); };
      // with_attr(): ro/rox clear W, rw sets it; rox/x clear NX, nx sets it; np/p the presence.
      const expr w_of_attr = ite(is(kRw), y.T(), y.F());
      const expr sets_w = is(kRw) || is(kRo) || is(kRox);
      const expr next_w = ite(sets_w, w_of_attr, y.vpage_field(s, &Layout::vw, p));
      const expr next_nx =
          ite(is(kRox) || is(kX), y.F(), ite(is(kNx), y.T(), y.vpage_field(s, &Layout::vnx, p)));
      const expr next_np =
          ite(is(kNp), y.T(), ite(is(kP), y.F(), y.vpage_field(s, &Layout::vnp, p)));
      const expr np_p = c.bool_val(V.np_p) && (is(kNp) || is(kP));  // not in the rows
      pre = (ult(in.attr, c.bv_val(kNx + 1, kAttrBits)) || np_p) &&
            y.vpage_field(s, &Layout::vm, p) && !(next_w && !next_nx) &&
            !(!next_nx && y.live_grant(s, vf, true));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      expr changed = y.F();
      if (V.cpa_alias) {  // x and nx leave the alias alone (it stays NX)
        const expr dp = y.frame_field(s, &Layout::dp, vf), dw = y.frame_field(s, &Layout::dw, vf);
        const expr alias_p = ite(is(kNp), y.F(), ite(is(kP), y.T(), dp));
        const expr alias_w = ite(sets_w, w_of_attr, dw);
        changed = !is(kX) && !is(kNx) && (dp != alias_p || dw != alias_w);
        // W^X covers aliases: no present executable page with a writable alias afterwards.
        pre = pre && !(!next_np && !next_nx && alias_p && alias_w);
        const expr need_split = changed && !s[L.split()] && !y.uniform_after(vf, alias_p, alias_w);
        pre = pre && (!need_split || y.use_of(s, t) == y.use(kUseFree));
        if (known_false(pre)) break;  // refused: the caller drops the successor
        y.split_block(need_split, t);
        y.set_dp(changed, vf, alias_p);
        y.set_dw(changed, vf, alias_w);
      }
      for (int v = 0; v < kVpages; ++v) {
        const expr here = p == c.bv_val(v, 1);
        y.put(L.vw(v), here, next_w);
        y.put(L.vnx(v), here, next_nx);
        y.put(L.vnp(v), here, next_np);
      }
      y.notify(model::kNotifyCpa, {{y.T(), y.vaddr(p)}});
      y.notify(model::kNotifyAlias, {{changed, y.daddr(vf)}});
      break;
    }
    case kSetMemD: {  // do_set_memory() on direct:frame (split_large_page() when non-uniform)
      const auto is = [&](int a) { return in.attr == c.bv_val(a, kAttrBits); };
      const expr dw = y.frame_field(s, &Layout::dw, f);
      const expr new_w = ite(is(kRw), y.T(), ite(is(kRo), y.F(), dw));
      const expr new_p = ite(is(kNp), y.F(), ite(is(kP), y.T(), y.frame_field(s, &Layout::dp, f)));
      const expr need_split = !s[L.split()] && !y.uniform_after(f, new_p, new_w);
      const expr np_p = c.bool_val(V.np_p) && (is(kNp) || is(kP));  // not in the rows
      pre = (is(kRo) || is(kRw) || np_p) && !(new_w && !dw && y.cpu_exec(s, f)) &&
            (!need_split || y.use_of(s, t) == y.use(kUseFree));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.split_block(need_split, t);
      y.set_dp(y.T(), f, new_p);
      y.set_dw(y.T(), f, new_w);
      y.notify(model::kNotifyCpa, {{y.T(), y.daddr(f)}});
      break;
    }
    case kPageallocUnmap:  // do_pagealloc_unmap(): a free frame leaves the direct map
    case kPageallocMap: {  // do_pagealloc_map(): an allocated frame returns (RW)
      const bool unmap = act == kPageallocUnmap;
      const expr used = y.use_of(s, f) != y.use(kUseFree);
      const expr dp = y.frame_field(s, &Layout::dp, f);
      pre = c.bool_val(V.pagealloc) && s[L.split()] &&
            (unmap ? !used && dp : used && !dp && !y.cpu_exec(s, f));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.set_dp(y.T(), f, c.bool_val(!unmap));
      y.set_dw(y.T(), f, c.bool_val(!unmap));  // P and RW together (§8.35)
      y.notify(model::kNotifyPagealloc, {{y.T(), y.daddr(f)}});
      break;
    }
    case kKptFreeD: {  // do_kpt_free(direct): CPA collapse of a uniform split block; never with
                       // DEBUG_PAGEALLOC (the direct map stays 4 KiB-granular)
      expr uniform = c.bool_val(!V.pagealloc) && s[L.split()];
      for (int i = 1; i < L.frames(); ++i)
        uniform = uniform && s[L.dp(i)] == s[L.dp(0)] && s[L.dw(i)] == s[L.dw(0)];
      pre = uniform;
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.put(L.split(), y.T(), y.F());
      y.release_frame(y.T(), s[L.btab()], s[L.dp(0)], s[L.dw(0)]);
      y.notify_all(model::kNotifyPtcollapse);
      break;
    }
    case kKptFreeV:  // do_kpt_free(vmalloc): an empty group's table page
      pre = s[L.gh()];
      for (int v = 0; v < kVpages; ++v) pre = pre && !s[L.vm(v)];
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.put(L.gh(), y.T(), y.F());
      y.release_frame(y.T(), s[L.gt()], y.F(), y.F());
      y.notify_all(model::kNotifyPtfree);
      break;
    case kPasidEnable: {  // do_pasid_enable(mode=kva|bypass|iova): refused variants stutter
      expr allowed = y.F();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dv(d);
        const KRoot roots[kModeCount] = {V.root[d], V.bypass_root[d], V.iova_root[d]};
        expr en = y.F(), md = y.md(kModeKva);
        for (int mode = 0; mode < kModeCount; ++mode) {
          const expr is = in.mode == y.md(mode);
          allowed = allowed || (dev && is && c.bool_val(V.allow[mode][d]));
          en = ite(is, c.bool_val(roots[mode] != KRoot::refused), en);
          const int got = roots[mode] == KRoot::passthrough ? kModeBypass
                          : roots[mode] == KRoot::dma       ? kModeIova
                                                            : kModeKva;
          md = ite(is, y.md(got), md);
        }
        y.put(L.en(d), dev, en);
        y.put(L.md(d), dev && en, md);
      }
      pre = allowed && !y.pick(
                           s, [&](int d) { return L.en(d); }, L.devices(), in.dev, L.dev_bits());
      break;
    }
    case kKvaMap: {  // do_kva_map(): grant (and strict mirror leaf min(prot, CPU leaf))
      // With 2 slots the grant's slots are attr + 1 (1, 2 or both): all allocated, a vmalloc
      // frame only whole; kva_page_aligned_untrusted refuses part of a page for a strict,
      // untrusted PASID.
      const bool slots = L.slots() > 1;
      const expr all = c.bv_val(3, 2);
      const expr mask = ite(in.attr == c.bv_val(0, kAttrBits), c.bv_val(1, 2),
                            ite(in.attr == c.bv_val(1, kAttrBits), c.bv_val(2, 2), all));
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here = in.dev == y.dv(d) && in.addr == y.ad(a);
          if (known_false(here)) continue;  // concrete: another (device, address)
          const auto l = y.cpu_leaf(a);     // n == s here: nothing written yet
          expr allocated = y.T();
          if (slots)
            allocated = ite(y.frame_field(s, &Layout::vmap, l.frame), mask == all,
                            (y.frame_field(s, &Layout::sl, l.frame) & mask) == mask);
          const bool range_refused = V.kva_direct_only && a >= L.frames();
          const expr refused =
              c.bool_val(range_refused) ||
              (c.bool_val(slots && V.kva_aligned && V.root[d] == KRoot::mirror && !V.trusted[d]) &&
               mask != all);
          const expr ok = y.kva(d) && !s[L.g(d, a)] && l.present &&
                          y.use_of(s, l.frame) == y.use(kUseKdata) && allocated &&
                          !(in.prot_w && y.cpu_exec(s, l.frame));  // before refusals (§8.36)
          any = any || (here && ok);
          if (range_refused) continue;
          const expr grant = here && !refused;
          if (slots) y.put(L.gsl(d, a), grant, mask);
          y.put(L.g(d, a), grant, y.T());
          y.put(L.gf(d, a), grant, l.frame);
          y.put(L.gw(d, a), grant, in.prot_w);
          if (V.root[d] == KRoot::mirror) {
            y.put(L.mr(d, a), grant, y.T());
            y.put(L.mf(d, a), grant, l.frame);
            y.put(L.mw(d, a), grant, in.prot_w && l.w);
          }
        }
      pre = any;
      break;
    }
    case kKvaUnmap: {  // do_kva_unmap(): strict PASIDs also flush the mirror's IOTLB entry
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here = in.dev == y.dv(d) && in.addr == y.ad(a);
          if (known_false(here)) continue;  // concrete: another (device, address)
          any = any || (here && s[L.g(d, a)]);
          y.put(L.g(d, a), here, y.F());
          y.put(L.mr(d, a), here, y.F());
          if (V.root[d] == KRoot::mirror) {  // the mirror's IOTLB and device-TLB entry
            y.put(L.it(d, a), here, y.F());
            y.put(L.dtk(d, a), here, y.F());
          }
        }
      pre = any;
      break;
    }
    case kEvictIotlb: {  // do_cache_evict(iotlb): exactly the 4 KiB entry at addr, or with
                         // page = 1 ("large": true) the block's large entry (§8.26)
      expr any = y.F();
      const expr large = in.page == c.bv_val(1, 1);
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here =
              in.dev == y.dv(d) && in.addr == y.ad(a) && y.evictable(d, y.cache_mode());
          if (known_false(here)) continue;  // concrete: another (device, address)
          any = any || (here && !large && s[L.it(d, a)]);
          y.put(L.it(d, a), here && !large, y.F());
          if (a >= L.frames()) continue;
          any = any || (here && large && s[L.iotlb_large(d)]);
          y.put(L.iotlb_large(d), here && large, y.F());
        }
      pre = any;
      break;
    }
    case kEvictPsc: {
      expr any = y.F();
      const expr direct = ult(in.addr, y.ad(L.frames()));
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev =
            in.dev == y.dv(d) && ult(in.addr, y.ad(L.addrs())) && y.evictable(d, y.cache_mode());
        any = any || (dev && direct && s[L.pdv(d)]) || (dev && !direct && s[L.pvv(d)]);
        y.put(L.pdv(d), dev && direct, y.F());
        y.put(L.pvv(d), dev && !direct, y.F());
      }
      pre = any;
      break;
    }
    case kEvictPasid: {  // page 0: RID_PASID, else the device's PASID
      const expr rid = in.page == c.bv_val(0, 1);
      pre = ite(rid,
                y.pick(
                    s, [&](int d) { return L.pc0(d); }, L.devices(), in.dev, L.dev_bits()),
                y.pick(
                    s, [&](int d) { return L.pc(d); }, L.devices(), in.dev, L.dev_bits()));
      for (int d = 0; d < L.devices(); ++d) {
        y.put(L.pc0(d), in.dev == y.dv(d) && rid, y.F());
        y.put(L.pc(d), in.dev == y.dv(d) && !rid, y.F());
      }
      break;
    }
    case kDmaMap: {  // do_dma_map(): a sub-page buffer of an untrusted device is bounced
      // With one slot per frame no buffer is sub-page. With 2, `page` is the slot and `table` the
      // bounce frame (swiotlb), which must be free when the map is bounced.
      const bool slots = L.slots() > 1;
      const expr vmap = y.frame_field(s, &Layout::vmap, f);
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dv(d);
        const expr bounce = c.bool_val(slots && V.bounce && !V.trusted[d]) && !vmap;
        expr ok = s[L.ik(d)] == y.md(0);
        if (slots) ok = ok && (!bounce || y.use_of(s, t) == y.use(kUseFree));
        any = any || (dev && ok);
        y.put(L.ik(d), dev, y.md(1));
        y.put(L.iw(d), dev, in.prot_w);
        if (!slots) {
          y.put(L.ifr(d), dev, f);
          continue;
        }
        y.take_frame(dev && bounce, t, kUseBounce);
        y.put(L.ifr(d), dev, ite(bounce, t, f));
        y.put(L.ib(d), dev, bounce);
        y.put(L.iof(d), dev, ite(bounce, f, y.fr(0)));
        y.put(L.ios(d), dev, ite(vmap && !bounce, c.bv_val(0, 1), p));
      }
      pre = any && y.use_of(s, f) == y.use(kUseKdata) && !(in.prot_w && y.cpu_exec(s, f));
      if (slots) pre = pre && (vmap || y.holds(y.frame_field(s, &Layout::sl, f), y.slot_bit(p)));
      break;
    }
    case kDmaUnmap:   // do_dma_unmap(): strict domains flush now (inv_iova_page), lazy ones queue
    case kFqFlush: {  // do_fq_flush(): flush and free what is queued
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dv(d);
        if (act == kDmaUnmap) {
          any = any || (dev && s[L.ik(d)] == y.md(1));
          if (V.lazy[d]) {  // queued: the bounce frame is freed at the flush
            y.put(L.ik(d), dev, y.md(2));
            if (L.slots() > 1) {
              y.put(L.iof(d), dev, y.fr(0));
              y.put(L.ios(d), dev, c.bv_val(0, 1));
            }
            continue;
          }
        } else {
          any = c.bool_val(true);
        }
        const expr go = dev && s[L.ik(d)] == y.md(act == kDmaUnmap ? 1 : 2);
        for (int k = 0; k < 2; ++k) {  // inv_iova_page(): IOTLB and device TLB
          y.put(L.iti(d, k), go, y.F());
          y.put(L.dti(d, k), go, y.F());
        }
        y.put(L.ik(d), go, y.md(0));
        if (L.slots() > 1) y.release_frame(go && s[L.ib(d)], s[L.ifr(d)], y.F(), y.F());
      }
      pre = any;
      break;
    }
    case kWalkIova: {  // do_iommu_walk(iova:0, priv=user) through RID_PASID or the PASID
      const expr rid = in.page == c.bv_val(0, 1);
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dv(d);
        y.put(L.pc0(d), dev && rid, y.T());
        y.fill_pasid_cache(d, dev && !rid);
        const expr iova_entry = rid || y.eff_is(d, kModeIova);
        for (int k = 0; k < 2; ++k) {  // an IOTLB hit ends the walk (§8.27)
          const expr fill = dev && (k == 0 ? rid : !rid) && iova_entry && s[L.ik(d)] == y.md(1) &&
                            !s[L.iti(d, k)];
          y.put(L.iti(d, k), fill, y.T());
          y.put(L.itif(d, k), fill, s[L.ifr(d)]);
          y.put(L.itiw(d, k), fill, s[L.iw(d)]);
          y.put(L.itifr(d, k), fill, y.F());
        }
      }
      break;
    }
    case kEvictIova: {
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d)
        for (int k = 0; k < 2; ++k) {
          // RID_PASID (k = 0) always has its present DMA-domain entry.
          const expr here = in.dev == y.dv(d) && in.page == c.bv_val(k, 1) &&
                            (k == 0 ? y.T() : y.evictable(d, kModeIova));
          any = any || (here && s[L.iti(d, k)]);
          y.put(L.iti(d, k), here, y.F());
        }
      pre = any;
      break;
    }
    case kPasidDisable: {  // do_pasid_disable() -> teardown() (model/iommu_api.cpp, §8.9)
      pre = y.pick(
          s, [&](int d) { return L.en(d); }, L.devices(), in.dev, L.dev_bits());
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dv(d);
        if (known_false(dev)) continue;  // concrete: another device
        y.put(L.en(d), dev, y.F());      // entry cleared, PASID freed
        if (V.free_first && V.root[d] == KRoot::mirror) {
          // §8.38: the mirror is freed; a cached copy of its entry keeps its last leaves.
          const expr freeze =
              dev && s[L.pc(d)] && s[L.pcm(d)] == y.md(kModeKva) && !s[L.pasid_cached_frozen(d)];
          y.put(L.pasid_cached_frozen(d), freeze, y.T());
          for (int a = 0; a < L.addrs(); ++a) {
            y.put(L.frozen_mirror(d, a), freeze, s[L.mr(d, a)]);
            y.put(L.frozen_mirror_frame(d, a), freeze, s[L.mf(d, a)]);
            y.put(L.frozen_mirror_w(d, a), freeze, s[L.mw(d, a)]);
          }
        }
        if (!V.free_first) {
          // inv_pasid_cache(), inv_iotlb_psc(did, pasid): every cached translation tagged with
          // the PASID has the entry's DID here (no copy outlives a full teardown in kcore).
          y.put(L.pc(d), dev, y.F());
          for (int j = 0; j < L.addrs(); ++j) y.put(L.it(d, j), dev, y.F());
          y.put(L.iotlb_large(d), dev, y.F());
          y.put(L.pdv(d), dev, y.F());
          y.put(L.pvv(d), dev, y.F());
          y.put(L.iti(d, 1), dev, y.F());
          if (!V.no_devtlb) {  // inv_devtlb(dev, pasid)
            y.put(L.dti(d, 1), dev, y.F());
            for (int q = 0; q < L.frames(); ++q) y.put(L.dtp(d, q), dev, y.F());
            for (int j = 0; j < L.addrs(); ++j) y.put(L.dtk(d, j), dev, y.F());
          }
        }
        for (int a = 0; a < L.addrs(); ++a) {  // clear_kva(): grants and the strict mirror
          y.put(L.g(d, a), dev, y.F());
          y.put(L.mr(d, a), dev, y.F());
        }
      }
      break;
    }
    default:  // device requests: kcore_trans_requests.h; user SVA: kcore_trans_sva.h
      pre = is_request_act(act) ? encode_request_act(c, y, in, act, pre)
            : is_sva_act(act)   ? encode_sva_act(c, y, in, act, pre)
                                : c.bool_val(false);
  }
  if (V.sva) {
    // `quiesced` is dead unless the mm owns the PASID or an SVA copy is cached (project()).
    for (int d = 0; d < L.devices(); ++d) {
      const expr live =
          y.n[L.mmp()] == y.pid(d + 1) || (y.n[L.pc(d)] && y.n[L.pcm(d)] == y.md(kModeSva));
      y.n[L.qu(d)] = y.n[L.qu(d)] && live;
    }
  }
  return {pre, y.n};
}

}  // namespace pasidcheck::solver::kcore::detail
