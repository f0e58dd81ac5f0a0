// The driver-facing IOMMU API under test (MODEL.md §4 "Driver-facing IOMMU API", §8.2, §8.7-§8.10,
// §8.18-§8.19): the proposal's iommu_dma_pasid_enable() with its three modes, the DMA API with
// flush queues and bounce buffers, iommu_map_kva() in strict and fast sub-modes, user SVA binding,
// I/O page fault handling and PASID teardown.
//
// PASID life-cycle (kernel PASIDs; SVA PASIDs are owned by the mm and freed at mm_drop):
//
//     free --pasid_enable--> allocated(kernel, dev) --pasid_disable--> free
//     free --sva_bind(first)--> allocated(mm) --sva_unbind...--> (still mm's) --mm_drop--> free
#include <algorithm>
#include <stdexcept>

#include "model/step_context.h"

namespace pasidcheck::model::detail {
namespace {

void clear_kva(DeviceState& ds, int pasid) {
  ds.kva[pasid].clear();
  ds.mirror[pasid].clear();
}

// intel_pasid_tear_down_entry() + the proposal's teardown order (MODEL.md §8.9).
void teardown(Ctx& c, int dev, int pasid, bool free_it) {
  DeviceState& ds = c.s.devices[dev];
  const int did = ds.entries[pasid].present ? ds.entries[pasid].did : kSvaDid;
  const Teardown t = c.m.knobs().teardown;
  ds.quiesced[pasid] = true;
  if (t == Teardown::free_first && ds.entries[pasid].root == Root::mirror) {
    // §8.38: the mirror is freed, but a cached copy of the entry keeps walking its last contents.
    for (auto& pc : c.s.pasid_cache) {
      if (pc.dev != dev || pc.pasid != pasid || pc.copy.root != Root::mirror || pc.copy.frozen)
        continue;
      pc.copy.frozen = true;
      pc.frozen_mirror = ds.mirror[pasid];
    }
  }
  ds.entries[pasid] = PasidEntry{};
  if (t != Teardown::free_first) {
    inv_pasid_cache(c.s, dev, pasid);
    inv_iotlb_psc(c.s, did, pasid);
    if (t != Teardown::no_devtlb) inv_devtlb(c.s, dev, pasid);
    if (t != Teardown::no_drain) drain_prq(c.s, dev, pasid);
  }
  ds.bound[pasid] = false;
  clear_kva(ds, pasid);
  if (free_it) free_pasid(c.s, pasid);
}

// A new strict mirror's DID: the lowest one no live domain holds (domain_alloc -> ida_alloc_range,
// MODEL.md §8.30). DMA domains live for the device's lifetime; a mirror's DID is freed with it.
int alloc_mirror_did(const Model& m, const State& s) {
  std::vector<bool> used(kFirstDomainDid + m.device_count() + m.device_count() * m.bounds().pasids,
                         false);
  for (int d = 0; d < m.device_count(); ++d) used[m.dma_did(d)] = true;
  for (const auto& ds : s.devices)
    for (const auto& e : ds.entries)
      if (e.present && e.root == Root::mirror) used[e.did] = true;
  int did = kFirstDomainDid;
  while (used[did]) ++did;
  return did;
}

void refuse(Ctx& c, FaultReason why) {
  c.out.result = Result::refused;
  c.out.fault = why;
}

}  // namespace
}  // namespace pasidcheck::model::detail

namespace pasidcheck::model {

bool fast_kva_for(const Model& m, int dev) {
  switch (m.knobs().kva_fast_for) {
    case FastFor::none:
      return false;
    case FastFor::trusted:
      return m.trusted(dev);
    case FastFor::all:
      return true;
  }
  return false;
}

EnableDecision enable_decision(const Model& m, int d, Mode mode) {
  const Knobs& k = m.knobs();
  if (!m.device(d).pasid_capable) return {true, FaultReason::not_pasid_capable};
  // 2021 intel_svm_bind_mm(init_mm, SVM_FLAG_SUPERVISOR_MODE): no trust check at all.
  if (k.kernel_pasid == KernelPasid::init_mm_sva)
    return {false, FaultReason::none, Root::kernel, Submode::init_mm};
  switch (mode) {
    case Mode::bypass:
      if (k.bypass_for == BypassFor::trusted && !m.trusted(d))
        return {true, FaultReason::not_allowed};
      return {false, FaultReason::none, Root::passthrough, Submode::bypass};
    case Mode::iova:
      return {false, FaultReason::none, Root::dma, Submode::iova};
    case Mode::kva:
      if (k.kernel_pasid == KernelPasid::dma_api) return {true, FaultReason::not_allowed};
      if (fast_kva_for(m, d)) return {false, FaultReason::none, Root::kernel, Submode::fast};
      return {false, FaultReason::none, Root::mirror, Submode::strict};
  }
  return {true, FaultReason::not_allowed};
}

}  // namespace pasidcheck::model

