// The symbolic kcore transition and properties evaluated on concrete values, for differential
// validation against the executable model (tests/kcore_z3_test.cpp) without including Z3 outside
// solver/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "solver/kcore/kcore.h"

namespace pasidcheck::solver::kcore {

class SymbolicEvaluator {
 public:
  explicit SymbolicEvaluator(const Variant& v);
  ~SymbolicEvaluator();
  struct Step {
    bool enabled = false;
    std::vector<int> next;
  };
  Step step(const std::vector<int>& state, const KInput& in);
  bool bad(const std::string& property, const std::vector<int>& state);
  bool init(const std::vector<int>& state);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pasidcheck::solver::kcore
