#include "model/footprint.h"

namespace pasidcheck::model {

Footprint footprint(const Op& op) {
  using D = Footprint::Devices;
  switch (op.kind) {
    // Kernel memory that only allocates: frames, the direct map's and vmalloc's tables.
    case OpKind::kalloc:
    case OpKind::vmalloc:
    // User mms: their pages, and the SVA notifier's IOTLB/device-TLB invalidation
    // (invalidate.cpp sva_notify), none of it per device.
    case OpKind::mm_create:
    case OpKind::mm_mmap:
    case OpKind::mm_map:
    case OpKind::mm_unmap:
    case OpKind::mm_protect:
    case OpKind::mm_drop:
      return {D::none, -1};
    // The device's own PASID entries, bindings, DMA domain and KVA grants (iommu_api.cpp,
    // device.cpp); cache fills and flushes are global vectors, not per device.
    case OpKind::pasid_enable:
    case OpKind::pasid_disable:
    case OpKind::dma_map:
    case OpKind::dma_unmap:
    case OpKind::fq_flush:
    case OpKind::kva_map:
    case OpKind::kva_unmap:
    case OpKind::sva_bind:
    case OpKind::sva_unbind:
    case OpKind::iopf_handle:
    case OpKind::device_quiesce:
    case OpKind::dma:
    case OpKind::ats_translate:
    case OpKind::dma_translated:
    case OpKind::iommu_walk:
    case OpKind::cache_evict:
      return {D::one, op.dev};
    // The kernel-table notifier syncs every device's strict mirror and nothing else of theirs
    // (invalidate.cpp kpt_notify); freeing a page-table page flushes only the global caches
    // (kernel_mem.cpp do_kpt_free, kpt_notify_all).
    case OpKind::kfree:
    case OpKind::vfree:
    case OpKind::set_memory:
    case OpKind::pagealloc_unmap:
    case OpKind::pagealloc_map:
      return {D::all, -1, true};
    case OpKind::kpt_free:
      return {D::none, -1};
    // mm_exit tears down every device bound to the mm (user_mm.cpp do_mm_exit).
    case OpKind::mm_exit:
      return {D::all, -1};
  }
  return {D::all, -1};
}

}  // namespace pasidcheck::model
