// What an op may write (struct Footprint, model/ops.h): its catalogue row's `writes`, derived from
// the handlers (model/*.cpp) and checked by
// tests/footprint_test.cpp on generated ops of every preset and on every corpus trace: nothing
// outside the footprint changes.
#pragma once

#include <optional>
#include <string>

#include "model/model.h"

namespace pasidcheck::model {

// The op's catalogue row's `writes`, with `dev` set to op.dev for a one-device op.
Footprint footprint(const Op& op);
// What an op that applied with footprint `fp` changed outside it, from `before` to `after`
// (pass Footprint{Devices::none, -1, 0, false} for an op that must change no device or frame), or
// nullopt. Used by tests/footprint_test.cpp and fuzz_ops.
std::optional<std::string> outside_footprint(const State& before, const State& after,
                                             const Footprint& fp);

}  // namespace pasidcheck::model
