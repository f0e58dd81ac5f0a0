// The user-SVA actions of the kcore transition (the sva rows: mm 0, its page user:0, the
// binding on device d's PASID d+1, page requests and the kernel half's walks), generic over the
// term type as kcore/transition.h is, which calls this for them. Each case mirrors the executable
// op it names (model/user_mm.cpp, iommu_api.cpp, device.cpp).
#pragma once

#include "solver/kcore/encoder.h"

namespace pasidcheck::solver::kcore::detail {

// The mm's own ops: mm_create, mm_mmap, mm_map, mm_unmap, mm_protect, mm_exit, mm_drop.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_mm_act() {
  switch (act) {
    case kMmCreate:  // do_mm_create()
      pre = pre && s[L.mm_life()] == c.bv_val(0, 2);
      y.put(L.mm_life(), y.yes(), c.bv_val(1, 2));
      break;
    case kMmMmap:  // do_mm_mmap(): a vma, no page yet
      pre = pre && mm_alive() && user_page_is(0);
      y.put(L.user_page(), y.yes(), c.bv_val(1, 2));
      y.put(L.user_page_w(), y.yes(), in.prot_w);
      break;
    case kMmMap:  // do_mm_map(): populate with a free frame, then the SVA notifier
      pre = pre && mm_alive() && !user_page_is(2) && y.use_of(s, f) == y.use_val(kUseFree);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.take_frame(y.yes(), f, kUseUser);
      y.put(L.user_page(), y.yes(), c.bv_val(2, 2));
      y.put(L.user_page_w(), y.yes(), in.prot_w);
      y.put(L.user_page_frame(), y.yes(), f);
      y.sva_notify(y.yes());
      break;
    case kMmUnmap:  // do_mm_unmap(): zap (notifier), then free the page; the vma goes. A vma
                    // that was never populated just goes (§8.33).
      pre = pre && mm_alive() && !user_page_is(0);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.put(L.user_page(), y.yes(), c.bv_val(0, 2));
      y.put(L.user_page_w(), y.yes(), y.no());
      y.put(L.user_page_frame(), y.yes(), y.frame_val(0));
      y.sva_notify(user_page_is(2));
      y.release_frame(user_page_is(2), s[L.user_page_frame()], y.no(), y.no());
      break;
    case kMmProtect:  // do_mm_protect(): the notifier only for a present page
      pre = pre && mm_alive() && !user_page_is(0);
      y.put(L.user_page_w(), y.yes(), in.prot_w);
      y.sva_notify(user_page_is(2));
      break;
    case kMmExit: {  // do_mm_exit(): bound entries cleared with FPD, caches flushed, no drain
      pre = pre && mm_alive();
      if (known_false(pre)) break;  // refused: the caller drops the successor
      for (int d = 0; d < L.devices(); ++d) {
        const expr mine = s[L.mm_pasid()] == y.pasid_val(d + 1);
        const expr bound = mine && s[L.pasid_enabled(d)];
        y.put(L.pasid_fpd(d), bound, y.yes());
        y.put(L.pasid_cached(d), bound, y.no());
        y.put(L.devtlb_user(d), bound, y.no());  // inv_devtlb()
        // inv_iotlb_psc(kSvaDid, pasid): the SVA PASID's caches (the row's device's).
        for (int j = 0; j < L.addrs(); ++j) y.put(L.iotlb(d, j), mine, y.no());
        y.put(L.iotlb_large(d), mine, y.no());
        y.put(L.iotlb_user(d), mine, y.no());
        y.put(L.psc_direct(d), mine, y.no());
        y.put(L.psc_vmalloc(d), mine, y.no());
      }
      y.release_frame(user_page_is(2), s[L.user_page_frame()], y.no(), y.no());
      y.put(L.user_page(), y.yes(), c.bv_val(0, 2));
      y.put(L.user_page_w(), y.yes(), y.no());
      y.put(L.user_page_frame(), y.yes(), y.frame_val(0));
      y.put(L.mm_life(), y.yes(), c.bv_val(2, 2));
      break;
    }
    case kMmDrop: {  // do_mm_drop(): no binding left; the PASID goes back (requests go stale)
      pre = pre && s[L.mm_life()] == c.bv_val(2, 2);
      for (int d = 0; d < L.devices(); ++d) {
        const expr mine = s[L.mm_pasid()] == y.pasid_val(d + 1);
        pre = pre && !(mine && s[L.pasid_enabled(d)]);
        y.put(L.page_request_stale(d), mine && s[L.page_request(d)], y.yes());  // free_pasid()
      }
      y.put(L.mm_life(), y.yes(), c.bv_val(0, 2));
      y.put(L.mm_pasid(), y.yes(), y.pasid_val(0));
      break;
    }
    default:  // another group's (encode_user_sva_act() dispatches)
      break;
  }
}

