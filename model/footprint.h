// Which devices' DeviceState (PASID entries, bindings, quiesce marks, DMA domain, KVA grants and
// strict mirrors) an op may write, and whether it writes only their strict mirrors. Everything else
// in State is small or flat and is compared directly by whoever needs to know what changed
// (properties/incremental_capability.h); the per-device arrays are devices x PASIDs large, so an op
// names the devices it touches instead. Derived from the handlers (model/*.cpp) and checked by
// tests/footprint_test.cpp: for generated ops of every preset, no device outside the footprint
// changes.
#pragma once

#include "model/model.h"

namespace pasidcheck::model {

struct Footprint {
  enum class Devices : std::uint8_t { none, one, all } devices = Devices::all;
  int dev = -1;  // for `one`
  // Of the devices it touches, the op writes only the strict mirrors (the kernel-table notifier,
  // invalidate.cpp kpt_notify): PASID entries, bindings, DMA domains and grants stay as they were.
  bool mirrors_only = false;
  bool touches(int d) const {
    return devices == Devices::all || (devices == Devices::one && d == dev);
  }
};

Footprint footprint(const Op& op);

}  // namespace pasidcheck::model
