// The canonical state of MODEL.md §3. Everything here is finite for a bounded config: there are no
// counters that grow with the trace length (MODEL.md §3.1), so engines may hash or encode it.
// Caches are kept in insertion order (the IOTLB evicts its oldest entry when `iotlb_capacity` is
// reached).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "model/config.h"
#include "model/types.h"

namespace pasidcheck::model {

// DIDs (MODEL.md §8.5, §8.30): SVA and pass-through share DID 1, the live kernel table has its
// own; each device's DMA domain gets 3 + its index at boot, and each strict mirror the lowest DID
// no live domain holds when it is created (Linux's ida; the DID is freed with the domain).
inline constexpr int kSvaDid = 1;
inline constexpr int kKernelDid = 2;
inline constexpr int kFirstDomainDid = 3;

struct Frame {
  FrameUse use = FrameUse::free;
  std::uint32_t slots = 0;  // allocated slab slots (all bits for vmalloc data)
  bool vmap = false;        // kdata that backs a vmalloc page (mapped whole)
  int owner = -1;           // mm for `user`, device for `bounce`
  bool operator==(const Frame&) const = default;
};

// A direct-map leaf; the direct map is always NX (MODEL.md §8.11).
struct DirectLeaf {
  bool present = false;
  bool w = false;
  bool operator==(const DirectLeaf&) const = default;
};

// One block of `large` frames: a single large leaf, or split with a kpt table frame.
struct DirectBlock {
  bool split = false;
  int table = -1;
  bool operator==(const DirectBlock&) const = default;
};

struct VmallocLeaf {
  bool present = false;
  int frame = -1;
  bool w = false;
  bool nx = true;
  bool operator==(const VmallocLeaf&) const = default;
};

struct UserPage {
  enum class Kind : std::uint8_t { novma, vma, mapped } kind = Kind::novma;
  bool w = false;  // vma permission, or the leaf's W once mapped
  int frame = -1;
  bool operator==(const UserPage&) const = default;
};

struct Mm {
  enum class Life : std::uint8_t { none, alive, exited } life = Life::none;
  int pasid = -1;
  std::vector<UserPage> pages;
  bool operator==(const Mm&) const = default;
};

// A scalable-mode PASID-table entry (VT-d 3.x §9.6), reduced to what the model needs.
struct PasidEntry {
  bool present = false;
  Root root = Root::none;
  int root_id = -1;  // device (dma, mirror) or mm (sva)
  bool sre = false;
  bool wpe = true;
  bool fpd = false;
  int did = 0;
  Submode submode = Submode::none;
  // Only on a PASID-cache copy: the strict mirror it points at was freed without invalidation
  // (free_first); walks through the copy read the domain's last contents, kept with the copy
  // (PasidCacheEntry::frozen_mirror, MODEL.md §8.38).
  bool frozen = false;
  bool operator==(const PasidEntry&) const = default;
};

// A page of a device's DMA (IOVA) domain, with the live grant it carries.
struct IovaPage {
  enum class Kind : std::uint8_t { free, mapped, queued } kind = Kind::free;
  int frame = -1;           // the frame the IOMMU maps (the bounce frame when bounced)
  std::uint32_t slots = 0;  // granted slots of `frame`
  bool w = false;
  int orig_frame = -1;  // the caller's buffer (differs from `frame` when bounced)
  int orig_slot = -1;
  bool bounced = false;
  bool operator==(const IovaPage&) const = default;
};

// A live kva_map grant (fast or strict) and, for strict, the mirror leaf it installed.
struct KvaGrant {
  int frame = -1;
  std::uint32_t slots = 0;
  bool w = false;  // prot
  bool operator==(const KvaGrant&) const = default;
};
struct MirrorLeaf {
  int frame = -1;
  bool w = false;
  bool operator==(const MirrorLeaf&) const = default;
};

struct DeviceState {
  std::vector<PasidEntry> entries;            // index = PASID; 0 = RID_PASID
  std::vector<bool> bound;                    // a binding (kernel or SVA) exists on this PASID
  std::vector<bool> quiesced;                 // ghost: the driver stopped the device on this PASID
  std::vector<IovaPage> iova;                 // the DMA domain
  std::vector<std::map<Addr, KvaGrant>> kva;  // per PASID
  std::vector<std::map<Addr, MirrorLeaf>> mirror;  // per PASID (strict KVA)
  bool operator==(const DeviceState&) const = default;
};

// What a cached translation was filled for (MODEL.md §8.17 compares under these).
struct FillContext {
  Root root = Root::none;
  bool sre = false;
  bool wpe = true;
  bool operator==(const FillContext&) const = default;
};

struct IotlbEntry {
  int did = 0;
  int pasid = 0;
  Addr key;            // page, or for a large direct leaf the first page of the block
  bool large = false;  // covers `large` frames starting at `frame`; a key of its own (§8.26)
  int frame = -1;
  bool w = false;
  bool u = false;
  bool nx = true;
  FillContext ctx;
  bool freed = false;  // a frame it maps was freed since it was filled
  bool operator==(const IotlbEntry&) const = default;
};

// Paging-structure cache: a prefix (direct block or vmalloc group) -> the table frame walked.
struct PscEntry {
  int did = 0;
  int pasid = 0;
  Space space = Space::direct;  // direct or vmalloc
  int index = 0;                // block or group
  int table = -1;
  FillContext ctx;
  bool freed = false;   // the table frame was freed since it was cached
  bool reused = false;  // ... and has had a new use since
  DirectLeaf frozen;    // the leaves it held when freed (uniform; vmalloc groups: none)
  bool operator==(const PscEntry&) const = default;
};

struct PasidCacheEntry {
  int dev = 0;
  int pasid = 0;
  PasidEntry copy;
  std::map<Addr, MirrorLeaf> frozen_mirror;  // copy.frozen: the freed mirror's last leaves
  bool operator==(const PasidCacheEntry&) const = default;
};

struct DevtlbEntry {
  int dev = 0;
  int pasid = 0;
  Addr page;
  int frame = -1;
  bool w = false;
  Priv priv = Priv::user;
  FillContext ctx;
  bool freed = false;
  bool operator==(const DevtlbEntry&) const = default;
};

struct PageRequest {
  int dev = 0;
  int pasid = 0;
  int page = 0;  // user page
  Access access = Access::read;
  int group = 0;
  bool stale = false;  // its PASID was freed while it was outstanding
  bool operator==(const PageRequest&) const = default;
};

struct PasidOwner {
  enum class Kind : std::uint8_t { free, reserved, kernel, mm } kind = Kind::free;
  int id = -1;  // device (kernel) or mm
  bool operator==(const PasidOwner&) const = default;
};

struct State {
  std::vector<Frame> frames;
  std::vector<DirectLeaf> direct;  // per frame
  std::vector<DirectBlock> blocks;
  std::vector<VmallocLeaf> vmalloc;
  std::vector<int> vgroup_table;  // per vmalloc group, -1 = none
  std::vector<Mm> mms;
  std::vector<DeviceState> devices;
  std::vector<PasidOwner> pasids;
  std::vector<PasidCacheEntry> pasid_cache;
  std::vector<IotlbEntry> iotlb;
  std::vector<PscEntry> psc;
  std::vector<DevtlbEntry> devtlb;
  std::vector<PageRequest> prq;
  bool bad_response = false;  // ghost: the last op answered a stale or unknown page request
  bool operator==(const State&) const = default;
};

}  // namespace pasidcheck::model
