// The ten security invariants of MODEL.md §6, each with a stable id, a statement, its scope and its
// source, and a checker evaluated after every op. A violation names the property, the device and
// PASID, what was reached and the path (cache entry or table) that made it reachable.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "properties/capability.h"

namespace pasidcheck::properties {

struct Violation {
  std::string property;
  int dev = -1;
  int pasid = -1;  // -1: none / not applicable
  int frame = -1;
  int slot = -1;
  std::string access;
  std::string priv;
  std::string path;
  std::string message;
};

class CapabilityCache;

// Capabilities are computed once per state and shared by the checkers: from scratch, or taken from
// a CapabilityCache already brought up to date with this state.
class Snapshot {
 public:
  // `first` > 0: each checker may stop after that many violations (the verdict is the same; the
  // report is shorter). 0: up to four per device and property.
  Snapshot(const Model& m, const State& s, const CapabilityCache* cache = nullptr,
           std::size_t first = 0)
      : m_(m), s_(s), cache_(cache), first_(first) {}
  std::size_t first() const { return first_; }
  const Model& model() const { return m_; }
  const State& state() const { return s_; }
  const std::vector<Reach>& cap(int dev) const;
  const WriteSummary& writes(int dev) const;
  // Ascending: the PASIDs of `dev` whose table entry or effective entry is present, and those with
  // a non-empty strict mirror. Per-PASID checkers visit these instead of every PASID (at 64 PASIDs
  // and 16 devices the full scans were a third of the checking time).
  const std::vector<int>& pasids_in_use(int dev) const;
  const std::vector<int>& mirrored_pasids(int dev) const;
  // Page-table and free frames as bitsets (capability.h frame_use_bits).
  const FrameUseBits& frame_uses() const;

 private:
  const Model& m_;
  const State& s_;
  const CapabilityCache* cache_;
  std::size_t first_;
  mutable std::vector<std::optional<std::vector<Reach>>> caps_;
  mutable std::vector<std::optional<WriteSummary>> writes_;
  mutable std::vector<std::optional<std::vector<int>>> in_use_, mirrored_;
  mutable std::optional<FrameUseBits> frame_uses_;
};

struct Property {
  std::string id;
  std::string title;
  std::string statement;
  std::string scope;
  std::string source;
  std::function<std::vector<Violation>(const Snapshot&)> check;
};

const std::vector<Property>& registry();
const Property* find_property(const std::string& id);
// Parses "a,b,c" (or an empty string for all); returns an error naming the unknown id.
std::optional<std::string> select_properties(const std::vector<std::string>& ids,
                                             std::vector<const Property*>& out);
std::vector<Violation> check_all(const Model& m, const State& s,
                                 const std::vector<const Property*>& props);
// The same with the capabilities of `cache`, which must belong to m and be up to date with s
// (CapabilityCache::update or update_after called with s).
std::vector<Violation> check_all(const Model& m, const State& s,
                                 const std::vector<const Property*>& props,
                                 const CapabilityCache& cache);
// The hot loop of `check` and the benchmarks: the same verdicts with at most `first` violations
// per property (their full report comes from replaying the trace).
std::vector<Violation> check_first(const Model& m, const State& s,
                                   const std::vector<const Property*>& props,
                                   const CapabilityCache& cache, std::size_t first = 1);
std::string describe(const Model& m, const Violation& v);

// Checkers (one file per family).
std::vector<Violation> check_no_stale_iotlb(const Snapshot& snap);
std::vector<Violation> check_no_wx_dma(const Snapshot& snap);
std::vector<Violation> check_untrusted_confined(const Snapshot& snap);
std::vector<Violation> check_pasid_isolation(const Snapshot& snap);
std::vector<Violation> check_no_dma_to_freed(const Snapshot& snap);
std::vector<Violation> check_pasid_lifecycle(const Snapshot& snap);
std::vector<Violation> check_pt_integrity(const Snapshot& snap);
std::vector<Violation> check_trust_gating(const Snapshot& snap);
std::vector<Violation> check_iopf_integrity(const Snapshot& snap);
std::vector<Violation> check_kva_mirror_exact(const Snapshot& snap);

// Helpers shared by checkers.
Violation from_reach(const Snapshot& snap, const std::string& id, const Reach& r, int frame,
                     const std::string& message);

}  // namespace pasidcheck::properties
