// The device-side actions of the kcore transition (model/device.cpp): `iommu_walk`, `dma` and
// `ats_translate` of kernel addresses, `iova:0` and `phys:` (serve(): the PASID cache, an IOTLB
// hit, a stale PSC entry, else a walk; ATS fills the device TLB), `dma_translated`, and hardware
// evictions of IOTLB, PSC, PASID-cache and device-TLB entries. Generic over the term type as
// kcore/transition.h is, which calls this for them.
#pragma once

#include "solver/kcore/encoder.h"

namespace pasidcheck::solver::kcore::detail {

// Hardware evictions of IOTLB, PSC, PASID-cache and device-TLB entries.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_eviction_act() {
  switch (act) {
    case kEvictIotlb: {  // do_cache_evict(iotlb): exactly the 4 KiB entry at addr, or with
                         // page = 1 ("large": true) the block's large entry (§8.26)
      expr any = y.no();
      const expr large = in.large() == c.bv_val(1, 1);
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
      const expr rid = in.via_pasid() == c.bv_val(0, 1);
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
    case kEvictIova: {
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d)
        for (int k = 0; k < 2; ++k) {
          // RID_PASID (k = 0) always has its present DMA-domain entry.
          const expr here = in.dev == y.dev_val(d) && in.via_pasid() == c.bv_val(k, 1) &&
                            (k == 0 ? y.yes() : y.evictable(d, kModeIova));
          any = any || (here && s[L.iotlb_iova(d, k)]);
          y.put(L.iotlb_iova(d, k), here, y.no());
        }
      pre = any;
      break;
    }
    case kEvictDevtlbKernel: {  // do_cache_evict(devtlb): the device's entry for the address
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d)
        for (int a = 0; a < L.addrs(); ++a) {
          const expr here = in.dev == y.dev_val(d) && in.addr == y.addr_val(a);
          if (known_false(here)) continue;
          any = any || (here && s[L.devtlb(d, a)]);
          y.put(L.devtlb(d, a), here, y.no());
        }
      pre = any;
      break;
    }
    case kEvictDevtlbIova:
    case kEvictDevtlbPhys: {  // do_cache_evict(devtlb): the device's own entry
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d);
        if (act == kEvictDevtlbIova) {
          for (int k = 0; k < 2; ++k) {
            const expr here = dev && in.via_pasid() == c.bv_val(k, 1);
            any = any || (here && s[L.devtlb_iova(d, k)]);
            y.put(L.devtlb_iova(d, k), here, y.no());
          }
        } else {
          for (int q = 0; q < L.frames(); ++q) {
            const expr here = dev && f == y.frame_val(q);
            any = any || (here && s[L.devtlb_phys(d, q)]);
            y.put(L.devtlb_phys(d, q), here, y.no());
          }
        }
      }
      pre = pre && any;
      break;
    }
    default:  // another group's (encode_device_act() dispatches)
      break;
  }
}

