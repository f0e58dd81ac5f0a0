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
  y.n[L.bad_response()] = y.no();
  if (is_sva_act(act) && !is_mm_act(act)) {  // only the row's devices
    expr dev_ok = y.no();
    for (int d = 0; d < L.devices(); ++d)
      dev_ok = dev_ok || (in.dev == y.dev_val(d) && c.bool_val(V.allow_sva[d]));
    pre = dev_ok;
  }
  switch (act) {
    case kKalloc:  // do_kalloc(): a free frame becomes a slab on its first slot
      if (L.slots() > 1) {
        const expr bit = y.slot_bit(p), held = y.frame_field(s, &Layout::slab_slots, f);
        const expr free = y.use_of(s, f) == y.use_val(kUseFree);
        const expr slab =
            y.use_of(s, f) == y.use_val(kUseKdata) && !y.frame_field(s, &Layout::vmap, f);
        pre = free || (slab && !y.holds(held, bit));
        y.take_frame(free, f, kUseKdata);
        for (int i = 0; i < L.frames(); ++i)
          y.put(L.slab_slots(i), f == y.frame_val(i), held | bit);
        break;
      }
      pre = y.use_of(s, f) == y.use_val(kUseFree);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.take_frame(y.yes(), f, kUseKdata);
      break;
    case kKfree:  // do_kfree(): a slab object with no live grant; the last one frees the frame
      if (L.slots() > 1) {
        const expr bit = y.slot_bit(p), held = y.frame_field(s, &Layout::slab_slots, f);
        pre = y.use_of(s, f) == y.use_val(kUseKdata) && !y.frame_field(s, &Layout::vmap, f) &&
              y.holds(held, bit) && !y.live_slot_grant(s, f, bit);
        const expr left = held & ~bit;
        for (int i = 0; i < L.frames(); ++i) y.put(L.slab_slots(i), f == y.frame_val(i), left);
        y.release_frame(left == c.bv_val(0, 2), f, y.no(), y.no());
        break;
      }
      pre = y.use_of(s, f) == y.use_val(kUseKdata) && !y.frame_field(s, &Layout::vmap, f) &&
            !y.live_grant(s, f, false);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.release_frame(y.yes(), f, y.no(), y.no());
      break;
    case kVmalloc: {  // do_vmalloc(): the group's table first, then the data frame
      const expr has = s[L.vgroup_has_table()];
      pre = !y.vpage_field(s, &Layout::vmalloc_mapped, p) &&
            y.use_of(s, f) == y.use_val(kUseFree) &&
            (has || (t != f && y.use_of(s, t) == y.use_val(kUseFree)));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.take_frame(!has, t, kUseKpt);
      y.put(L.vgroup_table(), !has, t);
      y.put(L.vgroup_has_table(), !has, y.yes());
      y.take_frame(y.yes(), f, kUseKdata);
      for (int i = 0; i < L.frames(); ++i) y.put(L.vmap(i), f == y.frame_val(i), y.yes());
      for (int v = 0; v < kVpages; ++v) {
        const expr here = p == c.bv_val(v, 1);
        y.put(L.vmalloc_mapped(v), here, y.yes());
        y.put(L.vmalloc_frame(v), here, f);
        y.put(L.vmalloc_w(v), here, y.yes());
        y.put(L.vmalloc_nx(v), here, y.yes());
      }
      break;
    }
    case kVfree: {  // do_vfree(): alias reset to RW (may split), leaf cleared, frame freed
      const expr vf = y.vpage_field(s, &Layout::vmalloc_frame, p);
      const expr need_reset = !(y.frame_field(s, &Layout::direct_present, vf) &&
                                y.frame_field(s, &Layout::direct_w, vf));
      const expr need_split =
          need_reset && !s[L.block_split()] && !y.uniform_after(vf, y.yes(), y.yes());
      pre = y.vpage_field(s, &Layout::vmalloc_mapped, p) && !y.live_grant(s, vf, false) &&
            (!need_split || y.use_of(s, t) == y.use_val(kUseFree));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.split_block(need_split, t);
      y.set_dp(need_reset, vf, y.yes());
      y.set_dw(need_reset, vf, y.yes());
      for (int v = 0; v < kVpages; ++v) y.put(L.vmalloc_mapped(v), p == c.bv_val(v, 1), y.no());
      y.release_frame(y.yes(), vf, y.no(), y.no());
      y.notify(model::kNotifyVfree, {{y.yes(), y.vaddr(p)}, {y.yes(), y.daddr(vf)}});
      break;
    }
    case kSetMemV: {  // do_set_memory() on vmalloc:page, cpa_process_alias() on its frame
      const expr vf = y.vpage_field(s, &Layout::vmalloc_frame, p);
      const auto is = [&](int a) { return in.attr == c.bv_val(a, kAttrBits); };
      // with_attr(): ro/rox clear W, rw sets it; rox/x clear NX, nx sets it; np/p the presence.
      const expr w_of_attr = ite(is(kRw), y.yes(), y.no());
      const expr sets_w = is(kRw) || is(kRo) || is(kRox);
      const expr next_w = ite(sets_w, w_of_attr, y.vpage_field(s, &Layout::vmalloc_w, p));
      const expr next_nx = ite(is(kRox) || is(kX), y.no(),
                               ite(is(kNx), y.yes(), y.vpage_field(s, &Layout::vmalloc_nx, p)));
      const expr next_np = ite(
          is(kNp), y.yes(), ite(is(kP), y.no(), y.vpage_field(s, &Layout::vmalloc_not_present, p)));
      const expr np_p = c.bool_val(V.np_p) && (is(kNp) || is(kP));  // not in the rows
      pre = (ult(in.attr, c.bv_val(kNx + 1, kAttrBits)) || np_p) &&
            y.vpage_field(s, &Layout::vmalloc_mapped, p) && !(next_w && !next_nx) &&
            !(!next_nx && y.live_grant(s, vf, true));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      expr changed = y.no();
      if (V.cpa_alias) {  // x and nx leave the alias alone (it stays NX)
        const expr dp = y.frame_field(s, &Layout::direct_present, vf),
                   dw = y.frame_field(s, &Layout::direct_w, vf);
        const expr alias_p = ite(is(kNp), y.no(), ite(is(kP), y.yes(), dp));
        const expr alias_w = ite(sets_w, w_of_attr, dw);
        changed = !is(kX) && !is(kNx) && (dp != alias_p || dw != alias_w);
        // W^X covers aliases: no present executable page with a writable alias afterwards.
        pre = pre && !(!next_np && !next_nx && alias_p && alias_w);
        const expr need_split =
            changed && !s[L.block_split()] && !y.uniform_after(vf, alias_p, alias_w);
        pre = pre && (!need_split || y.use_of(s, t) == y.use_val(kUseFree));
        if (known_false(pre)) break;  // refused: the caller drops the successor
        y.split_block(need_split, t);
        y.set_dp(changed, vf, alias_p);
        y.set_dw(changed, vf, alias_w);
      }
      for (int v = 0; v < kVpages; ++v) {
        const expr here = p == c.bv_val(v, 1);
        y.put(L.vmalloc_w(v), here, next_w);
        y.put(L.vmalloc_nx(v), here, next_nx);
        y.put(L.vmalloc_not_present(v), here, next_np);
      }
      y.notify(model::kNotifyCpa, {{y.yes(), y.vaddr(p)}});
      y.notify(model::kNotifyAlias, {{changed, y.daddr(vf)}});
      break;
    }
    case kSetMemD: {  // do_set_memory() on direct:frame (split_large_page() when non-uniform)
      const auto is = [&](int a) { return in.attr == c.bv_val(a, kAttrBits); };
      const expr dw = y.frame_field(s, &Layout::direct_w, f);
      const expr new_w = ite(is(kRw), y.yes(), ite(is(kRo), y.no(), dw));
      const expr new_p =
          ite(is(kNp), y.no(), ite(is(kP), y.yes(), y.frame_field(s, &Layout::direct_present, f)));
      const expr need_split = !s[L.block_split()] && !y.uniform_after(f, new_p, new_w);
      const expr np_p = c.bool_val(V.np_p) && (is(kNp) || is(kP));  // not in the rows
      pre = (is(kRo) || is(kRw) || np_p) && !(new_w && !dw && y.cpu_exec(s, f)) &&
            (!need_split || y.use_of(s, t) == y.use_val(kUseFree));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.split_block(need_split, t);
      y.set_dp(y.yes(), f, new_p);
      y.set_dw(y.yes(), f, new_w);
      y.notify(model::kNotifyCpa, {{y.yes(), y.daddr(f)}});
      break;
    }
    case kPageallocUnmap:  // do_pagealloc_unmap(): a free frame leaves the direct map
    case kPageallocMap: {  // do_pagealloc_map(): an allocated frame returns (RW)
      const bool unmap = act == kPageallocUnmap;
      const expr used = y.use_of(s, f) != y.use_val(kUseFree);
      const expr dp = y.frame_field(s, &Layout::direct_present, f);
      pre = c.bool_val(V.pagealloc) && s[L.block_split()] &&
            (unmap ? !used && dp : used && !dp && !y.cpu_exec(s, f));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.set_dp(y.yes(), f, c.bool_val(!unmap));
      y.set_dw(y.yes(), f, c.bool_val(!unmap));  // P and RW together (§8.35)
      y.notify(model::kNotifyPagealloc, {{y.yes(), y.daddr(f)}});
      break;
    }
    case kKptFreeD: {  // do_kpt_free(direct): CPA collapse of a uniform split block; never with
                       // DEBUG_PAGEALLOC (the direct map stays 4 KiB-granular)
      expr uniform = c.bool_val(!V.pagealloc) && s[L.block_split()];
      for (int i = 1; i < L.frames(); ++i)
        uniform = uniform && s[L.direct_present(i)] == s[L.direct_present(0)] &&
                  s[L.direct_w(i)] == s[L.direct_w(0)];
      pre = uniform;
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.put(L.block_split(), y.yes(), y.no());
      y.release_frame(y.yes(), s[L.block_table()], s[L.direct_present(0)], s[L.direct_w(0)]);
      y.notify_all(model::kNotifyPtcollapse);
      break;
    }
    case kKptFreeV:  // do_kpt_free(vmalloc): an empty group's table page
      pre = s[L.vgroup_has_table()];
      for (int v = 0; v < kVpages; ++v) pre = pre && !s[L.vmalloc_mapped(v)];
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.put(L.vgroup_has_table(), y.yes(), y.no());
      y.release_frame(y.yes(), s[L.vgroup_table()], y.no(), y.no());
      y.notify_all(model::kNotifyPtfree);
      break;
    case kPasidEnable: {  // do_pasid_enable(mode=kva|bypass|iova): refused variants stutter
      expr allowed = y.no();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d);
        const KRoot roots[kModeCount] = {V.root[d], V.bypass_root[d], V.iova_root[d]};
        expr en = y.no(), md = y.mode_val(kModeKva);
        for (int mode = 0; mode < kModeCount; ++mode) {
          const expr is = in.mode == y.mode_val(mode);
          allowed = allowed || (dev && is && c.bool_val(V.allow[mode][d]));
          en = ite(is, c.bool_val(roots[mode] != KRoot::refused), en);
          const int got = roots[mode] == KRoot::passthrough ? kModeBypass
                          : roots[mode] == KRoot::dma       ? kModeIova
                                                            : kModeKva;
          md = ite(is, y.mode_val(got), md);
        }
        y.put(L.pasid_enabled(d), dev, en);
        y.put(L.pasid_mode(d), dev && en, md);
      }
      pre = allowed &&
            !y.pick(
                s, [&](int d) { return L.pasid_enabled(d); }, L.devices(), in.dev, L.dev_bits());
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
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here = in.dev == y.dev_val(d) && in.addr == y.addr_val(a);
          if (known_false(here)) continue;  // concrete: another (device, address)
          const auto l = y.cpu_leaf(a);     // n == s here: nothing written yet
          expr allocated = y.yes();
          if (slots)
            allocated = ite(y.frame_field(s, &Layout::vmap, l.frame), mask == all,
                            (y.frame_field(s, &Layout::slab_slots, l.frame) & mask) == mask);
          const bool range_refused = V.kva_direct_only && a >= L.frames();
          const expr refused =
              c.bool_val(range_refused) ||
              (c.bool_val(slots && V.kva_aligned && V.root[d] == KRoot::mirror && !V.trusted[d]) &&
               mask != all);
          const expr ok = y.kva(d) && !s[L.grant(d, a)] && l.present &&
                          y.use_of(s, l.frame) == y.use_val(kUseKdata) && allocated &&
                          !(in.prot_w && y.cpu_exec(s, l.frame));  // before refusals (§8.36)
          any = any || (here && ok);
          if (range_refused) continue;
          const expr grant = here && !refused;
          if (slots) y.put(L.grant_slots(d, a), grant, mask);
          y.put(L.grant(d, a), grant, y.yes());
          y.put(L.grant_frame(d, a), grant, l.frame);
          y.put(L.grant_w(d, a), grant, in.prot_w);
          if (V.root[d] == KRoot::mirror) {
            y.put(L.mirror(d, a), grant, y.yes());
            y.put(L.mirror_frame(d, a), grant, l.frame);
            y.put(L.mirror_w(d, a), grant, in.prot_w && l.w);
          }
        }
      pre = any;
      break;
    }
    case kKvaUnmap: {  // do_kva_unmap(): strict PASIDs also flush the mirror's IOTLB entry
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here = in.dev == y.dev_val(d) && in.addr == y.addr_val(a);
          if (known_false(here)) continue;  // concrete: another (device, address)
          any = any || (here && s[L.grant(d, a)]);
          y.put(L.grant(d, a), here, y.no());
          y.put(L.mirror(d, a), here, y.no());
          if (V.root[d] == KRoot::mirror) {  // the mirror's IOTLB and device-TLB entry
            y.put(L.iotlb(d, a), here, y.no());
            y.put(L.devtlb(d, a), here, y.no());
          }
        }
      pre = any;
      break;
    }
    case kEvictIotlb: {  // do_cache_evict(iotlb): exactly the 4 KiB entry at addr, or with
                         // page = 1 ("large": true) the block's large entry (§8.26)
      expr any = y.no();
      const expr large = in.page == c.bv_val(1, 1);
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here =
              in.dev == y.dev_val(d) && in.addr == y.addr_val(a) && y.evictable(d, y.cache_mode());
          if (known_false(here)) continue;  // concrete: another (device, address)
          any = any || (here && !large && s[L.iotlb(d, a)]);
          y.put(L.iotlb(d, a), here && !large, y.no());
          if (a >= L.frames()) continue;
          any = any || (here && large && s[L.iotlb_large(d)]);
          y.put(L.iotlb_large(d), here && large, y.no());
        }
      pre = any;
      break;
    }
    case kEvictPsc: {
      expr any = y.no();
      const expr direct = ult(in.addr, y.addr_val(L.frames()));
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d) && ult(in.addr, y.addr_val(L.addrs())) &&
                         y.evictable(d, y.cache_mode());
        any =
            any || (dev && direct && s[L.psc_direct(d)]) || (dev && !direct && s[L.psc_vmalloc(d)]);
        y.put(L.psc_direct(d), dev && direct, y.no());
        y.put(L.psc_vmalloc(d), dev && !direct, y.no());
      }
      pre = any;
      break;
    }
    case kEvictPasid: {  // page 0: RID_PASID, else the device's PASID
      const expr rid = in.page == c.bv_val(0, 1);
      pre = ite(
          rid,
          y.pick(
              s, [&](int d) { return L.rid_pasid_cached(d); }, L.devices(), in.dev, L.dev_bits()),
          y.pick(
              s, [&](int d) { return L.pasid_cached(d); }, L.devices(), in.dev, L.dev_bits()));
      for (int d = 0; d < L.devices(); ++d) {
        y.put(L.rid_pasid_cached(d), in.dev == y.dev_val(d) && rid, y.no());
        y.put(L.pasid_cached(d), in.dev == y.dev_val(d) && !rid, y.no());
      }
      break;
    }
    case kDmaMap: {  // do_dma_map(): a sub-page buffer of an untrusted device is bounced
      // With one slot per frame no buffer is sub-page. With 2, `page` is the slot and `table` the
      // bounce frame (swiotlb), which must be free when the map is bounced.
      const bool slots = L.slots() > 1;
      const expr vmap = y.frame_field(s, &Layout::vmap, f);
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d);
        const expr bounce = c.bool_val(slots && V.bounce && !V.trusted[d]) && !vmap;
        expr ok = s[L.iova_kind(d)] == y.iova_val(kIovaFree);
        if (slots) ok = ok && (!bounce || y.use_of(s, t) == y.use_val(kUseFree));
        any = any || (dev && ok);
        y.put(L.iova_kind(d), dev, y.iova_val(kIovaMapped));
        y.put(L.iova_w(d), dev, in.prot_w);
        if (!slots) {
          y.put(L.iova_frame(d), dev, f);
          continue;
        }
        y.take_frame(dev && bounce, t, kUseBounce);
        y.put(L.iova_frame(d), dev, ite(bounce, t, f));
        y.put(L.iova_bounced(d), dev, bounce);
        y.put(L.iova_orig_frame(d), dev, ite(bounce, f, y.frame_val(0)));
        y.put(L.iova_orig_slot(d), dev, ite(vmap && !bounce, c.bv_val(0, 1), p));
      }
      pre = any && y.use_of(s, f) == y.use_val(kUseKdata) && !(in.prot_w && y.cpu_exec(s, f));
      if (slots)
        pre = pre && (vmap || y.holds(y.frame_field(s, &Layout::slab_slots, f), y.slot_bit(p)));
      break;
    }
    case kDmaUnmap:   // do_dma_unmap(): strict domains flush now (inv_iova_page), lazy ones queue
    case kFqFlush: {  // do_fq_flush(): flush and free what is queued
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d);
        if (act == kDmaUnmap) {
          any = any || (dev && s[L.iova_kind(d)] == y.iova_val(kIovaMapped));
          if (V.lazy[d]) {  // queued: the bounce frame is freed at the flush
            y.put(L.iova_kind(d), dev, y.iova_val(kIovaQueued));
            if (L.slots() > 1) {
              y.put(L.iova_orig_frame(d), dev, y.frame_val(0));
              y.put(L.iova_orig_slot(d), dev, c.bv_val(0, 1));
            }
            continue;
          }
        } else {
          any = c.bool_val(true);
        }
        const expr go =
            dev && s[L.iova_kind(d)] == y.iova_val(act == kDmaUnmap ? kIovaMapped : kIovaQueued);
        for (int k = 0; k < 2; ++k) {  // inv_iova_page(): IOTLB and device TLB
          y.put(L.iotlb_iova(d, k), go, y.no());
          y.put(L.devtlb_iova(d, k), go, y.no());
        }
        y.put(L.iova_kind(d), go, y.iova_val(kIovaFree));
        if (L.slots() > 1)
          y.release_frame(go && s[L.iova_bounced(d)], s[L.iova_frame(d)], y.no(), y.no());
      }
      pre = any;
      break;
    }
    case kWalkIova: {  // do_iommu_walk(iova:0, priv=user) through RID_PASID or the PASID
      const expr rid = in.page == c.bv_val(0, 1);
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d);
        y.put(L.rid_pasid_cached(d), dev && rid, y.yes());
        y.fill_pasid_cache(d, dev && !rid);
        const expr iova_entry = rid || y.eff_is(d, kModeIova);
        for (int k = 0; k < 2; ++k) {  // an IOTLB hit ends the walk (§8.27)
          const expr fill = dev && (k == 0 ? rid : !rid) && iova_entry &&
                            s[L.iova_kind(d)] == y.iova_val(kIovaMapped) && !s[L.iotlb_iova(d, k)];
          y.put(L.iotlb_iova(d, k), fill, y.yes());
          y.put(L.iotlb_iova_frame(d, k), fill, s[L.iova_frame(d)]);
          y.put(L.iotlb_iova_w(d, k), fill, s[L.iova_w(d)]);
          y.put(L.iotlb_iova_freed(d, k), fill, y.no());
        }
      }
      break;
    }
    case kEvictIova: {
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d)
        for (int k = 0; k < 2; ++k) {
          // RID_PASID (k = 0) always has its present DMA-domain entry.
          const expr here = in.dev == y.dev_val(d) && in.page == c.bv_val(k, 1) &&
                            (k == 0 ? y.yes() : y.evictable(d, kModeIova));
          any = any || (here && s[L.iotlb_iova(d, k)]);
          y.put(L.iotlb_iova(d, k), here, y.no());
        }
      pre = any;
      break;
    }
    case kPasidDisable: {  // do_pasid_disable() -> teardown() (model/iommu_api.cpp, §8.9)
      pre = y.pick(
          s, [&](int d) { return L.pasid_enabled(d); }, L.devices(), in.dev, L.dev_bits());
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d);
        if (known_false(dev)) continue;          // concrete: another device
        y.put(L.pasid_enabled(d), dev, y.no());  // entry cleared, PASID freed
        if (V.free_first && V.root[d] == KRoot::mirror) {
          // §8.38: the mirror is freed; a cached copy of its entry keeps its last leaves.
          const expr freeze = dev && s[L.pasid_cached(d)] &&
                              s[L.pasid_cached_mode(d)] == y.mode_val(kModeKva) &&
                              !s[L.pasid_cached_frozen(d)];
          y.put(L.pasid_cached_frozen(d), freeze, y.yes());
          for (int a = 0; a < L.addrs(); ++a) {
            y.put(L.frozen_mirror(d, a), freeze, s[L.mirror(d, a)]);
            y.put(L.frozen_mirror_frame(d, a), freeze, s[L.mirror_frame(d, a)]);
            y.put(L.frozen_mirror_w(d, a), freeze, s[L.mirror_w(d, a)]);
          }
        }
        if (!V.free_first) {
          // inv_pasid_cache(), inv_iotlb_psc(did, pasid): every cached translation tagged with
          // the PASID has the entry's DID here (no copy outlives a full teardown in kcore).
          y.put(L.pasid_cached(d), dev, y.no());
          for (int j = 0; j < L.addrs(); ++j) y.put(L.iotlb(d, j), dev, y.no());
          y.put(L.iotlb_large(d), dev, y.no());
          y.put(L.psc_direct(d), dev, y.no());
          y.put(L.psc_vmalloc(d), dev, y.no());
          y.put(L.iotlb_iova(d, 1), dev, y.no());
          if (!V.no_devtlb) {  // inv_devtlb(dev, pasid)
            y.put(L.devtlb_iova(d, 1), dev, y.no());
            for (int q = 0; q < L.frames(); ++q) y.put(L.devtlb_phys(d, q), dev, y.no());
            for (int j = 0; j < L.addrs(); ++j) y.put(L.devtlb(d, j), dev, y.no());
          }
        }
        for (int a = 0; a < L.addrs(); ++a) {  // clear_kva(): grants and the strict mirror
          y.put(L.grant(d, a), dev, y.no());
          y.put(L.mirror(d, a), dev, y.no());
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
          y.n[L.mm_pasid()] == y.pasid_val(d + 1) ||
          (y.n[L.pasid_cached(d)] && y.n[L.pasid_cached_mode(d)] == y.mode_val(kModeSva));
      y.n[L.quiesced(d)] = y.n[L.quiesced(d)] && live;
    }
  }
  return {pre, y.n};
}

}  // namespace pasidcheck::solver::kcore::detail
