// The driver-facing IOMMU API actions of the kcore transition (model/iommu_api.cpp:
// pasid_enable and pasid_disable in the variant's teardown order, kva_map/kva_unmap with the
// strict mirror, dma_map/dma_unmap/fq_flush on the DMA domain's iova:0), generic over the term
// type as kcore/transition.h is, which calls this for them. Each case mirrors the op it names.
#pragma once

#include "solver/kcore/encoder.h"

namespace pasidcheck::solver::kcore::detail {

// Kernel PASIDs: pasid_enable, and pasid_disable in the variant's teardown order.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_pasid_act() {
  switch (act) {
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
    default:  // another group's (encode_iommu_api_act() dispatches)
      break;
  }
}

// KVA grants: kva_map (and the strict mirror), kva_unmap.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_kva_act() {
  switch (act) {
    case kKvaMap: {  // do_kva_map(): grant (and strict mirror leaf min(prot, CPU leaf))
      // With 2 slots the grant's slots are attr + 1 (1, 2 or both): all allocated, a vmalloc
      // frame only whole; kva_page_aligned_untrusted refuses part of a page for a strict,
      // untrusted PASID.
      const bool slots = L.slots() > 1;
      const expr all = c.bv_val(3, 2);
      const expr mask = ite(in.slot_mask() == c.bv_val(0, kAttrBits), c.bv_val(1, 2),
                            ite(in.slot_mask() == c.bv_val(1, kAttrBits), c.bv_val(2, 2), all));
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
    default:  // another group's (encode_iommu_api_act() dispatches)
      break;
  }
}

// The DMA API on iova:0: dma_map (swiotlb bounce), dma_unmap, fq_flush.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_dma_api_act() {
  switch (act) {
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
        if (slots) ok = ok && (!bounce || y.use_of(s, in.bounce_frame()) == y.use_val(kUseFree));
        any = any || (dev && ok);
        y.put(L.iova_kind(d), dev, y.iova_val(kIovaMapped));
        y.put(L.iova_w(d), dev, in.prot_w);
        if (!slots) {
          y.put(L.iova_frame(d), dev, f);
          continue;
        }
        y.take_frame(dev && bounce, in.bounce_frame(), kUseBounce);
        y.put(L.iova_frame(d), dev, ite(bounce, in.bounce_frame(), f));
        y.put(L.iova_bounced(d), dev, bounce);
        y.put(L.iova_orig_frame(d), dev, ite(bounce, f, y.frame_val(0)));
        y.put(L.iova_orig_slot(d), dev, ite(vmap && !bounce, c.bv_val(0, 1), in.slot()));
      }
      pre = any && y.use_of(s, f) == y.use_val(kUseKdata) && !(in.prot_w && y.cpu_exec(s, f));
      if (slots)
        pre = pre &&
              (vmap || y.holds(y.frame_field(s, &Layout::slab_slots, f), y.slot_bit(in.slot())));
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
    default:  // another group's (encode_iommu_api_act() dispatches)
      break;
  }
}

// An IOMMU-API action's precondition (`pre`: true so far); its updates go to y.n.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_iommu_api_act() {
  switch (act) {
    case kPasidEnable:
    case kPasidDisable:
      return encode_pasid_act();
    case kKvaMap:
    case kKvaUnmap:
      return encode_kva_act();
    case kDmaMap:
    case kDmaUnmap:
    case kFqFlush:
      return encode_dma_api_act();
    default:  // another family's (family_of() in kcore.h)
      return;
  }
}

}  // namespace pasidcheck::solver::kcore::detail
