// Engine constructors used by the factory (solver/engine.cpp).
#pragma once

#include <memory>
#include <string>

#include "solver/engine.h"

namespace pasidcheck::solver {

std::unique_ptr<Engine> make_z3_engine(const std::string& name);  // bmc, kind, spacer

}  // namespace pasidcheck::solver
