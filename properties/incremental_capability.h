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

#include "model/footprint.h"
#include "properties/capability.h"

namespace pasidcheck::properties {

class CapabilityCache {
 public:
  explicit CapabilityCache(const Model& m);

  // Brings every device's capability up to date with `s` (any state of this model: the next state
  // of a trace, or an unrelated one — the comparison decides what is reused).
  void update(const State& s);
  // The same when `s` is the state of the previous update after one applied op with footprint
  // `fp` (model/footprint.h): the per-device arrays of devices outside it are not compared.
  void update_after(const State& s, const model::Footprint& fp);
  const std::vector<Reach>& cap(int dev) const { return caps_.at(dev); }
  const WriteSummary& writes(int dev) const { return writes_.at(dev); }
  // Per device, ascending: the PASIDs whose table entry or effective entry (translate.h) is
  // present, and the PASIDs with a non-empty strict mirror. The per-PASID checkers visit only
  // these (Snapshot::pasids_in_use, Snapshot::mirrored_pasids) instead of every PASID.
  const std::vector<int>& pasids_in_use(int dev) const { return in_use_.at(dev); }
  const std::vector<int>& mirrored_pasids(int dev) const { return mirrored_.at(dev); }
  // frame_use_bits() of the state: computed when first asked for after an op whose footprint
  // names the frames, from the state of the last update (which must still be alive and unchanged,
  // as for cap()).
  const FrameUseBits& frame_uses() const;

  struct Stats {
    long long updates = 0;
    long long pieces_recomputed = 0;
    long long pieces_reused = 0;
    long long kernel_walks_shared = 0;  // walks of the kernel table copied from another piece
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Piece {
    model::PasidEntry entry;
    bool cached_entry = false;
    std::vector<Reach> cached;  // IOTLB and PSC reaches
    std::vector<Reach> walks;   // fresh walks of the entry's tables
  };
  // Which inputs of capability() differ from the previous update. The per-(device, PASID) flags
  // are listed in `entries`/`mirrors` too, so that clearing and visiting them costs what changed,
  // not devices x PASIDs.
  struct Changes {
    bool kernel = false;   // the CPU kernel table: direct map, blocks, vmalloc leaves and tables
    bool direct = false;   // its direct-map part (leaves and blocks)
    bool vmalloc = false;  // its vmalloc part (leaves and group tables)
    bool iotlb = false;
    bool psc = false;
    bool devtlb = false;
    bool pasid_cache = false;
    std::vector<char> entry;   // [device * pasids + pasid]: its table entry or PASID-cache copy
    std::vector<char> mirror;  // [device * pasids + pasid]: the strict mirror
    std::vector<int> entries, mirrors;  // the indices set above
    std::vector<char> iova;             // per device: its DMA domain
    std::vector<char> mm;               // per mm: its user pages
    void mark_entry(int i) {
      if (!entry[i]) entries.push_back(i);
      entry[i] = 1;
    }
  };

  void prime(const State& s);
  void diff(const State& s, const model::Footprint& fp);
  void refresh(const State& s, const model::Footprint& fp);
  bool walk_inputs_changed(const model::PasidEntry& e, int pasid) const;
  bool refresh_piece(const State& s, int dev, int pasid);
  template <typename F>
  bool recompute(std::vector<Reach>& part, F fill);
  void remember(const State& s);
  void walk_reaches(const State& s, int dev, int pasid, const Piece& x, std::vector<Reach>& out);

  const Model& m_;
  bool primed_ = false;
  State last_;  // the inputs as of the last update
  Changes ch_;
  std::vector<Reach> scratch_;
  std::vector<std::vector<Piece>> pieces_;  // [device][pasid]
  std::vector<std::vector<int>> present_;   // [device]: the PASIDs whose entry is present
  std::vector<std::vector<int>> in_use_;    // [device]: see pasids_in_use()
  std::vector<std::vector<int>> mirrored_;  // [device]: see mirrored_pasids()
  std::vector<std::vector<Reach>> device_part_;
  std::vector<std::vector<Reach>> caps_;
  std::vector<WriteSummary> writes_;  // write_summary() of caps_
  // Fresh walks of the CPU kernel table by what they depend on, (SRE, WPE, PASID > 0), and per
  // address space, kept across updates until that space's tables change. See walk_reaches().
  struct KernelWalk {
    bool sre, wpe, pasid_set;
    std::vector<Reach> direct, vmalloc, text;
    bool direct_ok = false, vmalloc_ok = false, text_ok = false;
  };
  std::vector<KernelWalk> kernel_walks_;
  mutable FrameUseBits frame_uses_;
  mutable const State* frames_of_ = nullptr;  // the state frame_uses_ is still to be computed from
  Stats stats_;
};

}  // namespace pasidcheck::properties
