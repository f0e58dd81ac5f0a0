// cap(d) of MODEL.md §6: everything one request of device d can reach from the current state, with
// the path that makes it reachable. For every PASID: the entry the device would use (the
// PASID-cache copy if one exists), every IOTLB and PSC entry tagged with that entry's DID and the
// PASID, a fresh walk of every address the entry translates; then the device TLB, and forged
// translated requests for untrusted devices with ATS on.
//
// A Reach is compact (no strings): it names its path by kind (`via`) and by the cache entry index
// or walked address, and describe_path() renders it only when a violation is reported. capability()
// computes from scratch; CapabilityCache (incremental_capability.h) keeps the same result up to
// date across steps and is cross-checked against capability() in the tests and in fuzz_ops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"

namespace pasidcheck::properties {

using model::Model;
using model::State;

struct Reach {
  int dev = -1;
  int pasid = -1;  // -1: a forged translated request (no PASID context)
  model::Priv priv = model::Priv::user;
  int frame = -1;  // -1: any frame (a reused stale table, pass-through, forged requests)
  bool write = false;
  model::Via via = model::Via::none;
  model::Root root = model::Root::none;  // the root of the entry (or fill) the path goes through
  bool freed = false;         // the cached path points at a frame freed since it was cached
  bool cached_entry = false;  // the PASID entry used is a PASID-cache copy
  int index = -1;             // the IOTLB / PSC / device-TLB entry (via iotlb, stale_psc, devtlb)
  model::Addr addr;           // the walked address (via walk)
  bool operator==(const Reach&) const = default;
};

std::vector<Reach> capability(const Model& m, const State& s, int dev);

// The reaches of one PASID of `dev` (its cached translations and fresh walks); capability() is the
// concatenation of these for every PASID, then device_reaches().
void pasid_cached_reaches(const Model& m, const State& s, int dev, int pasid,
                          std::vector<Reach>& out);
void pasid_walk_reaches(const Model& m, const State& s, int dev, int pasid,
                        std::vector<Reach>& out);
void device_reaches(const Model& m, const State& s, int dev, std::vector<Reach>& out);
// The fresh walks of one address space under entry `e` (the effective entry of (dev, pasid);
// `cached`: it is a PASID-cache copy). pasid_walk_reaches() is these in kWalkOrder.
inline constexpr model::Space kWalkOrder[] = {model::Space::iova, model::Space::direct,
                                              model::Space::vmalloc, model::Space::text,
                                              model::Space::user};
void space_walk_reaches(const Model& m, const State& s, int dev, int pasid,
                        const model::PasidEntry& e, bool cached, model::Space sp,
                        std::vector<Reach>& out);

// What a device can write, as a frame bitset: the quick test before a property looks at reaches.
struct WriteSummary {
  bool any = false;  // some reach writes any frame (pass-through, stale table, forged)
  std::vector<std::uint64_t> bits;  // frame f writable: bit f % 64 of word f / 64
};
WriteSummary write_summary(const Model& m, const std::vector<Reach>& cap);
// Frames by use, in one pass over the frame array: page-table frames (kpt, iopt) and free ones.
struct FrameUseBits {
  std::vector<std::uint64_t> tables, free;
};
FrameUseBits frame_use_bits(const Model& m, const State& s);
// Ascending: the PASIDs of `dev` whose table entry or effective entry (translate.h) is present,
// and those with a non-empty strict mirror. The per-PASID checkers visit only these.
std::vector<int> pasids_in_use(const Model& m, const State& s, int dev);
std::vector<int> mirrored_pasids(const Model& m, const State& s, int dev);
// Does the device write some frame of `frames`?
bool writes_any_of(const WriteSummary& w, const std::vector<std::uint64_t>& frames);

// The path of a reach in words ("walk of direct:3 under PASID entry ...", "IOTLB entry ...").
std::string describe_path(const Model& m, const State& s, const Reach& r);

}  // namespace pasidcheck::properties