// The binding: sva_bind, sva_unbind, iopf_handle, device_quiesce.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_binding_act() {
  switch (act) {
    case kSvaBind:      // do_sva_bind(dev, mm 0, pasid=dev+1): refused variants stutter
    case kSvaUnbind: {  // do_sva_unbind() -> teardown(free_it=false): the mm keeps the PASID
      expr ok = y.no();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d);
        if (known_false(dev)) continue;  // concrete: another device
        const expr mine = s[L.mm_pasid()] == y.pasid_val(d + 1);
        if (act == kSvaBind) {
          // The mm's PASID is this device's, or none yet (then PASID d+1 is free: only the mm
          // takes it in the sva rows); the device is not bound already. These preconditions come
          // before the variant's refusal (§8.36).
          const bool can = V.sva_bind_ok[d];
          ok = ok || (dev && mm_alive() && (mine || s[L.mm_pasid()] == y.pasid_val(0)) &&
                      !s[L.pasid_enabled(d)]);
          if (!can) continue;
          y.put(L.mm_pasid(), dev, y.pasid_val(d + 1));
          y.put(L.pasid_enabled(d), dev, y.yes());
          y.put(L.pasid_mode(d), dev, y.mode_val(kModeSva));
          y.put(L.pasid_fpd(d), dev, y.no());
          y.put(L.quiesced(d), dev, y.no());
          continue;
        }
        ok = ok || (dev && mine && s[L.pasid_enabled(d)]);
        y.put(L.quiesced(d), dev, y.yes());  // teardown(): quiesce, clear the entry, unbind
        y.put(L.pasid_enabled(d), dev, y.no());
        if (!V.free_first) {
          y.put(L.pasid_cached(d), dev,
                y.no());  // inv_pasid_cache(), inv_iotlb_psc(kSvaDid, pasid)
          for (int j = 0; j < L.addrs(); ++j) y.put(L.iotlb(d, j), dev, y.no());
          y.put(L.iotlb_large(d), dev, y.no());
          y.put(L.iotlb_user(d), dev, y.no());
          y.put(L.psc_direct(d), dev, y.no());
          y.put(L.psc_vmalloc(d), dev, y.no());
          if (!V.no_devtlb) y.put(L.devtlb_user(d), dev, y.no());  // inv_devtlb()
          if (!V.no_drain) y.put(L.page_request(d), dev, y.no());  // drain_prq()
        }
      }
      pre = pre && ok;
      break;
    }
    case kIopfHandle: {  // do_iopf_handle(dev, pasid=dev+1, group 0, frame)
      expr ok = y.no();
      for (int d = 0; d < L.devices(); ++d) {
        const expr dev = in.dev == y.dev_val(d);
        if (known_false(dev)) continue;  // concrete: another device
        // The vma is looked up in the PASID's current owner: the mm, while mm_alive().
        const expr owner = mm_alive() && s[L.mm_pasid()] == y.pasid_val(d + 1);
        const expr populate =
            dev && owner && user_page_is(1) && (!s[L.page_request_write(d)] || s[L.user_page_w()]);
        ok = ok ||
             (dev && s[L.page_request(d)] && !(populate && y.use_of(s, f) != y.use_val(kUseFree)));
        y.take_frame(populate, f, kUseUser);
        y.put(L.user_page(), populate, c.bv_val(2, 2));
        y.put(L.user_page_frame(), populate, f);
        y.put(L.bad_response(), dev, s[L.page_request_stale(d)]);  // answering a stale request
        y.put(L.page_request(d), dev, y.no());
      }
      pre = pre && ok;
      break;
    }
    case kDeviceQuiesce:  // do_device_quiesce(dev, pasid=dev+1)
      for (int d = 0; d < L.devices(); ++d) y.put(L.quiesced(d), in.dev == y.dev_val(d), y.yes());
      break;
    default:  // another group's (encode_user_sva_act() dispatches)
      break;
  }
}

