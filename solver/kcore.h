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

namespace pasidcheck::solver::kcore {

// The default size: one large block of 3 frames (large = 3). The Z3 engines and `explicit` also
// take 2..6 frames (`prove --kcore-frames`, one block of them); `kcore-bfs` packs the 3-frame
// layout only (kcore_concrete.h).
inline constexpr int kFrames = 3;
inline constexpr int kMinFrames = 2, kMaxFrames = 6;
inline constexpr int kVpages = 1;   // one vmalloc group of one page: vmalloc:0
inline constexpr int kDevices = 2;  // dsa0 (trusted), tbt0 (external-facing)
// `prove --kcore-devices N`: device d is dsa<d/2> for even d (trusted), tbt<d/2> for odd d
// (external-facing), each a copy of the default device; one kernel PASID each (PASID scaling).
inline constexpr int kMinDevices = 2, kMaxDevices = 4;
// `prove --kcore-slots 2`: slab frames hold two objects, so a dma_map or kva_map of one of them
// is sub-page (swiotlb bounce buffers, kva_page_aligned_untrusted). The default, 1, makes every
// slab object a whole page.
inline constexpr int kMinSlots = 1, kMaxSlots = 2;

// kcore's size: the frames of its block, its devices (one PASID per device), slab slots per frame.
struct Size {
  int frames = kFrames;
  int devices = kDevices;
  int slots = 1;
  bool operator==(const Size&) const = default;
};
// dsa0, tbt0, dsa1, tbt1: the name of device d in a kcore config.
std::string device_name(int d);

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
bool act_allowed(const Variant& v, int act);
bool allowed(const Variant& v, const KInput& in);
bool is_dma_act(int act);
bool is_sva_act(int act);
bool is_mm_act(int act);  // the mm's own ops (no device)

// The properties kcore encodes.
const std::vector<std::string>& property_ids();

// The state variables: name and width (0 = Boolean), for kcore of a size; see kcore.cpp.
// Addresses are numbered direct:0..frames-1, then vmalloc:0.
struct VarInfo {
  std::string name;
  int width = 0;
};
class Layout {
 public:
  explicit Layout(Size size);
  const std::vector<VarInfo>& vars() const { return vars_; }
  int frames() const { return frames_; }
  int devices() const { return devices_; }
  int dev_bits() const { return dev_bits_; }      // an input's device
  int pasid_bits() const { return pasid_bits_; }  // mm_pasid: 0 none, else d+1
  int addrs() const { return addrs_; }            // kernel addresses: the direct map, then vmalloc
  int frame_bits() const { return frame_bits_; }
  int addr_bits() const { return addr_bits_; }
  int slots() const { return slots_; }
  int use_bits() const { return slots_ > 1 ? 3 : 2; }  // kUseBounce needs a third bit
  int use(int f) const { return use_ + f; }
  int vmap(int f) const { return vmap_ + f; }
  int dp(int f) const { return dp_ + f; }
  int dw(int f) const { return dw_ + f; }
  int split() const { return split_; }
  int btab() const { return btab_; }
  int vm(int v) const { return vm_ + v; }
  int vf(int v) const { return vf_ + v; }
  int vw(int v) const { return vw_ + v; }
  int vnx(int v) const { return vnx_ + v; }
  int vnp(int v) const { return vnp_ + v; }  // mapped, but made not present (set_memory np)
  int gh() const { return gh_; }
  int gt() const { return gt_; }
  int en(int d) const { return en_ + d; }
  int pc(int d) const { return pc_ + d; }
  int md(int d) const { return md_ + d; }    // the PASID's mode (ModeCode) when enabled
  int pc0(int d) const { return pc0_ + d; }  // RID_PASID cached
  int pcm(int d) const { return pcm_ + d; }  // the mode (ModeCode) of the PASID's cached copy
  int ik(int d) const { return ik_ + d; }    // iova:0 kind: 0 free, 1 mapped, 2 queued
  int ifr(int d) const { return ifr_ + d; }
  int iw(int d) const { return iw_ + d; }
  // IOTLB entries of the DMA domain for iova:0: slot 0 = RID_PASID, 1 = the device's PASID.
  int iti(int d, int k) const { return iti_ + d * 2 + k; }
  int itif(int d, int k) const { return itif_ + d * 2 + k; }
  int itiw(int d, int k) const { return itiw_ + d * 2 + k; }
  int itifr(int d, int k) const { return itifr_ + d * 2 + k; }
  int g(int d, int a) const { return g_ + d * addrs_ + a; }
  int gf(int d, int a) const { return gf_ + d * addrs_ + a; }
  int gw(int d, int a) const { return gw_ + d * addrs_ + a; }
  int mr(int d, int a) const { return mr_ + d * addrs_ + a; }
  int mf(int d, int a) const { return mf_ + d * addrs_ + a; }
  int mw(int d, int a) const { return mw_ + d * addrs_ + a; }
  int it(int d, int a) const { return it_ + d * addrs_ + a; }
  int itf(int d, int a) const { return itf_ + d * addrs_ + a; }
  int itw(int d, int a) const { return itw_ + d * addrs_ + a; }
  int itnx(int d, int a) const { return itnx_ + d * addrs_ + a; }
  int itfr(int d, int a) const { return itfr_ + d * addrs_ + a; }
  // The block's large IOTLB entry of the device's PASID: a key of its own beside the 4 KiB
  // entries above (MODEL.md §8.26). It maps the whole block (frame 0 on), NX, supervisor.
  int iotlb_large(int d) const { return iotlb_large_ + d; }
  int iotlb_large_w(int d) const { return iotlb_large_w_ + d; }
  int iotlb_large_freed(int d) const { return iotlb_large_freed_ + d; }
  // The PASID-cache copy points at a strict mirror freed by a free_first teardown: walks through
  // it read the mirror's last leaves, kept here (MODEL.md §8.38).
  int pasid_cached_frozen(int d) const { return pasid_cached_frozen_ + d; }
  int frozen_mirror(int d, int a) const { return frozen_mirror_ + d * addrs_ + a; }
  int frozen_mirror_frame(int d, int a) const { return frozen_mirror_frame_ + d * addrs_ + a; }
  int frozen_mirror_w(int d, int a) const { return frozen_mirror_w_ + d * addrs_ + a; }
  int pdv(int d) const { return pdv_ + d; }
  int pdt(int d) const { return pdt_ + d; }
  int pdfr(int d) const { return pdfr_ + d; }
  int pdre(int d) const { return pdre_ + d; }
  int pdzp(int d) const { return pdzp_ + d; }
  int pdzw(int d) const { return pdzw_ + d; }
  int pvv(int d) const { return pvv_ + d; }
  int pvt(int d) const { return pvt_ + d; }
  int pvfr(int d) const { return pvfr_ + d; }
  int pvre(int d) const { return pvre_ + d; }
  // User SVA (zero outside the sva rows).
  int mml() const { return mml_; }           // mm 0's life: 0 none, 1 alive, 2 exited
  int mmp() const { return mmp_; }           // mm 0's PASID: 0 none, else d+1 (pasid_bits)
  int upk() const { return upk_; }           // user:0: 0 no vma, 1 vma, 2 mapped
  int upw() const { return upw_; }           // its vma permission, or the leaf's W once mapped
  int upf() const { return upf_; }           // its frame when mapped
  int bad() const { return bad_; }           // the last op answered a stale page request
  int fpd(int d) const { return fpd_ + d; }  // the entry was cleared by mm_exit (FPD set)
  int qu(int d) const { return qu_ + d; }    // the device quiesced its PASID
  int pr(int d) const { return pr_ + d; }    // an outstanding page request (group 0)
  int prw(int d) const { return prw_ + d; }  // ... for a write
  int prs(int d) const { return prs_ + d; }  // ... whose PASID was freed since
  int itu(int d) const { return itu_ + d; }  // the IOTLB entry for user:0
  int ituf(int d) const { return ituf_ + d; }
  int ituw(int d) const { return ituw_ + d; }
  int itufr(int d) const { return itufr_ + d; }
  int dt(int d) const { return dt_ + d; }  // the device-TLB entry for (PASID, user:0)
  int dtf(int d) const { return dtf_ + d; }
  int dtw(int d) const { return dtw_ + d; }
  int dtfr(int d) const { return dtfr_ + d; }
  // Device-TLB entries of iova:0 (k = 0 RID_PASID, 1 the PASID) and of phys:f (pass-through:
  // the frame is f, always writable).
  int dti(int d, int k) const { return dti_ + d * 2 + k; }
  int dtif(int d, int k) const { return dtif_ + d * 2 + k; }
  int dtiw(int d, int k) const { return dtiw_ + d * 2 + k; }
  int dtifr(int d, int k) const { return dtifr_ + d * 2 + k; }
  int dtp(int d, int f) const { return dtp_ + d * frames_ + f; }
  int dtpfr(int d, int f) const { return dtpfr_ + d * frames_ + f; }
  // Device-TLB entries of kernel addresses (supervisor, through the KVA PASID): the frame, W and
  // freed, as the IOTLB's (a translation through a large leaf is cached for its page only).
  int dtk(int d, int a) const { return dtk_ + d * addrs_ + a; }
  int dtkf(int d, int a) const { return dtkf_ + d * addrs_ + a; }
  int dtkw(int d, int a) const { return dtkw_ + d * addrs_ + a; }
  int dtkfr(int d, int a) const { return dtkfr_ + d * addrs_ + a; }
  // With 2 slots only (-1 otherwise): a slab frame's allocated slots (2 bits; 0 for a vmalloc
  // frame, whose slots are all its own), a kva grant's slots, and whether iova:0 is bounced, with
  // the caller's buffer (frame and slot) it bounces while mapped. `iova_bounced` is not the frame's
  // use: a queued, unbounced page's frame can be kfree'd and taken as another device's bounce
  // frame, and fq_flush must then not free it.
  int sl(int f) const { return sl_ < 0 ? -1 : sl_ + f; }
  int gsl(int d, int a) const { return gsl_ < 0 ? -1 : gsl_ + d * addrs_ + a; }
  int ib(int d) const { return ib_ < 0 ? -1 : ib_ + d; }
  int iof(int d) const { return iof_ < 0 ? -1 : iof_ + d; }
  int ios(int d) const { return ios_ < 0 ? -1 : ios_ + d; }

