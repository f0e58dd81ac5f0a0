#include "solver/kcore/properties.h"
#include "solver/kcore/z3.h"

namespace pasidcheck::solver::kcore {

z3::expr Encoding::bad(const std::string& id, const Vec& s) {
  return detail::bad_in(c_, v_, s, id);
}

}  // namespace pasidcheck::solver::kcore
