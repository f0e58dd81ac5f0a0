// The successor ops of a state for exhaustive exploration. Arguments range over everything that can
// matter, except that a fresh allocation (kalloc, vmalloc, mm_map, a split's table frame, a bounce
// frame, a page populated by iopf_handle) always takes a canonical free frame: the lowest free
// frame for data and the highest for page tables and bounce buffers (as boot does). Free frames
// differ only in which direct-map block they sit in, so this is a reduction, documented as such in
// docs/engines.md.
#pragma once

#include <vector>

#include "model/model.h"

namespace pasidcheck::solver {

std::vector<model::Op> enumerate_ops(const model::Model& m, const model::State& s,
                                     const model::OpFilter& filter);

}  // namespace pasidcheck::solver
