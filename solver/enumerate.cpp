#include "solver/enumerate.h"

#include "model/translate.h"

namespace pasidcheck::solver {

using namespace model;

namespace {

struct Emitter {
  const Model& m;
  const State& s;
  const OpFilter& filter;
  std::vector<Op> out;
  void emit(const Op& op) {
    if (filter.allows(op)) out.push_back(op);
  }
};

Op make(OpKind k) {
  Op op;
  op.kind = k;
  return op;
}

// Where a free frame is wanted: the lowest and the highest free frame (-1: none).
struct FreeFrames {
  int low = -1, high = -1;
};
FreeFrames free_frames(const State& s, const Bounds& b) {
  FreeFrames r;
  for (int f = 0; f < b.frames; ++f)
    if (s.frames[f].use == FrameUse::free) {
      if (r.low < 0) r.low = f;
      r.high = f;
    }
  return r;
}

// Kernel memory: slab objects, vmalloc pages, set_memory, DEBUG_PAGEALLOC, page-table frees.
void kernel_memory_ops(Emitter& e, const FreeFrames& free) {
  [[maybe_unused]] const Model& m = e.m;
  [[maybe_unused]] const State& s = e.s;
  [[maybe_unused]] const Bounds& b = m.bounds();
  [[maybe_unused]] const int low = free.low, high = free.high;
  for (int f = 0; f < b.frames; ++f) {
    const Frame& fr = s.frames[f];
    const bool slab = fr.use == FrameUse::kdata && !fr.vmap;
    bool offered_alloc = false;
    for (int sl = 0; sl < b.slots; ++sl) {
      Op op = make(OpKind::kfree);
      op.frame = f;
      op.slot = sl;
      if (slab && (fr.slots & (1u << sl))) {
        e.emit(op);
      } else if (!offered_alloc &&
                 (slab ||
                  f == low)) {  // the lowest free slot of a slab, or the canonical free frame
        op.kind = OpKind::kalloc;
        e.emit(op);
        offered_alloc = true;
      }
    }
    if (m.knobs().debug_pagealloc) {
      Op op = make(fr.use == FrameUse::free ? OpKind::pagealloc_unmap : OpKind::pagealloc_map);
      op.frame = f;
      e.emit(op);
    }
  }
  for (int p = 0; p < b.vmalloc_pages; ++p) {
    if (s.vmalloc[p].frame >= 0) {
      Op vf = make(OpKind::vfree);
      vf.page = p;
      if (high >= 0) vf.alias_table_frames = {high};
      e.emit(vf);
      for (Attr a : {Attr::ro, Attr::rw, Attr::nx, Attr::rox, Attr::np, Attr::p}) {
        Op op = make(OpKind::set_memory);
        op.addr = {Space::vmalloc, p};
        op.attr = a;
        if (high >= 0) op.alias_table_frames = {high};
        e.emit(op);
      }
    } else if (low >= 0) {
      Op op = make(OpKind::vmalloc);
      op.page = p;
      op.frame = low;
      if (high != low) op.table_frames = {high};
      e.emit(op);
    }
  }
  for (int f = 0; f < b.frames; ++f) {
    if (s.frames[f].use == FrameUse::free) continue;
    for (Attr a : {Attr::ro, Attr::rw, Attr::np, Attr::p}) {
      Op op = make(OpKind::set_memory);
      op.addr = {Space::direct, f};
      op.attr = a;
      if (high >= 0) op.table_frames = {high};
      e.emit(op);
    }
  }
  for (std::size_t g = 0; g < s.vgroup_table.size(); ++g) {
    Op op = make(OpKind::kpt_free);
    op.addr = {Space::vmalloc, static_cast<int>(g) * b.large};
    e.emit(op);
  }
  for (std::size_t bl = 0; bl < s.blocks.size(); ++bl) {
    Op op = make(OpKind::kpt_free);
    op.addr = {Space::direct, static_cast<int>(bl) * b.large};
    e.emit(op);
  }
}

// User processes: their mms and pages.
void user_process_ops(Emitter& e, const FreeFrames& free) {
  [[maybe_unused]] const Model& m = e.m;
  [[maybe_unused]] const State& s = e.s;
  [[maybe_unused]] const Bounds& b = m.bounds();
  [[maybe_unused]] const int low = free.low, high = free.high;
  for (int mm = 0; mm < b.mms; ++mm) {
    for (OpKind k : {OpKind::mm_create, OpKind::mm_exit, OpKind::mm_drop}) {
      Op op = make(k);
      op.mm = mm;
      e.emit(op);
    }
    for (int p = 0; p < b.user_pages; ++p) {
      for (Prot pr : {Prot::r, Prot::rw}) {
        Op op = make(OpKind::mm_mmap);
        op.mm = mm, op.page = p, op.prot = pr;
        e.emit(op);
      }
      for (bool w : {false, true}) {
        Op map = make(OpKind::mm_map);
        map.mm = mm, map.page = p, map.frame = low < 0 ? 0 : low, map.w = w;
        e.emit(map);
        Op prot = make(OpKind::mm_protect);
        prot.mm = mm, prot.page = p, prot.w = w;
        e.emit(prot);
      }
      Op un = make(OpKind::mm_unmap);
      un.mm = mm, un.page = p;
      e.emit(un);
    }
  }
}

// The driver-facing API on device d: PASIDs, bindings, grants, the DMA API, page requests.
void device_api_ops(Emitter& e, const FreeFrames& free, int d) {
  [[maybe_unused]] const Model& m = e.m;
  [[maybe_unused]] const State& s = e.s;
  [[maybe_unused]] const Bounds& b = m.bounds();
  [[maybe_unused]] const int low = free.low, high = free.high;
  int free_pasid = -1;
  for (int p = 1; p < b.pasids && free_pasid < 0; ++p)
    if (s.pasids[p].kind == PasidOwner::Kind::free) free_pasid = p;
  if (free_pasid > 0)
    for (Mode mode : {Mode::bypass, Mode::iova, Mode::kva}) {
      Op op = make(OpKind::pasid_enable);
      op.dev = d, op.pasid = free_pasid, op.mode = mode;
      e.emit(op);
    }
  for (int mm = 0; mm < b.mms; ++mm) {
    Op op = make(OpKind::sva_bind);
    op.dev = d, op.mm = mm;
    e.emit(op);
  }
  const DeviceState& ds = s.devices[d];
  for (int p = 1; p < b.pasids; ++p) {
    if (!ds.bound[p]) continue;
    for (OpKind k : {OpKind::pasid_disable, OpKind::sva_unbind, OpKind::device_quiesce}) {
      Op op = make(k);
      op.dev = d, op.pasid = p;
      e.emit(op);
    }
    for (const auto& [a, g] : ds.kva[p]) {
      Op op = make(OpKind::kva_unmap);
      op.dev = d, op.pasid = p, op.addr = a;
      e.emit(op);
    }
    const PasidEntry& entry = ds.entries[p];
    if (entry.submode == Submode::fast || entry.submode == Submode::strict ||
        entry.submode == Submode::init_mm) {
      for (Space sp : {Space::direct, Space::vmalloc}) {
        for (int pg = 0; pg < m.space_size(sp); ++pg) {
          for (Prot pr : {Prot::r, Prot::rw}) {
            Op op = make(OpKind::kva_map);
            op.dev = d, op.pasid = p, op.addr = {sp, pg}, op.prot = pr;
            const int frame = sp == Space::direct ? pg : s.vmalloc[pg].frame;
            if (frame < 0) continue;
            const std::uint32_t slots = s.frames[frame].slots;
            op.slots.clear();
            for (int sl = 0; sl < b.slots; ++sl)
              if (slots & (1u << sl)) op.slots.push_back(sl);
            if (op.slots.empty()) continue;
            e.emit(op);
            if (op.slots.size() > 1) {
              op.slots.resize(1);
              e.emit(op);
            }
          }
        }
      }
    }
  }
  int free_iova = -1;
  for (int i = 0; i < b.iova_pages; ++i) {
    if (ds.iova[i].kind == IovaPage::Kind::free && free_iova < 0) free_iova = i;
    if (ds.iova[i].kind == IovaPage::Kind::mapped) {
      Op op = make(OpKind::dma_unmap);
      op.dev = d, op.iova = i;
      e.emit(op);
    }
  }
  Op fq = make(OpKind::fq_flush);
  fq.dev = d;
  for (const auto& p : ds.iova)
    if (p.kind == IovaPage::Kind::queued) {
      e.emit(fq);
      break;
    }
  if (free_iova >= 0)
    for (int f = 0; f < b.frames; ++f) {
      if (s.frames[f].use != FrameUse::kdata) continue;
      for (int sl = 0; sl < b.slots; ++sl) {
        if (!s.frames[f].vmap && !(s.frames[f].slots & (1u << sl))) continue;
        for (Dir dir : {Dir::to_device, Dir::bidirectional}) {
          Op op = make(OpKind::dma_map);
          op.dev = d, op.frame = f, op.slot = sl, op.dir = dir, op.iova = free_iova,
          op.bounce_frame = high;
          e.emit(op);
        }
        if (s.frames[f].vmap) break;
      }
    }
  for (const auto& r : s.prq) {
    if (r.dev != d) continue;
    Op op = make(OpKind::iopf_handle);
    op.dev = d, op.pasid = r.pasid, op.group = r.group, op.frame = low;
    e.emit(op);
  }
}

// Device d's requests: every PASID it could use, every address its entry translates.
void device_request_ops(Emitter& e, int d) {
  [[maybe_unused]] const Model& m = e.m;
  [[maybe_unused]] const State& s = e.s;
  [[maybe_unused]] const Bounds& b = m.bounds();
  for (int p = 0; p < b.pasids; ++p) {
    const PasidEntry entry = effective_entry(s, d, p);
    if (!entry.present) continue;
    for (Space sp :
         {Space::iova, Space::direct, Space::vmalloc, Space::text, Space::user, Space::phys}) {
      if (!translates(entry, sp)) continue;
      for (int pg = 0; pg < m.space_size(sp); ++pg) {
        for (Priv priv : {Priv::user, Priv::supervisor}) {
          if (priv == Priv::supervisor && (p == 0 || !entry.sre)) continue;
          for (Access acc : {Access::read, Access::write}) {
            Op op = make(OpKind::dma);
            op.dev = d, op.pasid = p, op.priv = priv, op.addr = {sp, pg}, op.access = acc;
            e.emit(op);
            if (m.ats(d)) {
              op.kind = OpKind::ats_translate;
              e.emit(op);
            }
          }
          if (sp != Space::user && sp != Space::iova && sp != Space::phys) {
            Op walk = make(OpKind::iommu_walk);
            walk.dev = d, walk.pasid = p, walk.priv = priv, walk.addr = {sp, pg};
            e.emit(walk);
          }
        }
      }
    }
  }
}

// Hardware eviction of any cached entry.
void eviction_ops(Emitter& e) {
  [[maybe_unused]] const Model& m = e.m;
  [[maybe_unused]] const State& s = e.s;
  [[maybe_unused]] const Bounds& b = m.bounds();
  for (const auto& x : s.iotlb) {
    for (int d = 0; d < m.device_count(); ++d) {
      Op op = make(OpKind::cache_evict);
      op.entry = {CacheKind::iotlb, d, x.pasid, x.key, true};
      e.emit(op);
    }
  }
  for (const auto& x : s.psc) {
    for (int d = 0; d < m.device_count(); ++d) {
      Op op = make(OpKind::cache_evict);
      op.entry = {CacheKind::psc, d, x.pasid, {x.space, x.index * b.large}, true};
      e.emit(op);
    }
  }
  for (const auto& x : s.pasid_cache) {
    Op op = make(OpKind::cache_evict);
    op.entry = {CacheKind::pasid, x.dev, x.pasid, {}, false};
    e.emit(op);
  }
  for (const auto& x : s.devtlb) {
    Op op = make(OpKind::cache_evict);
    op.entry = {CacheKind::devtlb, x.dev, x.pasid, x.page, true};
    e.emit(op);
  }
}

}  // namespace

std::vector<Op> enumerate_ops(const Model& m, const State& s, const OpFilter& filter) {
  Emitter e{m, s, filter, {}};
  const FreeFrames free = free_frames(s, m.bounds());
  kernel_memory_ops(e, free);
  user_process_ops(e, free);
  for (int d = 0; d < m.device_count(); ++d) {
    device_api_ops(e, free, d);
    device_request_ops(e, d);
  }
  eviction_ops(e);
  return std::move(e.out);
}

}  // namespace pasidcheck::solver
