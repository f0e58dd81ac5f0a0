#include "model/ops.h"

#include <array>
#include <stdexcept>

#include "model/step_context.h"

namespace pasidcheck::model {
namespace {

using A = Arg;
using D = Footprint::Devices;
using P = Footprint::Part;

constexpr std::array<const char*, 22> kArgNames{"dev",    "pasid",       "mode",
                                                "frame",  "slot",        "slots",
                                                "page",   "table_frame", "alias_table_frame",
                                                "addr",   "count",       "attr",
                                                "dir",    "prot",        "priv",
                                                "access", "mm",          "w",
                                                "group",  "iova",        "bounce_frame",
                                                "entry"};

// One row per op, in OpKind order (op_catalogue() checks the order): its trace name, arguments and
// meaning (TRACE-FORMAT.md), its handler (the model/ family file that implements it), what it may
// write (model/footprint.h; tests/footprint_test.cpp checks the handlers stay inside it) and how
// often random search tries it (fuzz/op_gen.cpp).
const std::vector<OpSpec> kCatalogue{
    {.kind = OpKind::kalloc,
     .name = "kalloc",
     .required = {A::frame, A::slot},
     .optional = {},
     .meaning = "allocate a slab object (frame, slot)",
     .handler = detail::do_kalloc,
     .writes = {D::none, -1, 0, true},
     .weight = 4},
    {.kind = OpKind::kfree,
     .name = "kfree",
     .required = {A::frame, A::slot},
     .optional = {},
     .meaning = "free a slab object; needs no live grant on it",
     .handler = detail::do_kfree,
     .writes = {D::all, -1, P::mirrors, true},
     .weight = 2},
    {.kind = OpKind::vmalloc,
     .name = "vmalloc",
     .required = {A::page, A::frame},
     .optional = {A::table_frame},
     .meaning =
         "map a vmalloc page RW+NX to a free frame (table_frame for a group's first mapping)",
     .handler = detail::do_vmalloc,
     .writes = {D::none, -1, 0, true},
     .weight = 3},
    {.kind = OpKind::vfree,
     .name = "vfree",
     .required = {A::page},
     .optional = {A::alias_table_frame},
     .meaning = "reset the alias to RW (VM_FLUSH_RESET_PERMS), clear the leaf, free the frame",
     .handler = detail::do_vfree,
     .writes = {D::all, -1, P::mirrors, true},
     .weight = 2},
    {.kind = OpKind::set_memory,
     .name = "set_memory",
     .required = {A::addr, A::count, A::attr},
     .optional = {A::table_frame, A::alias_table_frame},
     .meaning = "change_page_attr on a direct or vmalloc range (splits name their table frames)",
     .handler = detail::do_set_memory,
     .writes = {D::all, -1, P::mirrors, true},
     .weight = 3},
    {.kind = OpKind::pagealloc_unmap,
     .name = "pagealloc_unmap",
     .required = {A::frame},
     .optional = {},
     .meaning = "DEBUG_PAGEALLOC: unmap a free frame's direct-map leaf",
     .handler = detail::do_pagealloc_unmap,
     .writes = {D::all, -1, P::mirrors, true},
     .weight = 2,
     .debug_pagealloc_only = true},
    {.kind = OpKind::pagealloc_map,
     .name = "pagealloc_map",
     .required = {A::frame},
     .optional = {},
     .meaning = "DEBUG_PAGEALLOC: map an allocated frame's direct-map leaf",
     .handler = detail::do_pagealloc_map,
     .writes = {D::all, -1, P::mirrors, true},
     .weight = 3,
     .debug_pagealloc_only = true},
    {.kind = OpKind::kpt_free,
     .name = "kpt_free",
     .required = {A::addr},
     .optional = {},
     .meaning =
         "free the kernel page-table page covering addr (empty vmalloc group, or CPA collapse)",
     .handler = detail::do_kpt_free,
     .writes = {D::none, -1, 0, true},
     .weight = 2},
    {.kind = OpKind::mm_create,
     .name = "mm_create",
     .required = {A::mm},
     .optional = {},
     .meaning = "create a process address space",
     .handler = detail::do_mm_create,
     .writes = {D::none, -1, 0, false},
     .weight = 2},
    {.kind = OpKind::mm_mmap,
     .name = "mm_mmap",
     .required = {A::mm, A::page, A::prot},
     .optional = {},
     .meaning = "add a vma, not populated",
     .handler = detail::do_mm_mmap,
     .writes = {D::none, -1, 0, false},
     .weight = 2},
    {.kind = OpKind::mm_map,
     .name = "mm_map",
     .required = {A::mm, A::page, A::frame, A::w},
     .optional = {},
     .meaning = "populate a user page",
     .handler = detail::do_mm_map,
     .writes = {D::none, -1, 0, true},
     .weight = 3},
    {.kind = OpKind::mm_unmap,
     .name = "mm_unmap",
     .required = {A::mm, A::page},
     .optional = {},
     .meaning = "munmap a page and free its frame",
     .handler = detail::do_mm_unmap,
     .writes = {D::none, -1, 0, true},
     .weight = 2},
    {.kind = OpKind::mm_protect,
     .name = "mm_protect",
     .required = {A::mm, A::page, A::w},
     .optional = {},
     .meaning = "mprotect a page",
     .handler = detail::do_mm_protect,
     .writes = {D::none, -1, 0, false},
     .weight = 1},
    {.kind = OpKind::mm_exit,
     .name = "mm_exit",
     .required = {A::mm},
     .optional = {},
     .meaning = "exit_mmap: SVA release, pages freed",
     .handler = detail::do_mm_exit,
     .writes = {D::all, -1, P::entries, true},
     .weight = 1},
    {.kind = OpKind::mm_drop,
     .name = "mm_drop",
     .required = {A::mm},
     .optional = {},
     .meaning = "mmdrop: the mm's PASID is freed",
     .handler = detail::do_mm_drop,
     .writes = {D::none, -1, 0, false},
     .weight = 1},
    {.kind = OpKind::pasid_enable,
     .name = "pasid_enable",
     .required = {A::dev, A::pasid, A::mode},
     .optional = {},
     .meaning = "iommu_dma_pasid_enable(dev, mode) on a named free PASID",
     .handler = detail::do_pasid_enable,
     .writes = {D::one, -1, P::entries | P::grants | P::mirrors, false},
     .weight = 4},
    {.kind = OpKind::pasid_disable,
     .name = "pasid_disable",
     .required = {A::dev, A::pasid},
     .optional = {},
     .meaning = "tear a kernel PASID down in the variant's order",
     .handler = detail::do_pasid_disable,
     .writes = {D::one, -1, P::entries | P::grants | P::mirrors, false},
     .weight = 1},
    {.kind = OpKind::dma_map,
     .name = "dma_map",
     .required = {A::dev, A::frame, A::slot, A::dir, A::iova},
     .optional = {A::bounce_frame},
     .meaning = "dma_map_single into the device's DMA domain at a named iova",
     .handler = detail::do_dma_map,
     .writes = {D::one, -1, P::domain, true},
     .weight = 4},
    {.kind = OpKind::dma_unmap,
     .name = "dma_unmap",
     .required = {A::dev, A::iova},
     .optional = {},
     .meaning = "dma_unmap_single",
     .handler = detail::do_dma_unmap,
     .writes = {D::one, -1, P::domain, true},
     .weight = 2},
    {.kind = OpKind::fq_flush,
     .name = "fq_flush",
     .required = {A::dev},
     .optional = {},
     .meaning = "the flush-queue timer of a lazy domain",
     .handler = detail::do_fq_flush,
     .writes = {D::one, -1, P::domain, true},
     .weight = 1},
    {.kind = OpKind::kva_map,
     .name = "kva_map",
     .required = {A::dev, A::pasid, A::addr, A::slots, A::prot},
     .optional = {},
     .meaning = "iommu_map_kva: grant a kernel buffer (strict: mirror it)",
     .handler = detail::do_kva_map,
     .writes = {D::one, -1, P::grants | P::mirrors, false},
     .weight = 3},
    {.kind = OpKind::kva_unmap,
     .name = "kva_unmap",
     .required = {A::dev, A::pasid, A::addr},
     .optional = {},
     .meaning = "iommu_unmap_kva",
     .handler = detail::do_kva_unmap,
     .writes = {D::one, -1, P::grants | P::mirrors, false},
     .weight = 1},
    {.kind = OpKind::sva_bind,
     .name = "sva_bind",
     .required = {A::dev, A::mm},
     .optional = {A::pasid},
     .meaning = "iommu_sva_bind_device",
     .handler = detail::do_sva_bind,
     .writes = {D::one, -1, P::entries | P::grants | P::mirrors, false},
     .weight = 3},
    {.kind = OpKind::sva_unbind,
     .name = "sva_unbind",
     .required = {A::dev, A::pasid},
     .optional = {},
     .meaning = "iommu_sva_unbind_device",
     .handler = detail::do_sva_unbind,
     .writes = {D::one, -1, P::entries | P::grants | P::mirrors, false},
     .weight = 1},
    {.kind = OpKind::iopf_handle,
     .name = "iopf_handle",
     .required = {A::dev, A::pasid, A::group},
     .optional = {A::frame},
     .meaning = "handle a page-request group: populate from the vma, respond SUCCESS or INVALID",
     .handler = detail::do_iopf_handle,
     .writes = {D::none, -1, 0, true},
     .weight = 2},
    {.kind = OpKind::device_quiesce,
     .name = "device_quiesce",
     .required = {A::dev, A::pasid},
     .optional = {},
     .meaning = "the driver stops the device's work on a PASID",
     .handler = detail::do_device_quiesce,
     .writes = {D::one, -1, P::entries, false},
     .weight = 1},
    {.kind = OpKind::dma,
     .name = "dma",
     .required = {A::dev, A::pasid, A::priv, A::addr, A::access},
     .optional = {A::frame, A::group},
     .meaning =
         "an untranslated DMA request (frame: where a reused stale table points; group: the page "
         "request's group if one is raised)",
     .handler = detail::do_dma,
     .writes = {D::none, -1, 0, false},
     .weight = 8},
    {.kind = OpKind::ats_translate,
     .name = "ats_translate",
     .required = {A::dev, A::pasid, A::addr, A::access},
     .optional = {A::priv, A::group},
     .meaning = "an ATS translation request (fills the device TLB; group: as for dma)",
     .handler = detail::do_ats_translate,
     .writes = {D::none, -1, 0, false},
     .weight = 2},
    {.kind = OpKind::dma_translated,
     .name = "dma_translated",
     .required = {A::dev, A::pasid, A::frame, A::access},
     .optional = {},
     .meaning = "a translated request (not checked by the IOMMU when ATS is on)",
     .handler = detail::do_dma_translated,
     .writes = {D::none, -1, 0, false},
     .weight = 1},
    {.kind = OpKind::iommu_walk,
     .name = "iommu_walk",
     .required = {A::dev, A::pasid, A::addr},
     .optional = {A::priv},
     .meaning =
         "a speculative page walk that only fills caches (no permission check, no page request)",
     .handler = detail::do_iommu_walk,
     .writes = {D::none, -1, 0, false},
     .weight = 3},
    {.kind = OpKind::cache_evict,
     .name = "cache_evict",
     .required = {A::entry},
     .optional = {},
     .meaning = "hardware drops a cached entry",
     .handler = detail::do_cache_evict,
     .writes = {D::none, -1, 0, false},
     .weight = 1},
};

}  // namespace

const std::vector<OpSpec>& op_catalogue() {
  static const bool in_order = [] {
    if (kCatalogue.size() != kOpKinds) throw std::logic_error("op catalogue: one row per OpKind");
    for (std::size_t i = 0; i < kCatalogue.size(); ++i)
      if (static_cast<std::size_t>(kCatalogue[i].kind) != i || kCatalogue[i].handler == nullptr)
        throw std::logic_error("op catalogue: row " + kCatalogue[i].name +
                               " is out of OpKind order");
    return true;
  }();
  (void)in_order;
  return kCatalogue;
}

const OpSpec& op_spec(OpKind k) {
  return op_catalogue()[static_cast<std::size_t>(k)];
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
