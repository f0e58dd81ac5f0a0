// State-aware generation of ops for random search (RapidCheck). Arguments are drawn from what the
// current state makes interesting (free frames for allocations, mapped pages for requests,
// allocated PASIDs for DMA, table frames for kpt_free, ...), so that almost every generated op
// satisfies its precondition and search time goes into sequences that can break something.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <vector>

#include "model/model.h"

namespace pasidcheck::fuzz {

// Generates one op whose precondition holds in `s` (falls back to a harmless op after a few tries).
// `m` must outlive the generator.
rc::Gen<model::Op> gen_op(const model::Model& m, const model::State& s,
                          const model::OpFilter& filter = {});

// The fast path of `check`'s search: draws candidates as gen_op does (the same distributions,
// from the splitmix64 stream `rng`, which advances) and applies the first one whose precondition
// holds to `s` (rejected tries leave `s` untouched). False, with `s` unchanged, when 16 tries
// found none.
bool draw_and_apply(const model::Model& m, model::State& s, const model::OpFilter& filter,
                    std::uint64_t& rng, model::Op& op);

// A sequence of `length` ops from boot, each valid where it is applied, drawn by gen_op with a
// fixed seed: the same seed gives the same sequence (benchmark workloads, tests).
std::vector<model::Op> generated_ops(const model::Model& m, std::uint64_t seed, int length);

}  // namespace pasidcheck::fuzz