namespace pasidcheck::model::detail {

// iommu_dma_pasid_enable(dev, mode) per `kernel_pasid` (MODEL.md §8.2). A refusal changes nothing.
Error do_pasid_enable(Ctx& c) {
  const int d = c.op.dev, p = c.op.pasid;
  if (p == 0) return fail("pasid_enable needs a PASID >= 1");
  if (c.s.pasids[p].kind != PasidOwner::Kind::free)
    return fail("PASID " + std::to_string(p) + " is not free");
  const EnableDecision got = enable_decision(c.m, d, c.op.mode);
  if (got.refused) return refuse(c, got.why), kOk;
  const bool wpe = c.m.knobs().wpe;
  PasidEntry e;
  switch (got.root) {
    case Root::kernel:  // fast KVA or init_mm: the CPU kernel table, SRE set, the kernel DID
      e = {true, Root::kernel, -1, true, wpe, false, kKernelDid, got.submode};
      break;
    case Root::passthrough:
      e = {true, Root::passthrough, -1, false, wpe, false, kSvaDid, got.submode};
      break;
    case Root::dma:  // the device's DMA domain
      e = {true, Root::dma, d, false, wpe, false, c.m.dma_did(d), got.submode};
      break;
    case Root::mirror:  // a strict mirror with a DID of its own
      e = {true, Root::mirror, d, true, wpe, false, alloc_mirror_did(c.m, c.s), got.submode};
      break;
    case Root::none:
    case Root::sva:
      throw std::logic_error("enable_decision: no kernel PASID has this root");
  }
  DeviceState& ds = c.s.devices[d];
  ds.entries[p] = e;
  ds.bound[p] = true;
  ds.quiesced[p] = false;
  c.s.pasids[p] = {PasidOwner::Kind::kernel, d};
  c.out.submode = e.submode;
  c.out.pasid = p;
  return kOk;
}

Error do_pasid_disable(Ctx& c) {
  const int d = c.op.dev, p = c.op.pasid;
  const PasidOwner o = c.s.pasids[p];
  if (o.kind != PasidOwner::Kind::kernel || o.id != d || !c.s.devices[d].bound[p])
    return fail("PASID " + std::to_string(p) + " is not a kernel PASID enabled on this device");
  teardown(c, d, p, true);
  return kOk;
}

// dma_map_single() -> iommu_dma_map_page(); swiotlb bounce for sub-page buffers of untrusted
// devices.
Error do_dma_map(Ctx& c) {
  const int d = c.op.dev;
  const Frame& fr = c.s.frames[c.op.frame];
  IovaPage& page = c.s.devices[d].iova[c.op.iova];
  if (fr.use != FrameUse::kdata)
    return fail("frame is not kernel data (" + to_string(fr.use) + ")");
  if (!fr.vmap && !(fr.slots & (1u << c.op.slot)))
    return fail("slot is not an allocated slab object");
  if (page.kind != IovaPage::Kind::free)
    return fail("iova page is in use (mapped or awaiting a flush)");
  const bool w = c.op.dir != Dir::to_device;  // first-stage tables cannot express write-only
  if (w && cpu_executable(c.s, c.op.frame, c.m.bounds().text_pages))
    return fail(
        "frame is CPU-executable: the kernel does not map code for device writes (W^X, MODEL.md "
        "§8.25)");
  const bool sub_page = !fr.vmap && c.m.bounds().slots > 1;
  const bool bounce = sub_page && !c.m.trusted(d) && c.m.knobs().bounce_untrusted;
  if (bounce) {
    const int b = c.op.bounce_frame;
    if (b < 0) return fail("this map is bounced: bounce_frame is needed");
    if (c.s.frames[b].use != FrameUse::free) return fail("bounce_frame is not free");
    take_frame(c.s, b, FrameUse::bounce, d);
    page = {IovaPage::Kind::mapped, b, all_slots(c.m.bounds()), w, c.op.frame, c.op.slot, true};
  } else {
    const std::uint32_t slots = fr.vmap ? all_slots(c.m.bounds()) : (1u << c.op.slot);
    page = {IovaPage::Kind::mapped, c.op.frame, slots, w, c.op.frame, c.op.slot, false};
  }
  c.out.iova = c.op.iova;
  c.out.frame = page.frame;
  return kOk;
}

// iommu_dma_unmap_page(): strict domains sync the IOTLB now; lazy ones queue_iova().
Error do_dma_unmap(Ctx& c) {
  const int d = c.op.dev;
  IovaPage& page = c.s.devices[d].iova[c.op.iova];
  if (page.kind != IovaPage::Kind::mapped) return fail("iova page is not mapped");
  if (c.m.lazy(d)) {
    page.kind = IovaPage::Kind::queued;
    return kOk;
  }
  inv_iova_page(c.m, c.s, d, c.op.iova);
  if (page.bounced) release_frame(c.s, page.frame);
  page = IovaPage{};
  return kOk;
}

// fq_flush_timeout() -> iommu_flush_iotlb_all(), then the queued IOVAs (and bounce pages) are
// freed.
Error do_fq_flush(Ctx& c) {
  const int d = c.op.dev;
  for (int i = 0; i < c.m.bounds().iova_pages; ++i) {
    IovaPage& page = c.s.devices[d].iova[i];
    if (page.kind != IovaPage::Kind::queued) continue;
    inv_iova_page(c.m, c.s, d, i);
    if (page.bounced) release_frame(c.s, page.frame);
    page = IovaPage{};
  }
  return kOk;
}

// The proposal's iommu_map_kva(): strict mirrors the CPU leaf (4 KiB, at most the CPU's
// permissions, MODEL.md §8.7); fast only checks the range and records the grant.
Error do_kva_map(Ctx& c) {
  const int d = c.op.dev, p = c.op.pasid;
  DeviceState& ds = c.s.devices[d];
  const PasidEntry& e = ds.entries[p];
  const bool kva_entry = e.present && (e.submode == Submode::strict || e.submode == Submode::fast ||
                                       e.submode == Submode::init_mm);
  if (!ds.bound[p] || !kva_entry)
    return fail("PASID " + std::to_string(p) + " is not a KVA PASID of this device");
  const Addr a = c.op.addr;
  if (a.space != Space::direct && a.space != Space::vmalloc && a.space != Space::text)
    return fail("kva_map takes a kernel address (direct:, vmalloc:, text:)");
  if (ds.kva[p].count(a))
    return fail("address is already kva-mapped on this PASID (single mapping, MODEL.md §8.31)");
  const CpuLeaf leaf = cpu_leaf(c.m, c.s, a);
  if (!leaf.present) return fail("no present CPU leaf at " + to_string(a));
  const Frame& fr = c.s.frames[leaf.frame];
  if (fr.use != FrameUse::kdata && fr.use != FrameUse::ktext)
    return fail("frame is not in kernel use");
  if (c.op.slots.empty()) return fail("slots is empty");
  std::uint32_t mask = 0;
  for (int sl : c.op.slots) mask |= 1u << sl;
  if (fr.use == FrameUse::kdata && !fr.vmap && (fr.slots & mask) != mask)
    return fail("a named slot is not allocated");
  if (fr.vmap && mask != all_slots(c.m.bounds()))
    return fail("a vmalloc-backed frame can only be mapped whole");
  const bool w = c.op.prot == Prot::rw;
  if (w && cpu_executable(c.s, leaf.frame, c.m.bounds().text_pages))
    return fail(
        "frame is CPU-executable: the kernel does not map code for device writes (W^X, MODEL.md "
        "§8.25)");
  // Refusals come after every precondition (MODEL.md §8.36).
  if (c.m.knobs().kva_range == KvaRange::direct_map && a.space != Space::direct)
    return refuse(c, FaultReason::not_allowed), kOk;
  const bool strict = e.submode == Submode::strict;
  if (strict && c.m.knobs().kva_page_aligned_untrusted && !c.m.trusted(d) &&
      mask != all_slots(c.m.bounds()))
    return refuse(c, FaultReason::not_allowed), kOk;
  ds.kva[p][a] = {leaf.frame, mask, w};
  if (strict) ds.mirror[p][a] = {leaf.frame, w && leaf.w};
  c.out.frame = leaf.frame;
  c.out.submode = e.submode;
  return kOk;
}

Error do_kva_unmap(Ctx& c) {
  const int d = c.op.dev, p = c.op.pasid;
  DeviceState& ds = c.s.devices[d];
  if (!ds.kva[p].count(c.op.addr)) return fail("address is not kva-mapped on this PASID");
  ds.kva[p].erase(c.op.addr);
  if (ds.mirror[p].erase(c.op.addr) || ds.entries[p].submode == Submode::strict) {
    const int did = ds.entries[p].did;
    std::erase_if(c.s.iotlb, [&](const IotlbEntry& e) {
      return e.did == did && e.pasid == p && e.key == c.op.addr;
    });
    std::erase_if(c.s.devtlb, [&](const DevtlbEntry& e) {
      return e.dev == d && e.pasid == p && e.page == c.op.addr;
    });
  }
  return kOk;
}

// iommu_sva_bind_device() -> iommu_alloc_global_pasid / mm_pasid; intel_svm_set_dev_pasid().
Error do_sva_bind(Ctx& c) {
  const int d = c.op.dev;
  Mm& mm = c.s.mms[c.op.mm];
  DeviceState& ds = c.s.devices[d];
  // Preconditions first, then the variant's refusals (MODEL.md §8.36).
  if (mm.life != Mm::Life::alive) return fail("mm is not alive");
  int p = mm.pasid;
  if (p > 0) {
    if (c.op.pasid > 0 && c.op.pasid != p)
      return fail("the mm already has PASID " + std::to_string(p));
    if (ds.bound[p])
      return fail("device is already bound to this mm (single binding, MODEL.md §8.31)");
  } else if (c.op.pasid > 0) {
    p = c.op.pasid;
    if (c.s.pasids[p].kind != PasidOwner::Kind::free)
      return fail("PASID " + std::to_string(p) + " is not free");
  }
  if (!c.m.knobs().sva) return refuse(c, FaultReason::sva_disabled), kOk;
  if (!c.m.device(d).pasid_capable || !c.m.ats(d)) return refuse(c, FaultReason::not_allowed), kOk;
  if (p < 0) {
    for (int q = 1; q < c.m.bounds().pasids && p < 0; ++q)
      if (c.s.pasids[q].kind == PasidOwner::Kind::free) p = q;
    if (p < 0) return refuse(c, FaultReason::no_free_pasid), kOk;
  }
  mm.pasid = p;
  c.s.pasids[p] = {PasidOwner::Kind::mm, c.op.mm};
  ds.entries[p] = {true, Root::sva, c.op.mm, false, c.m.knobs().wpe, false, kSvaDid, Submode::sva};
  ds.bound[p] = true;
  ds.quiesced[p] = false;
  c.out.pasid = p;
  c.out.submode = Submode::sva;
  return kOk;
}

Error do_sva_unbind(Ctx& c) {
  const int d = c.op.dev, p = c.op.pasid;
  if (c.s.pasids[p].kind != PasidOwner::Kind::mm || !c.s.devices[d].bound[p])
    return fail("device is not SVA-bound on PASID " + std::to_string(p));
  teardown(c, d, p, false);
  return kOk;
}

// iommu_report_device_fault() -> iopf_handler -> handle_mm_fault(), then iopf_group_response().
// The vma is looked up in the PASID's *current* owner (MODEL.md §8.10).
Error do_iopf_handle(Ctx& c) {
  const int d = c.op.dev, p = c.op.pasid;
  auto it = std::find_if(c.s.prq.begin(), c.s.prq.end(), [&](const PageRequest& r) {
    return r.dev == d && r.pasid == p && r.group == c.op.group;
  });
  if (it == c.s.prq.end())
    return fail("no outstanding page-request group " + std::to_string(c.op.group) +
                " for this device and PASID");
  const PageRequest req = *it;
  const PasidOwner o = c.s.pasids[p];
  bool success = false;
  if (o.kind == PasidOwner::Kind::mm && c.s.mms[o.id].life == Mm::Life::alive) {
    UserPage& up = c.s.mms[o.id].pages[req.page];
    const bool want_w = req.access == Access::write;
    if (up.kind == UserPage::Kind::mapped) {
      success = !want_w || up.w;
    } else if (up.kind == UserPage::Kind::vma && (!want_w || up.w)) {
      if (c.op.frame < 0)
        return fail("populating user:" + std::to_string(req.page) + " needs a frame");
      if (c.s.frames[c.op.frame].use != FrameUse::free) return fail("frame is not free");
      take_frame(c.s, c.op.frame, FrameUse::user, o.id);
      up = {UserPage::Kind::mapped, up.w, c.op.frame};
      c.out.frame = c.op.frame;
      success = true;
    }
  }
  if (req.stale) c.s.bad_response = true;
  c.s.prq.erase(it);
  c.out.group = req.group;
  if (!success) {
    c.out.result = Result::fault;
    c.out.fault = FaultReason::invalid;
  }
  return kOk;
}

Error do_device_quiesce(Ctx& c) {
  if (c.op.pasid == 0) return fail("device_quiesce needs a PASID >= 1");
  c.s.devices[c.op.dev].quiesced[c.op.pasid] = true;
  return kOk;
}

// This family's rows of op_catalogue() (model/ops.cpp gathers them in OpKind order): each op's
// trace name, arguments and meaning (TRACE-FORMAT.md), its handler above, what it may write
// (model/footprint.h; tests/footprint_test.cpp checks the handler stays inside it) and how often
// random search tries it (fuzz/op_gen.cpp).
const std::vector<OpSpec>& iommu_api_ops() {
  using A = Arg;
  using D = Footprint::Devices;
  using P = Footprint::Part;
  static const std::vector<OpSpec> rows{
      {.kind = OpKind::pasid_enable,
       .name = "pasid_enable",
       .required = {A::dev, A::pasid, A::mode},
       .optional = {},
       .meaning = "iommu_dma_pasid_enable(dev, mode) on a named free PASID",
       .handler = do_pasid_enable,
       .writes = {D::one, -1, P::entries | P::grants | P::mirrors, false},
       .weight = 4},
      {.kind = OpKind::pasid_disable,
       .name = "pasid_disable",
       .required = {A::dev, A::pasid},
       .optional = {},
       .meaning = "tear a kernel PASID down in the variant's order",
       .handler = do_pasid_disable,
       .writes = {D::one, -1, P::entries | P::grants | P::mirrors, false},
       .weight = 1},
      {.kind = OpKind::dma_map,
       .name = "dma_map",
       .required = {A::dev, A::frame, A::slot, A::dir, A::iova},
       .optional = {A::bounce_frame},
       .meaning = "dma_map_single into the device's DMA domain at a named iova",
       .handler = do_dma_map,
       .writes = {D::one, -1, P::domain, true},
       .weight = 4},
      {.kind = OpKind::dma_unmap,
       .name = "dma_unmap",
       .required = {A::dev, A::iova},
       .optional = {},
       .meaning = "dma_unmap_single",
       .handler = do_dma_unmap,
       .writes = {D::one, -1, P::domain, true},
       .weight = 2},
      {.kind = OpKind::fq_flush,
       .name = "fq_flush",
       .required = {A::dev},
       .optional = {},
       .meaning = "the flush-queue timer of a lazy domain",
       .handler = do_fq_flush,
       .writes = {D::one, -1, P::domain, true},
       .weight = 1},
      {.kind = OpKind::kva_map,
       .name = "kva_map",
       .required = {A::dev, A::pasid, A::addr, A::slots, A::prot},
       .optional = {},
       .meaning = "iommu_map_kva: grant a kernel buffer (strict: mirror it)",
       .handler = do_kva_map,
       .writes = {D::one, -1, P::grants | P::mirrors, false},
       .weight = 3},
      {.kind = OpKind::kva_unmap,
       .name = "kva_unmap",
       .required = {A::dev, A::pasid, A::addr},
       .optional = {},
       .meaning = "iommu_unmap_kva",
       .handler = do_kva_unmap,
       .writes = {D::one, -1, P::grants | P::mirrors, false},
       .weight = 1},
      {.kind = OpKind::sva_bind,
       .name = "sva_bind",
       .required = {A::dev, A::mm},
       .optional = {A::pasid},
       .meaning = "iommu_sva_bind_device",
       .handler = do_sva_bind,
       .writes = {D::one, -1, P::entries | P::grants | P::mirrors, false},
       .weight = 3},
      {.kind = OpKind::sva_unbind,
       .name = "sva_unbind",
       .required = {A::dev, A::pasid},
       .optional = {},
       .meaning = "iommu_sva_unbind_device",
       .handler = do_sva_unbind,
       .writes = {D::one, -1, P::entries | P::grants | P::mirrors, false},
       .weight = 1},
      {.kind = OpKind::iopf_handle,
       .name = "iopf_handle",
       .required = {A::dev, A::pasid, A::group},
       .optional = {A::frame},
       .meaning = "handle a page-request group: populate from the vma, respond SUCCESS or INVALID",
       .handler = do_iopf_handle,
       .writes = {D::none, -1, 0, true},
       .weight = 2},
      {.kind = OpKind::device_quiesce,
       .name = "device_quiesce",
       .required = {A::dev, A::pasid},
       .optional = {},
       .meaning = "the driver stops the device's work on a PASID",
       .handler = do_device_quiesce,
       .writes = {D::one, -1, P::entries, false},
       .weight = 1}};
  return rows;
}

}  // namespace pasidcheck::model::detail
