// project(): an executable State of the kcore config written as kcore's variables (kcore/kcore.h),
// the normal form the symbolic transition also produces.
#include <string>

#include "solver/kcore/kcore.h"

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

// Frames, the direct map's block and the vmalloc group.
std::optional<std::string> project_kernel_memory(const Model& m, const State& s, const Layout& L,
                                                 std::vector<int>& out) {
  [[maybe_unused]] const int frames = m.bounds().frames;
  [[maybe_unused]] const int devices = static_cast<int>(s.devices.size());
  [[maybe_unused]] const bool slots = L.slots() > 1;
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
    if (slots && fr.use == FrameUse::kdata && !fr.vmap)
      out[L.slab_slots(f)] = static_cast<int>(fr.slots);
    out[L.direct_present(f)] = s.direct[f].present;
    out[L.direct_w(f)] = s.direct[f].w;
  }
  out[L.block_split()] = s.blocks[0].split;
  out[L.block_table()] = s.blocks[0].split ? s.blocks[0].table : 0;
  for (int v = 0; v < kVpages; ++v) {
    const VmallocLeaf& l = s.vmalloc[v];
    if (l.frame < 0) continue;
    out[L.vmalloc_mapped(v)] = 1;
    out[L.vmalloc_not_present(v)] = !l.present;
    out[L.vmalloc_frame(v)] = l.frame;
    out[L.vmalloc_w(v)] = l.w;
    out[L.vmalloc_nx(v)] = l.nx;
  }
  out[L.vgroup_has_table()] = s.vgroup_table[0] >= 0;
  out[L.vgroup_table()] = s.vgroup_table[0] >= 0 ? s.vgroup_table[0] : 0;
  return std::nullopt;
}

// Each device's PASID entry, DMA domain, grants and mirror.
std::optional<std::string> project_devices(const Model& m, const State& s, const Layout& L,
                                           std::vector<int>& out) {
  [[maybe_unused]] const int frames = m.bounds().frames;
  [[maybe_unused]] const int devices = static_cast<int>(s.devices.size());
  [[maybe_unused]] const bool slots = L.slots() > 1;
  for (int d = 0; d < devices; ++d) {
    const DeviceState& ds = s.devices[d];
    const int p = d + 1;
    for (int q = 1; q < m.bounds().pasids; ++q)
      if (q != p && (ds.bound[q] || !ds.kva[q].empty()))
        return "device " + std::to_string(d) + " uses PASID " + std::to_string(q);
    out[L.pasid_enabled(d)] = ds.bound[p];
    if (ds.bound[p] && s.pasids[p].kind == PasidOwner::Kind::mm) {
      out[L.pasid_mode(d)] = kModeSva;
      out[L.pasid_fpd(d)] = !ds.entries[p].present;  // mm_exit cleared it (FPD), the binding stays
    } else if (ds.bound[p]) {
      out[L.pasid_mode(d)] = mode_of(ds.entries[p].root);
    }
    const IovaPage& ip = ds.iova[0];
    if (ip.bounced && !slots) return "a bounced DMA mapping (kcore has one slot per frame)";
    if (ip.kind != IovaPage::Kind::free) {
      const bool mapped = ip.kind == IovaPage::Kind::mapped;
      out[L.iova_kind(d)] = mapped ? 1 : 2;
      out[L.iova_frame(d)] = ip.frame;
      out[L.iova_w(d)] = ip.w;
      if (slots) {  // the caller's buffer only while mapped; its slot unless a vmalloc frame's
        out[L.iova_bounced(d)] = ip.bounced;
        out[L.iova_orig_frame(d)] = mapped && ip.bounced ? ip.orig_frame : 0;
        out[L.iova_orig_slot(d)] =
            mapped && (ip.bounced || !s.frames[ip.frame].vmap) ? ip.orig_slot : 0;
      }
    }
    for (const auto& [a, g] : ds.kva[p]) {
      const int i = addr_index(a, frames);
      out[L.grant(d, i)] = 1;
      out[L.grant_frame(d, i)] = g.frame;
      out[L.grant_w(d, i)] = g.w;
      if (slots) out[L.grant_slots(d, i)] = static_cast<int>(g.slots);
    }
    for (const auto& [a, l] : ds.mirror[p]) {
      const int i = addr_index(a, frames);
      out[L.mirror(d, i)] = 1;
      out[L.mirror_frame(d, i)] = l.frame;
      out[L.mirror_w(d, i)] = l.w;
    }
  }
  return std::nullopt;
}

