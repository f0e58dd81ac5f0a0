#include "model/ops.h"

#include <array>

namespace pasidcheck::model {
namespace {

using A = Arg;

constexpr std::array<const char*, 22> kArgNames{"dev",    "pasid",       "mode",
                                                "frame",  "slot",        "slots",
                                                "page",   "table_frame", "alias_table_frame",
                                                "addr",   "count",       "attr",
                                                "dir",    "prot",        "priv",
                                                "access", "mm",          "w",
                                                "group",  "iova",        "bounce_frame",
                                                "entry"};

const std::vector<OpSpec> kCatalogue{
    {OpKind::kalloc, "kalloc", {A::frame, A::slot}, {}, "allocate a slab object (frame, slot)"},
    {OpKind::kfree,
     "kfree",
     {A::frame, A::slot},
     {},
     "free a slab object; needs no live grant on it"},
    {OpKind::vmalloc,
     "vmalloc",
     {A::page, A::frame},
     {A::table_frame},
     "map a vmalloc page RW+NX to a free frame (table_frame for a group's first mapping)"},
    {OpKind::vfree,
     "vfree",
     {A::page},
     {A::alias_table_frame},
     "reset the alias to RW (VM_FLUSH_RESET_PERMS), clear the leaf, free the frame"},
    {OpKind::set_memory,
     "set_memory",
     {A::addr, A::count, A::attr},
     {A::table_frame, A::alias_table_frame},
     "change_page_attr on a direct or vmalloc range (splits name their table frames)"},
    {OpKind::pagealloc_unmap,
     "pagealloc_unmap",
     {A::frame},
     {},
     "DEBUG_PAGEALLOC: unmap a free frame's direct-map leaf"},
    {OpKind::pagealloc_map,
     "pagealloc_map",
     {A::frame},
     {},
     "DEBUG_PAGEALLOC: map an allocated frame's direct-map leaf"},
    {OpKind::kpt_free,
     "kpt_free",
     {A::addr},
     {},
     "free the kernel page-table page covering addr (empty vmalloc group, or CPA collapse)"},
    {OpKind::mm_create, "mm_create", {A::mm}, {}, "create a process address space"},
    {OpKind::mm_mmap, "mm_mmap", {A::mm, A::page, A::prot}, {}, "add a vma, not populated"},
    {OpKind::mm_map, "mm_map", {A::mm, A::page, A::frame, A::w}, {}, "populate a user page"},
    {OpKind::mm_unmap, "mm_unmap", {A::mm, A::page}, {}, "munmap a page and free its frame"},
    {OpKind::mm_protect, "mm_protect", {A::mm, A::page, A::w}, {}, "mprotect a page"},
    {OpKind::mm_exit, "mm_exit", {A::mm}, {}, "exit_mmap: SVA release, pages freed"},
    {OpKind::mm_drop, "mm_drop", {A::mm}, {}, "mmdrop: the mm's PASID is freed"},
    {OpKind::pasid_enable,
     "pasid_enable",
     {A::dev, A::pasid, A::mode},
     {},
     "iommu_dma_pasid_enable(dev, mode) on a named free PASID"},
    {OpKind::pasid_disable,
     "pasid_disable",
     {A::dev, A::pasid},
     {},
     "tear a kernel PASID down in the variant's order"},
    {OpKind::dma_map,
     "dma_map",
     {A::dev, A::frame, A::slot, A::dir, A::iova},
     {A::bounce_frame},
     "dma_map_single into the device's DMA domain at a named iova"},
    {OpKind::dma_unmap, "dma_unmap", {A::dev, A::iova}, {}, "dma_unmap_single"},
    {OpKind::fq_flush, "fq_flush", {A::dev}, {}, "the flush-queue timer of a lazy domain"},
    {OpKind::kva_map,
     "kva_map",
     {A::dev, A::pasid, A::addr, A::slots, A::prot},
     {},
     "iommu_map_kva: grant a kernel buffer (strict: mirror it)"},
    {OpKind::kva_unmap, "kva_unmap", {A::dev, A::pasid, A::addr}, {}, "iommu_unmap_kva"},
    {OpKind::sva_bind, "sva_bind", {A::dev, A::mm}, {A::pasid}, "iommu_sva_bind_device"},
    {OpKind::sva_unbind, "sva_unbind", {A::dev, A::pasid}, {}, "iommu_sva_unbind_device"},
    {OpKind::iopf_handle,
     "iopf_handle",
     {A::dev, A::pasid, A::group},
     {A::frame},
     "handle a page-request group: populate from the vma, respond SUCCESS or INVALID"},
    {OpKind::device_quiesce,
     "device_quiesce",
     {A::dev, A::pasid},
     {},
     "the driver stops the device's work on a PASID"},
    {OpKind::dma,
     "dma",
     {A::dev, A::pasid, A::priv, A::addr, A::access},
     {A::frame, A::group},
     "an untranslated DMA request (frame: where a reused stale table points; group: the page "
     "request's group if one is raised)"},
    {OpKind::ats_translate,
     "ats_translate",
     {A::dev, A::pasid, A::addr, A::access},
     {A::priv, A::group},
     "an ATS translation request (fills the device TLB; group: as for dma)"},
    {OpKind::dma_translated,
     "dma_translated",
     {A::dev, A::pasid, A::frame, A::access},
     {},
     "a translated request (not checked by the IOMMU when ATS is on)"},
    {OpKind::iommu_walk,
     "iommu_walk",
     {A::dev, A::pasid, A::addr},
     {A::priv},
     "a speculative page walk that only fills caches (no permission check, no page request)"},
    {OpKind::cache_evict, "cache_evict", {A::entry}, {}, "hardware drops a cached entry"},
};

}  // namespace

const std::vector<OpSpec>& op_catalogue() {
  return kCatalogue;
}

const OpSpec& op_spec(OpKind k) {
  return kCatalogue.at(static_cast<std::size_t>(k));
}

bool parse(const std::string& s, OpKind& out) {
  for (const auto& spec : kCatalogue) {
    if (spec.name == s) {
      out = spec.kind;
      return true;
    }
  }
  return false;
}

std::string to_string(OpKind k) {
  return op_spec(k).name;
}

std::string to_string(Arg a) {
  return kArgNames.at(static_cast<std::size_t>(a));
}

bool parse(const std::string& s, Arg& out) {
  for (std::size_t i = 0; i < kArgNames.size(); ++i) {
    if (s == kArgNames[i]) {
      out = static_cast<Arg>(i);
      return true;
    }
  }
  return false;
}

std::string to_string(Prot p) {
  return p == Prot::r ? "r" : "rw";
}

bool parse(const std::string& s, Prot& out) {
  if (s == "r")
    out = Prot::r;
  else if (s == "rw")
    out = Prot::rw;
  else
    return false;
  return true;
}

}  // namespace pasidcheck::model
