#include "solver/kcore/layout.h"

#include <stdexcept>

#include "model/input_error.h"

namespace pasidcheck::solver::kcore {

namespace detail {

void check_size(Size size) {
  if (size.frames < kMinFrames || size.frames > kMaxFrames)
    throw model::InputError("kcore takes " + std::to_string(kMinFrames) + ".." +
                            std::to_string(kMaxFrames) + " frames, not " +
                            std::to_string(size.frames));
  if (size.devices < kMinDevices || size.devices > kMaxDevices)
    throw model::InputError("kcore takes " + std::to_string(kMinDevices) + ".." +
                            std::to_string(kMaxDevices) + " devices, not " +
                            std::to_string(size.devices));
  if (size.slots < kMinSlots || size.slots > kMaxSlots)
    throw model::InputError("kcore takes " + std::to_string(kMinSlots) + ".." +
                            std::to_string(kMaxSlots) + " slots per frame, not " +
                            std::to_string(size.slots));
}

}  // namespace detail

std::string device_name(int d) {
  return (d % 2 ? "tbt" : "dsa") + std::to_string(d / 2);
}

namespace {

// An instance's index as a witness names it: use[frame2], grant[tbt0,vmalloc:0],
// iotlb_iova[dsa0,pasid].
std::string index_name(Index kind, int i, Size size) {
  const int addrs = size.frames + kVpages;
  auto addr = [&](int a) {
    return a < size.frames ? "direct:" + std::to_string(a)
                           : "vmalloc:" + std::to_string(a - size.frames);
  };
  switch (kind) {
    case Index::one:
      return "";
    case Index::frame:
      return "frame" + std::to_string(i);
    case Index::vpage:
      return "vmalloc:" + std::to_string(i);
    case Index::dev:
      return device_name(i);
    case Index::dev_rid:  // the DMA domain's iova:0 entries: RID_PASID, the PASID
      return device_name(i / 2) + (i % 2 ? ",pasid" : ",rid_pasid");
    case Index::dev_frame:
      return device_name(i / size.frames) + ",phys:" + std::to_string(i % size.frames);
    case Index::dev_addr:
      return device_name(i / addrs) + "," + addr(i % addrs);
  }
  return "";
}

}  // namespace

const std::vector<VarInfo>& Layout::vars() const {
  return detail::per_size<std::vector<VarInfo>>(size_, [](Size size) {
    std::vector<VarInfo> out;
    for (const VarSpec& spec : kVarSpecs) {
      if (spec.two_slots && size.slots < 2) continue;
      const int width = width_bits(spec.width, size);
      for (int i = 0, n = instances(spec.index, size); i < n; ++i) {
        const std::string index = index_name(spec.index, i, size);
        out.push_back(
            {index.empty() ? spec.name : std::string(spec.name) + "[" + index + "]", width});
      }
    }
    return out;
  });
}

const Layout& layout(Size size) {
  if (size == Size{}) return kDefaultLayout;
  constexpr auto make = [](Size sz) { return Layout(sz); };  // one type: one table of layouts
  return detail::per_size<Layout>(size, make);
}

// A field's instance i is guarded by its presence row's instance i / (instances of the field per
// instance of the presence): the same index, or its device (frozen_mirror[d, a] by
// pasid_cached_frozen[d]).
const std::vector<std::pair<int, int>>& absent_fields(Size size) {
  using Pairs = std::vector<std::pair<int, int>>;
  return detail::per_size<Pairs>(size, [](Size sz) {
    const Layout& L = layout(sz);
    Pairs v;
    for (int r = 0; r < kVarRows; ++r) {
      const VarSpec& spec = kVarSpecs[r];
      if (spec.presence == Var::none || L.first(static_cast<Var>(r)) < 0) continue;
      const VarSpec& guard = kVarSpecs[static_cast<int>(spec.presence)];
      const int n = instances(spec.index, sz), per = n / instances(guard.index, sz);
      for (int i = 0; i < n; ++i)
        v.emplace_back(L.first(static_cast<Var>(r)) + i, L.first(spec.presence) + i / per);
    }
    return v;
  });
}

}  // namespace pasidcheck::solver::kcore
