// kcore's input alphabet as a constant expression: every KInput whose arguments matter, in the
// order inputs() (kcore/kcore.h) lists them. Constant, so that the compiled successor
// (kcore/concrete.cpp) can instantiate the transition once per input of the default size, each
// input's arguments folded in.
#pragma once

#include <vector>

#include "solver/kcore/kcore.h"

namespace pasidcheck::solver::kcore::detail {

constexpr std::vector<KInput> make_inputs(Size size) {
  const int frames = size.frames;
  const int addrs = frames + kVpages;
  // With 2 slots: kalloc, kfree and dma_map name a slot (page), dma_map a bounce frame (table),
  // kva_map its slots (attr + 1).
  const int slots = size.slots;
  std::vector<KInput> v;
  auto push = [&v](KInput in) { v.push_back(in); };
  for (int f = 0; f < frames; ++f)
    for (int slot = 0; slot < slots; ++slot) {
      push({kKalloc, 0, f, slot});
      push({kKfree, 0, f, slot});
    }
  for (int p = 0; p < kVpages; ++p)
    for (int t = 0; t < frames; ++t) {
      for (int f = 0; f < frames; ++f) push({kVmalloc, 0, f, p, t});
      push({kVfree, 0, 0, p, t});
      for (int a : {kRo, kRw, kRox, kX, kNx, kNp, kP}) push({kSetMemV, 0, 0, p, t, a});
    }
  for (int f = 0; f < frames; ++f)
    for (int t = 0; t < frames; ++t)
      for (int a : {kRo, kRw, kNp, kP}) push({kSetMemD, 0, f, 0, t, a});
  for (int f = 0; f < frames; ++f) {
    push({kPageallocUnmap, 0, f});
    push({kPageallocMap, 0, f});
  }
  push({kKptFreeD});
  push({kKptFreeV});
  for (int d = 0; d < size.devices; ++d) {
    push({kPasidEnable, d});
    push({kPasidDisable, d});
    for (int mode : {kModeBypass, kModeIova}) {
      KInput e{kPasidEnable, d};
      e.mode = mode;
      push(e);
    }
    for (int f = 0; f < frames; ++f)
      for (int slot = 0; slot < slots; ++slot)
        for (int bounce = 0; bounce < (slots > 1 ? frames : 1); ++bounce)
          if (slots == 1 || bounce != f)
            for (bool w : {false, true}) push({kDmaMap, d, f, slot, bounce, 0, w});
    push({kDmaUnmap, d});
    push({kFqFlush, d});
    for (int which = 0; which < 2; ++which) {
      push({kWalkIova, d, 0, which});
      push({kEvictIova, d, 0, which});
    }
    push({kEvictPasid, d, 0, 1});
    for (int a = 0; a < addrs; ++a) {
      for (int mask = 0; mask < (slots > 1 ? 3 : 1); ++mask)
        for (bool w : {false, true}) push({kKvaMap, d, 0, 0, 0, mask, w, a});
      push({kKvaUnmap, d, 0, 0, 0, 0, false, a});
      push({kWalk, d, 0, 0, 0, 0, false, a});
      push({kEvictIotlb, d, 0, 0, 0, 0, false, a});
    }
    push({kEvictIotlb, d, 0, 1, 0, 0, false, 0});  // the block's large entry (§8.26)
    push({kEvictPsc, d, 0, 0, 0, 0, false, 0});
    push({kEvictPsc, d, 0, 0, 0, 0, false, frames});
    push({kEvictPasid, d});
    // User SVA (the sva rows).
    push({kSvaBind, d});
    push({kSvaUnbind, d});
    for (int f = 0; f < frames; ++f) push({kIopfHandle, d, f});
    push({kDeviceQuiesce, d});
    for (bool w : {false, true}) push({kDmaUser, d, 0, 0, 0, 0, w});
    for (int a = 0; a < addrs; ++a) push({kWalkUser, d, 0, 0, 0, 0, false, a});
    push({kEvictUser, d});
    for (bool w : {false, true}) push({kAtsUser, d, 0, 0, 0, 0, w});
    push({kEvictDevtlb, d});
    for (int which = 0; which < 2; ++which) {
      for (bool w : {false, true}) push({kAtsIova, d, 0, which, 0, 0, w});
      push({kEvictDevtlbIova, d, 0, which});
    }
    for (int f = 0; f < frames; ++f) {
      push({kAtsPhys, d, f});
      push({kEvictDevtlbPhys, d, f});
    }
    for (int a = 0; a < addrs; ++a) {
      push({kAtsKernel, d, 0, 0, 0, 0, false, a});
      push({kEvictDevtlbKernel, d, 0, 0, 0, 0, false, a});
      push({kDmaKernel, d, 0, 0, 0, 0, false, a});
    }
    for (int which = 0; which < 2; ++which) {
      push({kDmaIova, d, 0, which});
      for (int f = 0; f < frames; ++f)
        for (bool w : {false, true}) push({kDmaTranslated, d, f, which, 0, 0, w});
    }
    push({kDmaPhys, d});
  }
  push({kMmCreate});
  for (bool w : {false, true}) {
    push({kMmMmap, 0, 0, 0, 0, 0, w});
    push({kMmProtect, 0, 0, 0, 0, 0, w});
    for (int f = 0; f < frames; ++f) push({kMmMap, 0, f, 0, 0, 0, w});
  }
  push({kMmUnmap});
  push({kMmExit});
  push({kMmDrop});
  return v;
}

}  // namespace pasidcheck::solver::kcore::detail
