// Internal to model/: what every op implementation receives, and the shared mechanisms they use
// (frame life-cycle, cache invalidation, the kernel page-table notifier). Not a public header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/model.h"

namespace pasidcheck::model::detail {

struct Ctx {
  const Model& m;
  State& s;
  const Op& op;
  Outcome& out;
};

// A failed precondition: the message names the rule. Ops return it before changing anything.
using Error = std::optional<std::string>;
inline Error fail(std::string why) {
  return why;
}
inline const Error kOk = std::nullopt;

// Op families: each file's ops, as rows of op_catalogue() with their handlers (model/ops.cpp).
const std::vector<OpSpec>& kernel_mem_ops();
const std::vector<OpSpec>& user_mm_ops();
const std::vector<OpSpec>& iommu_api_ops();
const std::vector<OpSpec>& device_ops();

// --- frames (frames.cpp) ---
// A frame becomes free: cached translations of it and PSC entries through it remember that.
void release_frame(State& s, int f, DirectLeaf frozen = {});
// A free frame takes a use: PSC entries through it (if it was a table) now read garbage.
void take_frame(State& s, int f, FrameUse use, int owner = -1);
// Does any device hold a live grant (dma or kva) on (frame, slot mask)?
bool has_live_grant(const Model& m, const State& s, int frame, std::uint32_t slots);
// Does any device hold a live writable grant on the frame?
bool has_live_write_grant(const State& s, int frame);
// Is the frame CPU-executable (text, or a present vmalloc leaf with NX clear)?
bool cpu_executable(const State& s, int frame, int text_pages);

// --- invalidation (invalidate.cpp) ---
void inv_pasid_cache(State& s, int dev, int pasid);
void inv_iotlb_psc(State& s, int did, int pasid);
void inv_devtlb(State& s, int dev, int pasid);
void inv_iova_page(const Model& m, State& s, int dev, int iova);
void drain_prq(State& s, int dev, int pasid);
void free_pasid(State& s, int pasid);
// Kernel page-table notifier (MODEL.md §8.4): page-selective for `pages`.
void kpt_notify(const Model& m, State& s, std::uint8_t event, const std::vector<Addr>& pages);
// ptfree / ptcollapse: the whole kernel range.
void kpt_notify_all(const Model& m, State& s, std::uint8_t event);
// SVA mmu notifier for one user page of mm (arch_invalidate_secondary_tlbs).
void sva_notify(const Model& m, State& s, int mm, int page);

// --- CPU kernel page table (kernel_mem.cpp) ---
struct CpuLeaf {
  bool present = false;
  int frame = -1;
  bool w = false;
  bool nx = true;
};
CpuLeaf cpu_leaf(const Model& m, const State& s, Addr a);

}  // namespace pasidcheck::model::detail
