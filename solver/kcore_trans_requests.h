// The device-request actions of the kcore transition: `iommu_walk`, `dma` and `ats_translate`
// of kernel addresses, `iova:0` and `phys:` (serve() in model/device.cpp: the PASID cache, an
// IOTLB hit, a stale PSC entry, else a walk; ATS fills the device TLB), `dma_translated`, and
// device-TLB evictions. Generic over the term type as kcore_trans.h is, which calls this for them.
#pragma once

#include "solver/kcore_sym.h"

namespace pasidcheck::solver::kcore::detail {

inline bool is_request_act(int act) {
  switch (act) {
    case kWalk:
    case kDmaKernel:
    case kAtsKernel:
    case kDmaIova:
    case kAtsIova:
    case kDmaPhys:
    case kAtsPhys:
    case kDmaTranslated:
    case kEvictDevtlbKernel:
    case kEvictDevtlbIova:
    case kEvictDevtlbPhys:
      return true;
    default:
      return false;
  }
}

// A device request's precondition (`pre`: true so far); its updates go to y.n.
template <class Ctx, class Vec>
typename Vec::value_type encode_request_act(Ctx& c, Sym<Ctx, Vec>& y,
                                            const InputOf<typename Vec::value_type>& in, int act,
                                            typename Vec::value_type pre) {
  using expr = typename Vec::value_type;
  const Layout& L = y.L;
  const Variant& V = y.V;
  const Vec& s = y.s;
  const expr f = in.frame;
  switch (act) {
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
    case kWalk:       // do_iommu_walk(): resolves as a request does, checks no permission (§8.27)
    case kDmaKernel:  // do_dma(): an IOTLB hit or a stale PSC entry first, else the walk
    case kAtsKernel: {  // do_ats_translate(): the same, and what it grants fills the device TLB
      const bool ats = act == kAtsKernel;
      pre = ult(in.addr, y.ad(L.addrs()));
      for (int d = 0; d < L.devices(); ++d) {
        if (ats && !V.ats[d]) continue;  // fault ats_disabled: nothing changes
        y.fill_pasid_cache(d, in.dev == y.dv(d));
        // Only the KVA root translates kernel addresses (a pass-through or DMA-domain entry:
        // no_translation, or sre_clear for a supervisor request).
        const expr dev = in.dev == y.dv(d) && y.eff_is(d, kModeKva);
        if (known_false(dev)) continue;  // concrete: another device, or not in KVA mode
        for (int a = 0; a < L.addrs(); ++a) {
          const expr g = dev && in.addr == y.ad(a);
          if (known_false(g)) continue;
          const bool direct = a < L.frames();
          expr granted = y.F(), frame = y.fr(0), w = y.F();
          if (V.root[d] == KRoot::mirror) {  // the mirror's leaf (mirror walks fill no PSC)
            // iotlb_lookup(): mirrors fill 4 KiB entries only.
            const expr hit = s[L.it(d, a)];
            const auto m = y.mirror_leaf(d, a);
            const expr walk = !hit && m.present;
            y.fill_iotlb(d, g && walk, a, m.frame, m.w, y.T());
            granted = hit || walk;
            frame = ite(hit, s[L.itf(d, a)], m.frame);
            w = ite(hit, s[L.itw(d, a)], m.w);
          } else if (V.root[d] == KRoot::kernel) {
            const auto r = y.serve_kernel(d, g, a);
            // A large leaf reaches the page's own frame; a reused table any frame (the op names
            // none: the table frame itself).
            const expr hit_frame = ite(r.exact, s[L.itf(d, a)], y.fr(direct ? a : 0));
            const expr hit_w = ite(r.exact, s[L.itw(d, a)], s[L.iotlb_large_w(d)]);
            const auto l = y.cpu_leaf(a);  // the leaf the walk reads (n == s for the leaf)
            const expr leaf = direct ? s[L.dp(a)] : s[L.gh()] && y.vpresent(s, a - L.frames());
            const expr table = direct ? s[L.pdt(d)] : s[L.pvt(d)];
            const expr via_psc = !r.hit && r.stale;
            granted = r.hit || (via_psc && (r.reused || r.frozen)) || (r.walk && leaf);
            frame = ite(r.hit, hit_frame,
                        ite(via_psc, ite(r.reused, table, y.fr(direct ? a : 0)), l.frame));
            w = ite(r.hit, hit_w, ite(via_psc, r.reused || s[L.pdzw(d)], l.w));
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
    default:
      break;
  }
  return pre;
}

}  // namespace pasidcheck::solver::kcore::detail
