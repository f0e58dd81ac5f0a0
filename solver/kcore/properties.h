// The kcore properties, the registry's ten (properties/registry.cpp), one function each, encoded
// from properties/*.cpp over a symbolic capability(); generic over the term type like the
// transition (kcore/transition.h).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "model/input_error.h"
#include "solver/kcore/sym.h"

namespace pasidcheck::solver::kcore::detail {

// One entry of capability() (properties/capability.cpp) for a device: the frames it covers,
// whether it writes, whether it goes through a translation cached before its frame was freed,
// and whether its root is one the confined paths use (reach_properties.cpp confined_root(): the
// DMA domain, strict mirrors and SVA).
template <class Term>
struct SymReach {
  Term on;
  std::vector<Term> frames;  // per frame: covered
  Term write;
  Term freed;
  bool confined = false;
  bool supervisor = false;  // through the PASID's KVA root (SRE=1): supervisor requests reach it
  bool via_pasid = true;    // through the device's PASID (not RID_PASID, not forged)
  bool any = false;         // any frame at all (a reused table frame: capability's any_frame)
};

template <class Ctx, class Vec>
std::vector<SymReach<typename Vec::value_type>> reaches(Ctx& c, const Variant& V, const Vec& s,
                                                        int d) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  std::vector<SymReach<expr>> out;
  auto frames_if = [&](const auto& in) {
    std::vector<expr> f;
    for (int i = 0; i < L.frames(); ++i) f.push_back(in(i));
    return f;
  };
  const auto all = frames_if([&](int) { return y.yes(); });
  auto one = [&](const expr& frame) {
    return frames_if([&](int i) { return frame == y.frame_val(i); });
  };
  if (V.forged[d]) {  // forged translated requests: no PASID context
    out.push_back({y.yes(), all, y.yes(), y.no()});
    out.back().via_pasid = false;
  }
  // Pass-through: any frame, writable, for user requests (SRE is clear). Requests use the
  // effective entry (the PASID-cache copy first).
  out.push_back({y.eff_is(d, kModeBypass), all, y.yes(), y.no()});
  const bool dma = true, mirror = V.root[d] == KRoot::mirror;  // confined roots
  // The DMA domain (user requests, U=1 leaves): through RID_PASID always, and through the PASID in
  // iova mode; IOTLB entries and the fresh walk of iova:0 (mapped, not queued).
  const expr iova_pasid = y.eff_is(d, kModeIova);
  for (int k = 0; k < 2; ++k) {
    const expr entry = k == 0 ? y.yes() : iova_pasid;
    out.push_back({entry && s[L.iotlb_iova(d, k)], one(s[L.iotlb_iova_frame(d, k)]),
                   s[L.iotlb_iova_w(d, k)], s[L.iotlb_iova_freed(d, k)], dma});
    out.push_back({entry && s[L.iova_kind(d)] == y.iova_val(kIovaMapped), one(s[L.iova_frame(d)]),
                   s[L.iova_w(d)], y.no(), dma});
    if (k == 0) out[out.size() - 2].via_pasid = out.back().via_pasid = false;  // RID_PASID
  }
  // device_reaches(): a device with ATS uses its device TLB whatever the PASID entry says now:
  // iova:0 entries (the DMA domain: confined; RID_PASID's carry no PASID), phys: entries
  // (pass-through: any frame named, writable).
  if (V.ats[d]) {
    for (int k = 0; k < 2; ++k) {
      out.push_back({s[L.devtlb_iova(d, k)], one(s[L.devtlb_iova_frame(d, k)]),
                     s[L.devtlb_iova_w(d, k)], s[L.devtlb_iova_freed(d, k)], true});
      out.back().via_pasid = k == 1;
    }
    for (int q = 0; q < L.frames(); ++q)
      out.push_back(
          {s[L.devtlb_phys(d, q)], one(y.frame_val(q)), y.yes(), s[L.devtlb_phys_freed(d, q)]});
    // Kernel addresses (supervisor requests through the KVA root: a strict mirror is confined).
    for (int j = 0; j < L.addrs() && !V.sva; ++j) {
      out.push_back({s[L.devtlb(d, j)], one(s[L.devtlb_frame(d, j)]), s[L.devtlb_w(d, j)],
                     s[L.devtlb_freed(d, j)], V.root[d] == KRoot::mirror});
      out.back().supervisor = true;
    }
  }
  // Stale PSC entries of a kernel-table walker (fast KVA, init_mm, SVA's kernel half), under
  // effective entry `on`: a reused table frame reaches any frame; a freed one its frozen leaves,
  // which only supervisor requests may use (U=0), so never through SVA (SRE clear).
  const expr pd_stale =
      s[L.psc_direct(d)] && !(s[L.block_split()] && s[L.block_table()] == s[L.psc_direct_table(d)]);
  const expr pv_stale = s[L.psc_vmalloc(d)] && !(s[L.vgroup_has_table()] &&
                                                 s[L.vgroup_table()] == s[L.psc_vmalloc_table(d)]);
  auto stale_psc = [&](const expr& on, bool confined, bool frozen) {
    out.push_back({on && pd_stale && s[L.psc_direct_reused(d)], all, y.yes(), y.no(), confined});
    out.back().any = true;
    if (frozen)
      out.push_back(
          {on && pd_stale && !s[L.psc_direct_reused(d)] && s[L.psc_direct_frozen_present(d)], all,
           y.wr(s[L.psc_direct_frozen_w(d)]), y.yes()});
    out.push_back({on && pv_stale && s[L.psc_vmalloc_reused(d)], all, y.yes(), y.no(), confined});
    out.back().any = true;
  };
  if (V.sva) {  // user SVA: user requests, U=1 leaves of user:0 only (SRE is clear)
    const expr on = y.eff_is(d, kModeSva);
    out.push_back({on && s[L.iotlb_user(d)], one(s[L.iotlb_user_frame(d)]), s[L.iotlb_user_w(d)],
                   s[L.iotlb_user_freed(d)], true});
    out.push_back({on && s[L.user_page()] == c.bv_val(2, 2), one(s[L.user_page_frame()]),
                   s[L.user_page_w()], y.no(), true});
    stale_psc(on, true, false);
    // device_reaches(): a trusted ATS device's translated requests use its device TLB, whatever
    // the PASID entry says now (an untrusted one forges any frame: above).
    if (V.ats[d])
      out.push_back({s[L.devtlb_user(d)], one(s[L.devtlb_user_frame(d)]), s[L.devtlb_user_w(d)],
                     s[L.devtlb_user_freed(d)], true});
    return out;
  }
  if (V.root[d] == KRoot::refused) return out;
  const expr en = y.eff_is(d, kModeKva);
  const auto first_kva = out.size();
  for (int j = 0; j < L.addrs(); ++j)  // IOTLB entries of the device's PASID (supervisor)
    out.push_back({en && s[L.iotlb(d, j)], one(s[L.iotlb_frame(d, j)]), y.wr(s[L.iotlb_w(d, j)]),
                   s[L.iotlb_freed(d, j)], mirror});
  // The block's large entry (the whole block).
  out.push_back({en && s[L.iotlb_large(d)], all, y.wr(s[L.iotlb_large_w(d)]),
                 s[L.iotlb_large_freed(d)], mirror});
  if (V.root[d] == KRoot::mirror) {  // the mirror's leaves (mirror walks fill no PSC), or a
                                     // freed mirror's through its cached copy (§8.38)
    for (int j = 0; j < L.addrs(); ++j) {
      const auto m = y.mirror_leaf(d, j);
      out.push_back({en && m.present, one(m.frame), y.wr(m.w), y.no(), mirror});
    }
  } else {
    stale_psc(en, false, true);
    // Fresh walks of the kernel table: split leaves, or the large leaf once (at its first page).
    for (int q = 0; q < L.frames(); ++q)
      out.push_back({en && s[L.block_split()] && s[L.direct_present(q)], one(y.frame_val(q)),
                     y.wr(s[L.direct_w(q)]), y.no()});
    out.push_back(
        {en && !s[L.block_split()] && s[L.direct_present(0)], all, y.wr(s[L.direct_w(0)]), y.no()});
    for (int q = 0; q < kVpages; ++q)
      out.push_back({en && s[L.vgroup_has_table()] && y.vpresent(s, q), one(s[L.vmalloc_frame(q)]),
                     y.wr(s[L.vmalloc_w(q)]), y.no()});
  }
  for (auto i = first_kva; i < out.size(); ++i) out[i].supervisor = true;
  return out;
}

