// The kcore properties (no-stale-iotlb, no-wx-dma, pt-integrity, untrusted-confined,
// kva-mirror-exact, no-dma-to-freed, trust-gating, pasid-lifecycle, pasid-isolation,
// iopf-integrity), encoded
// from properties/*.cpp over a symbolic capability(); generic over the term type like the
// transition (kcore_trans.h).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/input_error.h"
#include "solver/kcore_sym.h"

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
  const Layout& L = layout(V.size());
  Sym<Ctx, Vec> y{c, L, V, s, s};
  std::vector<SymReach<expr>> out;
  auto frames_if = [&](const auto& in) {
    std::vector<expr> f;
    for (int i = 0; i < L.frames(); ++i) f.push_back(in(i));
    return f;
  };
  const auto all = frames_if([&](int) { return y.T(); });
  auto one = [&](const expr& frame) { return frames_if([&](int i) { return frame == y.fr(i); }); };
  if (V.forged[d]) {  // forged translated requests: no PASID context
    out.push_back({y.T(), all, y.T(), y.F()});
    out.back().via_pasid = false;
  }
  // Pass-through: any frame, writable, for user requests (SRE is clear). Requests use the
  // effective entry (the PASID-cache copy first).
  out.push_back({y.eff_is(d, kModeBypass), all, y.T(), y.F()});
  const bool dma = true, mirror = V.root[d] == KRoot::mirror;  // confined roots
  // The DMA domain (user requests, U=1 leaves): through RID_PASID always, and through the PASID in
  // iova mode; IOTLB entries and the fresh walk of iova:0 (mapped, not queued).
  const expr iova_pasid = y.eff_is(d, kModeIova);
  for (int k = 0; k < 2; ++k) {
    const expr entry = k == 0 ? y.T() : iova_pasid;
    out.push_back(
        {entry && s[L.iti(d, k)], one(s[L.itif(d, k)]), s[L.itiw(d, k)], s[L.itifr(d, k)], dma});
    out.push_back({entry && s[L.ik(d)] == y.md(1), one(s[L.ifr(d)]), s[L.iw(d)], y.F(), dma});
    if (k == 0) out[out.size() - 2].via_pasid = out.back().via_pasid = false;  // RID_PASID
  }
  // device_reaches(): a device with ATS uses its device TLB whatever the PASID entry says now:
  // iova:0 entries (the DMA domain: confined; RID_PASID's carry no PASID), phys: entries
  // (pass-through: any frame named, writable).
  if (V.ats[d]) {
    for (int k = 0; k < 2; ++k) {
      out.push_back(
          {s[L.dti(d, k)], one(s[L.dtif(d, k)]), s[L.dtiw(d, k)], s[L.dtifr(d, k)], true});
      out.back().via_pasid = k == 1;
    }
    for (int q = 0; q < L.frames(); ++q)
      out.push_back({s[L.dtp(d, q)], one(y.fr(q)), y.T(), s[L.dtpfr(d, q)]});
    // Kernel addresses (supervisor requests through the KVA root: a strict mirror is confined).
    for (int j = 0; j < L.addrs() && !V.sva; ++j) {
      out.push_back({s[L.dtk(d, j)], one(s[L.dtkf(d, j)]), s[L.dtkw(d, j)], s[L.dtkfr(d, j)],
                     V.root[d] == KRoot::mirror});
      out.back().supervisor = true;
    }
  }
  // Stale PSC entries of a kernel-table walker (fast KVA, init_mm, SVA's kernel half), under
  // effective entry `on`: a reused table frame reaches any frame; a freed one its frozen leaves,
  // which only supervisor requests may use (U=0), so never through SVA (SRE clear).
  const expr pd_stale = s[L.pdv(d)] && !(s[L.split()] && s[L.btab()] == s[L.pdt(d)]);
  const expr pv_stale = s[L.pvv(d)] && !(s[L.gh()] && s[L.gt()] == s[L.pvt(d)]);
  auto stale_psc = [&](const expr& on, bool confined, bool frozen) {
    out.push_back({on && pd_stale && s[L.pdre(d)], all, y.T(), y.F(), confined});
    out.back().any = true;
    if (frozen)
      out.push_back(
          {on && pd_stale && !s[L.pdre(d)] && s[L.pdzp(d)], all, y.wr(s[L.pdzw(d)]), y.T()});
    out.push_back({on && pv_stale && s[L.pvre(d)], all, y.T(), y.F(), confined});
    out.back().any = true;
  };
  if (V.sva) {  // user SVA: user requests, U=1 leaves of user:0 only (SRE is clear)
    const expr on = y.eff_is(d, kModeSva);
    out.push_back({on && s[L.itu(d)], one(s[L.ituf(d)]), s[L.ituw(d)], s[L.itufr(d)], true});
    out.push_back({on && s[L.upk()] == c.bv_val(2, 2), one(s[L.upf()]), s[L.upw()], y.F(), true});
    stale_psc(on, true, false);
    // device_reaches(): a trusted ATS device's translated requests use its device TLB, whatever
    // the PASID entry says now (an untrusted one forges any frame: above).
    if (V.ats[d]) out.push_back({s[L.dt(d)], one(s[L.dtf(d)]), s[L.dtw(d)], s[L.dtfr(d)], true});
    return out;
  }
  if (V.root[d] == KRoot::refused) return out;
  const expr en = y.eff_is(d, kModeKva);
  const auto first_kva = out.size();
  for (int j = 0; j < L.addrs(); ++j)  // IOTLB entries of the device's PASID (supervisor)
    out.push_back(
        {en && s[L.it(d, j)], one(s[L.itf(d, j)]), y.wr(s[L.itw(d, j)]), s[L.itfr(d, j)], mirror});
  // The block's large entry (the whole block).
  out.push_back({en && s[L.iotlb_large(d)], all, y.wr(s[L.iotlb_large_w(d)]),
                 s[L.iotlb_large_freed(d)], mirror});
  if (V.root[d] == KRoot::mirror) {  // the mirror's leaves (mirror walks fill no PSC), or a
                                     // freed mirror's through its cached copy (§8.38)
    for (int j = 0; j < L.addrs(); ++j) {
      const auto m = y.mirror_leaf(d, j);
      out.push_back({en && m.present, one(m.frame), y.wr(m.w), y.F(), mirror});
    }
  } else {
    stale_psc(en, false, true);
    // Fresh walks of the kernel table: split leaves, or the large leaf once (at its first page).
    for (int q = 0; q < L.frames(); ++q)
      out.push_back({en && s[L.split()] && s[L.dp(q)], one(y.fr(q)), y.wr(s[L.dw(q)]), y.F()});
    out.push_back({en && !s[L.split()] && s[L.dp(0)], all, y.wr(s[L.dw(0)]), y.F()});
    for (int q = 0; q < kVpages; ++q)
      out.push_back(
          {en && s[L.gh()] && y.vpresent(s, q), one(s[L.vf(q)]), y.wr(s[L.vw(q)]), y.F()});
  }
  for (auto i = first_kva; i < out.size(); ++i) out[i].supervisor = true;
  return out;
}

