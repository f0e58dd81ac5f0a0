// Engine constructors used by the factory (solver/engine.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "solver/engine.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::solver {

std::unique_ptr<Engine> make_z3_engine(const std::string& name);  // bmc, kind, spacer
std::unique_ptr<Engine> make_kcore_bfs_engine();

// A kcore input sequence as a trace of the problem's config expecting p.property violated at its
// last step (the caller annotates and replays it).
model::Trace kcore_witness(const ProveProblem& p, const std::vector<kcore::KInput>& ins);

}  // namespace pasidcheck::solver
