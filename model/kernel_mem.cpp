// CPU-side kernel memory (MODEL.md §3.2, §4 "Kernel memory"): slab, vmalloc, change_page_attr with
// large-page splits and the direct-map alias rule, DEBUG_PAGEALLOC and page-table page frees. Each
// update tells the kernel page-table notifier which event it is (§8.4); the variant decides whether
// that reaches the IOMMU.
#include <algorithm>

#include "model/step_context.h"

namespace pasidcheck::model::detail {
namespace {

bool is_slab(const Frame& f) {
  return f.use == FrameUse::kdata && !f.vmap;
}

// A planned direct-map update: new leaves per frame, and the blocks that must split first.
struct DirectPlan {
  std::vector<std::pair<int, DirectLeaf>> leaves;
  std::vector<std::pair<int, int>> splits;  // (block, table frame)
};

// __change_page_attr(): a large block whose leaves would no longer be uniform is split
// (split_large_page), consuming the next named table frame in address order.
Error plan_direct(const Model& m, const State& s,
                  const std::vector<std::pair<int, DirectLeaf>>& leaves,
                  const std::vector<int>& tables, std::vector<int>& taken, DirectPlan& plan,
                  const char* arg_name) {
  const int L = m.bounds().large;
  std::vector<int> blocks;
  for (const auto& [f, leaf] : leaves)
    if (blocks.empty() || blocks.back() != m.block_of(f)) blocks.push_back(m.block_of(f));
  std::size_t next = 0;
  for (int b : blocks) {
    if (s.blocks[b].split) continue;
    std::vector<DirectLeaf> after(s.direct.begin() + b * L, s.direct.begin() + (b + 1) * L);
    for (const auto& [f, leaf] : leaves)
      if (m.block_of(f) == b) after[f - b * L] = leaf;
    const bool uniform =
        std::all_of(after.begin(), after.end(), [&](const DirectLeaf& x) { return x == after[0]; });
    if (uniform) continue;
    if (next >= tables.size())
      return fail(std::string("splitting direct-map block ") + std::to_string(b) + " needs a " +
                  arg_name + " (a free frame for the new page table)");
    const int t = tables[next++];
    if (s.frames[t].use != FrameUse::free)
      return fail(std::string(arg_name) + " " + std::to_string(t) + " is not free");
    if (std::find(taken.begin(), taken.end(), t) != taken.end())
      return fail(std::string(arg_name) + " " + std::to_string(t) + " is named twice");
    taken.push_back(t);
    plan.splits.push_back({b, t});
  }
  plan.leaves = leaves;
  return kOk;
}

void apply_direct(const Model& m, State& s, const DirectPlan& plan) {
  const int L = m.bounds().large;
  for (const auto& [b, t] : plan.splits) {
    take_frame(s, t, FrameUse::kpt);
    s.blocks[b] = {true, t};
  }
  for (const auto& [f, leaf] : plan.leaves) {
    const int b = m.block_of(f);
    if (s.blocks[b].split) {
      s.direct[f] = leaf;
    } else {  // a uniform change keeps the large leaf
      for (int g = b * L; g < (b + 1) * L; ++g) s.direct[g] = leaf;
    }
  }
}

std::vector<Addr> direct_pages(const DirectPlan& plan) {
  std::vector<Addr> out;
  for (const auto& [f, leaf] : plan.leaves) out.push_back({Space::direct, f});
  return out;
}

}  // namespace

CpuLeaf cpu_leaf(const Model& m, const State& s, Addr a) {
  switch (a.space) {
    case Space::direct:
      return {s.direct[a.page].present, a.page, s.direct[a.page].w, true};
    case Space::vmalloc: {
      const VmallocLeaf& v = s.vmalloc[a.page];
      return {v.present && v.frame >= 0, v.frame, v.w, v.nx};
    }
    case Space::text:
      return {true, a.page, false, false};
    default:
      break;
  }
  (void)m;
  return {};
}

// kmem_cache_alloc(): the frame becomes kdata on its first slot.
Error do_kalloc(Ctx& c) {
  Frame& f = c.s.frames[c.op.frame];
  const std::uint32_t bit = 1u << c.op.slot;
  if (f.use != FrameUse::free && !is_slab(f))
    return fail("frame is in use as " + to_string(f.use) + ", not a slab");
  if (f.slots & bit) return fail("slot is already allocated");
  if (f.use == FrameUse::free) take_frame(c.s, c.op.frame, FrameUse::kdata);
  f.slots |= bit;
  c.out.frame = c.op.frame;
  return kOk;
}

// kfree(): the kernel unmaps DMA buffers before freeing them (API contract).
Error do_kfree(Ctx& c) {
  Frame& f = c.s.frames[c.op.frame];
  const std::uint32_t bit = 1u << c.op.slot;
  if (!is_slab(f) || !(f.slots & bit)) return fail("slot is not an allocated slab object");
  if (has_live_grant(c.m, c.s, c.op.frame, bit))
    return fail("a device still holds a live grant on this slot, bounced or not (MODEL.md §8.37)");
  f.slots &= ~bit;
  if (f.slots == 0) release_frame(c.s, c.op.frame);
  return kOk;
}

// vmap_pages_range(): not present -> present notifies nothing (§8.4).
Error do_vmalloc(Ctx& c) {
  const int g = c.m.group_of(c.op.page);
  const int table = c.op.table_frames.empty() ? -1 : c.op.table_frames[0];
  if (c.op.table_frames.size() > 1) return fail("vmalloc takes one table_frame");
  if (c.s.vmalloc[c.op.page].frame >= 0) return fail("vmalloc page is already mapped");
  if (c.s.frames[c.op.frame].use != FrameUse::free) return fail("frame is not free");
  if (c.s.vgroup_table[g] < 0) {
    if (table < 0)
      return fail("vmalloc group " + std::to_string(g) +
                  " has no page table yet: table_frame is needed");
    if (table == c.op.frame) return fail("table_frame equals frame");
    if (c.s.frames[table].use != FrameUse::free) return fail("table_frame is not free");
    take_frame(c.s, table, FrameUse::kpt);
    c.s.vgroup_table[g] = table;
  }
  take_frame(c.s, c.op.frame, FrameUse::kdata);
  c.s.frames[c.op.frame].slots = all_slots(c.m.bounds());
  c.s.frames[c.op.frame].vmap = true;
  c.s.vmalloc[c.op.page] = {true, c.op.frame, true, true};
  c.out.frame = c.op.frame;
  return kOk;
}

// vfree() with VM_FLUSH_RESET_PERMS: vm_reset_perms() restores the alias RW, then the leaf is
// cleared and the page freed. Notifier event `vfree` covers both updates.
Error do_vfree(Ctx& c) {
  VmallocLeaf& v = c.s.vmalloc[c.op.page];
  if (v.frame < 0) return fail("vmalloc page is not mapped");
  const int f = v.frame;
  if (has_live_grant(c.m, c.s, f, all_slots(c.m.bounds())))
    return fail("a device still holds a live grant on the frame");
  std::vector<std::pair<int, DirectLeaf>> reset;
  if (!(c.s.direct[f] == DirectLeaf{true, true})) reset.push_back({f, {true, true}});
  DirectPlan plan;
  std::vector<int> taken;
  if (auto err =
          plan_direct(c.m, c.s, reset, c.op.alias_table_frames, taken, plan, "alias_table_frame"))
    return err;
  apply_direct(c.m, c.s, plan);
  v = VmallocLeaf{};
  release_frame(c.s, f);
  kpt_notify(c.m, c.s, kNotifyVfree, {{Space::vmalloc, c.op.page}, {Space::direct, f}});
  return kOk;
}

namespace {

DirectLeaf with_attr(DirectLeaf l, Attr a) {
  switch (a) {
    case Attr::ro:
    case Attr::rox:
      l.w = false;
      break;
    case Attr::rw:
      l.w = true;
      break;
    case Attr::np:
      l.present = false;
      break;
    case Attr::p:
      l.present = true;
      break;
    default:
      break;  // x/nx: the direct map stays NX
  }
  return l;
}

VmallocLeaf with_attr(VmallocLeaf l, Attr a) {
  switch (a) {
    case Attr::ro:
      l.w = false;
      break;
    case Attr::rw:
      l.w = true;
      break;
    case Attr::x:
      l.nx = false;
      break;
    case Attr::nx:
      l.nx = true;
      break;
    case Attr::rox:
      l.w = false;
      l.nx = false;
      break;
    case Attr::np:
      l.present = false;
      break;
    case Attr::p:
      l.present = true;
      break;
  }
  return l;
}

}  // namespace

// set_memory_*() -> change_page_attr_set_clr(). For a vmalloc range, cpa_process_alias() applies
// the change to the direct-map alias too (NX stays set there). Then flush_tlb_kernel_range(): the
// IOMMU hears of it only through the variant's notifier.
Error do_set_memory(Ctx& c) {
  const Addr a = c.op.addr;
  if (a.space != Space::direct && a.space != Space::vmalloc)
    return fail("set_memory works on direct: or vmalloc: addresses");
  if (a.page + c.op.count > c.m.space_size(a.space))
    return fail("range runs past the end of its space");
  std::vector<int> taken;
  DirectPlan primary, alias;
  std::vector<std::pair<int, VmallocLeaf>> vleaves;
  if (a.space == Space::direct) {
    if (c.op.attr == Attr::x || c.op.attr == Attr::rox)
      return fail("the direct map is always NX (MODEL.md §8.11)");
    if (!c.op.alias_table_frames.empty())
      return fail("alias_table_frame applies to vmalloc ranges only (MODEL.md §8.32)");
    std::vector<std::pair<int, DirectLeaf>> leaves;
    for (int p = a.page; p < a.page + c.op.count; ++p) {
      leaves.push_back({p, with_attr(c.s.direct[p], c.op.attr)});
      // W^X covers aliases: the direct map of code stays read-only (cpa_process_alias keeps it so).
      if (leaves.back().second.w && !c.s.direct[p].w &&
          cpu_executable(c.s, p, c.m.bounds().text_pages))
        return fail("direct:" + std::to_string(p) +
                    " aliases CPU-executable code: the kernel does not make it writable (W^X, "
                    "MODEL.md §8.25)");
    }
    if (auto err = plan_direct(c.m, c.s, leaves, c.op.table_frames, taken, primary, "table_frame"))
      return err;
  } else {
    if (!c.op.table_frames.empty())
      return fail(
          "table_frame applies to direct ranges (vmalloc tables exist already; MODEL.md §8.32)");
    std::vector<std::pair<int, DirectLeaf>> alias_leaves;
    for (int p = a.page; p < a.page + c.op.count; ++p) {
      const VmallocLeaf& v = c.s.vmalloc[p];
      if (v.frame < 0) return fail("vmalloc:" + std::to_string(p) + " is not mapped");
      const VmallocLeaf next = with_attr(v, c.op.attr);
      // CONFIG_STRICT_KERNEL_RWX: the kernel never makes a page writable and executable at once
      // (set_memory_rox, not set_memory_x on a writable page); the trusted CPU side keeps W^X.
      if (next.w && !next.nx)
        return fail("vmalloc:" + std::to_string(p) +
                    " would become W+X for the CPU (the kernel keeps W^X, MODEL.md §8.25)");
      // Memory under a live writable DMA mapping belongs to the device (DMA API); the kernel does
      // not turn it into code. W+X *through the IOMMU* is what no-wx-dma looks for, not this
      // contract breach.
      if (!next.nx && has_live_write_grant(c.s, v.frame))
        return fail("vmalloc:" + std::to_string(p) +
                    " is mapped writable for a device (dma_map/kva_map): the kernel does not make "
                    "it executable (W^X, MODEL.md §8.25)");
      vleaves.push_back({p, next});
      const bool alias_attr = c.op.attr != Attr::x && c.op.attr != Attr::nx;
      if (c.m.knobs().cpa_alias && alias_attr) {
        const DirectLeaf now = c.s.direct[v.frame];
        const DirectLeaf next = with_attr(now, c.op.attr);
        if (!(now == next)) alias_leaves.push_back({v.frame, next});
      }
    }
    // W^X covers aliases (docs/model.md decision 17): with the alias rule the kernel never leaves
    // a vmalloc page executable while its frame's direct-map alias is writable. set_memory_x
    // does not process aliases (change_page_attr_set_clr(): no alias check for _PAGE_NX alone),
    // so `x` (or `p` after `np`) on a page whose alias was made writable in between would.
    for (const auto& [p, next] : vleaves) {
      if (!c.m.knobs().cpa_alias || !next.present || next.nx) continue;
      DirectLeaf alias = c.s.direct[next.frame];
      for (const auto& [f, leaf] : alias_leaves)
        if (f == next.frame) alias = leaf;
      if (alias.present && alias.w)
        return fail("vmalloc:" + std::to_string(p) + " would be executable while its direct-map " +
                    "alias direct:" + std::to_string(next.frame) +
                    " is writable (the kernel keeps W^X on aliases, MODEL.md §8.25)");
    }
    std::sort(alias_leaves.begin(), alias_leaves.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    if (auto err = plan_direct(c.m, c.s, alias_leaves, c.op.alias_table_frames, taken, alias,
                               "alias_table_frame"))
      return err;
  }
  apply_direct(c.m, c.s, primary);
  std::vector<Addr> vpages;
  for (const auto& [p, leaf] : vleaves) {
    c.s.vmalloc[p] = leaf;
    vpages.push_back({Space::vmalloc, p});
  }
  apply_direct(c.m, c.s, alias);
  kpt_notify(c.m, c.s, kNotifyCpa, a.space == Space::direct ? direct_pages(primary) : vpages);
  kpt_notify(c.m, c.s, kNotifyAlias, direct_pages(alias));
  return kOk;
}

// free_pages_prepare() -> debug_pagealloc_unmap_pages(): the free frame leaves the direct map.
Error do_pagealloc_unmap(Ctx& c) {
  const int f = c.op.frame;
  if (!c.m.knobs().debug_pagealloc) return fail("pagealloc_unmap needs debug_pagealloc=on");
  if (c.s.frames[f].use != FrameUse::free) return fail("frame is not free");
  if (!c.s.direct[f].present) return fail("direct-map leaf is already not present");
  if (!c.s.blocks[c.m.block_of(f)].split)
    return fail("frame's direct-map block is large (not split)");
  // __kernel_map_pages(page, n, 0) -> __set_pages_np(): clears _PAGE_PRESENT and _PAGE_RW
  // (MODEL.md §8.35); set_memory p later makes the leaf present but read-only.
  c.s.direct[f] = {false, false};
  kpt_notify(c.m, c.s, kNotifyPagealloc, {{Space::direct, f}});
  return kOk;
}

// post_alloc_hook() -> debug_pagealloc_map_pages(): an allocated frame returns to the direct map.
Error do_pagealloc_map(Ctx& c) {
  const int f = c.op.frame;
  if (!c.m.knobs().debug_pagealloc) return fail("pagealloc_map needs debug_pagealloc=on");
  if (c.s.frames[f].use == FrameUse::free)
    return fail("frame is free (map it after allocating it)");
  if (c.s.direct[f].present) return fail("direct-map leaf is already present");
  if (!c.s.blocks[c.m.block_of(f)].split)
    return fail("frame's direct-map block is large (not split)");
  if (cpu_executable(c.s, f, c.m.bounds().text_pages))
    return fail(
        "frame is CPU-executable code: its alias is never mapped writable (W^X, MODEL.md §8.25)");
  // __set_pages_p(): sets _PAGE_PRESENT and _PAGE_RW (MODEL.md §8.35).
  c.s.direct[f] = {true, true};
  kpt_notify(c.m, c.s, kNotifyPagealloc, {{Space::direct, f}});
  return kOk;
}

// pud/pmd_free_pte_page() (vmalloc huge-vmap promotion, hot-remove) or CPA collapse
// (collapse_large_pages(), newer kernels): the page-table page goes back to the allocator.
Error do_kpt_free(Ctx& c) {
  const Addr a = c.op.addr;
  if (a.space == Space::vmalloc) {
    const int g = c.m.group_of(a.page);
    const int t = c.s.vgroup_table[g];
    if (t < 0) return fail("vmalloc group " + std::to_string(g) + " has no page table");
    const int L = c.m.bounds().large;
    for (int p = g * L; p < std::min((g + 1) * L, c.m.bounds().vmalloc_pages); ++p)
      if (c.s.vmalloc[p].frame >= 0)
        return fail("vmalloc group still maps vmalloc:" + std::to_string(p) +
                    " (present or not: MODEL.md §8.32)");
    c.s.vgroup_table[g] = -1;
    release_frame(c.s, t);
    kpt_notify_all(c.m, c.s, kNotifyPtfree);
    return kOk;
  }
  if (a.space != Space::direct) return fail("kpt_free takes a vmalloc: or direct: address");
  // debug_pagealloc_enabled() keeps the direct map 4 KiB-granular: no large pages to collapse into.
  if (c.m.knobs().debug_pagealloc)
    return fail(
        "DEBUG_PAGEALLOC maps the direct map with 4 KiB pages: no collapse (MODEL.md §8.32)");
  const int b = c.m.block_of(a.page);
  if (!c.s.blocks[b].split) return fail("direct-map block " + std::to_string(b) + " is not split");
  const int L = c.m.bounds().large;
  const DirectLeaf first = c.s.direct[b * L];
  for (int f = b * L; f < (b + 1) * L; ++f)
    if (!(c.s.direct[f] == first))
      return fail("direct-map block leaves are not uniform: it cannot collapse");
  const int t = c.s.blocks[b].table;
  c.s.blocks[b] = {false, -1};
  release_frame(c.s, t, first);
  kpt_notify_all(c.m, c.s, kNotifyPtcollapse);
  return kOk;
}

// This family's rows of op_catalogue() (model/ops.cpp gathers them in OpKind order): each op's
// trace name, arguments and meaning (TRACE-FORMAT.md), its handler above, what it may write
// (model/footprint.h; tests/footprint_test.cpp checks the handler stays inside it) and how often
// random search tries it (fuzz/op_gen.cpp).
const std::vector<OpSpec>& kernel_mem_ops() {
  using A = Arg;
  using D = Footprint::Devices;
  using P = Footprint::Part;
  static const std::vector<OpSpec> rows{
      {.kind = OpKind::kalloc,
       .name = "kalloc",
       .required = {A::frame, A::slot},
       .optional = {},
       .meaning = "allocate a slab object (frame, slot)",
       .handler = do_kalloc,
       .writes = {D::none, -1, 0, true},
       .weight = 4},
      {.kind = OpKind::kfree,
       .name = "kfree",
       .required = {A::frame, A::slot},
       .optional = {},
       .meaning = "free a slab object; needs no live grant on it",
       .handler = do_kfree,
       .writes = {D::all, -1, P::mirrors, true},
       .weight = 2},
      {.kind = OpKind::vmalloc,
       .name = "vmalloc",
       .required = {A::page, A::frame},
       .optional = {A::table_frame},
       .meaning =
           "map a vmalloc page RW+NX to a free frame (table_frame for a group's first mapping)",
       .handler = do_vmalloc,
       .writes = {D::none, -1, 0, true},
       .weight = 3},
      {.kind = OpKind::vfree,
       .name = "vfree",
       .required = {A::page},
       .optional = {A::alias_table_frame},
       .meaning = "reset the alias to RW (VM_FLUSH_RESET_PERMS), clear the leaf, free the frame",
       .handler = do_vfree,
       .writes = {D::all, -1, P::mirrors, true},
       .weight = 2},
      {.kind = OpKind::set_memory,
       .name = "set_memory",
       .required = {A::addr, A::count, A::attr},
       .optional = {A::table_frame, A::alias_table_frame},
       .meaning = "change_page_attr on a direct or vmalloc range (splits name their table frames)",
       .handler = do_set_memory,
       .writes = {D::all, -1, P::mirrors, true},
       .weight = 3},
      {.kind = OpKind::pagealloc_unmap,
       .name = "pagealloc_unmap",
       .required = {A::frame},
       .optional = {},
       .meaning = "DEBUG_PAGEALLOC: unmap a free frame's direct-map leaf",
       .handler = do_pagealloc_unmap,
       .writes = {D::all, -1, P::mirrors, true},
       .weight = 2,
       .debug_pagealloc_only = true},
      {.kind = OpKind::pagealloc_map,
       .name = "pagealloc_map",
       .required = {A::frame},
       .optional = {},
       .meaning = "DEBUG_PAGEALLOC: map an allocated frame's direct-map leaf",
       .handler = do_pagealloc_map,
       .writes = {D::all, -1, P::mirrors, true},
       .weight = 3,
       .debug_pagealloc_only = true},
      {.kind = OpKind::kpt_free,
       .name = "kpt_free",
       .required = {A::addr},
       .optional = {},
       .meaning =
           "free the kernel page-table page covering addr (empty vmalloc group, or CPA collapse)",
       .handler = do_kpt_free,
       .writes = {D::none, -1, 0, true},
       .weight = 2}};
  return rows;
}

}  // namespace pasidcheck::model::detail
