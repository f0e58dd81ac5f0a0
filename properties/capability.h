// cap(d) of MODEL.md §6: everything one request of device d can reach from the current state, with
// the path that makes it reachable. Computed from scratch (exact, not fast): for every PASID, the
// entry the device would use (the PASID-cache copy if one exists), every IOTLB and PSC entry tagged
// with that entry's DID and the PASID, a fresh walk of every address the entry translates, the
// device TLB, and forged translated requests for untrusted devices with ATS on.
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
  bool freed = false;  // the cached path points at a frame freed since it was cached
  std::string path;
};

std::vector<Reach> capability(const Model& m, const State& s, int dev);

}  // namespace pasidcheck::properties
