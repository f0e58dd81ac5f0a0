// The Z3 encoding of kcore (solver/kcore/kcore.h): state variables as Booleans and 2-bit
// bit-vectors (bit-vectors: much faster than Int for these domains), the initial state, one
// transition whose op and arguments are solver-chosen inputs, and the ten properties
// (property_ids()). Each action mirrors the executable op it encodes (model/kernel_mem.cpp,
// iommu_api.cpp, device.cpp, invalidate.cpp); tests/kcore_z3_test.cpp checks that, on concrete
// states, the two agree exactly.
#pragma once

#include <z3++.h>

#include <string>
#include <vector>

#include "solver/kcore/sym.h"

namespace pasidcheck::solver::kcore {

using Vec = std::vector<z3::expr>;

using SymInput = InputOf<z3::expr>;

class Encoding {
 public:
  Encoding(z3::context& c, const Variant& v) : c_(c), v_(v) {}
  z3::context& ctx() { return c_; }
  const Variant& variant() const { return v_; }

  Vec state(const std::string& suffix);
  SymInput input(const std::string& suffix);
  z3::expr init(const Vec& s);
  // The op's precondition (the executable model applies it, refusals included: they stutter).
  z3::expr domain(const SymInput& in);
  z3::expr enabled(const Vec& s, const SymInput& in);
  Vec next(const Vec& s, const SymInput& in);
  z3::expr trans(const Vec& s, const SymInput& in, const Vec& n);
  // The property is violated in s. `id` is one of property_ids().
  z3::expr bad(const std::string& id, const Vec& s);

  // Constants of a variable's sort, and decoding of a model's values.
  z3::expr value(int var, int v);
  Vec values(const std::vector<int>& concrete);
  SymInput input_value(const KInput& in);
  KInput decode(const z3::model& m, const SymInput& in);
  std::vector<int> decode(const z3::model& m, const Vec& s);

 private:
  z3::context& c_;
  Variant v_;
};

}  // namespace pasidcheck::solver::kcore
