// The kcore transition's per-action encoders (kcore/transition.h calls the family's): one object
// per (state, input) holding what every action reads, so that each action's code reads as the
// executable op's does (c, y, in, L, V, s, f; `pre` is the precondition being built, y.n the
// successor). The member functions are defined in the family files that mirror model/:
// kernel_mem.h, iommu_api.h, device.h, user_sva.h. Generic over the term type (kcore/sym.h).
#pragma once

#include "solver/kcore/sym.h"

namespace pasidcheck::solver::kcore::detail {

template <class Ctx, class Vec>
struct Encoder {
  using expr = typename Vec::value_type;
  Ctx& c;
  Sym<Ctx, Vec>& y;  // y.n: the successor being built
  const InputOf<expr>& in;
  int act;
  const Layout& L;
  const Variant& V;
  const Vec& s;  // the state before the action
  const expr f;  // the input's frame, which most actions name
  expr pre;      // the precondition so far (the row's device check for SVA actions)

  // The mm (mm 0) and its page user:0 (model/user_mm.cpp, iommu_api.cpp do_iopf_handle()).
  expr mm_alive() const { return s[L.mm_life()] == c.bv_val(1, 2); }
  expr user_page_is(int kind) const { return s[L.user_page()] == c.bv_val(kind, 2); }

  // kernel_mem.h (model/kernel_mem.cpp): the family, then its groups.
  void encode_kernel_mem_act();
  void encode_slab_vmalloc_act();
  void encode_page_attr_act();
  // iommu_api.h (model/iommu_api.cpp): the family, then its groups.
  void encode_iommu_api_act();
  void encode_pasid_act();
  void encode_kva_act();
  void encode_dma_api_act();
  // device.h (model/device.cpp): the family, then its groups.
  void encode_device_act();
  void encode_eviction_act();
  void encode_iova_phys_request_act();
  void encode_kernel_request_act();
  // user_sva.h (model/user_mm.cpp and the SVA ops): the family, then its groups.
  void encode_user_sva_act();
  void encode_mm_act();
  void encode_binding_act();
  void encode_user_request_act();
};

}  // namespace pasidcheck::solver::kcore::detail