// A device-writable frame in a set: no-wx-dma (CPU-executable), pt-integrity (page tables).
template <class Ctx, class Vec>
typename Vec::value_type writes_any(Ctx& c, const Variant& V, const Vec& s,
                                    const std::vector<typename Vec::value_type>& target) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  expr v = c.bool_val(false);
  for (int d = 0; d < L.devices(); ++d)
    for (const auto& r : reaches(c, V, s, d))
      for (int f = 0; f < L.frames(); ++f) v = v || (r.on && r.write && r.frames[f] && target[f]);
  return v;
}

// no-wx-dma: check_no_wx_dma()
template <class Ctx, class Vec>
typename Vec::value_type bad_no_wx_dma(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  std::vector<expr> exec;
  for (int f = 0; f < L.frames(); ++f) exec.push_back(y.cpu_exec(s, y.frame_val(f)));
  return writes_any(c, V, s, exec);
}

// pt-integrity: check_pt_integrity(): kpt frames (kcore has no IOMMU tables)
template <class Ctx, class Vec>
typename Vec::value_type bad_pt_integrity(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  std::vector<expr> kpt;
  for (int f = 0; f < L.frames(); ++f) kpt.push_back(s[L.use(f)] == y.use_val(kUseKpt));
  return writes_any(c, V, s, kpt);
}

