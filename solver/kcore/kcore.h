// kcore: the reduced core that the Z3 engines encode symbolically (docs/engines.md, "kcore").
//
// It is a sub-system of the executable model, not a second model: one direct-map large block of 3
// frames by default, 2..6 on request (and its split), one vmalloc group with one page, the two
// default devices (dsa0, tbt0; 2..4 on request: dsa1, tbt1 copy them), each with one kernel
// PASID (device d uses PASID d+1) enabled in
// kva (fast or strict as the variant decides), bypass or iova mode and torn down in the variant's
// order, IOTLB, paging-structure cache and PASID cache, the kernel page-table notifier, and
// DEBUG_PAGEALLOC's direct-map unmapping when the variant enables it. In the sva rows the PASID
// is instead bound to one mm with one user page, with its page requests (user SVA).
// The ops are the executable model's own ops with their arguments restricted (KInput below); the
// properties are the ten of property_ids(). This file holds what both sides share without
// Z3: the variable layout, the projection of an executable State onto it, and the input alphabet.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "solver/kcore/layout.h"

namespace pasidcheck::solver::kcore {

// The actions (MODEL.md §4 op, restricted arguments).
enum Act : int {
  kKalloc,          // kalloc frame slot (slot = page; 0 with one slot per frame)
  kKfree,           // kfree frame slot
  kVmalloc,         // vmalloc page frame table_frame
  kVfree,           // vfree page alias_table_frame
  kSetMemV,         // set_memory vmalloc:page ro|rw|rox|x|nx|np|p alias_table_frame
  kSetMemD,         // set_memory direct:frame ro|rw|np|p table_frame
  kKptFreeD,        // kpt_free direct:0 (CPA collapse)
  kKptFreeV,        // kpt_free vmalloc:0
  kPasidEnable,     // pasid_enable dev pasid=dev+1 mode=kva|bypass|iova
  kKvaMap,          // kva_map dev addr slots prot (every slot; with 2 slots, mask attr+1)
  kKvaUnmap,        // kva_unmap dev addr
  kWalk,            // iommu_walk dev addr priv=supervisor
  kEvictIotlb,      // cache_evict iotlb (dev, PASID, addr)
  kEvictPsc,        // cache_evict psc (dev, PASID, addr)
  kEvictPasid,      // cache_evict pasid (dev, RID_PASID when page=0, else PASID)
  kDmaMap,          // dma_map dev frame slot=page iova 0 dir (from_device when prot_w)
                    //   bounce_frame=table (with 2 slots; used when the map is bounced)
  kDmaUnmap,        // dma_unmap dev iova 0
  kFqFlush,         // fq_flush dev
  kWalkIova,        // iommu_walk dev iova:0 priv=user, RID_PASID when page=0, else PASID
  kEvictIova,       // cache_evict iotlb (dev, RID_PASID when page=0 else PASID, iova:0)
  kPasidDisable,    // pasid_disable dev pasid=dev+1 (teardown in the variant's order)
  kPageallocUnmap,  // pagealloc_unmap frame (debug_pagealloc only)
  kPageallocMap,    // pagealloc_map frame (debug_pagealloc only)
  // User SVA (the sva rows only): one mm (mm 0) with one user page (user:0), bound on device d's
  // PASID d+1, its page requests (prq_depth 1, group 0) and their handler.
  kMmCreate,       // mm_create mm 0
  kMmMmap,         // mm_mmap mm 0 user:0 prot (rw when prot_w)
  kMmMap,          // mm_map mm 0 user:0 frame w
  kMmUnmap,        // mm_unmap mm 0 user:0
  kMmProtect,      // mm_protect mm 0 user:0 w
  kMmExit,         // mm_exit mm 0
  kMmDrop,         // mm_drop mm 0
  kSvaBind,        // sva_bind dev mm 0 pasid=dev+1
  kSvaUnbind,      // sva_unbind dev pasid=dev+1 (teardown in the variant's order)
  kIopfHandle,     // iopf_handle dev pasid=dev+1 group 0 frame
  kDeviceQuiesce,  // device_quiesce dev pasid=dev+1
  kDmaUser,        // dma dev pasid=dev+1 priv=user user:0 read|write (raises page requests)
  kWalkUser,       // iommu_walk dev pasid=dev+1 addr priv=user (the kernel half of SVA)
  kEvictUser,      // cache_evict iotlb (dev, PASID, user:0)
  kAtsUser,        // ats_translate dev pasid=dev+1 user:0 read|write (fills the device TLB)
  kEvictDevtlb,    // cache_evict devtlb (dev, PASID, user:0)
  // ATS for kernel PASIDs, where the IOTLB has one entry per key (no lookup order): iova:0
  // through RID_PASID (page 0) or the PASID (the iova rows), phys:frame through a pass-through
  // PASID (the bypass rows).
  kAtsIova,          // ats_translate dev RID_PASID|PASID iova:0 read|write
  kAtsPhys,          // ats_translate dev pasid=dev+1 phys:frame read
  kEvictDevtlbIova,  // cache_evict devtlb (dev, RID_PASID|PASID, iova:0)
  kEvictDevtlbPhys,  // cache_evict devtlb (dev, PASID, phys:frame)
  // ATS for kernel addresses through the device's KVA PASID (fast: the kernel table, strict: its
  // mirror), the IOTLB looked up exact entry first (iotlb_lookup()): the kva rows.
  kAtsKernel,          // ats_translate dev pasid=dev+1 addr read priv=supervisor
  kEvictDevtlbKernel,  // cache_evict devtlb (dev, PASID, addr)
  // DMA requests (`dma`): as the translations above without the device TLB, and for every device.
  // The access and privilege change no state (a walk fills the caches whatever it asked), so
  // kcore asks one form per address: supervisor reads of kernel addresses through the KVA PASID,
  // user reads of iova:0 (RID_PASID or the PASID) and of phys:0 (pass-through).
  kDmaKernel,  // dma dev pasid=dev+1 addr read priv=supervisor
  kDmaIova,    // dma dev RID_PASID|PASID iova:0 read (page 0: RID_PASID)
  kDmaPhys,    // dma dev pasid=dev+1 phys:0 read
  // A translated request: changes nothing, but a trusted ATS device sends only what its device
  // TLB holds (MODEL.md §8.21: else bad input, a precondition).
  kDmaTranslated,  // dma_translated dev RID_PASID|PASID frame read|write (page 0: RID_PASID)
  kActCount
};

// Which model/ family an action's op belongs to, and so which kcore/ file encodes it:
// kernel_mem.h (model/kernel_mem.cpp), iommu_api.h (iommu_api.cpp), device.h (device.cpp: requests
// and hardware evictions), user_sva.h (user_mm.cpp and the SVA ops). No default: a new Act needs
// its family here.
enum class Family { kernel_mem, iommu_api, device, user_sva };
constexpr Family family_of(Act act) {
  switch (act) {
    case kKalloc:
    case kKfree:
    case kVmalloc:
    case kVfree:
    case kSetMemV:
    case kSetMemD:
    case kKptFreeD:
    case kKptFreeV:
    case kPageallocUnmap:
    case kPageallocMap:
      return Family::kernel_mem;
    case kPasidEnable:
    case kPasidDisable:
    case kKvaMap:
    case kKvaUnmap:
    case kDmaMap:
    case kDmaUnmap:
    case kFqFlush:
      return Family::iommu_api;
    case kWalk:
    case kWalkIova:
    case kEvictIotlb:
    case kEvictPsc:
    case kEvictPasid:
    case kEvictIova:
    case kAtsIova:
    case kAtsPhys:
    case kEvictDevtlbIova:
    case kEvictDevtlbPhys:
    case kAtsKernel:
    case kEvictDevtlbKernel:
    case kDmaKernel:
    case kDmaIova:
    case kDmaPhys:
    case kDmaTranslated:
      return Family::device;
    case kMmCreate:
    case kMmMmap:
    case kMmMap:
    case kMmUnmap:
    case kMmProtect:
    case kMmExit:
    case kMmDrop:
    case kSvaBind:
    case kSvaUnbind:
    case kIopfHandle:
    case kDeviceQuiesce:
    case kDmaUser:
    case kWalkUser:
    case kEvictUser:
    case kAtsUser:
    case kEvictDevtlb:
      return Family::user_sva;
    case kActCount:  // not an action
      break;
  }
  return Family::user_sva;
}
constexpr Family family_of(int act) {
  return family_of(static_cast<Act>(act));
}

// set_memory's attributes (3 bits): vmalloc takes all, direct ro, rw, np, p (the direct map is
// always NX, MODEL.md §8.11).
enum AttrCode : int { kRo, kRw, kRox, kX, kNx, kNp, kP };
inline constexpr int kAttrBits = 3;
// kModeSva is an entry sva_bind made (never a pasid_enable mode, so not counted in kModeCount).
enum ModeCode : int { kModeKva, kModeBypass, kModeIova, kModeCount, kModeSva = kModeCount };

struct KInput {
  int act = 0;
  int dev = 0;
  int frame = 0;
  int page = 0;
  int table = 0;
  int attr = 0;
  bool prot_w = false;
  int addr = 0;
  int mode = 0;  // pasid_enable: kModeKva, kModeBypass, kModeIova
  // What the shared argument slots mean per action (the Act comments above), as the transition
  // names them (InputOf in kcore/sym.h).
  int slot() const { return page; }           // kalloc, kfree, dma_map: the slab slot
  int vpage() const { return page; }          // vmalloc, vfree, set_memory vmalloc:page
  int via_pasid() const { return page; }      // 0: RID_PASID, 1: the device's PASID
  int large() const { return page; }          // cache_evict iotlb: the block's large entry
  int table_frame() const { return table; }   // a free frame for a new table page
  int bounce_frame() const { return table; }  // dma_map: swiotlb's bounce frame
  int slot_mask() const { return attr; }      // kva_map, 2 slots: 0 slot 0, 1 slot 1, else both
  bool operator==(const KInput&) const = default;
};

// Which root a device's PASID gets in this variant for each mode: refused, the CPU kernel table
// (fast KVA, or init_mm for any mode), a strict mirror, or pass-through (bypass). Static.
enum class KRoot { refused, kernel, mirror, passthrough, dma };

struct Variant {
  int frames = kFrames;    // kcore's size (the config's bounds.frames)
  int devices = kDevices;  // ... its devices
  int slots = 1;           // ... and slab slots per frame (the config's bounds.slots)
  Size size() const { return {frames, devices, slots}; }
  // bounce_untrusted: a sub-page dma_map for an untrusted device goes through a bounce frame;
  // kva_page_aligned_untrusted: strict kva_map of part of a page is refused for one (2 slots).
  bool bounce = true;
  bool kva_aligned = true;
  bool wpe = true;
  bool cpa_alias = true;
  std::uint8_t notifier = 0;
  bool kva_direct_only = false;
  KRoot root[kMaxDevices] = {};         // mode=kva (refused: 0)
  KRoot bypass_root[kMaxDevices] = {};  // mode=bypass
  KRoot iova_root[kMaxDevices] = {};    // mode=iova
  bool lazy[kMaxDevices] = {};          // the DMA domain uses a flush queue
  // A verdict-table row: which (device, mode) pairs pasid_enable may ask for.
  static_assert(kMaxDevices == 4, "the initializer below names every device");
  bool allow[kModeCount][kMaxDevices] = {
      {true, true, true, true}, {true, true, true, true}, {true, true, true, true}};
  // DMA-API ops (dma_map, dma_unmap, fq_flush, RID_PASID/iova walks and evictions): off in the
  // bypass and kva rows, whose question is their own mode (a reduction; docs/engines.md).
  bool dma_ops = true;
  // pasid_disable is in the alphabet (off only in the kva/both row: the SPIN/Quint peers' core).
  bool disable_ops = true;
  // set_memory np|p (a not-present leaf of a page in use: secretmem's
  // set_direct_map_invalid_noflush(), or a vmalloc page and its alias). Off in the rows, a
  // reduction: it multiplies their state counts by 5-7, and a row's not-present direct-map leaves
  // come from DEBUG_PAGEALLOC (--knob debug_pagealloc=on) instead (docs/engines.md).
  bool np_p = true;
  // Kernel-address translations and DMA (kAtsKernel, kEvictDevtlbKernel, kDmaKernel) and
  // dma_translated are in the alphabet (off in the kva/both row as well: the peers model no device
  // TLB).
  bool kernel_ats_ops = true;
  // teardown=free_first: pasid_disable frees the PASID and clears the entry but invalidates no
  // cache, so a PASID-cache copy (with its own mode), IOTLB and PSC entries outlive the entry.
  // The other orders differ in the device TLB and page requests (no_drain, no_devtlb below).
  bool free_first = false;
  bool no_drain = false;  // teardown=no_drain: sva_unbind leaves its page requests outstanding
  // debug_pagealloc: the block is split at boot (its table the last frame), free frames' leaves
  // start not present, pagealloc_unmap/map are in the alphabet and kpt_free direct: is refused.
  bool pagealloc = false;
  // The sva rows: sva_bind (not pasid_enable) on the row's device, the mm and page-request ops.
  // The device's PASID then walks the kernel table with SRE clear (its kernel-address caches
  // are the SVA PASID's) and the user page.
  bool sva = false;
  bool sva_notifier = true;            // user page-table changes invalidate the PASID
  bool sva_bind_ok[kMaxDevices] = {};  // sva=on, PASID-capable and ATS on (§8.19)
  bool allow_sva[kMaxDevices] = {};    // the row's devices
  bool pri[kMaxDevices] = {};
  bool ats[kMaxDevices] = {};     // ATS enabled: ats_translate fills the device TLB
  bool no_devtlb = false;         // teardown=no_devtlb: sva_unbind leaves the device-TLB entry
  bool forged[kMaxDevices] = {};  // ATS enabled on an untrusted device
  bool trusted[kMaxDevices] = {};
  // Two variants equal here have the same kcore transition, boot state and properties (the
  // verdict table explores such a row once).
  bool operator==(const Variant&) const = default;
};

// The kcore config for a variant (its knobs and devices, kcore bounds), or why it does not fit.
std::optional<std::string> unsupported(const model::Config& variant);
// `size` in [kMinFrames, kMaxFrames] x [kMinDevices, kMaxDevices] (else model::InputError).
model::Config make_config(const model::Config& variant, Size size = {});
// `row` restricts pasid_enable to one (mode, trust) pair: "kva/trusted" (dsa0, and dsa1 with 4
// devices), "bypass/untrusted" (tbt0, tbt1), ..., or "kva/both" (each device in KVA mode: the
// SPIN/Quint peers' core, bench/peers/); empty = every device may enable any mode. Throws
// model::InputError.
Variant variant_of(const model::Config& kcore_config, const std::string& row = "");
const std::vector<std::string>& rows();
// Is the action in the variant's alphabet (act_allowed), and this input's device and mode?
bool allowed(const Variant& v, const KInput& in);
// The action classes, inline: the compiled transition (kcore/concrete.cpp) folds them for each
// input.
inline bool is_dma_act(int act) {
  return act == kDmaMap || act == kDmaUnmap || act == kFqFlush || act == kWalkIova ||
         act == kEvictIova || act == kAtsIova || act == kEvictDevtlbIova || act == kDmaIova;
}

inline bool is_sva_act(int act) {  // family_of() is the one classification
  return act >= 0 && act < kActCount && family_of(act) == Family::user_sva;
}

// The mm's own ops (no device).
inline bool is_mm_act(int act) {
  return act >= kMmCreate && act <= kMmDrop;
}

inline bool act_allowed(const Variant& v, int act) {
  if (is_dma_act(act)) return v.dma_ops;
  if (is_sva_act(act)) return v.sva;
  // The sva rows leave out what an SVA PASID cannot use: kernel PASIDs, kva_map and supervisor
  // walks (SRE is clear: they fill only the PASID cache, as kWalkUser does).
  if (act == kPasidEnable || act == kKvaMap || act == kKvaUnmap || act == kWalk) return !v.sva;
  if (act == kPasidDisable) return v.disable_ops && !v.sva;
  // Supervisor translations of kernel addresses: every row but sva (SRE clear) and kva/both.
  if (act == kAtsKernel || act == kEvictDevtlbKernel || act == kDmaKernel)
    return v.kernel_ats_ops && !v.sva;
  if (act == kDmaTranslated) return v.kernel_ats_ops;
  if (act == kPageallocUnmap || act == kPageallocMap) return v.pagealloc;
  // Translations of phys: need a pass-through PASID: only where bypass may be enabled.
  if (act == kAtsPhys || act == kEvictDevtlbPhys || act == kDmaPhys) {
    bool bypass = false;
    for (int d = 0; d < v.devices; ++d) bypass = bypass || v.allow[kModeBypass][d];
    return !v.sva && bypass;
  }
  return true;
}

// The properties kcore encodes: the registry's (properties/registry.cpp), in its order.
const std::vector<std::string>& property_ids();

// The projection of an executable state (of the kcore config) onto the layout, with every field
// of an absent entry set to 0 (the normal form the symbolic transition also produces). Returns an
// error when the state uses something outside kcore (a PASID other than d+1, another frame use).
std::optional<std::string> project(const model::Model& m, const model::State& s,
                                   std::vector<int>& out);

// Model::boot() of the kcore config projected (with debug_pagealloc: the block split, its table
// the last frame, free frames' leaves not present; MODEL.md §8.15).
std::vector<int> boot_vars(Size size = {}, bool pagealloc = false);

// The input alphabet: every KInput whose arguments matter (others 0), and its executable op.
const std::vector<KInput>& inputs(Size size = {});
model::Op to_op(const KInput& in, Size size = {});
// The executable ops of every input the variant allows (the explorer's alphabet on kcore).
std::vector<model::Op> alphabet(const Variant& v);
std::string describe(const KInput& in, Size size = {});

}  // namespace pasidcheck::solver::kcore
