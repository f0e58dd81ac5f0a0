#include "model/footprint.h"

namespace pasidcheck::model {

namespace {

// Does the op's handler allocate, free or re-slot a frame? Requests, bindings, grants and mm
// bookkeeping do not; everything that takes or releases a frame (frames.cpp take_frame,
// release_frame) does, as do the direct-map changes that may split a block into a new table.
bool writes_frames(OpKind k) {
  switch (k) {
    case OpKind::dma:
    case OpKind::ats_translate:
    case OpKind::dma_translated:
    case OpKind::iommu_walk:
    case OpKind::cache_evict:
    case OpKind::device_quiesce:
    case OpKind::pasid_enable:
    case OpKind::pasid_disable:
    case OpKind::sva_bind:
    case OpKind::sva_unbind:
    case OpKind::kva_map:
    case OpKind::kva_unmap:
    case OpKind::mm_create:
    case OpKind::mm_mmap:
    case OpKind::mm_protect:
    case OpKind::mm_drop:
      return false;
    default:
      return true;
  }
}

Footprint devices_of(const Op& op) {
  using D = Footprint::Devices;
  using P = Footprint::Part;
  switch (op.kind) {
    // Kernel memory that only allocates: frames, the direct map's and vmalloc's tables.
    case OpKind::kalloc:
    case OpKind::vmalloc:
    // Freeing a page-table page flushes only the global caches (kernel_mem.cpp do_kpt_free,
    // invalidate.cpp kpt_notify_all).
    case OpKind::kpt_free:
    // User mms: their pages, and the SVA notifier's IOTLB/device-TLB invalidation
    // (invalidate.cpp sva_notify), none of it per device.
    case OpKind::mm_create:
    case OpKind::mm_mmap:
    case OpKind::mm_map:
    case OpKind::mm_unmap:
    case OpKind::mm_protect:
    case OpKind::mm_drop:
    // Requests and their answers fill or drop global caches, page requests and user pages
    // (device.cpp serve, iommu_api.cpp do_iopf_handle); hardware evicting a cached entry likewise.
    case OpKind::dma:
    case OpKind::ats_translate:
    case OpKind::dma_translated:
    case OpKind::iommu_walk:
    case OpKind::iopf_handle:
    case OpKind::cache_evict:
      return {D::none, -1, 0};
    // Binding and teardown write the PASID entry and clear the PASID's grants and mirror
    // (iommu_api.cpp teardown, clear_kva).
    case OpKind::pasid_enable:
    case OpKind::pasid_disable:
    case OpKind::sva_bind:
    case OpKind::sva_unbind:
      return {D::one, op.dev, P::entries | P::grants | P::mirrors};
    case OpKind::device_quiesce:
      return {D::one, op.dev, P::entries};
    // The DMA API writes the device's domain (iommu_api.cpp do_dma_map, do_dma_unmap,
    // do_fq_flush).
    case OpKind::dma_map:
    case OpKind::dma_unmap:
    case OpKind::fq_flush:
      return {D::one, op.dev, P::domain};
    case OpKind::kva_map:
    case OpKind::kva_unmap:
      return {D::one, op.dev, P::grants | P::mirrors};
    // The kernel-table notifier syncs every device's strict mirrors and nothing else of theirs
    // (invalidate.cpp kpt_notify).
    case OpKind::kfree:
    case OpKind::vfree:
    case OpKind::set_memory:
    case OpKind::pagealloc_unmap:
    case OpKind::pagealloc_map:
      return {D::all, -1, P::mirrors};
    // mm_exit clears the mm's PASID entry on every device bound to it (user_mm.cpp do_mm_exit).
    case OpKind::mm_exit:
      return {D::all, -1, P::entries};
  }
  return {D::all, -1, P::every};
}

}  // namespace

Footprint footprint(const Op& op) {
  Footprint fp = devices_of(op);
  fp.frames = writes_frames(op.kind);
  return fp;
}

std::optional<std::string> outside_footprint(const State& before, const State& after,
                                             const Footprint& fp) {
  using P = Footprint::Part;
  if (!fp.frames && !(before.frames == after.frames)) return "changed a frame";
  for (std::size_t i = 0; i < before.devices.size(); ++i) {
    const int d = static_cast<int>(i);
    const DeviceState& was = before.devices[i];
    const DeviceState& now = after.devices[i];
    const std::string of = " of device " + std::to_string(d);
    if (!fp.touches(d)) {
      if (!(was == now)) return "changed the state" + of;
      continue;
    }
    if (!fp.writes(P::entries) &&
        !(was.entries == now.entries && was.bound == now.bound && was.quiesced == now.quiesced))
      return "changed the PASID entries" + of;
    if (!fp.writes(P::domain) && !(was.iova == now.iova)) return "changed the DMA domain" + of;
    if (!fp.writes(P::grants) && !(was.kva == now.kva)) return "changed the KVA grants" + of;
    if (!fp.writes(P::mirrors) && !(was.mirror == now.mirror))
      return "changed the strict mirrors" + of;
  }
  return std::nullopt;
}

}  // namespace pasidcheck::model
