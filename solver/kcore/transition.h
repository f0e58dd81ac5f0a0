// The kcore transition, one action at a time, generic over the term type (kcore/sym.h): the Z3
// encoding (kcore/z3.cpp) and the compiled successor (kcore/concrete.cpp) are this same text. Each
// action mirrors the executable op it encodes (model/kernel_mem.cpp, iommu_api.cpp, device.cpp,
// invalidate.cpp); tests/kcore_z3_test.cpp checks that, on concrete states, they agree exactly.
#pragma once

#include "solver/kcore/device.h"
#include "solver/kcore/iommu_api.h"
#include "solver/kcore/kernel_mem.h"
#include "solver/kcore/user_sva.h"

namespace pasidcheck::solver::kcore::detail {

// One action's precondition, and its successor in `next` (before normalize(), kcore/sym.h: the
// caller normalizes the successors it keeps). `next` is the caller's buffer, overwritten.
template <class Ctx, class Vec>
typename Vec::value_type encode_act(Ctx& c, const Variant& V, const Vec& s,
                                    const InputOf<typename Vec::value_type>& in, int act,
                                    Vec& next) {
  using expr = typename Vec::value_type;
  const Layout& L = layout_for<Ctx>(V.size());
  assign_state(next, s);
  Sym<Ctx, Vec> y{c, L, V, s, next};
  if (!act_allowed(V, act)) return c.bool_val(false);
  expr pre = c.bool_val(true);
  // Model::apply(): each op starts with no bad response.
  y.n[L.bad_response()] = y.no();
  if (is_sva_act(act) && !is_mm_act(act)) {  // only the row's devices
    expr dev_ok = y.no();
    for (int d = 0; d < L.devices(); ++d)
      dev_ok = dev_ok || (in.dev == y.dev_val(d) && c.bool_val(V.allow_sva[d]));
    pre = dev_ok;
  }
  Encoder<Ctx, Vec> e{c, y, in, act, L, V, s, in.frame, pre};
  switch (family_of(act)) {  // each family's file mirrors its model/ file
    case Family::kernel_mem:
      e.encode_kernel_mem_act();
      break;
    case Family::iommu_api:
      e.encode_iommu_api_act();
      break;
    case Family::device:
      e.encode_device_act();
      break;
    case Family::user_sva:
      e.encode_user_sva_act();
      break;
  }
  pre = e.pre;
  if (known_false(pre)) return pre;  // refused: the caller drops the successor
  if (V.sva) {
    // `quiesced` is dead unless the mm owns the PASID or an SVA copy is cached (project()).
    for (int d = 0; d < L.devices(); ++d) {
      const expr live =
          y.n[L.mm_pasid()] == y.pasid_val(d + 1) ||
          (y.n[L.pasid_cached(d)] && y.n[L.pasid_cached_mode(d)] == y.mode_val(kModeSva));
      y.n[L.quiesced(d)] = y.n[L.quiesced(d)] && live;
    }
  }
  return pre;
}

}  // namespace pasidcheck::solver::kcore::detail