// The property `id` is violated in s.
template <class Ctx, class Vec>
typename Vec::value_type bad_in(Ctx& c, const Variant& V, const Vec& s, const std::string& id) {
  using expr = typename Vec::value_type;
  const Layout& L = layout(V.size());
  Sym<Ctx, Vec> y{c, L, V, s, s};
  // A device-writable frame in a set: no-wx-dma (CPU-executable), pt-integrity (page tables).
  auto writes_any = [&](const std::vector<expr>& target) {
    expr v = c.bool_val(false);
    for (int d = 0; d < L.devices(); ++d)
      for (const auto& r : reaches(c, V, s, d))
        for (int f = 0; f < L.frames(); ++f) v = v || (r.on && r.write && r.frames[f] && target[f]);
    return v;
  };
  if (id == "no-wx-dma") {  // check_no_wx_dma()
    std::vector<expr> exec;
    for (int f = 0; f < L.frames(); ++f) exec.push_back(y.cpu_exec(s, y.fr(f)));
    return writes_any(exec);
  }
  if (id == "pt-integrity") {  // check_pt_integrity(): kpt frames (kcore has no IOMMU tables)
    std::vector<expr> kpt;
    for (int f = 0; f < L.frames(); ++f) kpt.push_back(s[L.use(f)] == y.use(kUseKpt));
    return writes_any(kpt);
  }
  if (id == "untrusted-confined") {  // check_untrusted_confined(): within live grants, never freed
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
              const expr slot_granted = slots == 1 ? y.T() : y.holds(s[L.gsl(d, a)], bit);
              const expr mine = s[L.g(d, a)] && s[L.gf(d, a)] == y.fr(f) && slot_granted;
              gr = gr || mine;
              gw = gw || (mine && s[L.gw(d, a)]);
            }
            const expr slot_mapped = slots == 1 ? y.T() : y.holds(y.iova_slots(s, d), bit);
            const expr mapped =
                s[L.ik(d)] == y.md(1) && s[L.ifr(d)] == y.fr(f) && slot_mapped;  // live_grants()
            gr = gr || mapped;
            gw = gw || (mapped && s[L.iw(d)]);
            if (V.sva) {  // the bound mm's present page
              const expr user = s[L.en(d)] && s[L.md(d)] == y.md(kModeSva) &&
                                s[L.mmp()] == y.pid(d + 1) && s[L.upk()] == c.bv_val(2, 2) &&
                                s[L.upf()] == y.fr(f);
              gr = gr || user;
              gw = gw || (user && s[L.upw()]);
            }
            outside = outside || !gr || (r.write && !gw);
          }
          v = v || (r.on && r.frames[f] && (r.freed || outside));
        }
    }
    return v;
  }
  if (id == "kva-mirror-exact") {  // check_kva_mirror_exact(): strict mirrors follow the CPU
    expr v = c.bool_val(false);
    for (int d = 0; d < L.devices(); ++d)
      for (int j = 0; j < L.addrs(); ++j) {
        const expr mr = s[L.mr(d, j)], mw = s[L.mw(d, j)];
        if (j >= L.frames()) {  // outside the direct map
          v = v || mr;
          continue;
        }
        v = v || (mr && (!s[L.dp(j)] || s[L.mf(d, j)] != y.fr(j) || (mw && !s[L.dw(j)]) ||
                         !s[L.g(d, j)] || (mw && !s[L.gw(d, j)])));
      }
    return v;
  }
  if (id == "no-stale-iotlb") {  // check_no_stale_iotlb(): cached permissions within the tables'
    expr v = c.bool_val(false);
    for (int d = 0; d < L.devices(); ++d) {
      // The current entry walks the KVA root, or (sva rows) is the SVA PASID's.
      const expr en = V.sva ? y.entry_is(d, kModeSva) : y.kva(d);
      // SVA's kernel-half IOTLB entries are U=0 leaves under SRE=0: they grant nothing (§8.17).
      for (int j = 0; j < L.addrs() && !V.sva; ++j) {
        // now(f, w): the current walk of the entry's span permits frame f (for writing if w).
        std::function<expr(int, bool)> now;
        if (V.root[d] == KRoot::mirror) {
          now = [&, d, j](int f, bool w) {
            return en && s[L.mr(d, j)] && s[L.mf(d, j)] == y.fr(f) &&
                   (w ? y.wr(s[L.mw(d, j)]) : c.bool_val(true));
          };
        } else if (j >= L.frames()) {
          const int q = j - L.frames();
          now = [&, q](int f, bool w) {
            return en && s[L.gh()] && y.vpresent(s, q) && s[L.vf(q)] == y.fr(f) &&
                   (w ? y.wr(s[L.vw(q)]) : c.bool_val(true));
          };
        }
        auto direct_now = [&](int q, int f, bool w) {  // walk of direct:q (large or split)
          const expr perm = s[L.dp(q)] && (w ? y.wr(s[L.dw(q)]) : c.bool_val(true));
          return en && perm && (!s[L.split()] || c.bool_val(q == f));
        };
        expr stale = c.bool_val(false);
        for (int f = 0; f < L.frames(); ++f) {
          const expr in_span = s[L.itf(d, j)] == y.fr(f);
          for (bool w : {false, true}) {
            const expr had = in_span && (w ? y.wr(s[L.itw(d, j)]) : c.bool_val(true));
            const expr covered = now ? now(f, w) : direct_now(j, f, w);
            stale = stale || (had && !covered);
          }
        }
        v = v || (s[L.it(d, j)] && stale);
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
        const expr f = s[L.dtkf(d, j)], w = s[L.dtkw(d, j)];
        expr covered = y.kva(d);
        if (V.root[d] == KRoot::mirror)
          covered = covered && s[L.mr(d, j)] && s[L.mf(d, j)] == f && (!w || y.wr(s[L.mw(d, j)]));
        else if (j < L.frames())  // the page's own frame, large block or split
          covered = covered && s[L.dp(j)] && f == y.fr(j) && (!w || y.wr(s[L.dw(j)]));
        else
          covered = covered && s[L.gh()] && y.vpresent(s, j - L.frames()) &&
                    s[L.vf(j - L.frames())] == f && (!w || y.wr(s[L.vw(j - L.frames())]));
        v = v || (s[L.dtk(d, j)] && !covered);
      }
      // The DMA domain's entries, unless exempt: a trusted lazy device's queued page (§8.9).
      const bool may_exempt = V.trusted[d] && V.lazy[d];
      const expr exempt = c.bool_val(may_exempt) && s[L.ik(d)] == y.md(2);
      for (int k = 0; k < 2; ++k) {
        const expr entry = k == 0 ? y.T() : (s[L.en(d)] && s[L.md(d)] == y.md(kModeIova));
        const expr mapped = entry && s[L.ik(d)] == y.md(1);  // the walk of iova:0 now
        const expr covered =
            mapped && s[L.ifr(d)] == s[L.itif(d, k)] && (!s[L.itiw(d, k)] || s[L.iw(d)]);
        v = v || (s[L.iti(d, k)] && !exempt && !covered);
        // The device-TLB entry of iova:0, against the same entry and walk (and exemption).
        const expr dcovered =
            mapped && s[L.ifr(d)] == s[L.dtif(d, k)] && (!s[L.dtiw(d, k)] || s[L.iw(d)]);
        if (V.ats[d]) v = v || (s[L.dti(d, k)] && !exempt && !dcovered);
      }
      // Pass-through device-TLB entries: only a present pass-through entry covers them.
      for (int q = 0; q < L.frames() && V.ats[d]; ++q)
        v = v || (s[L.dtp(d, q)] && !y.entry_is(d, kModeBypass));
      if (V.sva) {
        // The SVA PASID's entry for user:0: the current walk maps the same frame, as writable;
        // and its device-TLB entry, against the current entry (not a cached copy).
        const expr mapped = en && s[L.upk()] == c.bv_val(2, 2);
        v = v || (s[L.itu(d)] &&
                  !(mapped && s[L.upf()] == s[L.ituf(d)] && (!s[L.ituw(d)] || s[L.upw()])));
        v = v ||
            (s[L.dt(d)] && !(mapped && s[L.upf()] == s[L.dtf(d)] && (!s[L.dtw(d)] || s[L.upw()])));
      }
      if (y.kernel_walker(d)) {
        v = v || (s[L.pdv(d)] && !(en && s[L.split()] && s[L.btab()] == s[L.pdt(d)]));
        v = v || (s[L.pvv(d)] && !(en && s[L.gh()] && s[L.gt()] == s[L.pvt(d)]));
      }
      // The PASID-cache copy grants more than the current entry: there is none, or it has
      // another root (each mode has its own root, DID and SRE in kcore), or it points at a
      // freed mirror (§8.38).
      v = v || (s[L.pc(d)] &&
                (!y.present(d) || s[L.pcm(d)] != s[L.md(d)] || s[L.pasid_cached_frozen(d)]));
    }
    return v;
  }
  if (id == "no-dma-to-freed") {  // check_no_dma_to_freed(): confined paths reach no free frame
    // (and no frame freed since a translation was cached).
    expr v = c.bool_val(false);
    for (int d = 0; d < L.devices(); ++d)
      for (const auto& r : reaches(c, V, s, d)) {
        if (!r.confined) continue;
        if (r.any) v = v || r.on;  // a reused table frame: any frame at all
        for (int f = 0; f < L.frames(); ++f)
          v = v || (r.on && r.frames[f] && (r.freed || s[L.use(f)] == y.use(kUseFree)));
      }
    // §8.22: a bound SVA PASID's PSC entry whose table frame was freed since it was cached.
    for (int d = 0; d < L.devices() && V.sva; ++d)
      v = v || (s[L.en(d)] && ((s[L.pdv(d)] && s[L.pdfr(d)]) || (s[L.pvv(d)] && s[L.pvfr(d)])));
    return v;
  }
  if (id == "trust-gating") {  // check_trust_gating(): what an untrusted device may never get
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
  if (id == "pasid-lifecycle") {  // check_pasid_lifecycle(): a free PASID is named by nothing
    // Device d's PASID d+1 is free exactly when it is not enabled and the mm does not own it; no
    // other device names it.
    expr v = c.bool_val(false);
    for (int d = 0; d < L.devices(); ++d) {
      expr named = s[L.pc(d)] || s[L.pdv(d)] || s[L.pvv(d)] || s[L.iti(d, 1)];
      for (int j = 0; j < L.addrs(); ++j) named = named || s[L.it(d, j)] || s[L.dtk(d, j)];
      if (V.ats[d]) {
        named = named || s[L.dti(d, 1)];
        for (int q = 0; q < L.frames(); ++q) named = named || s[L.dtp(d, q)];
      }
      expr free = !s[L.en(d)];
      if (V.sva) {
        named = named || s[L.itu(d)] || s[L.pr(d)] || s[L.dt(d)];
        free = free && s[L.mmp()] != y.pid(d + 1);
      }
      v = v || (free && named);
    }
    return v;
  }
  if (id == "pasid-isolation") {  // check_pasid_isolation()
    expr v = c.bool_val(false);
    for (int d = 0; d < L.devices(); ++d) {
      // Through the mm's PASID: only the mm's present page, with user privilege.
      const expr mm_owns = s[L.mmp()] == y.pid(d + 1);
      for (const auto& r : reaches(c, V, s, d)) {
        if (!V.sva || !r.via_pasid) continue;
        expr outside = c.bool_val(false);
        for (int f = 0; f < L.frames(); ++f) {
          const expr mine = s[L.upk()] == c.bv_val(2, 2) && s[L.upf()] == y.fr(f);
          outside = outside || (r.frames[f] && (c.bool_val(r.supervisor) || !mine));
        }
        v = v || (mm_owns && r.on && outside);
      }
      // A supervisor request through a PASID that is not a kernel PASID: here, a freed one.
      for (const auto& r : reaches(c, V, s, d)) {
        if (!r.supervisor) continue;
        expr some = c.bool_val(false);
        for (int f = 0; f < L.frames(); ++f) some = some || r.frames[f];
        v = v || (!s[L.en(d)] && r.on && some);
      }
      // One PASID, one address space (§8.34): the entry and the cached copy translate different
      // spaces. Each mode is one space here (kva: kernel VA, kernel table or mirror alike).
      v = v || (y.present(d) && s[L.pc(d)] && s[L.pcm(d)] != s[L.md(d)]);
    }
    return v;
  }
  if (id == "iopf-integrity") {  // check_iopf_integrity(): no stale answer, none left behind
    if (!V.sva) return c.bool_val(false);  // no page requests outside the sva rows
    expr v = s[L.bad()];
    for (int d = 0; d < L.devices(); ++d) v = v || (s[L.pr(d)] && (s[L.prs(d)] || !s[L.en(d)]));
    return v;
  }
  throw model::InputError("kcore does not encode property " + id);
}

}  // namespace pasidcheck::solver::kcore::detail
