#include "model/model.h"

#include <algorithm>
#include <array>

#include "model/step_context.h"

namespace pasidcheck::model {

using namespace detail;

Model::Model(Config config) : config_(std::move(config)) {
  for (const auto& d : config_.devices) {
    trusted_.push_back(is_trusted(config_.knobs, d));
    ats_.push_back(ats_enabled(config_.knobs, d));
    pri_.push_back(pri_enabled(config_.knobs, d));
  }
}

std::optional<int> Model::device_index(const std::string& name) const {
  for (int i = 0; i < device_count(); ++i)
    if (config_.devices[i].name == name) return i;
  return std::nullopt;
}

// iommu_dma_init_fq(): lazy mode uses a flush queue; Linux 82c3cefb9f16 keeps untrusted strict.
bool Model::lazy(int d) const {
  switch (knobs().iova_flush) {
    case IovaFlush::strict:
      return false;
    case IovaFlush::lazy:
      return true;
    case IovaFlush::lazy_trusted:
      return trusted(d);
  }
  return false;
}

int Model::space_size(Space s) const {
  const Bounds& b = bounds();
  switch (s) {
    case Space::iova:
      return b.iova_pages;
    case Space::direct:
      return b.frames;
    case Space::vmalloc:
      return b.vmalloc_pages;
    case Space::text:
      return b.text_pages;
    case Space::user:
      return b.user_pages;
    case Space::phys:
      return b.frames;
  }
  return 0;
}

namespace {

// Blocks split at boot: those holding text, or all of them with DEBUG_PAGEALLOC (§3.2, §8.15).
std::vector<bool> boot_split(const Config& c) {
  const Bounds& b = c.bounds;
  std::vector<bool> split(b.frames / b.large, c.knobs.debug_pagealloc);
  for (int f = 0; f < b.text_pages; ++f) split[f / b.large] = true;
  return split;
}

}  // namespace

std::optional<std::string> check_bootable(const Config& c) {
  int n = 0;
  for (bool s : boot_split(c)) n += s;
  if (c.bounds.text_pages + n > c.bounds.frames)
    return "bounds: " + std::to_string(c.bounds.text_pages) + " text frames and " +
           std::to_string(n) + " boot table frames do not fit in " +
           std::to_string(c.bounds.frames) + " frames";
  return std::nullopt;
}

// MODEL.md §8.1: text at frames 0..T-1, boot tables from F-1 down, everything else free.
State Model::boot() const {
  const Bounds& b = bounds();
  State s;
  s.frames.resize(b.frames);
  s.direct.resize(b.frames);
  s.blocks.resize(b.frames / b.large);
  s.vmalloc.resize(b.vmalloc_pages);
  s.vgroup_table.assign((b.vmalloc_pages + b.large - 1) / b.large, -1);
  s.mms.resize(b.mms);
  for (auto& mm : s.mms) mm.pages.resize(b.user_pages);
  for (int t = 0; t < b.text_pages; ++t) s.frames[t] = {FrameUse::ktext, 0, false, -1};
  const auto split = boot_split(config_);
  int next_table = b.frames - 1;
  for (std::size_t blk = 0; blk < split.size(); ++blk) {
    if (!split[blk]) continue;
    s.blocks[blk] = {true, next_table};
    s.frames[next_table] = {FrameUse::kpt, 0, false, -1};
    --next_table;
  }
  for (int f = 0; f < b.frames; ++f) {
    const bool text = f < b.text_pages;
    const bool unmapped = knobs().debug_pagealloc && s.frames[f].use == FrameUse::free;
    s.direct[f] = {!unmapped, !text && !unmapped};  // unmapped: P and RW clear (§8.35)
  }
  s.devices.resize(device_count());
  for (int d = 0; d < device_count(); ++d) {
    DeviceState& ds = s.devices[d];
    ds.entries.resize(b.pasids);
    ds.bound.assign(b.pasids, false);
    ds.quiesced.assign(b.pasids, false);
    ds.iova.resize(b.iova_pages);
    ds.kva.resize(b.pasids);
    ds.mirror.resize(b.pasids);
    // RID_PASID: first-stage on the device's DMA domain, SRE=0 (intel_pasid_setup_first_level).
    ds.entries[0] = {true, Root::dma, d, false, knobs().wpe, false, dma_did(d), Submode::iova};
  }
  s.pasids.resize(b.pasids);
  s.pasids[0] = {PasidOwner::Kind::reserved, -1};
  return s;
}

namespace {

// Argument ranges common to every op (the op's own rules come after).
// Per op kind, the arguments it takes (required or optional) and requires, as bit masks of Arg.
struct ArgMasks {
  std::uint32_t takes = 0, requires_ = 0;
};
const ArgMasks& arg_masks(OpKind k) {
  static const auto table = [] {
    std::array<ArgMasks, kOpKinds> t{};
    for (std::size_t i = 0; i < t.size(); ++i) {
      const OpSpec& spec = op_spec(static_cast<OpKind>(i));
      for (Arg a : spec.required) t[i].requires_ |= 1u << static_cast<int>(a);
      t[i].takes = t[i].requires_;
      for (Arg a : spec.optional) t[i].takes |= 1u << static_cast<int>(a);
    }
    return t;
  }();
  return table.at(static_cast<std::size_t>(k));
}

Error check_ranges(const Model& m, const Op& op) {
  const ArgMasks& masks = arg_masks(op.kind);
  auto takes = [&masks](Arg a) { return (masks.takes >> static_cast<int>(a) & 1u) != 0; };
  const Bounds& b = m.bounds();
  auto frame_ok = [&b](int f) { return f >= 0 && f < b.frames; };
  if (takes(Arg::dev) && (op.dev < 0 || op.dev >= m.device_count())) return fail("unknown device");
  if (takes(Arg::pasid) && (op.pasid < 0 || op.pasid >= b.pasids))
    return fail("pasid " + std::to_string(op.pasid) + " is outside 1.." +
                std::to_string(b.pasids - 1));
  auto requires_arg = [&masks](Arg a) {
    return (masks.requires_ >> static_cast<int>(a) & 1u) != 0;
  };
  if (requires_arg(Arg::frame) && !frame_ok(op.frame))
    return fail("frame " + std::to_string(op.frame) + " is outside 0.." +
                std::to_string(b.frames - 1));
  if (takes(Arg::frame) && op.frame != -1 && !frame_ok(op.frame))
    return fail("frame " + std::to_string(op.frame) + " is outside 0.." +
                std::to_string(b.frames - 1));
  if (takes(Arg::bounce_frame) && op.bounce_frame != -1 && !frame_ok(op.bounce_frame))
    return fail("bounce_frame is out of range");
  for (int f : op.table_frames)
    if (!frame_ok(f)) return fail("table_frame " + std::to_string(f) + " is out of range");
  for (int f : op.alias_table_frames)
    if (!frame_ok(f)) return fail("alias_table_frame " + std::to_string(f) + " is out of range");
  if (takes(Arg::slot) && (op.slot < 0 || op.slot >= b.slots)) return fail("slot is out of range");
  for (int sl : op.slots)
    if (sl < 0 || sl >= b.slots) return fail("slots: " + std::to_string(sl) + " is out of range");
  if (takes(Arg::addr) && (op.addr.page < 0 || op.addr.page >= m.space_size(op.addr.space)))
    return fail("addr " + to_string(op.addr) + " is outside its space (size " +
                std::to_string(m.space_size(op.addr.space)) + ")");
  if (takes(Arg::mm) && (op.mm < 0 || op.mm >= b.mms)) return fail("mm is out of range");
  if (takes(Arg::page) && op.kind != OpKind::vmalloc && op.kind != OpKind::vfree &&
      (op.page < 0 || op.page >= b.user_pages))
    return fail("page " + std::to_string(op.page) + " is outside the user pages");
  if ((op.kind == OpKind::vmalloc || op.kind == OpKind::vfree) &&
      (op.page < 0 || op.page >= b.vmalloc_pages))
    return fail("page " + std::to_string(op.page) + " is outside the vmalloc pages");
  if (takes(Arg::iova) && (op.iova < 0 || op.iova >= b.iova_pages))
    return fail("iova page " + std::to_string(op.iova) + " is out of range");
  if (takes(Arg::count) && (op.count < 1 || op.count > m.space_size(op.addr.space)))
    return fail("count is out of range");
  if (takes(Arg::group) && op.group != -1 && (op.group < 0 || op.group >= 64))
    return fail("group is out of range");
  return kOk;
}

}  // namespace

StepResult Model::apply(State& s, const Op& op) const {
  StepResult r;
  if (auto err = check_ranges(*this, op)) {
    r.error = *err;
    return r;
  }
  const bool prev_bad_response = s.bad_response;
  s.bad_response = false;
  Ctx c{*this, s, op, r.outcome};
  if (auto err = op_spec(op.kind).handler(c)) {
    s.bad_response = prev_bad_response;  // handlers check before they change anything
    r.error = *err;
    r.outcome = {};
    return r;
  }
  r.applied = true;
  return r;
}

}  // namespace pasidcheck::model