// untrusted-confined: check_untrusted_confined(): within live grants, never freed
template <class Ctx, class Vec>
typename Vec::value_type bad_untrusted_confined(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  // Every slot of a reached frame must be granted (for writing if the reach writes); with one
  // slot per frame, the frame.
  expr v = c.bool_val(false);
  const int slots = L.slots();
  for (int d = 0; d < L.devices(); ++d) {
    if (V.trusted[d]) continue;
    for (const auto& r : reaches(c, V, s, d))
      for (int f = 0; f < L.frames(); ++f) {
        expr outside = c.bool_val(false);
        for (int slot = 0; slot < slots; ++slot) {
          const expr bit = c.bv_val(1 << slot, 2);
          expr gr = c.bool_val(false), gw = c.bool_val(false);
          for (int a = 0; a < L.addrs(); ++a) {
            const expr slot_granted = slots == 1 ? y.yes() : y.holds(s[L.grant_slots(d, a)], bit);
            const expr mine =
                s[L.grant(d, a)] && s[L.grant_frame(d, a)] == y.frame_val(f) && slot_granted;
            gr = gr || mine;
            gw = gw || (mine && s[L.grant_w(d, a)]);
          }
          const expr slot_mapped = slots == 1 ? y.yes() : y.holds(y.iova_slots(s, d), bit);
          const expr mapped = s[L.iova_kind(d)] == y.iova_val(kIovaMapped) &&
                              s[L.iova_frame(d)] == y.frame_val(f) && slot_mapped;  // live_grants()
          gr = gr || mapped;
          gw = gw || (mapped && s[L.iova_w(d)]);
          if (V.sva) {  // the bound mm's present page
            const expr user = s[L.pasid_enabled(d)] && s[L.pasid_mode(d)] == y.mode_val(kModeSva) &&
                              s[L.mm_pasid()] == y.pasid_val(d + 1) &&
                              s[L.user_page()] == c.bv_val(2, 2) &&
                              s[L.user_page_frame()] == y.frame_val(f);
            gr = gr || user;
            gw = gw || (user && s[L.user_page_w()]);
          }
          outside = outside || !gr || (r.write && !gw);
        }
        v = v || (r.on && r.frames[f] && (r.freed || outside));
      }
  }
  return v;
}

// kva-mirror-exact: check_kva_mirror_exact(): strict mirrors follow the CPU
template <class Ctx, class Vec>
typename Vec::value_type bad_kva_mirror_exact(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  expr v = c.bool_val(false);
  for (int d = 0; d < L.devices(); ++d)
    for (int j = 0; j < L.addrs(); ++j) {
      const expr mr = s[L.mirror(d, j)], mw = s[L.mirror_w(d, j)];
      if (j >= L.frames()) {  // outside the direct map
        v = v || mr;
        continue;
      }
      v = v ||
          (mr && (!s[L.direct_present(j)] || s[L.mirror_frame(d, j)] != y.frame_val(j) ||
                  (mw && !s[L.direct_w(j)]) || !s[L.grant(d, j)] || (mw && !s[L.grant_w(d, j)])));
    }
  return v;
}

