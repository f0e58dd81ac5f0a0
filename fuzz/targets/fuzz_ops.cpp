// libFuzzer target: the model driven by an op sequence decoded from bytes. Any sequence is fine
// (precondition failures are values and must leave the state unchanged); after every applied op the
// state must stay internally consistent (model/consistency.h), nothing outside the op's footprint
// (model/footprint.h) may change, the incremental capability and the lists and bitsets the cache
// keeps must equal the from-scratch ones for every device, and properties and `explain` must run.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "model/consistency.h"
#include "model/footprint.h"
#include "model/knobs.h"
#include "properties/explain.h"
#include "properties/incremental_capability.h"
#include "properties/property.h"
#include "properties/replay.h"

using namespace pasidcheck;
using namespace pasidcheck::model;

namespace {

struct Bytes {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t next() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  int pick(int range) { return range <= 0 ? 0 : next() % range; }
};

Op decode(Bytes& in, const Model& m) {
  const Bounds& b = m.bounds();
  Op op;
  op.kind = static_cast<OpKind>(in.pick(static_cast<int>(kOpKinds)));
  op.dev = in.pick(m.device_count());
  op.pasid = in.pick(b.pasids);
  op.mode = static_cast<Mode>(in.pick(3));
  op.frame = in.pick(b.frames + 1) - 1;  // -1 = absent
  op.slot = in.pick(b.slots);
  op.slots = {in.pick(b.slots)};
  if (in.pick(2)) op.slots.push_back(in.pick(b.slots));
  op.page = in.pick(op.kind == OpKind::vmalloc || op.kind == OpKind::vfree ? b.vmalloc_pages
                                                                           : b.user_pages);
  const Space sp = static_cast<Space>(in.pick(6));
  op.addr = {sp, in.pick(std::max(1, m.space_size(sp)))};
  op.count = 1 + in.pick(3);
  op.attr = static_cast<Attr>(in.pick(7));
  op.dir = static_cast<Dir>(in.pick(3));
  op.prot = static_cast<Prot>(in.pick(2));
  op.priv = static_cast<Priv>(in.pick(2));
  op.access = static_cast<Access>(in.pick(2));
  op.mm = in.pick(b.mms);
  op.w = in.pick(2);
  op.group = in.pick(3) - 1;
  op.iova = in.pick(b.iova_pages);
  op.bounce_frame = in.pick(b.frames + 1) - 1;
  if (in.pick(2)) op.table_frames = {in.pick(b.frames)};
  if (in.pick(2)) op.alias_table_frames = {in.pick(b.frames)};
  op.entry = {static_cast<CacheKind>(in.pick(4)), in.pick(m.device_count()), in.pick(b.pasids),
              op.addr, in.pick(2) == 1};
  return op;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  const auto& presets = preset_table();
  Config c;
  c.preset = presets[in.pick(static_cast<int>(presets.size()))].name;
  c.knobs = *preset(c.preset);
  c.knobs.debug_pagealloc = in.pick(4) == 0;
  c.bounds.text_pages = in.pick(3);
  c.bounds.iotlb_capacity = in.pick(3);
  c.devices = default_devices();
  if (validate_config(c) || check_bootable(c)) return 0;
  const Model m(c);
  State s = m.boot();
  properties::CapabilityCache cache(m);
  cache.update(s);
  Trace t{"fuzz", "", c, {}, std::nullopt};
  while (in.n > 0 && t.steps.size() < 48) {
    const Op op = decode(in, m);
    const State before = s;
    const StepResult r = m.apply(s, op);
    if (!r.applied) {
      if (!(before == s)) {  // a failed precondition changed the state
        std::fprintf(stderr, "rejected %s changed the state: %s\n", to_string(op.kind).c_str(),
                     r.error.c_str());
        std::abort();
      }
      continue;
    }
    t.steps.push_back({op, std::nullopt});
    if (auto broken = check_consistency(m, s)) {
      std::fprintf(stderr, "preset %s, after %s (step %zu): %s\n", c.preset.c_str(),
                   properties::describe_op(op, c).c_str(), t.steps.size() - 1, broken->c_str());
      std::abort();
    }
    const Footprint fp = footprint(op);
    auto fail = [&](const char* what, int d) {
      std::fprintf(stderr, "preset %s, after %s (step %zu): %s (device %d)\n", c.preset.c_str(),
                   properties::describe_op(op, c).c_str(), t.steps.size() - 1, what, d);
      std::abort();
    };
    if (const auto outside = outside_footprint(before, s, fp))
      fail((*outside + ", outside the footprint").c_str(), -1);
    cache.update_after(s, fp);
    const properties::Snapshot scratch(m, s);  // computes everything from s alone
    for (int d = 0; d < m.device_count(); ++d) {
      if (cache.cap(d) != properties::capability(m, s, d)) fail("incremental cap differs", d);
      if (cache.pasids_in_use(d) != scratch.pasids_in_use(d)) fail("PASIDs in use differ", d);
      if (cache.mirrored_pasids(d) != scratch.mirrored_pasids(d)) fail("mirrored PASIDs differ", d);
    }
    if (cache.frame_uses().tables != scratch.frame_uses().tables ||
        cache.frame_uses().free != scratch.frame_uses().free)
      fail("frame-use bitsets differ", -1);
  }
  const auto r = properties::replay(t);
  if (r.bad_input) {  // every step applied above must replay
    std::fprintf(stderr, "replay: %s\n", r.bad_input->c_str());
    std::abort();
  }
  (void)properties::explain(t, r);
  return 0;
}
