// project(): an executable State of the kcore config written as kcore's variables (kcore.h), the
// normal form the symbolic transition also produces.
#include <string>

#include "solver/kcore.h"

namespace pasidcheck::solver::kcore {

using namespace model;

namespace {

int addr_index(const Addr& a, int frames) {
  if (a.space == Space::direct) return a.page;
  if (a.space == Space::vmalloc) return frames + a.page;
  return -1;
}

// How kcore codes an entry's root: pass-through is bypass, the DMA domain iova, SVA sva, else KVA.
int mode_of(Root r) {
  return r == Root::passthrough ? kModeBypass
         : r == Root::dma       ? kModeIova
         : r == Root::sva       ? kModeSva
                                : kModeKva;
}

}  // namespace

std::optional<std::string> project(const Model& m, const State& s, std::vector<int>& out) {
  const int frames = m.bounds().frames;
  const int devices = static_cast<int>(s.devices.size());
  const Layout& L = layout(Size{frames, devices, m.bounds().slots});
  const bool slots = L.slots() > 1;
  out.assign(L.vars().size(), 0);
  for (int f = 0; f < frames; ++f) {
    const Frame& fr = s.frames[f];
    if (fr.use == FrameUse::free)
      out[L.use(f)] = kUseFree;
    else if (fr.use == FrameUse::kdata)
      out[L.use(f)] = kUseKdata;
    else if (fr.use == FrameUse::kpt)
      out[L.use(f)] = kUseKpt;
    else if (fr.use == FrameUse::user && fr.owner == 0)
      out[L.use(f)] = kUseUser;
    else if (fr.use == FrameUse::bounce && slots)  // its owner is the device whose iova:0 it is
      out[L.use(f)] = kUseBounce;
    else
      return "frame " + std::to_string(f) + " is " + to_string(fr.use);
    out[L.vmap(f)] = fr.vmap;
    if (slots && fr.use == FrameUse::kdata && !fr.vmap) out[L.sl(f)] = static_cast<int>(fr.slots);
    out[L.dp(f)] = s.direct[f].present;
    out[L.dw(f)] = s.direct[f].w;
  }
  out[L.split()] = s.blocks[0].split;
  out[L.btab()] = s.blocks[0].split ? s.blocks[0].table : 0;
  for (int v = 0; v < kVpages; ++v) {
    const VmallocLeaf& l = s.vmalloc[v];
    if (l.frame < 0) continue;
    out[L.vm(v)] = 1;
    out[L.vnp(v)] = !l.present;
    out[L.vf(v)] = l.frame;
    out[L.vw(v)] = l.w;
    out[L.vnx(v)] = l.nx;
  }
  out[L.gh()] = s.vgroup_table[0] >= 0;
  out[L.gt()] = s.vgroup_table[0] >= 0 ? s.vgroup_table[0] : 0;
  for (int d = 0; d < devices; ++d) {
    const DeviceState& ds = s.devices[d];
    const int p = d + 1;
    for (int q = 1; q < m.bounds().pasids; ++q)
      if (q != p && (ds.bound[q] || !ds.kva[q].empty()))
        return "device " + std::to_string(d) + " uses PASID " + std::to_string(q);
    out[L.en(d)] = ds.bound[p];
    if (ds.bound[p] && s.pasids[p].kind == PasidOwner::Kind::mm) {
      out[L.md(d)] = kModeSva;
      out[L.fpd(d)] = !ds.entries[p].present;  // mm_exit cleared it (FPD), the binding stays
    } else if (ds.bound[p]) {
      out[L.md(d)] = mode_of(ds.entries[p].root);
    }
    const IovaPage& ip = ds.iova[0];
    if (ip.bounced && !slots) return "a bounced DMA mapping (kcore has one slot per frame)";
    if (ip.kind != IovaPage::Kind::free) {
      const bool mapped = ip.kind == IovaPage::Kind::mapped;
      out[L.ik(d)] = mapped ? 1 : 2;
      out[L.ifr(d)] = ip.frame;
      out[L.iw(d)] = ip.w;
      if (slots) {  // the caller's buffer only while mapped; its slot unless a vmalloc frame's
        out[L.ib(d)] = ip.bounced;
        out[L.iof(d)] = mapped && ip.bounced ? ip.orig_frame : 0;
        out[L.ios(d)] = mapped && (ip.bounced || !s.frames[ip.frame].vmap) ? ip.orig_slot : 0;
      }
    }
    for (const auto& [a, g] : ds.kva[p]) {
      const int i = addr_index(a, frames);
      out[L.g(d, i)] = 1;
      out[L.gf(d, i)] = g.frame;
      out[L.gw(d, i)] = g.w;
      if (slots) out[L.gsl(d, i)] = static_cast<int>(g.slots);
    }
    for (const auto& [a, l] : ds.mirror[p]) {
      const int i = addr_index(a, frames);
      out[L.mr(d, i)] = 1;
      out[L.mf(d, i)] = l.frame;
      out[L.mw(d, i)] = l.w;
    }
  }
  for (const auto& c : s.pasid_cache) {
    if (c.pasid == 0)
      out[L.pc0(c.dev)] = 1;
    else if (c.pasid == c.dev + 1 && c.copy.present) {
      out[L.pc(c.dev)] = 1;
      out[L.pcm(c.dev)] = mode_of(c.copy.root);
      if (c.copy.frozen) {  // a freed mirror's last leaves (§8.38)
        out[L.pasid_cached_frozen(c.dev)] = 1;
        for (const auto& [a, l] : c.frozen_mirror) {
          const int i = addr_index(a, frames);
          if (i < 0) return "frozen mirror off kcore";
          out[L.frozen_mirror(c.dev, i)] = 1;
          out[L.frozen_mirror_frame(c.dev, i)] = l.frame;
          out[L.frozen_mirror_w(c.dev, i)] = l.w;
        }
      }
    } else
      return "PASID-cache entry off kcore";
  }
  // A cached translation kcore keeps as (present, frame, writable, freed): an IOTLB or
  // device-TLB entry.
  auto cached = [&out](int present, int frame, int w, int freed, const auto& x) {
    out[present] = 1;
    out[frame] = x.frame;
    out[w] = x.w;
    out[freed] = x.freed;
  };
  for (const auto& x : s.iotlb) {
    if (x.key.space == Space::user) {  // the SVA PASID's entry for user:0
      const int d = x.pasid - 1;
      if (d < 0 || d >= devices || x.key.page != 0 || x.did != kSvaDid)
        return "IOTLB entry off kcore";
      cached(L.itu(d), L.ituf(d), L.ituw(d), L.itufr(d), x);
      continue;
    }
    if (x.key.space == Space::iova) {  // the DMA domain's entries: RID_PASID or the PASID
      const int d = x.did - m.dma_did(0);
      if (d < 0 || d >= devices || x.key.page != 0 || (x.pasid != 0 && x.pasid != d + 1))
        return "IOTLB entry off kcore";
      const int k = x.pasid == 0 ? 0 : 1;
      cached(L.iti(d, k), L.itif(d, k), L.itiw(d, k), L.itifr(d, k), x);
      continue;
    }
    const int d = x.pasid - 1;
    const int i = addr_index(x.key, frames);
    if (d < 0 || d >= devices || i < 0) return "IOTLB entry off kcore";
    if (x.large) {  // the block's entry (§8.26): frame 0 on, NX
      if (i != 0 || x.frame != 0 || !x.nx) return "IOTLB large entry off kcore";
      out[L.iotlb_large(d)] = 1;
      out[L.iotlb_large_w(d)] = x.w;
      out[L.iotlb_large_freed(d)] = x.freed;
      continue;
    }
    out[L.it(d, i)] = 1;
    out[L.itf(d, i)] = x.frame;
    out[L.itw(d, i)] = x.w;
    out[L.itnx(d, i)] = x.nx;
    out[L.itfr(d, i)] = x.freed;
  }
  for (const auto& x : s.psc) {
    const int d = x.pasid - 1;
    if (d < 0 || d >= devices || x.index != 0) return "PSC entry off kcore";
    if (x.space == Space::direct) {
      out[L.pdv(d)] = 1;
      out[L.pdt(d)] = x.table;
      out[L.pdfr(d)] = x.freed;
      out[L.pdre(d)] = x.reused;
      out[L.pdzp(d)] = x.frozen.present;
      out[L.pdzw(d)] = x.frozen.w;
    } else {
      out[L.pvv(d)] = 1;
      out[L.pvt(d)] = x.table;
      out[L.pvfr(d)] = x.freed;
      out[L.pvre(d)] = x.reused;
    }
  }
  for (const auto& x : s.devtlb) {  // user: user:0 (SVA), iova:0, phys:f; supervisor: kernel
    const int d = x.dev;
    const int i = addr_index(x.page, frames);
    if (x.priv == Priv::supervisor && i >= 0 && x.pasid == d + 1 &&
        (x.ctx.root == Root::kernel || x.ctx.root == Root::mirror)) {
      cached(L.dtk(d, i), L.dtkf(d, i), L.dtkw(d, i), L.dtkfr(d, i), x);
      continue;
    }
    if (x.priv != Priv::user) return "device-TLB entry off kcore";
    if (x.page.space == Space::iova && x.page.page == 0 && x.ctx.root == Root::dma &&
        (x.pasid == 0 || x.pasid == d + 1)) {
      const int k = x.pasid == 0 ? 0 : 1;
      cached(L.dti(d, k), L.dtif(d, k), L.dtiw(d, k), L.dtifr(d, k), x);
      continue;
    }
    if (x.page.space == Space::phys && x.pasid == d + 1 && x.ctx.root == Root::passthrough &&
        x.frame == x.page.page && x.w) {
      out[L.dtp(d, x.frame)] = 1;
      out[L.dtpfr(d, x.frame)] = x.freed;
      continue;
    }
    if (x.pasid != d + 1 || !(x.page == Addr{Space::user, 0}) || x.ctx.root != Root::sva)
      return "device-TLB entry off kcore";
    cached(L.dt(d), L.dtf(d), L.dtw(d), L.dtfr(d), x);
  }
  // User SVA: mm 0, its page user:0, page requests of PASID d+1 (group 0), the ghost flags.
  const Mm& mm = s.mms[0];
  out[L.mml()] = static_cast<int>(mm.life);
  if (mm.pasid > devices) return "mm PASID off kcore";
  out[L.mmp()] = mm.pasid > 0 ? mm.pasid : 0;
  const UserPage& up = mm.pages[0];
  out[L.upk()] = static_cast<int>(up.kind);
  if (up.kind != UserPage::Kind::novma) out[L.upw()] = up.w;
  if (up.kind == UserPage::Kind::mapped) out[L.upf()] = up.frame;
  out[L.bad()] = s.bad_response;
  for (const auto& r : s.prq) {
    if (r.pasid != r.dev + 1 || r.page != 0 || r.group != 0) return "page request off kcore";
    out[L.pr(r.dev)] = 1;
    out[L.prw(r.dev)] = r.access == Access::write;
    out[L.prs(r.dev)] = r.stale;
  }
  // `quiesced` is read only when a page request is raised, through an SVA entry or copy: it is
  // kept while the mm owns the PASID or an SVA copy is cached (as the explicit engine's
  // canonical state keeps it), else written as clear.
  for (int d = 0; d < devices; ++d) {
    const bool live = out[L.mmp()] == d + 1 || (out[L.pc(d)] && out[L.pcm(d)] == kModeSva);
    out[L.qu(d)] = live && s.devices[d].quiesced[d + 1];
  }
  return std::nullopt;
}

}  // namespace pasidcheck::solver::kcore