// no-stale-iotlb: check_no_stale_iotlb(): cached permissions within the tables'
template <class Ctx, class Vec>
typename Vec::value_type bad_no_stale_iotlb(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  expr v = c.bool_val(false);
  for (int d = 0; d < L.devices(); ++d) {
    // The current entry walks the KVA root, or (sva rows) is the SVA PASID's.
    const expr en = V.sva ? y.entry_is(d, kModeSva) : y.kva(d);
    // SVA's kernel-half IOTLB entries are U=0 leaves under SRE=0: they grant nothing (§8.17).
    for (int j = 0; j < L.addrs() && !V.sva; ++j) {
      auto direct_now = [&](int q, int f, bool w) {  // walk of direct:q (large or split)
        const expr perm = s[L.direct_present(q)] && (w ? y.wr(s[L.direct_w(q)]) : c.bool_val(true));
        return en && perm && (!s[L.block_split()] || c.bool_val(q == f));
      };
      // now(f, w): the current walk of the entry's span permits frame f (for writing if w): the
      // strict mirror's leaf, the vmalloc leaf, or the direct map's.
      auto now = [&, d, j](int f, bool w) {
        if (V.root[d] == KRoot::mirror)
          return en && s[L.mirror(d, j)] && s[L.mirror_frame(d, j)] == y.frame_val(f) &&
                 (w ? y.wr(s[L.mirror_w(d, j)]) : c.bool_val(true));
        if (j >= L.frames()) {
          const int q = j - L.frames();
          return en && s[L.vgroup_has_table()] && y.vpresent(s, q) &&
                 s[L.vmalloc_frame(q)] == y.frame_val(f) &&
                 (w ? y.wr(s[L.vmalloc_w(q)]) : c.bool_val(true));
        }
        return direct_now(j, f, w);
      };
      expr stale = c.bool_val(false);
      for (int f = 0; f < L.frames(); ++f) {
        const expr in_span = s[L.iotlb_frame(d, j)] == y.frame_val(f);
        for (bool w : {false, true}) {
          const expr had = in_span && (w ? y.wr(s[L.iotlb_w(d, j)]) : c.bool_val(true));
          const expr covered = now(f, w);
          stale = stale || (had && !covered);
        }
      }
      v = v || (s[L.iotlb(d, j)] && stale);
      if (j > 0 || V.root[d] == KRoot::mirror) continue;
      // The block's large entry (§8.26), against the walks of every page of the block now.
      expr large_stale = c.bool_val(false);
      for (int f = 0; f < L.frames(); ++f)
        for (bool w : {false, true}) {
          const expr had = w ? y.wr(s[L.iotlb_large_w(d)]) : c.bool_val(true);
          expr span_now = c.bool_val(false);
          for (int q = 0; q < L.frames(); ++q) span_now = span_now || direct_now(q, f, w);
          large_stale = large_stale || (had && !span_now);
        }
      v = v || (s[L.iotlb_large(d)] && large_stale);
    }
    // Device-TLB entries of kernel addresses, against the current entry's walk (not a cached
    // copy): the same frame, and W only where the leaf allows it now.
    for (int j = 0; j < L.addrs() && V.ats[d] && !V.sva; ++j) {
      const expr f = s[L.devtlb_frame(d, j)], w = s[L.devtlb_w(d, j)];
      expr covered = y.kva(d);
      if (V.root[d] == KRoot::mirror)
        covered = covered && s[L.mirror(d, j)] && s[L.mirror_frame(d, j)] == f &&
                  (!w || y.wr(s[L.mirror_w(d, j)]));
      else if (j < L.frames())  // the page's own frame, large block or split
        covered = covered && s[L.direct_present(j)] && f == y.frame_val(j) &&
                  (!w || y.wr(s[L.direct_w(j)]));
      else
        covered = covered && s[L.vgroup_has_table()] && y.vpresent(s, j - L.frames()) &&
                  s[L.vmalloc_frame(j - L.frames())] == f &&
                  (!w || y.wr(s[L.vmalloc_w(j - L.frames())]));
      v = v || (s[L.devtlb(d, j)] && !covered);
    }
    // The DMA domain's entries, unless exempt: a trusted lazy device's queued page (§8.9).
    const bool may_exempt = V.trusted[d] && V.lazy[d];
    const expr exempt = c.bool_val(may_exempt) && s[L.iova_kind(d)] == y.iova_val(kIovaQueued);
    for (int k = 0; k < 2; ++k) {
      const expr entry =
          k == 0 ? y.yes() : (s[L.pasid_enabled(d)] && s[L.pasid_mode(d)] == y.mode_val(kModeIova));
      const expr mapped =
          entry && s[L.iova_kind(d)] == y.iova_val(kIovaMapped);  // the walk of iova:0 now
      const expr covered = mapped && s[L.iova_frame(d)] == s[L.iotlb_iova_frame(d, k)] &&
                           (!s[L.iotlb_iova_w(d, k)] || s[L.iova_w(d)]);
      v = v || (s[L.iotlb_iova(d, k)] && !exempt && !covered);
      // The device-TLB entry of iova:0, against the same entry and walk (and exemption).
      const expr dcovered = mapped && s[L.iova_frame(d)] == s[L.devtlb_iova_frame(d, k)] &&
                            (!s[L.devtlb_iova_w(d, k)] || s[L.iova_w(d)]);
      if (V.ats[d]) v = v || (s[L.devtlb_iova(d, k)] && !exempt && !dcovered);
    }
    // Pass-through device-TLB entries: only a present pass-through entry covers them.
    for (int q = 0; q < L.frames() && V.ats[d]; ++q)
      v = v || (s[L.devtlb_phys(d, q)] && !y.entry_is(d, kModeBypass));
    if (V.sva) {
      // The SVA PASID's entry for user:0: the current walk maps the same frame, as writable;
      // and its device-TLB entry, against the current entry (not a cached copy).
      const expr mapped = en && s[L.user_page()] == c.bv_val(2, 2);
      v = v ||
          (s[L.iotlb_user(d)] && !(mapped && s[L.user_page_frame()] == s[L.iotlb_user_frame(d)] &&
                                   (!s[L.iotlb_user_w(d)] || s[L.user_page_w()])));
      v = v ||
          (s[L.devtlb_user(d)] && !(mapped && s[L.user_page_frame()] == s[L.devtlb_user_frame(d)] &&
                                    (!s[L.devtlb_user_w(d)] || s[L.user_page_w()])));
    }
    if (y.kernel_walker(d)) {
      v = v || (s[L.psc_direct(d)] &&
                !(en && s[L.block_split()] && s[L.block_table()] == s[L.psc_direct_table(d)]));
      v = v || (s[L.psc_vmalloc(d)] && !(en && s[L.vgroup_has_table()] &&
                                         s[L.vgroup_table()] == s[L.psc_vmalloc_table(d)]));
    }
    // The PASID-cache copy grants more than the current entry: there is none, or it has
    // another root (each mode has its own root, DID and SRE in kcore), or it points at a
    // freed mirror (§8.38).
    v = v || (s[L.pasid_cached(d)] &&
              (!y.present(d) || s[L.pasid_cached_mode(d)] != s[L.pasid_mode(d)] ||
               s[L.pasid_cached_frozen(d)]));
  }
  return v;
}