// Requests through the SVA PASID, and their cache evictions.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_user_request_act() {
  switch (act) {
    case kDmaUser:     // do_dma(user:0, priv=user): IOTLB hit, else a walk, else a page request
    case kAtsUser:     // do_ats_translate(user:0): the same, and a granted translation fills the
                       // device TLB (fill_devtlb()); ATS off: fault ats_disabled, nothing changes
    case kWalkUser: {  // do_iommu_walk(kernel addr, priv=user): the kernel half of SVA
      if (act == kWalkUser) pre = pre && ult(in.addr, y.addr_val(L.addrs()));
      for (int d = 0; d < L.devices(); ++d) {
        if (act == kAtsUser && !V.ats[d]) continue;
        y.fill_pasid_cache(d, in.dev == y.dev_val(d));
        const expr dev = in.dev == y.dev_val(d) && y.eff_is(d, kModeSva);
        if (known_false(dev)) continue;  // concrete: another device, or no SVA entry
        if (act == kWalkUser) {          // resolves as a request does (§8.27)
          for (int a = 0; a < L.addrs(); ++a) {
            const expr g = dev && in.addr == y.addr_val(a);
            if (!known_false(g)) y.serve_kernel(d, g, a);
          }
          continue;
        }
        const expr walk = dev && !s[L.iotlb_user(d)];
        const expr mapped = walk && user_page_is(2);
        y.put(L.iotlb_user(d), mapped, y.yes());
        y.put(L.iotlb_user_frame(d), mapped, s[L.user_page_frame()]);
        y.put(L.iotlb_user_w(d), mapped, s[L.user_page_w()]);
        y.put(L.iotlb_user_freed(d), mapped, y.no());
        if (act == kAtsUser) {  // check_leaf(): a write to a read-only leaf is denied
          const expr hit = dev && s[L.iotlb_user(d)];
          const expr granted = (hit && (!in.prot_w || s[L.iotlb_user_w(d)])) ||
                               (mapped && (!in.prot_w || s[L.user_page_w()]));
          y.put(L.devtlb_user(d), granted, y.yes());
          y.put(L.devtlb_user_frame(d), granted,
                ite(hit, s[L.iotlb_user_frame(d)], s[L.user_page_frame()]));
          y.put(L.devtlb_user_w(d), granted, ite(hit, s[L.iotlb_user_w(d)], s[L.user_page_w()]));
          y.put(L.devtlb_user_freed(d), granted, y.no());
        }
        // raise_prq() (§8.23): PRI, not quiesced, fewer than prq_depth (1) outstanding.
        const expr raise = walk && !user_page_is(2) && c.bool_val(V.pri[d]) && !s[L.quiesced(d)] &&
                           !s[L.page_request(d)];
        y.put(L.page_request(d), raise, y.yes());
        y.put(L.page_request_write(d), raise, in.prot_w);
        y.put(L.page_request_stale(d), raise, y.no());
      }
      break;
    }
    case kEvictDevtlb: {  // do_cache_evict(devtlb, user:0): the device's own entry
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d) {
        const expr here = in.dev == y.dev_val(d);
        any = any || (here && s[L.devtlb_user(d)]);
        y.put(L.devtlb_user(d), here, y.no());
      }
      pre = pre && any;
      break;
    }
    case kEvictUser: {  // do_cache_evict(iotlb, user:0) under the effective entry's DID
      expr any = y.no();
      for (int d = 0; d < L.devices(); ++d) {
        const expr here = in.dev == y.dev_val(d) && y.evictable(d, kModeSva);
        any = any || (here && s[L.iotlb_user(d)]);
        y.put(L.iotlb_user(d), here, y.no());
      }
      pre = pre && any;
      break;
    }
    default:  // another group's (encode_user_sva_act() dispatches)
      break;
  }
}

// An SVA action's precondition (`pre`: the row's device check so far); its updates go to y.n.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_user_sva_act() {
  switch (act) {
    case kMmCreate:
    case kMmMmap:
    case kMmMap:
    case kMmUnmap:
    case kMmProtect:
    case kMmExit:
    case kMmDrop:
      return encode_mm_act();
    case kSvaBind:
    case kSvaUnbind:
    case kIopfHandle:
    case kDeviceQuiesce:
      return encode_binding_act();
    case kDmaUser:
    case kAtsUser:
    case kWalkUser:
    case kEvictDevtlb:
    case kEvictUser:
      return encode_user_request_act();
    default:
      pre = c.bool_val(false);
  }
}

}  // namespace pasidcheck::solver::kcore::detail
