// A canonical byte encoding of the model state, for hashing in the explicit-state engine. Cache
// vectors are sorted when their order cannot matter (no IOTLB capacity), so states that differ only
// in insertion order are one state.
#pragma once

#include <string>

#include "model/model.h"

namespace pasidcheck::solver {

std::string encode(const model::Model& m, const model::State& s);
// The same into `out` (cleared first), reusing its buffer.
void encode_into(const model::Model& m, const model::State& s, std::string& out);

}  // namespace pasidcheck::solver