// Requests of iova:0 and phys: (and the RID_PASID walk).
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_iova_phys_request_act() {
  switch (act) {
    case kWalkIova: {  // do_iommu_walk(iova:0, priv=user) through RID_PASID or the PASID
      const expr rid = in.via_pasid() == c.bv_val(0, 1);
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
    case kDmaIova:    // do_dma(iova:0): an IOTLB hit is used, else a walk fills it
    case kAtsIova: {  // do_ats_translate(iova:0): the same, and a granted translation fills the
                      // device TLB
      const bool ats = act == kAtsIova;
      const expr rid = in.via_pasid() == c.bv_val(0, 1);
      for (int d = 0; d < L.devices(); ++d) {
        if (ats && !V.ats[d]) continue;  // fault ats_disabled: nothing changes
        const expr dev = in.dev == y.dev_val(d);
        y.put(L.rid_pasid_cached(d), dev && rid, y.yes());
        y.fill_pasid_cache(d, dev && !rid);
        const expr iova_entry = rid || y.eff_is(d, kModeIova);
        for (int k = 0; k < 2; ++k) {
          const expr here = dev && (k == 0 ? rid : !rid) && iova_entry;
          const expr hit = here && s[L.iotlb_iova(d, k)];
          const expr fill =
              here && !s[L.iotlb_iova(d, k)] && s[L.iova_kind(d)] == y.iova_val(kIovaMapped);
          y.put(L.iotlb_iova(d, k), fill, y.yes());
          y.put(L.iotlb_iova_frame(d, k), fill, s[L.iova_frame(d)]);
          y.put(L.iotlb_iova_w(d, k), fill, s[L.iova_w(d)]);
          y.put(L.iotlb_iova_freed(d, k), fill, y.no());
          if (!ats) continue;
          const expr granted = (hit && (!in.prot_w || s[L.iotlb_iova_w(d, k)])) ||
                               (fill && (!in.prot_w || s[L.iova_w(d)]));
          y.put(L.devtlb_iova(d, k), granted, y.yes());
          y.put(L.devtlb_iova_frame(d, k), granted,
                ite(hit, s[L.iotlb_iova_frame(d, k)], s[L.iova_frame(d)]));
          y.put(L.devtlb_iova_w(d, k), granted, ite(hit, s[L.iotlb_iova_w(d, k)], s[L.iova_w(d)]));
          y.put(L.devtlb_iova_freed(d, k), granted, y.no());
        }
      }
      break;
    }
    case kDmaPhys:  // do_dma(phys:): pass-through fills only the PASID cache (§8.20)
    case kAtsPhys:  // do_ats_translate(phys:frame) through a pass-through PASID: frame, writable
      for (int d = 0; d < L.devices(); ++d) {
        if (act == kAtsPhys && !V.ats[d]) continue;  // fault ats_disabled: nothing changes
        const expr dev = in.dev == y.dev_val(d);
        y.fill_pasid_cache(d, dev);
        if (act == kDmaPhys) continue;
        for (int q = 0; q < L.frames(); ++q) {
          const expr g = dev && y.eff_is(d, kModeBypass) && f == y.frame_val(q);
          y.put(L.devtlb_phys(d, q), g, y.yes());
          y.put(L.devtlb_phys_freed(d, q), g, y.no());
        }
      }
      break;
    default:  // another group's (encode_device_act() dispatches)
      break;
  }
}

// Requests of kernel addresses through the KVA PASID, and translated requests.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_kernel_request_act() {
  switch (act) {
    // serve() (model/device.cpp) for kernel addresses through the device's PASID, supervisor:
    case kWalk:       // do_iommu_walk(): resolves as a request does, checks no permission (§8.27)
    case kDmaKernel:  // do_dma(): an IOTLB hit or a stale PSC entry first, else the walk
    case kAtsKernel: {  // do_ats_translate(): the same, and what it grants fills the device TLB
      const bool ats = act == kAtsKernel;
      pre = ult(in.addr, y.addr_val(L.addrs()));
      for (int d = 0; d < L.devices(); ++d) {
        if (ats && !V.ats[d]) continue;  // fault ats_disabled: nothing changes
        y.fill_pasid_cache(d, in.dev == y.dev_val(d));
        // Only the KVA root translates kernel addresses (a pass-through or DMA-domain entry:
        // no_translation, or sre_clear for a supervisor request).
        const expr dev = in.dev == y.dev_val(d) && y.eff_is(d, kModeKva);
        if (known_false(dev)) continue;  // concrete: another device, or not in KVA mode
        for (int a = 0; a < L.addrs(); ++a) {
          const expr g = dev && in.addr == y.addr_val(a);
          if (known_false(g)) continue;
          const bool direct = a < L.frames();
          expr granted = y.no(), frame = y.frame_val(0), w = y.no();
          if (V.root[d] == KRoot::mirror) {  // the mirror's leaf (mirror walks fill no PSC)
            // iotlb_lookup(): mirrors fill 4 KiB entries only.
            const expr hit = s[L.iotlb(d, a)];
            const auto m = y.mirror_leaf(d, a);
            const expr walk = !hit && m.present;
            y.fill_iotlb(d, g && walk, a, m.frame, m.w, y.yes());
            granted = hit || walk;
            frame = ite(hit, s[L.iotlb_frame(d, a)], m.frame);
            w = ite(hit, s[L.iotlb_w(d, a)], m.w);
          } else if (V.root[d] == KRoot::kernel) {
            const auto r = y.serve_kernel(d, g, a);
            // A large leaf reaches the page's own frame; a reused table any frame (the op names
            // none: the table frame itself).
            const expr hit_frame =
                ite(r.exact, s[L.iotlb_frame(d, a)], y.frame_val(direct ? a : 0));
            const expr hit_w = ite(r.exact, s[L.iotlb_w(d, a)], s[L.iotlb_large_w(d)]);
            const auto l = y.cpu_leaf(a);  // the leaf the walk reads (n == s for the leaf)
            const expr leaf = direct ? s[L.direct_present(a)]
                                     : s[L.vgroup_has_table()] && y.vpresent(s, a - L.frames());
            const expr table = direct ? s[L.psc_direct_table(d)] : s[L.psc_vmalloc_table(d)];
            const expr via_psc = !r.hit && r.stale;
            granted = r.hit || (via_psc && (r.reused || r.frozen)) || (r.walk && leaf);
            frame = ite(r.hit, hit_frame,
                        ite(via_psc, ite(r.reused, table, y.frame_val(direct ? a : 0)), l.frame));
            w = ite(r.hit, hit_w, ite(via_psc, r.reused || s[L.psc_direct_frozen_w(d)], l.w));
          }
          if (!ats) continue;
          const expr fill = g && granted;
          y.put(L.devtlb(d, a), fill, y.yes());
          y.put(L.devtlb_frame(d, a), fill, frame);
          y.put(L.devtlb_w(d, a), fill, y.wr(w));  // leaf_writable(): W, or any with WPE clear
          y.put(L.devtlb_freed(d, a), fill, y.no());
        }
      }
      break;
    }
    case kDmaTranslated: {  // do_dma_translated(): no state; a trusted ATS device is honest
      pre = y.yes();
      const expr rid = in.via_pasid() == c.bv_val(0, 1);
      for (int d = 0; d < L.devices(); ++d) {
        if (!V.ats[d] || !V.trusted[d]) continue;  // forged or ats_disabled: any frame
        // An entry of its device TLB for that PASID giving the frame (writable for a write).
        auto gives = [&](const expr& present, const expr& frame, const expr& w) {
          return present && frame == f && (!in.prot_w || w);
        };
        expr pasid_entries =
            gives(s[L.devtlb_iova(d, 1)], s[L.devtlb_iova_frame(d, 1)], s[L.devtlb_iova_w(d, 1)]) ||
            gives(s[L.devtlb_user(d)], s[L.devtlb_user_frame(d)], s[L.devtlb_user_w(d)]);
        for (int q = 0; q < L.frames(); ++q)
          pasid_entries = pasid_entries || gives(s[L.devtlb_phys(d, q)], y.frame_val(q), y.yes());
        for (int a = 0; a < L.addrs(); ++a)
          pasid_entries = pasid_entries ||
                          gives(s[L.devtlb(d, a)], s[L.devtlb_frame(d, a)], s[L.devtlb_w(d, a)]);
        const expr held = ite(
            rid,
            gives(s[L.devtlb_iova(d, 0)], s[L.devtlb_iova_frame(d, 0)], s[L.devtlb_iova_w(d, 0)]),
            pasid_entries);
        pre = pre && (in.dev != y.dev_val(d) || held);
      }
      break;
    }
    default:  // another group's (encode_device_act() dispatches)
      break;
  }
}

// A device request's precondition (`pre`: true so far); its updates go to y.n.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_device_act() {
  switch (act) {
    case kEvictIotlb:
    case kEvictPsc:
    case kEvictPasid:
    case kEvictIova:
    case kEvictDevtlbKernel:
    case kEvictDevtlbIova:
    case kEvictDevtlbPhys:
      return encode_eviction_act();
    case kWalkIova:
    case kDmaIova:
    case kAtsIova:
    case kDmaPhys:
    case kAtsPhys:
      return encode_iova_phys_request_act();
    case kWalk:
    case kDmaKernel:
    case kAtsKernel:
    case kDmaTranslated:
      return encode_kernel_request_act();
    default:  // another family's (family_of() in kcore.h)
      return;
  }
}

}  // namespace pasidcheck::solver::kcore::detail