// The PASID cache (a frozen mirror's leaves with their copy).
std::optional<std::string> project_pasid_cache(const Model& m, const State& s, const Layout& L,
                                               std::vector<int>& out) {
  [[maybe_unused]] const int frames = m.bounds().frames;
  [[maybe_unused]] const int devices = static_cast<int>(s.devices.size());
  [[maybe_unused]] const bool slots = L.slots() > 1;
  for (const auto& c : s.pasid_cache) {
    if (c.pasid == 0)
      out[L.rid_pasid_cached(c.dev)] = 1;
    else if (c.pasid == c.dev + 1 && c.copy.present) {
      out[L.pasid_cached(c.dev)] = 1;
      out[L.pasid_cached_mode(c.dev)] = mode_of(c.copy.root);
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
  return std::nullopt;
}

// The IOTLB, the paging-structure cache and the device TLB.
std::optional<std::string> project_tlbs(const Model& m, const State& s, const Layout& L,
                                        std::vector<int>& out) {
  [[maybe_unused]] const int frames = m.bounds().frames;
  [[maybe_unused]] const int devices = static_cast<int>(s.devices.size());
  [[maybe_unused]] const bool slots = L.slots() > 1;
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
      cached(L.iotlb_user(d), L.iotlb_user_frame(d), L.iotlb_user_w(d), L.iotlb_user_freed(d), x);
      continue;
    }
    if (x.key.space == Space::iova) {  // the DMA domain's entries: RID_PASID or the PASID
      const int d = x.did - m.dma_did(0);
      if (d < 0 || d >= devices || x.key.page != 0 || (x.pasid != 0 && x.pasid != d + 1))
        return "IOTLB entry off kcore";
      const int k = x.pasid == 0 ? 0 : 1;
      cached(L.iotlb_iova(d, k), L.iotlb_iova_frame(d, k), L.iotlb_iova_w(d, k),
             L.iotlb_iova_freed(d, k), x);
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
    out[L.iotlb(d, i)] = 1;
    out[L.iotlb_frame(d, i)] = x.frame;
    out[L.iotlb_w(d, i)] = x.w;
    out[L.iotlb_nx(d, i)] = x.nx;
    out[L.iotlb_freed(d, i)] = x.freed;
  }
  for (const auto& x : s.psc) {
    const int d = x.pasid - 1;
    if (d < 0 || d >= devices || x.index != 0) return "PSC entry off kcore";
    if (x.space == Space::direct) {
      out[L.psc_direct(d)] = 1;
      out[L.psc_direct_table(d)] = x.table;
      out[L.psc_direct_freed(d)] = x.freed;
      out[L.psc_direct_reused(d)] = x.reused;
      out[L.psc_direct_frozen_present(d)] = x.frozen.present;
      out[L.psc_direct_frozen_w(d)] = x.frozen.w;
    } else {
      out[L.psc_vmalloc(d)] = 1;
      out[L.psc_vmalloc_table(d)] = x.table;
      out[L.psc_vmalloc_freed(d)] = x.freed;
      out[L.psc_vmalloc_reused(d)] = x.reused;
    }
  }
  for (const auto& x : s.devtlb) {  // user: user:0 (SVA), iova:0, phys:f; supervisor: kernel
    const int d = x.dev;
    const int i = addr_index(x.page, frames);
    if (x.priv == Priv::supervisor && i >= 0 && x.pasid == d + 1 &&
        (x.ctx.root == Root::kernel || x.ctx.root == Root::mirror)) {
      cached(L.devtlb(d, i), L.devtlb_frame(d, i), L.devtlb_w(d, i), L.devtlb_freed(d, i), x);
      continue;
    }
    if (x.priv != Priv::user) return "device-TLB entry off kcore";
    if (x.page.space == Space::iova && x.page.page == 0 && x.ctx.root == Root::dma &&
        (x.pasid == 0 || x.pasid == d + 1)) {
      const int k = x.pasid == 0 ? 0 : 1;
      cached(L.devtlb_iova(d, k), L.devtlb_iova_frame(d, k), L.devtlb_iova_w(d, k),
             L.devtlb_iova_freed(d, k), x);
      continue;
    }
    if (x.page.space == Space::phys && x.pasid == d + 1 && x.ctx.root == Root::passthrough &&
        x.frame == x.page.page && x.w) {
      out[L.devtlb_phys(d, x.frame)] = 1;
      out[L.devtlb_phys_freed(d, x.frame)] = x.freed;
      continue;
    }
    if (x.pasid != d + 1 || !(x.page == Addr{Space::user, 0}) || x.ctx.root != Root::sva)
      return "device-TLB entry off kcore";
    cached(L.devtlb_user(d), L.devtlb_user_frame(d), L.devtlb_user_w(d), L.devtlb_user_freed(d), x);
  }
  return std::nullopt;
}

// User SVA: mm 0, its page user:0, page requests of PASID d+1 (group 0), the ghost flags.
std::optional<std::string> project_user_sva(const Model& m, const State& s, const Layout& L,
                                            std::vector<int>& out) {
  [[maybe_unused]] const int frames = m.bounds().frames;
  [[maybe_unused]] const int devices = static_cast<int>(s.devices.size());
  [[maybe_unused]] const bool slots = L.slots() > 1;
  const Mm& mm = s.mms[0];
  out[L.mm_life()] = static_cast<int>(mm.life);
  if (mm.pasid > devices) return "mm PASID off kcore";
  out[L.mm_pasid()] = mm.pasid > 0 ? mm.pasid : 0;
  const UserPage& up = mm.pages[0];
  out[L.user_page()] = static_cast<int>(up.kind);
  if (up.kind != UserPage::Kind::novma) out[L.user_page_w()] = up.w;
  if (up.kind == UserPage::Kind::mapped) out[L.user_page_frame()] = up.frame;
  out[L.bad_response()] = s.bad_response;
  for (const auto& r : s.prq) {
    if (r.pasid != r.dev + 1 || r.page != 0 || r.group != 0) return "page request off kcore";
    out[L.page_request(r.dev)] = 1;
    out[L.page_request_write(r.dev)] = r.access == Access::write;
    out[L.page_request_stale(r.dev)] = r.stale;
  }
  // `quiesced` is read only when a page request is raised, through an SVA entry or copy: it is
  // kept while the mm owns the PASID or an SVA copy is cached (as the explicit engine's
  // canonical state keeps it), else written as clear.
  for (int d = 0; d < devices; ++d) {
    const bool live = out[L.mm_pasid()] == d + 1 ||
                      (out[L.pasid_cached(d)] && out[L.pasid_cached_mode(d)] == kModeSva);
    out[L.quiesced(d)] = live && s.devices[d].quiesced[d + 1];
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> project(const Model& m, const State& s, std::vector<int>& out) {
  const Layout& L =
      layout(Size{m.bounds().frames, static_cast<int>(s.devices.size()), m.bounds().slots});
  out.assign(L.vars().size(), 0);
  for (auto part : {project_kernel_memory, project_devices, project_pasid_cache, project_tlbs,
                    project_user_sva})
    if (auto err = part(m, s, L, out)) return err;
  return std::nullopt;
}

}  // namespace pasidcheck::solver::kcore
