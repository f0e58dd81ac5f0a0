#include "fuzz/op_gen.h"

#include <algorithm>
#include <memory>

#include "fuzz/draw.h"
#include "model/translate.h"

namespace pasidcheck::fuzz {

using namespace model;

namespace {

constexpr int kUniformSize = 100;  // RapidCheck's nominal maximum size

// Pick one of `v`, or a uniform value in [0, n) when `v` is empty.
template <typename Draw>
int pick(Draw& d, const std::vector<int>& v, int n) {
  if (!v.empty()) return d.element_of(v);
  return n <= 0 ? 0 : d.in_range(0, n);
}

// The frame the CPU maps at a kernel address, or -1.
int cpu_leaf_frame(const Model& m, const State& s, Addr a) {
  if (a.space == Space::direct) return a.page;
  if (a.space == Space::vmalloc) return s.vmalloc[a.page].frame;
  (void)m;
  return -1;
}

struct Facts {
  std::vector<int> free_frames, slab_frames, kdata_frames, any_frames, kernel_pasids, free_pasids,
      live_pasids, vmapped, vunmapped, split_blocks, vgroups_with_table;
};

Facts facts(const Model& m, const State& s) {
  Facts f;
  for (int i = 0; i < m.bounds().frames; ++i) {
    f.any_frames.push_back(i);
    const Frame& fr = s.frames[i];
    if (fr.use == FrameUse::free) f.free_frames.push_back(i);
    if (fr.use == FrameUse::kdata) f.kdata_frames.push_back(i);
    if (fr.use == FrameUse::kdata && !fr.vmap) f.slab_frames.push_back(i);
  }
  for (int p = 1; p < m.bounds().pasids; ++p) {
    if (s.pasids[p].kind == PasidOwner::Kind::free)
      f.free_pasids.push_back(p);
    else
      f.live_pasids.push_back(p);
    if (s.pasids[p].kind == PasidOwner::Kind::kernel) f.kernel_pasids.push_back(p);
  }
  for (int p = 0; p < m.bounds().vmalloc_pages; ++p)
    (s.vmalloc[p].frame >= 0 ? f.vmapped : f.vunmapped).push_back(p);
  for (std::size_t b = 0; b < s.blocks.size(); ++b)
    if (s.blocks[b].split) f.split_blocks.push_back(static_cast<int>(b) * m.bounds().large);
  for (std::size_t g = 0; g < s.vgroup_table.size(); ++g)
    if (s.vgroup_table[g] >= 0)
      f.vgroups_with_table.push_back(static_cast<int>(g) * m.bounds().large);
  return f;
}

// An address a request through (dev, pasid) might usefully name.
template <typename Draw>
Addr gen_addr(Draw& d, const Model& m, const State& s, const Facts& f, int dev, int pasid) {
  const PasidEntry e = effective_entry(s, dev, pasid);
  std::vector<Space> spaces;
  for (Space sp :
       {Space::iova, Space::direct, Space::vmalloc, Space::text, Space::user, Space::phys})
    if (m.space_size(sp) > 0 && (!e.present || translates(e, sp))) spaces.push_back(sp);
  if (spaces.empty()) spaces.push_back(Space::iova);
  const Space sp = d.element_of(spaces);
  std::vector<int> pages;
  if (sp == Space::vmalloc) pages = f.vmapped;
  if (sp == Space::direct) pages = f.kdata_frames;
  return {sp, pick(d, pages, m.space_size(sp))};
}

// How often random search tries each op (before its arguments): the catalogue rows' weights; an
// op whose precondition needs DEBUG_PAGEALLOC is never tried without it.
const std::vector<std::pair<unsigned, OpKind>>& kind_weights(bool debug_pagealloc) {
  auto make = [](bool dpa) {
    std::vector<std::pair<unsigned, OpKind>> w;
    for (const OpSpec& spec : op_catalogue())
      w.emplace_back(spec.debug_pagealloc_only && !dpa ? 0u : spec.weight, spec.kind);
    return w;
  };
  static const auto with = make(true), without = make(false);
  return debug_pagealloc ? with : without;
}

// kva_map: a kernel address with a present CPU leaf (direct map or vmalloc), and its slots:
// all allocated ones, or one of them (a sub-page grant).
template <typename Draw>
void kva_map_args(Draw& d, const Model& m, const State& s, const Facts& f, Op& op) {
  const Bounds& b = m.bounds();
  op.pasid = pick(d, f.kernel_pasids, b.pasids);
  const bool vm = !f.vmapped.empty() && d.one_of({0, 0, 1});
  op.addr = vm ? Addr{Space::vmalloc, pick(d, f.vmapped, b.vmalloc_pages)}
               : Addr{Space::direct, pick(d, f.kdata_frames, b.frames)};
  const int frame = cpu_leaf_frame(m, s, op.addr);
  std::vector<int> slots;
  for (int sl = 0; sl < b.slots; ++sl)
    if (frame >= 0 && (s.frames[frame].slots & (1u << sl))) slots.push_back(sl);
  if (slots.empty() || d.one_of({0, 1}))
    op.slots = slots.empty() ? std::vector<int>{0} : slots;
  else
    op.slots = {d.element_of(slots)};
  op.prot = d.one_of({Prot::r, Prot::rw});
}

// cache_evict: any cached entry (hardware drops what it likes; the PSC's too, which lets a later
// walk fill a large IOTLB entry beside a 4 KiB one, MODEL.md §8.26); `none` when nothing is cached.
template <typename Draw>
CacheRef evicted_entry(Draw& d, const Model& m, const State& s, int dev, const CacheRef& none) {
  std::vector<CacheRef> refs;
  for (const auto& e : s.iotlb)
    refs.push_back({CacheKind::iotlb, dev, e.pasid, e.key, true, e.large});
  for (const auto& e : s.psc) {
    const int first = e.index * m.bounds().large;
    refs.push_back({CacheKind::psc, dev, e.pasid, {e.space, first}, true, false});
  }
  for (const auto& e : s.devtlb)
    refs.push_back({CacheKind::devtlb, e.dev, e.pasid, e.page, true, false});
  for (const auto& e : s.pasid_cache)
    refs.push_back({CacheKind::pasid, e.dev, e.pasid, {}, false, false});
  return refs.empty() ? none : d.element_of(refs);
}

template <typename Draw>
Op candidate(Draw& d, const Model& m, const State& s, const Facts& f) {
  const Bounds& b = m.bounds();
  Op op;
  const bool dpa = m.knobs().debug_pagealloc;
  op.kind = d.weighted(kind_weights(dpa));
  op.dev = d.in_range(0, m.device_count());
  op.mm = d.in_range(0, std::max(1, b.mms));
  switch (op.kind) {
    case OpKind::kalloc:
      op.frame = pick(d, d.one_of({0, 1}) ? f.slab_frames : f.free_frames, b.frames);
      op.slot = d.in_range(0, b.slots);
      break;
    case OpKind::kfree:
    case OpKind::pagealloc_map:
      op.frame = pick(d, op.kind == OpKind::kfree ? f.slab_frames : f.kdata_frames, b.frames);
      op.slot = d.in_range(0, b.slots);
      break;
    case OpKind::pagealloc_unmap:
      op.frame = pick(d, f.free_frames, b.frames);
      break;
    case OpKind::vmalloc:
      op.page = pick(d, f.vunmapped, b.vmalloc_pages);
      op.frame = pick(d, f.free_frames, b.frames);
      op.table_frames = {pick(d, f.free_frames, b.frames)};
      break;
    case OpKind::vfree:
      op.page = pick(d, f.vmapped, b.vmalloc_pages);
      break;
    case OpKind::set_memory: {
      const bool vm = !f.vmapped.empty() && d.one_of({0, 1});
      op.addr = vm ? Addr{Space::vmalloc, pick(d, f.vmapped, b.vmalloc_pages)}
                   : Addr{Space::direct, pick(d, f.kdata_frames, b.frames)};
      op.count = 1;
      op.attr = vm ? d.one_of({Attr::ro, Attr::rw, Attr::nx, Attr::rox, Attr::np, Attr::p})
                   : d.one_of({Attr::ro, Attr::rw, Attr::np, Attr::p});
      op.table_frames =
          vm ? std::vector<int>{} : std::vector<int>{pick(d, f.free_frames, b.frames)};
      if (vm) op.alias_table_frames = {pick(d, f.free_frames, b.frames)};
      break;
    }
    case OpKind::kpt_free: {
      const bool vm = !f.vgroups_with_table.empty() && (f.split_blocks.empty() || d.one_of({0, 1}));
      op.addr = vm ? Addr{Space::vmalloc, pick(d, f.vgroups_with_table, b.vmalloc_pages)}
                   : Addr{Space::direct, pick(d, f.split_blocks, b.frames)};
      break;
    }
    case OpKind::mm_create:
    case OpKind::mm_exit:
    case OpKind::mm_drop:
      break;
    case OpKind::mm_mmap:
    case OpKind::mm_unmap:
    case OpKind::mm_protect:
    case OpKind::mm_map:
      op.page = d.in_range(0, std::max(1, b.user_pages));
      op.prot = d.one_of({Prot::r, Prot::rw});
      op.w = d.coin();
      op.frame = pick(d, f.free_frames, b.frames);
      break;
    case OpKind::pasid_enable:
      op.pasid = pick(d, f.free_pasids, b.pasids);
      op.mode = d.one_of({Mode::bypass, Mode::iova, Mode::kva});
      break;
    case OpKind::pasid_disable:
    case OpKind::device_quiesce:
    case OpKind::kva_unmap:
    case OpKind::sva_unbind:
      op.pasid = pick(d, f.live_pasids, b.pasids);
      if (op.kind == OpKind::kva_unmap) {
        const auto& grants = s.devices[op.dev].kva[op.pasid];
        std::vector<Addr> addrs;
        for (const auto& [a, g] : grants) addrs.push_back(a);
        op.addr = addrs.empty() ? Addr{Space::direct, 0} : d.element_of(addrs);
      }
      break;
    case OpKind::dma_map:
      op.frame = pick(d, f.kdata_frames, b.frames);
      op.slot = d.in_range(0, b.slots);
      op.dir = d.one_of({Dir::to_device, Dir::from_device, Dir::bidirectional});
      op.iova = d.in_range(0, std::max(1, b.iova_pages));
      op.bounce_frame = pick(d, f.free_frames, b.frames);
      break;
    case OpKind::dma_unmap:
      op.iova = d.in_range(0, std::max(1, b.iova_pages));
      break;
    case OpKind::fq_flush:
      break;
    case OpKind::kva_map:
      kva_map_args(d, m, s, f, op);
      break;
    case OpKind::sva_bind:
      op.pasid = 0;
      break;
    case OpKind::iopf_handle: {
      std::vector<const PageRequest*> reqs;
      for (const auto& r : s.prq) reqs.push_back(&r);
      if (!reqs.empty()) {
        const PageRequest* r = d.element_of(reqs);
        op.dev = r->dev;
        op.pasid = r->pasid;
        op.group = r->group;
      }
      op.frame = pick(d, f.free_frames, b.frames);
      break;
    }
    case OpKind::dma:
    case OpKind::ats_translate:
    case OpKind::iommu_walk: {
      std::vector<int> pasids = f.live_pasids;
      pasids.push_back(0);
      op.pasid = d.element_of(pasids);
      op.addr = gen_addr(d, m, s, f, op.dev, op.pasid);
      op.priv = op.pasid > 0 ? d.one_of({Priv::user, Priv::supervisor}) : Priv::user;
      op.access = d.one_of({Access::read, Access::write});
      // Now and then a named page-request group (MODEL.md §8.34); iommu_walk takes none.
      if (op.kind != OpKind::iommu_walk && d.in_range(0, 4) == 0) op.group = d.in_range(0, 2);
      break;
    }
    case OpKind::dma_translated: {
      op.pasid = 0;
      op.frame = pick(d, f.any_frames, b.frames);
      std::vector<const DevtlbEntry*> mine;
      for (const auto& e : s.devtlb)
        if (e.dev == op.dev) mine.push_back(&e);
      if (m.trusted(op.dev) && !mine.empty()) {
        const DevtlbEntry* e = d.element_of(mine);
        op.pasid = e->pasid;
        op.frame = e->frame;
        op.access = e->w ? d.one_of({Access::read, Access::write}) : Access::read;
      } else {
        op.access = d.one_of({Access::read, Access::write});
      }
      break;
    }
    case OpKind::cache_evict:
      op.entry = evicted_entry(d, m, s, op.dev, op.entry);
      break;
  }
  return op;
}

// Up to 16 candidates until one applies to `scratch` (a copy of `s`; Model::apply leaves it
// untouched when a precondition fails, so it needs no copy between tries), else fq_flush on
// device 0, which the caller's own apply may reject.
template <typename Draw>
Op first_applicable(Draw& d, const Model& m, const State& s, State& scratch,
                    const OpFilter& filter) {
  const Facts f = facts(m, s);
  for (int attempt = 0; attempt < 16; ++attempt) {
    Op op = candidate(d, m, s, f);
    if (!filter.allows(op)) continue;
    if (m.apply(scratch, op).applied) return op;
  }
  Op idle;
  idle.kind = OpKind::fq_flush;
  idle.dev = 0;
  return idle;
}

}  // namespace

rc::Gen<Op> gen_op(const Model& m, const State& s, const OpFilter& filter) {
  // rc::state generates commands at small sizes, where inRange/elementOf stay near their first
  // values; every argument choice here should be uniform over what the state offers.
  return rc::gen::resize(kUniformSize, rc::gen::exec([&m, s, filter] {
                           RcDraw d;
                           State scratch = s;
                           return first_applicable(d, m, s, scratch, filter);
                         }));
}

bool draw_and_apply(const Model& m, State& s, const OpFilter& filter, std::uint64_t& rng, Op& op) {
  FastDraw d{rng};
  const Facts f = facts(m, s);
  bool applied = false;
  for (int attempt = 0; attempt < 16 && !applied; ++attempt) {
    op = candidate(d, m, s, f);
    applied = filter.allows(op) && m.apply(s, op).applied;
  }
  rng = d.x;
  return applied;
}

std::vector<Op> generated_ops(const Model& m, std::uint64_t seed, int length) {
  const auto gen = rc::gen::exec([&m, length] {
    std::vector<Op> ops;
    State s = m.boot();
    for (int i = 0; i < length; ++i) {
      ops.push_back(*gen_op(m, s));
      m.apply(s, ops.back());
    }
    return ops;
  });
  return gen(rc::Random(seed), kUniformSize).value();
}

}  // namespace pasidcheck::fuzz
