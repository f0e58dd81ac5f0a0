// State-aware generation of ops for random search (RapidCheck). Arguments are drawn from what the
// current state makes interesting (free frames for allocations, mapped pages for requests,
// allocated PASIDs for DMA, table frames for kpt_free, ...), so that almost every generated op
// satisfies its precondition and search time goes into sequences that can break something.
#pragma once

#include <rapidcheck.h>

#include "model/model.h"

namespace pasidcheck::fuzz {

// Generates one op whose precondition holds in `s` (falls back to a harmless op after a few tries).
// `m` must outlive the generator.
rc::Gen<model::Op> gen_op(const model::Model& m, const model::State& s,
                          const model::OpFilter& filter = {});

}  // namespace pasidcheck::fuzz
