// The kcore transition, one action at a time, generic over the term type (kcore_sym.h): the Z3
// encoding (kcore_z3.cpp) and the compiled successor (kcore_concrete.cpp) are this same text. Each
// action mirrors the executable op it encodes (model/kernel_mem.cpp, iommu_api.cpp, device.cpp,
// invalidate.cpp); tests/kcore_z3_test.cpp checks that, on concrete states, they agree exactly.
#pragma once

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
    case kKalloc:  // do_kalloc(): a free frame becomes a slab (one slot per frame in kcore)
      pre = y.use_of(s, f) == y.use(kUseFree);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.take_frame(y.T(), f, kUseKdata);
      break;
    case kKfree:  // do_kfree(): a slab object with no live grant
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
      if (!unmap) y.set_dw(y.T(), f, y.T());
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
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here = in.dev == y.dv(d) && in.addr == y.ad(a);
          if (known_false(here)) continue;  // concrete: another (device, address)
          const auto l = y.cpu_leaf(a);     // n == s here: nothing written yet
          const bool refused = V.kva_direct_only && a >= L.frames();
          const expr ok = y.kva(d) && !s[L.g(d, a)] && l.present &&
                          y.use_of(s, l.frame) == y.use(kUseKdata) &&
                          (refused ? y.T() : !(in.prot_w && y.cpu_exec(s, l.frame)));
          any = any || (here && ok);
          if (refused) continue;
          y.put(L.g(d, a), here, y.T());
          y.put(L.gf(d, a), here, l.frame);
          y.put(L.gw(d, a), here, in.prot_w);
          if (V.root[d] == KRoot::mirror) {
            y.put(L.mr(d, a), here, y.T());
            y.put(L.mf(d, a), here, l.frame);
            y.put(L.mw(d, a), here, in.prot_w && l.w);
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
    case kEvictIotlb: {  // do_cache_evict(iotlb): the entry for addr, or a large one covering it
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here =
              in.dev == y.dv(d) && in.addr == y.ad(a) && y.evictable(d, y.cache_mode());
          if (known_false(here)) continue;  // concrete: another (device, address)
          for (int j = 0; j < L.addrs(); ++j) {
            expr hit = s[L.it(d, j)] && c.bool_val(j == a);
            if (j < L.frames() && a < L.frames()) hit = hit || (s[L.it(d, j)] && s[L.itl(d, j)]);
            any = any || (here && hit);
            y.put(L.it(d, j), here && hit, y.F());
          }
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
    case kDmaMap: {  // do_dma_map(): one slot per frame, so never bounced in kcore
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dv(d);
        any = any || (dev && s[L.ik(d)] == y.md(0));
        y.put(L.ik(d), dev, y.md(1));
        y.put(L.ifr(d), dev, f);
        y.put(L.iw(d), dev, in.prot_w);
      }
      pre = any && y.use_of(s, f) == y.use(kUseKdata) && !(in.prot_w && y.cpu_exec(s, f));
      break;
    }
    case kDmaUnmap:   // do_dma_unmap(): strict domains flush now (inv_iova_page), lazy ones queue
    case kFqFlush: {  // do_fq_flush(): flush and free what is queued
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dv(d);
        if (act == kDmaUnmap) {
          any = any || (dev && s[L.ik(d)] == y.md(1));
          if (V.lazy[d]) {
            y.put(L.ik(d), dev, y.md(2));
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
        for (int k = 0; k < 2; ++k) {
          const expr fill = dev && (k == 0 ? rid : !rid) && iova_entry && s[L.ik(d)] == y.md(1);
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
        if (!V.free_first) {
          // inv_pasid_cache(), inv_iotlb_psc(did, pasid): every cached translation tagged with
          // the PASID has the entry's DID here (no copy outlives a full teardown in kcore).
          y.put(L.pc(d), dev, y.F());
          for (int j = 0; j < L.addrs(); ++j) y.put(L.it(d, j), dev, y.F());
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
    case kDmaIova:    // do_dma(iova:0): an IOTLB hit is used, else a walk fills it
    case kAtsIova: {  // do_ats_translate(iova:0): the same, and a granted translation fills the
                      // device TLB
      const bool ats = act == kAtsIova;
      const expr rid = in.page == c.bv_val(0, 1);
      for (int d = 0; d < L.devices(); ++d) {
        if (ats && !V.ats[d]) continue;  // fault ats_disabled: nothing changes
        const expr dev = in.dev == y.dv(d);
        y.put(L.pc0(d), dev && rid, y.T());
        y.fill_pasid_cache(d, dev && !rid);
        const expr iova_entry = rid || y.eff_is(d, kModeIova);
        for (int k = 0; k < 2; ++k) {
          const expr here = dev && (k == 0 ? rid : !rid) && iova_entry;
          const expr hit = here && s[L.iti(d, k)];
          const expr fill = here && !s[L.iti(d, k)] && s[L.ik(d)] == y.md(1);
          y.put(L.iti(d, k), fill, y.T());
          y.put(L.itif(d, k), fill, s[L.ifr(d)]);
          y.put(L.itiw(d, k), fill, s[L.iw(d)]);
          y.put(L.itifr(d, k), fill, y.F());
          if (!ats) continue;
          const expr granted =
              (hit && (!in.prot_w || s[L.itiw(d, k)])) || (fill && (!in.prot_w || s[L.iw(d)]));
          y.put(L.dti(d, k), granted, y.T());
          y.put(L.dtif(d, k), granted, ite(hit, s[L.itif(d, k)], s[L.ifr(d)]));
          y.put(L.dtiw(d, k), granted, ite(hit, s[L.itiw(d, k)], s[L.iw(d)]));
          y.put(L.dtifr(d, k), granted, y.F());
        }
      }
      break;
    }
    case kDmaPhys:  // do_dma(phys:): pass-through fills only the PASID cache (§8.20)
    case kAtsPhys:  // do_ats_translate(phys:frame) through a pass-through PASID: frame, writable
      for (int d = 0; d < L.devices(); ++d) {
        if (act == kAtsPhys && !V.ats[d]) continue;  // fault ats_disabled: nothing changes
        const expr dev = in.dev == y.dv(d);
        y.fill_pasid_cache(d, dev);
        if (act == kDmaPhys) continue;
        for (int q = 0; q < L.frames(); ++q) {
          const expr g = dev && y.eff_is(d, kModeBypass) && f == y.fr(q);
          y.put(L.dtp(d, q), g, y.T());
          y.put(L.dtpfr(d, q), g, y.F());
        }
      }
      break;
    // serve() (model/device.cpp) for kernel addresses through the device's PASID, supervisor:
    case kWalk:         // do_iommu_walk(): PASID cache, then a fresh walk filling PSC and IOTLB
    case kDmaKernel:    // do_dma(): an IOTLB hit or a stale PSC entry first, else the walk
    case kAtsKernel: {  // do_ats_translate(): the same, and what it grants fills the device TLB
      const bool ats = act == kAtsKernel, walk_only = act == kWalk;
      pre = ult(in.addr, y.ad(L.addrs()));
      for (int d = 0; d < L.devices(); ++d) {
        if (ats && !V.ats[d]) continue;  // fault ats_disabled: nothing changes
        y.fill_pasid_cache(d, in.dev == y.dv(d));
        // SRE is clear on pass-through and DMA-domain entries (sre_clear), and only the KVA root
        // translates kernel addresses.
        const expr dev = in.dev == y.dv(d) && y.eff_is(d, kModeKva);
        if (known_false(dev)) continue;  // concrete: another device, or not in KVA mode
        for (int a = 0; a < L.addrs(); ++a) {
          const expr g = dev && in.addr == y.ad(a);
          if (known_false(g)) continue;
          // iotlb_lookup(): the entry keyed by the page, else a large one of its block (keyed
          // direct:0); a large leaf reaches the page's own frame.
          const expr exact = walk_only ? y.F() : s[L.it(d, a)];
          const expr large =
              !walk_only && a > 0 && a < L.frames() ? s[L.it(d, 0)] && s[L.itl(d, 0)] : y.F();
          const expr hit = exact || large;
          const expr hit_frame = ite(exact, s[L.itf(d, a)], y.fr(a < L.frames() ? a : 0));
          const expr hit_w = ite(exact, s[L.itw(d, a)], s[L.itw(d, 0)]);
          expr granted = hit, frame = hit_frame, w = hit_w;
          if (V.root[d] == KRoot::mirror) {  // the mirror's leaf (mirror walks fill no PSC)
            const expr walk = !hit && s[L.mr(d, a)];
            y.fill_iotlb(d, g && walk, a, s[L.mf(d, a)], s[L.mw(d, a)], y.T(), false);
            granted = granted || walk;
            frame = ite(hit, frame, s[L.mf(d, a)]);
            w = ite(hit, w, s[L.mw(d, a)]);
          } else if (V.root[d] == KRoot::kernel) {
            // A PSC entry whose table is no longer the prefix's (§8.6): a reused table gives any
            // frame (the op names none: the table frame itself), writable; a freed direct table
            // its frozen leaf; a freed vmalloc table faults. Else a walk of the current tables.
            const bool direct = a < L.frames();
            const expr stale = walk_only ? y.F()
                               : direct
                                   ? s[L.pdv(d)] && !(s[L.split()] && s[L.btab()] == s[L.pdt(d)])
                                   : s[L.pvv(d)] && !(s[L.gh()] && s[L.gt()] == s[L.pvt(d)]);
            const expr reused = direct ? s[L.pdre(d)] : s[L.pvre(d)];
            const expr frozen = direct ? !reused && s[L.pdzp(d)] : y.F();
            const expr walk = !hit && !stale;
            y.fill_kernel_walk(d, g && walk, a);
            const auto l = y.cpu_leaf(a);  // the leaf the walk reads (n == s for the leaf)
            const expr leaf = direct ? s[L.dp(a)] : s[L.gh()] && y.vpresent(s, a - L.frames());
            const expr table = direct ? s[L.pdt(d)] : s[L.pvt(d)];
            const expr via_psc = !hit && stale;
            granted = granted || (via_psc && (reused || frozen)) || (walk && leaf);
            frame =
                ite(hit, frame, ite(via_psc, ite(reused, table, y.fr(direct ? a : 0)), l.frame));
            w = ite(hit, w, ite(via_psc, reused || s[L.pdzw(d)], l.w));
          }
          if (!ats) continue;
          const expr fill = g && granted;
          y.put(L.dtk(d, a), fill, y.T());
          y.put(L.dtkf(d, a), fill, frame);
          y.put(L.dtkw(d, a), fill, y.wr(w));  // leaf_writable(): W, or any with WPE clear
          y.put(L.dtkfr(d, a), fill, y.F());
        }
      }
      break;
    }
    case kDmaTranslated: {  // do_dma_translated(): no state; a trusted ATS device is honest
      pre = y.T();
      const expr rid = in.page == c.bv_val(0, 1);
      for (int d = 0; d < L.devices(); ++d) {
        if (!V.ats[d] || !V.trusted[d]) continue;  // forged or ats_disabled: any frame
        // An entry of its device TLB for that PASID giving the frame (writable for a write).
        auto gives = [&](const expr& present, const expr& frame, const expr& w) {
          return present && frame == f && (!in.prot_w || w);
        };
        expr pasid_entries = gives(s[L.dti(d, 1)], s[L.dtif(d, 1)], s[L.dtiw(d, 1)]) ||
                             gives(s[L.dt(d)], s[L.dtf(d)], s[L.dtw(d)]);
        for (int q = 0; q < L.frames(); ++q)
          pasid_entries = pasid_entries || gives(s[L.dtp(d, q)], y.fr(q), y.T());
        for (int a = 0; a < L.addrs(); ++a)
          pasid_entries = pasid_entries || gives(s[L.dtk(d, a)], s[L.dtkf(d, a)], s[L.dtkw(d, a)]);
        const expr held =
            ite(rid, gives(s[L.dti(d, 0)], s[L.dtif(d, 0)], s[L.dtiw(d, 0)]), pasid_entries);
        pre = pre && (in.dev != y.dv(d) || held);
      }
      break;
    }
    case kEvictDevtlbKernel: {  // do_cache_evict(devtlb): the device's entry for the address
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here = in.dev == y.dv(d) && in.addr == y.ad(a);
          if (known_false(here)) continue;
          any = any || (here && s[L.dtk(d, a)]);
          y.put(L.dtk(d, a), here, y.F());
        }
      pre = any;
      break;
    }
    case kEvictDevtlbIova:
    case kEvictDevtlbPhys: {  // do_cache_evict(devtlb): the device's own entry
      expr any = y.F();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dv(d);
        if (act == kEvictDevtlbIova) {
          for (int k = 0; k < 2; ++k) {
            const expr here = dev && in.page == c.bv_val(k, 1);
            any = any || (here && s[L.dti(d, k)]);
            y.put(L.dti(d, k), here, y.F());
          }
        } else {
          for (int q = 0; q < L.frames(); ++q) {
            const expr here = dev && f == y.fr(q);
            any = any || (here && s[L.dtp(d, q)]);
            y.put(L.dtp(d, q), here, y.F());
          }
        }
      }
      pre = pre && any;
      break;
    }
    default:  // user SVA: kcore_trans_sva.h
      pre = is_sva_act(act) ? encode_sva_act(c, y, in, act, pre) : c.bool_val(false);
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