 private:
  enum class Index { one, frame, vpage, dev, dev_rid, dev_addr, dev_frame };  // what it is per
  int add(const std::string& name, Index kind, int width);
  std::vector<VarInfo> vars_;
  int frames_, devices_, slots_, addrs_, frame_bits_, addr_bits_, dev_bits_, pasid_bits_;
  int sl_ = -1, gsl_ = -1, ib_ = -1, iof_ = -1, ios_ = -1;
  int use_, vmap_, dp_, dw_, split_, btab_, vm_, vf_, vw_, vnx_, vnp_, gh_, gt_, en_, pc_, md_,
      pc0_, pcm_;
  int ik_, ifr_, iw_, iti_, itif_, itiw_, itifr_;
  int g_, gf_, gw_, mr_, mf_, mw_, it_, itf_, itw_, itnx_, itfr_;
  int iotlb_large_, iotlb_large_w_, iotlb_large_freed_;
  int pasid_cached_frozen_, frozen_mirror_, frozen_mirror_frame_, frozen_mirror_w_;
  int pdv_, pdt_, pdfr_, pdre_, pdzp_, pdzw_, pvv_, pvt_, pvfr_, pvre_;
  int mml_, mmp_, upk_, upw_, upf_, bad_, fpd_, qu_, pr_, prw_, prs_, itu_, ituf_, ituw_, itufr_;
  int dt_, dtf_, dtw_, dtfr_, dti_, dtif_, dtiw_, dtifr_, dtp_, dtpfr_, dtk_, dtkf_, dtkw_, dtkfr_;
};
const Layout& layout(Size size = {});

namespace detail {
// Throws model::InputError unless the size is in range.
void check_size(Size size);
// make(size) for every supported size, built once on first use (thread-safe: kcore-bfs --jobs
// reads them); the one for `size`. One table per (T, Make) type.
template <class T, class Make>
const T& per_size(Size size, Make make) {
  check_size(size);
  constexpr int kDeviceCounts = kMaxDevices - kMinDevices + 1;
  constexpr int kSlotCounts = kMaxSlots - kMinSlots + 1;
  static const std::vector<T> all = [&] {
    std::vector<T> v;
    for (int f = kMinFrames; f <= kMaxFrames; ++f)
      for (int d = kMinDevices; d <= kMaxDevices; ++d)
        for (int sl = kMinSlots; sl <= kMaxSlots; ++sl) v.push_back(make(Size{f, d, sl}));
    return v;
  }();
  return all[((size.frames - kMinFrames) * kDeviceCounts + size.devices - kMinDevices) *
                 kSlotCounts +
             size.slots - kMinSlots];
}
}  // namespace detail

// Frame uses as encoded (2 bits; 3 with 2 slots, for swiotlb's bounce frames).
inline constexpr int kUseFree = 0, kUseKdata = 1, kUseKpt = 2, kUseUser = 3, kUseBounce = 4;

// The projection of an executable state (of the kcore config) onto the layout, with every field
// of an absent entry set to 0 (the normal form the symbolic transition also produces). Returns an
// error when the state uses something outside kcore (a PASID other than d+1, another frame use).
std::optional<std::string> project(const model::Model& m, const model::State& s,
                                   std::vector<int>& out);

// The normal form: (field, presence) pairs; the field is 0 whenever its presence variable (a
// Boolean, or a bit-vector: present when nonzero) is 0.
const std::vector<std::pair<int, int>>& absent_fields(Size size = {});

// Model::boot() of the kcore config projected: every frame free and mapped RW in one large block;
// with debug_pagealloc, the block split with the last frame as its table and the free frames'
// leaves not present (MODEL.md §8.15).
std::vector<int> boot_vars(Size size = {}, bool pagealloc = false);

// The input alphabet: every KInput whose arguments matter (others 0), and its executable op.
const std::vector<KInput>& inputs(Size size = {});
model::Op to_op(const KInput& in, Size size = {});
// The executable ops of every input the variant allows (the explorer's alphabet on kcore).
std::vector<model::Op> alphabet(const Variant& v);
std::string describe(const KInput& in, Size size = {});

}  // namespace pasidcheck::solver::kcore
