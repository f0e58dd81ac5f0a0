// kcore's state variables, declared once (docs/engines.md, "kcore"): one row per variable gives
// its name (the accessor's too), what it is indexed by, its width and the variable whose 0 makes it
// absent. From the rows come the offsets, the accessors (L.iotlb_frame(d, a)), the variable names
// of a witness (iotlb_frame[dsa0,direct:1]), the normal form (absent_fields()) and the variable
// count the compiled successor packs (var_count()). Adding a variable is one row here, its
// projection (project.cpp) and the actions that change it.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace pasidcheck::solver::kcore {

// The default size: one large block of 3 frames (large = 3). The Z3 engines and `explicit` also
// take 2..6 frames (`prove --kcore-frames`, one block of them); `kcore-bfs` packs the 3-frame
// layout only (concrete.h).
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

// Frame uses as encoded (2 bits; 3 with 2 slots, for swiotlb's bounce frames).
inline constexpr int kUseFree = 0, kUseKdata = 1, kUseKpt = 2, kUseUser = 3, kUseBounce = 4;
// iova:0's kinds as encoded (iova_kind), as model::IovaPage::Kind.
inline constexpr int kIovaFree = 0, kIovaMapped = 1, kIovaQueued = 2;

// X(name, index, width, presence). index: one; frame f; vpage v; dev d; dev_rid (d, k), k = 0
// RID_PASID, 1 the device's PASID d+1; dev_addr (d, a), a numbering direct:0..frames-1 then
// vmalloc:0; dev_frame (d, f). width: boolean, bits1, bits2, frame_bits (a frame), use_bits (a
// frame use), pasid_bits (0 none, else d+1). presence: the variable (same index, or a prefix of it)
// whose 0 makes this one 0 in the normal form, or none. A row may name only an earlier presence.
// The order is the packed state's (concrete.h).
#define PASIDCHECK_KCORE_VARS(X)                                                    \
  /* frame use: kUseFree, kUseKdata, kUseKpt, kUseUser (kUseBounce with 2 slots) */ \
  X(use, frame, use_bits, none)                                                     \
  /* the frame backs vmalloc:0 */                                                   \
  X(vmap, frame, boolean, none)                                                     \
  /* its direct-map leaf is present */                                              \
  X(direct_present, frame, boolean, none)                                           \
  /* ... and writable */                                                            \
  X(direct_w, frame, boolean, none)                                                 \
  /* the large block is split into 4 KiB leaves */                                  \
  X(block_split, one, boolean, none)                                                \
  /* ... by this table frame */                                                     \
  X(block_table, one, frame_bits, block_split)                                      \
  /* vmalloc:v has a leaf */                                                        \
  X(vmalloc_mapped, vpage, boolean, none)                                           \
  X(vmalloc_frame, vpage, frame_bits, vmalloc_mapped)                               \
  X(vmalloc_w, vpage, boolean, vmalloc_mapped)                                      \
  X(vmalloc_nx, vpage, boolean, vmalloc_mapped)                                     \
  /* mapped, but made not present (set_memory np) */                                \
  X(vmalloc_not_present, vpage, boolean, vmalloc_mapped)                            \
  /* the vmalloc group has its table page */                                        \
  X(vgroup_has_table, one, boolean, none)                                           \
  X(vgroup_table, one, frame_bits, vgroup_has_table)                                \
  /* the device's PASID d+1 has an entry */                                         \
  X(pasid_enabled, dev, boolean, none)                                              \
  /* the PASID cache holds its entry */                                             \
  X(pasid_cached, dev, boolean, none)                                               \
  /* the entry's mode (ModeCode) */                                                 \
  X(pasid_mode, dev, bits2, pasid_enabled)                                          \
  /* RID_PASID's entry is cached */                                                 \
  X(rid_pasid_cached, dev, boolean, none)                                           \
  /* the mode (ModeCode) of the cached copy */                                      \
  X(pasid_cached_mode, dev, bits2, pasid_cached)                                    \
  /* iova:0 of the DMA domain: kIovaFree, kIovaMapped, kIovaQueued */               \
  X(iova_kind, dev, bits2, none)                                                    \
  X(iova_frame, dev, frame_bits, iova_kind)                                         \
  X(iova_w, dev, boolean, iova_kind)                                                \
  /* IOTLB entry of iova:0: k = 0 RID_PASID, 1 the PASID */                         \
  X(iotlb_iova, dev_rid, boolean, none)                                             \
  X(iotlb_iova_frame, dev_rid, frame_bits, iotlb_iova)                              \
  X(iotlb_iova_w, dev_rid, boolean, iotlb_iova)                                     \
  X(iotlb_iova_freed, dev_rid, boolean, iotlb_iova)                                 \
  /* a kva_map grant on the kernel address */                                       \
  X(grant, dev_addr, boolean, none)                                                 \
  X(grant_frame, dev_addr, frame_bits, grant)                                       \
  X(grant_w, dev_addr, boolean, grant)                                              \
  /* the strict mirror's leaf */                                                    \
  X(mirror, dev_addr, boolean, none)                                                \
  X(mirror_frame, dev_addr, frame_bits, mirror)                                     \
  X(mirror_w, dev_addr, boolean, mirror)                                            \
  /* IOTLB entry (supervisor, the KVA PASID) of the address */                      \
  X(iotlb, dev_addr, boolean, none)                                                 \
  X(iotlb_frame, dev_addr, frame_bits, iotlb)                                       \
  X(iotlb_w, dev_addr, boolean, iotlb)                                              \
  X(iotlb_nx, dev_addr, boolean, iotlb)                                             \
  X(iotlb_freed, dev_addr, boolean, iotlb)                                          \
  /* the block's large IOTLB entry (MODEL.md §8.26): all of it, NX, supervisor */  \
  X(iotlb_large, dev, boolean, none)                                                \
  X(iotlb_large_w, dev, boolean, iotlb_large)                                       \
  X(iotlb_large_freed, dev, boolean, iotlb_large)                                   \
  /* paging-structure cache entry for the direct block's table */                   \
  X(psc_direct, dev, boolean, none)                                                 \
  X(psc_direct_table, dev, frame_bits, psc_direct)                                  \
  X(psc_direct_freed, dev, boolean, psc_direct)                                     \
  /* ... whose table frame was taken again */                                       \
  X(psc_direct_reused, dev, boolean, psc_direct)                                    \
  /* the leaf a freed table held (present) */                                       \
  X(psc_direct_frozen_present, dev, boolean, psc_direct)                            \
  X(psc_direct_frozen_w, dev, boolean, psc_direct)                                  \
  /* PSC entry for the vmalloc group's table */                                     \
  X(psc_vmalloc, dev, boolean, none)                                                \
  X(psc_vmalloc_table, dev, frame_bits, psc_vmalloc)                                \
  X(psc_vmalloc_freed, dev, boolean, psc_vmalloc)                                   \
  X(psc_vmalloc_reused, dev, boolean, psc_vmalloc)                                  \
  /* mm 0: 0 none, 1 alive, 2 exited */                                             \
  X(mm_life, one, bits2, none)                                                      \
  /* its PASID: 0 none, else d+1 */                                                 \
  X(mm_pasid, one, pasid_bits, none)                                                \
  /* user:0: 0 no vma, 1 vma, 2 mapped */                                           \
  X(user_page, one, bits2, none)                                                    \
  /* its vma permission, or the leaf's W once mapped */                             \
  X(user_page_w, one, boolean, user_page)                                           \
  X(user_page_frame, one, frame_bits, user_page)                                    \
  /* the last op answered a stale page request */                                   \
  X(bad_response, one, boolean, none)                                               \
  /* the entry was cleared by mm_exit (FPD set) */                                  \
  X(pasid_fpd, dev, boolean, pasid_enabled)                                         \
  /* the device quiesced its PASID */                                               \
  X(quiesced, dev, boolean, none)                                                   \
  /* an outstanding page request (group 0) */                                       \
  X(page_request, dev, boolean, none)                                               \
  X(page_request_write, dev, boolean, page_request)                                 \
  /* ... whose PASID was freed since */                                             \
  X(page_request_stale, dev, boolean, page_request)                                 \
  /* IOTLB entry for user:0 */                                                      \
  X(iotlb_user, dev, boolean, none)                                                 \
  X(iotlb_user_frame, dev, frame_bits, iotlb_user)                                  \
  X(iotlb_user_w, dev, boolean, iotlb_user)                                         \
  X(iotlb_user_freed, dev, boolean, iotlb_user)                                     \
  /* device-TLB entry for (PASID, user:0) */                                        \
  X(devtlb_user, dev, boolean, none)                                                \
  X(devtlb_user_frame, dev, frame_bits, devtlb_user)                                \
  X(devtlb_user_w, dev, boolean, devtlb_user)                                       \
  X(devtlb_user_freed, dev, boolean, devtlb_user)                                   \
  /* device-TLB entry of iova:0 (k as iotlb_iova) */                                \
  X(devtlb_iova, dev_rid, boolean, none)                                            \
  X(devtlb_iova_frame, dev_rid, frame_bits, devtlb_iova)                            \
  X(devtlb_iova_w, dev_rid, boolean, devtlb_iova)                                   \
  X(devtlb_iova_freed, dev_rid, boolean, devtlb_iova)                               \
  /* device-TLB entry of phys:f (pass-through: frame f, writable) */                \
  X(devtlb_phys, dev_frame, boolean, none)                                          \
  X(devtlb_phys_freed, dev_frame, boolean, devtlb_phys)                             \
  /* device-TLB entry of the kernel address (supervisor, the KVA PASID) */          \
  X(devtlb, dev_addr, boolean, none)                                                \
  X(devtlb_frame, dev_addr, frame_bits, devtlb)                                     \
  X(devtlb_w, dev_addr, boolean, devtlb)                                            \
  X(devtlb_freed, dev_addr, boolean, devtlb)                                        \
  /* the cached copy points at a strict mirror freed by free_first (§8.38) */      \
  X(pasid_cached_frozen, dev, boolean, pasid_cached)                                \
  /* ... whose last leaves walks read */                                            \
  X(frozen_mirror, dev_addr, boolean, pasid_cached_frozen)                          \
  X(frozen_mirror_frame, dev_addr, frame_bits, frozen_mirror)                       \
  X(frozen_mirror_w, dev_addr, boolean, frozen_mirror)

