// User processes bound with SVA (MODEL.md §3.3, §4 "User processes", §8.9, §8.24). User page tables
// are abstract: every change fires the SVA mmu notifier (intel_arch_invalidate_secondary_tlbs) for
// the mm's PASID when the variant keeps it.
#include "model/step_context.h"

namespace pasidcheck::model::detail {
namespace {

Mm* alive_mm(Ctx& c) {
  Mm& mm = c.s.mms[c.op.mm];
  return mm.life == Mm::Life::alive ? &mm : nullptr;
}

}  // namespace

Error do_mm_create(Ctx& c) {
  Mm& mm = c.s.mms[c.op.mm];
  if (mm.life != Mm::Life::none) return fail("mm already exists");
  mm.life = Mm::Life::alive;
  mm.pasid = -1;
  for (auto& p : mm.pages) p = UserPage{};
  return kOk;
}

// mmap() without MAP_POPULATE: a vma, no page yet.
Error do_mm_mmap(Ctx& c) {
  Mm* mm = alive_mm(c);
  if (!mm) return fail("mm is not alive");
  UserPage& p = mm->pages[c.op.page];
  if (p.kind != UserPage::Kind::novma) return fail("user page already has a vma");
  p = {UserPage::Kind::vma, c.op.prot == Prot::rw, -1};
  return kOk;
}

// A fault or get_user_pages populates the page (not present -> present).
Error do_mm_map(Ctx& c) {
  Mm* mm = alive_mm(c);
  if (!mm) return fail("mm is not alive");
  UserPage& p = mm->pages[c.op.page];
  if (p.kind == UserPage::Kind::mapped) return fail("user page is already mapped");
  if (c.s.frames[c.op.frame].use != FrameUse::free) return fail("frame is not free");
  take_frame(c.s, c.op.frame, FrameUse::user, c.op.mm);
  p = {UserPage::Kind::mapped, c.op.w, c.op.frame};
  sva_notify(c.m, c.s, c.op.mm, c.op.page);
  c.out.frame = c.op.frame;
  return kOk;
}

// munmap(): zap the pte (notifier), then free the page; the vma goes. A vma that was never
// populated just goes (MODEL.md §8.33).
Error do_mm_unmap(Ctx& c) {
  Mm* mm = alive_mm(c);
  if (!mm) return fail("mm is not alive");
  UserPage& p = mm->pages[c.op.page];
  if (p.kind == UserPage::Kind::novma)
    return fail("user page has neither a vma nor a frame (MODEL.md §8.33)");
  if (p.kind == UserPage::Kind::vma) {
    p = UserPage{};
    return kOk;
  }
  const int f = p.frame;
  p = UserPage{};
  sva_notify(c.m, c.s, c.op.mm, c.op.page);
  release_frame(c.s, f);
  return kOk;
}

// mprotect(): change_protection() then the notifier.
Error do_mm_protect(Ctx& c) {
  Mm* mm = alive_mm(c);
  if (!mm) return fail("mm is not alive");
  UserPage& p = mm->pages[c.op.page];
  if (p.kind == UserPage::Kind::novma) return fail("user page has no vma");
  p.w = c.op.w;
  if (p.kind == UserPage::Kind::mapped) sva_notify(c.m, c.s, c.op.mm, c.op.page);
  return kOk;
}

// exit_mmap() -> mmu_notifier_release() -> intel_mm_release(): each bound device's entry is torn
// down with FPD, PASID cache, IOTLB/PSC and device TLB invalidated, no drain; then pages are freed.
Error do_mm_exit(Ctx& c) {
  Mm* mm = alive_mm(c);
  if (!mm) return fail("mm is not alive");
  const int pasid = mm->pasid;
  if (pasid > 0) {
    for (int d = 0; d < c.m.device_count(); ++d) {
      DeviceState& ds = c.s.devices[d];
      if (!ds.bound[pasid]) continue;
      ds.entries[pasid] = PasidEntry{};
      ds.entries[pasid].fpd = true;
      inv_pasid_cache(c.s, d, pasid);
      inv_devtlb(c.s, d, pasid);
    }
    inv_iotlb_psc(c.s, kSvaDid, pasid);
  }
  for (auto& p : mm->pages) {
    if (p.kind == UserPage::Kind::mapped) release_frame(c.s, p.frame);
    p = UserPage{};
  }
  mm->life = Mm::Life::exited;
  return kOk;
}

// mmdrop() -> mm_pasid_drop(): the PASID goes back to the allocator.
Error do_mm_drop(Ctx& c) {
  Mm& mm = c.s.mms[c.op.mm];
  if (mm.life != Mm::Life::exited) return fail("mm_drop needs mm_exit first");
  if (mm.pasid > 0) {
    for (const auto& ds : c.s.devices)
      if (ds.bound[mm.pasid]) return fail("a device is still bound to the mm's PASID");
    free_pasid(c.s, mm.pasid);
  }
  mm = Mm{Mm::Life::none, -1, mm.pages};
  return kOk;
}

// This family's rows of op_catalogue() (model/ops.cpp gathers them in OpKind order): each op's
// trace name, arguments and meaning (TRACE-FORMAT.md), its handler above, what it may write
// (model/footprint.h; tests/footprint_test.cpp checks the handler stays inside it) and how often
// random search tries it (fuzz/op_gen.cpp).
const std::vector<OpSpec>& user_mm_ops() {
  using A = Arg;
  using D = Footprint::Devices;
  using P = Footprint::Part;
  static const std::vector<OpSpec> rows{{.kind = OpKind::mm_create,
                                         .name = "mm_create",
                                         .required = {A::mm},
                                         .optional = {},
                                         .meaning = "create a process address space",
                                         .handler = do_mm_create,
                                         .writes = {D::none, -1, 0, false},
                                         .weight = 2},
                                        {.kind = OpKind::mm_mmap,
                                         .name = "mm_mmap",
                                         .required = {A::mm, A::page, A::prot},
                                         .optional = {},
                                         .meaning = "add a vma, not populated",
                                         .handler = do_mm_mmap,
                                         .writes = {D::none, -1, 0, false},
                                         .weight = 2},
                                        {.kind = OpKind::mm_map,
                                         .name = "mm_map",
                                         .required = {A::mm, A::page, A::frame, A::w},
                                         .optional = {},
                                         .meaning = "populate a user page",
                                         .handler = do_mm_map,
                                         .writes = {D::none, -1, 0, true},
                                         .weight = 3},
                                        {.kind = OpKind::mm_unmap,
                                         .name = "mm_unmap",
                                         .required = {A::mm, A::page},
                                         .optional = {},
                                         .meaning = "munmap a page and free its frame",
                                         .handler = do_mm_unmap,
                                         .writes = {D::none, -1, 0, true},
                                         .weight = 2},
                                        {.kind = OpKind::mm_protect,
                                         .name = "mm_protect",
                                         .required = {A::mm, A::page, A::w},
                                         .optional = {},
                                         .meaning = "mprotect a page",
                                         .handler = do_mm_protect,
                                         .writes = {D::none, -1, 0, false},
                                         .weight = 1},
                                        {.kind = OpKind::mm_exit,
                                         .name = "mm_exit",
                                         .required = {A::mm},
                                         .optional = {},
                                         .meaning = "exit_mmap: SVA release, pages freed",
                                         .handler = do_mm_exit,
                                         .writes = {D::all, -1, P::entries, true},
                                         .weight = 1},
                                        {.kind = OpKind::mm_drop,
                                         .name = "mm_drop",
                                         .required = {A::mm},
                                         .optional = {},
                                         .meaning = "mmdrop: the mm's PASID is freed",
                                         .handler = do_mm_drop,
                                         .writes = {D::none, -1, 0, false},
                                         .weight = 1}};
  return rows;
}

}  // namespace pasidcheck::model::detail
