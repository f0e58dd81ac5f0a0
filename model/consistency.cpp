#include "model/consistency.h"

namespace pasidcheck::model {

std::optional<std::string> check_consistency(const Model& m, const State& s) {
  const Bounds& b = m.bounds();
  auto fail = [](std::string why) { return std::optional<std::string>(std::move(why)); };
  std::vector<int> table_refs(b.frames, 0), vmap_refs(b.frames, 0), user_refs(b.frames, 0),
      bounce_refs(b.frames, 0);
  // Every kernel page-table frame is referenced by exactly the prefix that owns it.
  for (std::size_t blk = 0; blk < s.blocks.size(); ++blk) {
    const DirectBlock& d = s.blocks[blk];
    if (d.split) {
      if (d.table < 0 || d.table >= b.frames)
        return fail("block " + std::to_string(blk) + " is split without a table frame");
      ++table_refs[d.table];
    } else {
      for (int f = static_cast<int>(blk) * b.large; f < static_cast<int>(blk + 1) * b.large; ++f)
        if (!(s.direct[f] == s.direct[blk * b.large]))
          return fail("large block " + std::to_string(blk) + " has non-uniform leaves");
    }
  }
  for (std::size_t g = 0; g < s.vgroup_table.size(); ++g)
    if (s.vgroup_table[g] >= 0) ++table_refs[s.vgroup_table[g]];
  for (std::size_t p = 0; p < s.vmalloc.size(); ++p) {
    const VmallocLeaf& v = s.vmalloc[p];
    if (v.frame < 0) continue;
    if (s.vgroup_table[m.group_of(static_cast<int>(p))] < 0)
      return fail("vmalloc:" + std::to_string(p) + " is mapped without a group table");
    ++vmap_refs[v.frame];
    if (v.w && !v.nx) return fail("vmalloc:" + std::to_string(p) + " is W+X for the CPU");
  }
  for (std::size_t i = 0; i < s.mms.size(); ++i)
    for (const auto& u : s.mms[i].pages)
      if (u.kind == UserPage::Kind::mapped) {
        if (s.frames[u.frame].use != FrameUse::user ||
            s.frames[u.frame].owner != static_cast<int>(i))
          return fail("a page of mm " + std::to_string(i) + " maps frame " +
                      std::to_string(u.frame) + " which is not its user frame");
        ++user_refs[u.frame];
      }
  for (std::size_t d = 0; d < s.devices.size(); ++d) {
    const DeviceState& ds = s.devices[d];
    for (const auto& p : ds.iova) {
      if (p.kind == IovaPage::Kind::free) continue;
      if (p.bounced) ++bounce_refs[p.frame];
      if (p.kind == IovaPage::Kind::mapped && s.frames[p.frame].use == FrameUse::free)
        return fail("a live dma grant of device " + std::to_string(d) + " names free frame " +
                    std::to_string(p.frame));
    }
    for (std::size_t p = 0; p < ds.kva.size(); ++p)
      for (const auto& [a, g] : ds.kva[p])
        if (s.frames[g.frame].use == FrameUse::free)
          return fail("a live kva grant names free frame " + std::to_string(g.frame));
    for (int p = 1; p < b.pasids; ++p)
      if (ds.bound[p] && s.pasids[p].kind == PasidOwner::Kind::free)
        return fail("device " + std::to_string(d) + " is bound to free PASID " + std::to_string(p));
  }
  // The allocator's view matches the frames' uses.
  for (int f = 0; f < b.frames; ++f) {
    const Frame& fr = s.frames[f];
    const bool kpt = fr.use == FrameUse::kpt;
    if (table_refs[f] != (kpt ? 1 : 0))
      return fail("frame " + std::to_string(f) + " (" + to_string(fr.use) + ") is referenced by " +
                  std::to_string(table_refs[f]) + " page-table prefixes");
    if (vmap_refs[f] != (fr.use == FrameUse::kdata && fr.vmap ? 1 : 0))
      return fail("frame " + std::to_string(f) + " vmalloc mappings do not match its use");
    if (user_refs[f] != (fr.use == FrameUse::user ? 1 : 0))
      return fail("frame " + std::to_string(f) + " user mappings do not match its use");
    if (bounce_refs[f] != (fr.use == FrameUse::bounce ? 1 : 0))
      return fail("frame " + std::to_string(f) + " bounce references do not match its use");
    if (fr.use == FrameUse::kdata && !fr.vmap && fr.slots == 0)
      return fail("slab frame " + std::to_string(f) + " has no allocated slot");
    if (fr.use == FrameUse::free && (fr.slots != 0 || fr.vmap))
      return fail("free frame " + std::to_string(f) + " keeps slab or vmalloc state");
    if (fr.use == FrameUse::ktext && f >= b.text_pages)
      return fail("frame " + std::to_string(f) + " is text outside the image");
  }
  for (int p = 1; p < b.pasids; ++p) {
    const PasidOwner& o = s.pasids[p];
    if (o.kind == PasidOwner::Kind::mm && s.mms[o.id].pasid != p)
      return fail("PASID " + std::to_string(p) + " is owned by an mm that does not name it");
    if (o.kind == PasidOwner::Kind::reserved)
      return fail("PASID " + std::to_string(p) + " is reserved (only PASID 0 is)");
  }
  for (std::size_t i = 0; i < s.mms.size(); ++i) {
    const int p = s.mms[i].pasid;
    if (p > 0 &&
        (s.pasids[p].kind != PasidOwner::Kind::mm || s.pasids[p].id != static_cast<int>(i)))
      return fail("mm " + std::to_string(i) + " names PASID " + std::to_string(p) +
                  " which it does not own");
  }
  if (static_cast<int>(s.prq.size()) > b.prq_depth * static_cast<int>(s.devices.size()))
    return fail("more page requests than prq_depth allows");
  if (b.iotlb_capacity > 0 && static_cast<int>(s.iotlb.size()) > b.iotlb_capacity)
    return fail("IOTLB above its capacity");
  return std::nullopt;
}

}  // namespace pasidcheck::model