// Only with 2 slots (the accessors return -1 otherwise); last, so that the one-slot layout is the
// rows above alone.
#define PASIDCHECK_KCORE_SLOT_VARS(X)                                 \
  /* a slab frame's allocated slots (0 for a vmalloc frame) */        \
  X(slab_slots, frame, bits2, none)                                   \
  /* a kva grant's slots */                                           \
  X(grant_slots, dev_addr, bits2, grant)                              \
  /* iova:0 is bounced */                                             \
  X(iova_bounced, dev, boolean, iova_kind)                            \
  /* ... the caller's buffer it bounces while mapped (frame, slot) */ \
  X(iova_orig_frame, dev, frame_bits, iova_kind)                      \
  X(iova_orig_slot, dev, bits1, iova_kind)

enum class Var : int {
#define PASIDCHECK_KCORE_ENUM(name, index, width, presence) name,
  PASIDCHECK_KCORE_VARS(PASIDCHECK_KCORE_ENUM) PASIDCHECK_KCORE_SLOT_VARS(PASIDCHECK_KCORE_ENUM)
#undef PASIDCHECK_KCORE_ENUM
      none  // no presence variable (and the number of rows)
};
inline constexpr int kVarRows = static_cast<int>(Var::none);

enum class Index { one, frame, vpage, dev, dev_rid, dev_addr, dev_frame };
enum class Width { boolean, bits1, bits2, frame_bits, use_bits, pasid_bits };
struct VarSpec {
  const char* name;
  Index index;
  Width width;
  Var presence;
  bool two_slots;  // only with 2 slots per frame
};
inline constexpr std::array<VarSpec, kVarRows> kVarSpecs{{
#define PASIDCHECK_KCORE_SPEC(name, index, width, presence) \
  {#name, Index::index, Width::width, Var::presence, false},
#define PASIDCHECK_KCORE_SLOT_SPEC(name, index, width, presence) \
  {#name, Index::index, Width::width, Var::presence, true},
    PASIDCHECK_KCORE_VARS(PASIDCHECK_KCORE_SPEC)
        PASIDCHECK_KCORE_SLOT_VARS(PASIDCHECK_KCORE_SLOT_SPEC)
#undef PASIDCHECK_KCORE_SPEC
#undef PASIDCHECK_KCORE_SLOT_SPEC
}};

// Bits for the values 0..n-1.
constexpr int bits_for(int n) {
  int b = 1;
  while ((1 << b) < n) ++b;
  return b;
}
// How many variables a row stands for at a size.
constexpr int instances(Index i, Size s) {
  const int addrs = s.frames + kVpages;
  switch (i) {
    case Index::one:
      return 1;
    case Index::frame:
      return s.frames;
    case Index::vpage:
      return kVpages;
    case Index::dev:
      return s.devices;
    case Index::dev_rid:
      return s.devices * 2;
    case Index::dev_addr:
      return s.devices * addrs;
    case Index::dev_frame:
      return s.devices * s.frames;
  }
  return 0;
}
constexpr int width_bits(Width w, Size s) {
  switch (w) {
    case Width::boolean:
      return 0;
    case Width::bits1:
      return 1;
    case Width::bits2:
      return 2;
    case Width::frame_bits:
      return bits_for(s.frames);
    case Width::use_bits:
      return s.slots > 1 ? 3 : 2;  // kUseBounce needs a third bit
    case Width::pasid_bits:
      return bits_for(s.devices + 1);
  }
  return 0;
}
// The number of variables at a size.
constexpr int var_count(Size s) {
  int n = 0;
  for (const VarSpec& v : kVarSpecs)
    if (!v.two_slots || s.slots > 1) n += instances(v.index, s);
  return n;
}
// Every presence variable is declared before the variables it guards, so that normalizing in
// declaration order settles a chain (pasid_cached, pasid_cached_frozen, frozen_mirror, ...).
constexpr bool presences_come_first() {
  for (int i = 0; i < kVarRows; ++i)
    if (kVarSpecs[i].presence != Var::none && static_cast<int>(kVarSpecs[i].presence) >= i)
      return false;
  return true;
}
static_assert(presences_come_first(), "a row names a presence variable declared after it");

// The state variables: name and width (0 = Boolean), for kcore of a size.
struct VarInfo {
  std::string name;
  int width = 0;
};

// Offsets of every variable at a size. Accessors are named after their variables and take their
// index: L.use(f), L.iotlb_frame(d, a), L.iotlb_iova(d, k), L.devtlb_phys(d, f), L.mm_life().
// A literal type: the default size's layout is a constant (kDefaultLayout), which lets the compiled
// successor (kcore/concrete.h) fold every offset.
class Layout {
 public:
  constexpr explicit Layout(Size size) : size_(size), addrs_(size.frames + kVpages) {
    int next = 0;
    for (int r = 0; r < kVarRows; ++r) {
      const VarSpec& spec = kVarSpecs[r];
      if (spec.two_slots && size.slots < 2) {
        first_[r] = -1;
        continue;
      }
      first_[r] = next;
      next += instances(spec.index, size);
    }
  }
  const std::vector<VarInfo>& vars() const;  // names and widths, in order (built once per size)
  Size size() const { return size_; }
  int frames() const { return size_.frames; }
  int devices() const { return size_.devices; }
  int slots() const { return size_.slots; }
  int addrs() const { return addrs_; }  // kernel addresses: the direct map, then vmalloc
  int frame_bits() const { return width_bits(Width::frame_bits, size_); }
  int addr_bits() const { return bits_for(addrs_ + 1); }    // `addrs` is a bound in the encoding
  int dev_bits() const { return bits_for(size_.devices); }  // an input's device
  int pasid_bits() const { return width_bits(Width::pasid_bits, size_); }
  int use_bits() const { return width_bits(Width::use_bits, size_); }
  // The first variable of a row (-1: not in this layout), and the index of one of its instances.
  int first(Var v) const { return first_[static_cast<int>(v)]; }

#define PASIDCHECK_KCORE_AT_one(name) \
  int name() const {                  \
    return first(Var::name);          \
  }
#define PASIDCHECK_KCORE_AT_frame(name) \
  int name(int f) const {               \
    return first(Var::name) + f;        \
  }
#define PASIDCHECK_KCORE_AT_vpage(name) \
  int name(int v) const {               \
    return first(Var::name) + v;        \
  }
#define PASIDCHECK_KCORE_AT_dev(name) \
  int name(int d) const {             \
    return first(Var::name) + d;      \
  }
#define PASIDCHECK_KCORE_AT_dev_rid(name) \
  int name(int d, int k) const {          \
    return first(Var::name) + d * 2 + k;  \
  }
#define PASIDCHECK_KCORE_AT_dev_addr(name)    \
  int name(int d, int a) const {              \
    return first(Var::name) + d * addrs_ + a; \
  }
#define PASIDCHECK_KCORE_AT_dev_frame(name)         \
  int name(int d, int f) const {                    \
    return first(Var::name) + d * size_.frames + f; \
  }
#define PASIDCHECK_KCORE_ACCESSOR(name, index, width, presence) PASIDCHECK_KCORE_AT_##index(name)
  PASIDCHECK_KCORE_VARS(PASIDCHECK_KCORE_ACCESSOR)
#undef PASIDCHECK_KCORE_ACCESSOR

#define PASIDCHECK_KCORE_OPT_frame(name) \
  int name(int f) const {                \
    return maybe(Var::name, f);          \
  }
#define PASIDCHECK_KCORE_OPT_dev(name) \
  int name(int d) const {              \
    return maybe(Var::name, d);        \
  }
#define PASIDCHECK_KCORE_OPT_dev_addr(name)  \
  int name(int d, int a) const {             \
    return maybe(Var::name, d * addrs_ + a); \
  }
#define PASIDCHECK_KCORE_OPT_ACCESSOR(name, index, width, presence) \
  PASIDCHECK_KCORE_OPT_##index(name)
  PASIDCHECK_KCORE_SLOT_VARS(PASIDCHECK_KCORE_OPT_ACCESSOR)
#undef PASIDCHECK_KCORE_OPT_ACCESSOR

 private:
  int maybe(Var v, int i) const {
    return first(v) < 0 ? -1 : first(v) + i;
  }
  Size size_;
  int addrs_;
  std::array<int, kVarRows> first_{};
};
inline constexpr Layout kDefaultLayout{Size{}};
const Layout& layout(Size size = {});

// The normal form: (field, presence) pairs in declaration order; the field is 0 whenever its
// presence variable (a Boolean, or a bit-vector: present when nonzero) is 0.
const std::vector<std::pair<int, int>>& absent_fields(Size size = {});

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

}  // namespace pasidcheck::solver::kcore