// no-dma-to-freed: check_no_dma_to_freed(): confined paths reach no free frame
template <class Ctx, class Vec>
typename Vec::value_type bad_no_dma_to_freed(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  // (and no frame freed since a translation was cached).
  expr v = c.bool_val(false);
  for (int d = 0; d < L.devices(); ++d)
    for (const auto& r : reaches(c, V, s, d)) {
      if (!r.confined) continue;
      if (r.any) v = v || r.on;  // a reused table frame: any frame at all
      for (int f = 0; f < L.frames(); ++f)
        v = v || (r.on && r.frames[f] && (r.freed || s[L.use(f)] == y.use_val(kUseFree)));
    }
  // §8.22: a bound SVA PASID's PSC entry whose table frame was freed since it was cached.
  for (int d = 0; d < L.devices() && V.sva; ++d)
    v = v || (s[L.pasid_enabled(d)] && ((s[L.psc_direct(d)] && s[L.psc_direct_freed(d)]) ||
                                        (s[L.psc_vmalloc(d)] && s[L.psc_vmalloc_freed(d)])));
  return v;
}

// trust-gating: check_trust_gating(): what an untrusted device may never get
template <class Ctx, class Vec>
typename Vec::value_type bad_trust_gating(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  expr v = c.bool_val(false);
  for (int d = 0; d < L.devices(); ++d) {
    if (V.trusted[d]) continue;
    // ATS, a lazy domain (static), or a PASID-table entry or its PASID-cache copy (§8.34)
    // that passes through or shares the CPU kernel table.
    v = v || c.bool_val(V.forged[d] || V.lazy[d]);
    v = v || y.eff_is(d, kModeBypass) || y.entry_is(d, kModeBypass);
    if (V.root[d] == KRoot::kernel) v = v || y.eff_is(d, kModeKva) || y.entry_is(d, kModeKva);
  }
  return v;
}

