// Frame life-cycle and the finite "freed since" information of MODEL.md §3.1: instead of a
// generation counter, each cached translation and PSC entry carries flags that say whether the
// frame it points at was freed (and, for table frames, reused) after it was cached.
#include "model/step_context.h"

namespace pasidcheck::model::detail {

void release_frame(State& s, int f, DirectLeaf frozen) {
  s.frames[f] = Frame{};
  for (auto& e : s.iotlb) {
    const int span = e.large ? static_cast<int>(s.direct.size() / s.blocks.size()) : 1;
    if (f >= e.frame && f < e.frame + span) e.freed = true;
  }
  for (auto& e : s.devtlb)
    if (e.frame == f) e.freed = true;
  for (auto& e : s.psc) {
    if (e.table != f || e.freed) continue;
    e.freed = true;
    e.reused = false;
    e.frozen = e.space == Space::direct ? frozen : DirectLeaf{};
  }
}

void take_frame(State& s, int f, FrameUse use, int owner) {
  Frame& fr = s.frames[f];
  fr.use = use;
  fr.owner = owner;
  for (auto& e : s.psc)
    if (e.table == f && e.freed) e.reused = true;
}

bool has_live_grant(const Model& m, const State& s, int frame, std::uint32_t slots) {
  for (const auto& d : s.devices) {
    for (const auto& p : d.iova) {
      if (p.kind != IovaPage::Kind::mapped) continue;
      if (p.frame == frame && (p.slots & slots)) return true;
      if (p.orig_frame == frame && p.orig_slot >= 0 && (slots & (1u << p.orig_slot))) return true;
    }
    for (const auto& per_pasid : d.kva)
      for (const auto& [addr, g] : per_pasid)
        if (g.frame == frame && (g.slots & slots)) return true;
  }
  (void)m;
  return false;
}

bool has_live_write_grant(const State& s, int frame) {
  for (const auto& d : s.devices) {
    for (const auto& p : d.iova)
      if (p.kind == IovaPage::Kind::mapped && p.w && (p.frame == frame || p.orig_frame == frame))
        return true;
    for (const auto& per_pasid : d.kva)
      for (const auto& [addr, g] : per_pasid)
        if (g.frame == frame && g.w) return true;
  }
  return false;
}

bool cpu_executable(const State& s, int frame, int text_pages) {
  if (frame < text_pages) return true;
  for (const auto& v : s.vmalloc)
    if (v.present && v.frame == frame && !v.nx) return true;
  return false;
}

}  // namespace pasidcheck::model::detail
