// What of the large parts of State an op may write: which devices' DeviceState, which parts of it
// (PASID entries, DMA domain, KVA grants, strict mirrors), and whether the frame array. Everything
// else in State is small or flat and is compared directly by whoever needs to know what changed
// (properties/incremental_capability.h); the per-device arrays are devices x PASIDs large, so an op
// names what it touches instead. Derived from the handlers (model/*.cpp) and checked by
// tests/footprint_test.cpp on generated ops of every preset and on every corpus trace: nothing
// outside the footprint changes.
#pragma once

#include <optional>
#include <string>

#include "model/model.h"

namespace pasidcheck::model {

struct Footprint {
  enum class Devices : std::uint8_t { none, one, all } devices = Devices::all;
  int dev = -1;  // for `one`
  enum Part : std::uint8_t {
    entries = 1,  // PASID-table entries, bindings and quiesce marks
    domain = 2,   // the DMA domain (IOVA pages)
    grants = 4,   // KVA grants
    mirrors = 8,  // strict mirrors
    every = 15,
  };
  std::uint8_t parts = every;  // of the devices it touches
  bool frames = true;          // may write State::frames (take_frame, release_frame, slab slots)
  bool touches(int d) const {
    return devices == Devices::all || (devices == Devices::one && d == dev);
  }
  bool writes(Part p) const { return (parts & p) != 0; }
};

Footprint footprint(const Op& op);
// What an op that applied with footprint `fp` changed outside it, from `before` to `after`
// (pass Footprint{Devices::none, -1, 0, false} for an op that must change no device or frame), or
// nullopt. Used by tests/footprint_test.cpp and fuzz_ops.
std::optional<std::string> outside_footprint(const State& before, const State& after,
                                             const Footprint& fp);

}  // namespace pasidcheck::model