// pasid-lifecycle: check_pasid_lifecycle(): a free PASID is named by nothing
template <class Ctx, class Vec>
typename Vec::value_type bad_pasid_lifecycle(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  // Device d's PASID d+1 is free exactly when it is not enabled and the mm does not own it; no
  // other device names it.
  expr v = c.bool_val(false);
  for (int d = 0; d < L.devices(); ++d) {
    expr named =
        s[L.pasid_cached(d)] || s[L.psc_direct(d)] || s[L.psc_vmalloc(d)] || s[L.iotlb_iova(d, 1)];
    for (int j = 0; j < L.addrs(); ++j) named = named || s[L.iotlb(d, j)] || s[L.devtlb(d, j)];
    if (V.ats[d]) {
      named = named || s[L.devtlb_iova(d, 1)];
      for (int q = 0; q < L.frames(); ++q) named = named || s[L.devtlb_phys(d, q)];
    }
    expr free = !s[L.pasid_enabled(d)];
    if (V.sva) {
      named = named || s[L.iotlb_user(d)] || s[L.page_request(d)] || s[L.devtlb_user(d)];
      free = free && s[L.mm_pasid()] != y.pasid_val(d + 1);
    }
    v = v || (free && named);
  }
  return v;
}

// pasid-isolation: check_pasid_isolation()
template <class Ctx, class Vec>
typename Vec::value_type bad_pasid_isolation(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  ReadSym<Ctx, Vec> y{c, L, V, s, s};
  expr v = c.bool_val(false);
  for (int d = 0; d < L.devices(); ++d) {
    // Through the mm's PASID: only the mm's present page, with user privilege.
    const expr mm_owns = s[L.mm_pasid()] == y.pasid_val(d + 1);
    for (const auto& r : reaches(c, V, s, d)) {
      if (!V.sva || !r.via_pasid) continue;
      expr outside = c.bool_val(false);
      for (int f = 0; f < L.frames(); ++f) {
        const expr mine =
            s[L.user_page()] == c.bv_val(2, 2) && s[L.user_page_frame()] == y.frame_val(f);
        outside = outside || (r.frames[f] && (c.bool_val(r.supervisor) || !mine));
      }
      v = v || (mm_owns && r.on && outside);
    }
    // A supervisor request through a PASID that is not a kernel PASID: here, a freed one.
    for (const auto& r : reaches(c, V, s, d)) {
      if (!r.supervisor) continue;
      expr some = c.bool_val(false);
      for (int f = 0; f < L.frames(); ++f) some = some || r.frames[f];
      v = v || (!s[L.pasid_enabled(d)] && r.on && some);
    }
    // One PASID, one address space (§8.34): the entry and the cached copy translate different
    // spaces. Each mode is one space here (kva: kernel VA, kernel table or mirror alike).
    v = v ||
        (y.present(d) && s[L.pasid_cached(d)] && s[L.pasid_cached_mode(d)] != s[L.pasid_mode(d)]);
  }
  return v;
}

// iopf-integrity: check_iopf_integrity(): no stale answer, none left behind
template <class Ctx, class Vec>
typename Vec::value_type bad_iopf_integrity(Ctx& c, const Variant& V, const Vec& s) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  if (!V.sva) return c.bool_val(false);  // no page requests outside the sva rows
  expr v = s[L.bad_response()];
  for (int d = 0; d < L.devices(); ++d)
    v = v || (s[L.page_request(d)] && (s[L.page_request_stale(d)] || !s[L.pasid_enabled(d)]));
  return v;
}

// The property `id` is violated in s.
template <class Ctx, class Vec>
typename Vec::value_type bad_in(Ctx& c, const Variant& V, const Vec& s, const std::string& id) {
  if (id == "no-wx-dma") return bad_no_wx_dma(c, V, s);
  if (id == "pt-integrity") return bad_pt_integrity(c, V, s);
  if (id == "untrusted-confined") return bad_untrusted_confined(c, V, s);
  if (id == "kva-mirror-exact") return bad_kva_mirror_exact(c, V, s);
  if (id == "no-stale-iotlb") return bad_no_stale_iotlb(c, V, s);
  if (id == "no-dma-to-freed") return bad_no_dma_to_freed(c, V, s);
  if (id == "trust-gating") return bad_trust_gating(c, V, s);
  if (id == "pasid-lifecycle") return bad_pasid_lifecycle(c, V, s);
  if (id == "pasid-isolation") return bad_pasid_isolation(c, V, s);
  if (id == "iopf-integrity") return bad_iopf_integrity(c, V, s);
  throw model::InputError("kcore does not encode property " + id);
}

}  // namespace pasidcheck::solver::kcore::detail
