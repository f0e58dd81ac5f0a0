// Incremental cap(d) (issue 8): the capability of every device kept up to date across steps instead
// of recomputed from scratch. cap(d) is the concatenation of per-(device, PASID) pieces — the
// cached translations of the entry the device uses and the fresh walks of that entry's tables —
// plus the device-TLB part. update() compares, component by component, what each piece reads (the
// PASID cache and table entries, the IOTLB and PSC, the CPU kernel table, each DMA domain, strict
// mirror and mm) with the state of the previous update, and recomputes only the pieces whose inputs
// changed. The result equals capability() element for element, in the same order; the tests and
// fuzz_ops check exactly that after every op.
#pragma once

#include <vector>

#include "properties/capability.h"

namespace pasidcheck::properties {

class CapabilityCache {
 public:
  explicit CapabilityCache(const Model& m);

  // Brings every device's capability up to date with `s` (any state of this model: the next state
  // of a trace, or an unrelated one — the comparison decides what is reused).
  void update(const State& s);
  const std::vector<Reach>& cap(int dev) const { return caps_.at(dev); }

  struct Stats {
    long long updates = 0;
    long long pieces_recomputed = 0;
    long long pieces_reused = 0;
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Piece {
    model::PasidEntry entry;
    bool cached_entry = false;
    std::vector<Reach> cached;  // IOTLB and PSC reaches
    std::vector<Reach> walks;   // fresh walks of the entry's tables
  };
  // Which inputs of capability() differ from the previous update (kept to avoid reallocation).
  struct Changes {
    bool kernel = false;  // the CPU kernel table: direct map, blocks, vmalloc leaves and tables
    bool iotlb = false;
    bool psc = false;
    bool devtlb = false;
    bool pasid_cache = false;
    std::vector<char> entry;   // per device and PASID: its table entry or PASID-cache copy
    std::vector<char> iova;    // per device: its DMA domain
    std::vector<char> mirror;  // per device and PASID: the strict mirror
    std::vector<char> mm;      // per mm: its user pages
  };

  void prime(const State& s);
  void diff(const State& s);
  bool walk_inputs_changed(const model::PasidEntry& e, int pasid) const;
  bool refresh_piece(const State& s, int dev, int pasid);
  template <typename F>
  bool recompute(std::vector<Reach>& part, F fill);
  void remember(const State& s);

  const Model& m_;
  bool primed_ = false;
  State last_;  // the inputs as of the last update
  Changes ch_;
  std::vector<Reach> scratch_;
  std::vector<std::vector<Piece>> pieces_;  // [device][pasid]
  std::vector<std::vector<Reach>> device_part_;
  std::vector<std::vector<Reach>> caps_;
  Stats stats_;
};

}  // namespace pasidcheck::properties
