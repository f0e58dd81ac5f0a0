#include "model/footprint.h"

namespace pasidcheck::model {

Footprint footprint(const Op& op) {
  Footprint fp = op_spec(op.kind).writes;
  if (fp.devices == Footprint::Devices::one) fp.dev = op.dev;
  return fp;
}

std::optional<std::string> outside_footprint(const State& before, const State& after,
                                             const Footprint& fp) {
  using P = Footprint::Part;
  if (!fp.frames && !(before.frames == after.frames)) return "changed a frame";
  for (std::size_t i = 0; i < before.devices.size(); ++i) {
    const int d = static_cast<int>(i);
    const DeviceState& was = before.devices[i];
    const DeviceState& now = after.devices[i];
    const std::string of = " of device " + std::to_string(d);
    if (!fp.touches(d)) {
      if (!(was == now)) return "changed the state" + of;
      continue;
    }
    if (!fp.writes(P::entries) &&
        !(was.entries == now.entries && was.bound == now.bound && was.quiesced == now.quiesced))
      return "changed the PASID entries" + of;
    if (!fp.writes(P::domain) && !(was.iova == now.iova)) return "changed the DMA domain" + of;
    if (!fp.writes(P::grants) && !(was.kva == now.kva)) return "changed the KVA grants" + of;
    if (!fp.writes(P::mirrors) && !(was.mirror == now.mirror))
      return "changed the strict mirrors" + of;
  }
  return std::nullopt;
}

}  // namespace pasidcheck::model
