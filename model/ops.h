// The transition alphabet (MODEL.md §4). One flat Op record carries every argument any op takes;
// the op catalogue (op_catalogue) says which arguments each op requires or accepts, and is what the
// trace parser validates against, so a field that an op does not take is an error, never ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/types.h"

namespace pasidcheck::model {

enum class OpKind : std::uint8_t {
  kalloc,
  kfree,
  vmalloc,
  vfree,
  set_memory,
  pagealloc_unmap,
  pagealloc_map,
  kpt_free,
  mm_create,
  mm_mmap,
  mm_map,
  mm_unmap,
  mm_protect,
  mm_exit,
  mm_drop,
  pasid_enable,
  pasid_disable,
  dma_map,
  dma_unmap,
  fq_flush,
  kva_map,
  kva_unmap,
  sva_bind,
  sva_unbind,
  iopf_handle,
  device_quiesce,
  dma,
  ats_translate,
  dma_translated,
  iommu_walk,
  cache_evict
};

// How many op kinds there are (cache_evict is the last): sizes every per-kind table, so adding an
// op means adding it to OpKind and its catalogue row to its family's file, never editing a count.
inline constexpr std::size_t kOpKinds = static_cast<std::size_t>(OpKind::cache_evict) + 1;

enum class Prot : std::uint8_t { r, rw };

// The cache entry named by cache_evict.
struct CacheRef {
  CacheKind cache = CacheKind::iotlb;
  int dev = -1;
  int pasid = 0;  // 0 = RID_PASID (null in JSON)
  Addr addr;
  bool has_addr = false;
  bool large = false;  // iotlb: the large-block entry covering addr, not its 4 KiB one (§8.26)
  bool operator==(const CacheRef&) const = default;
};

struct Op {
  OpKind kind = OpKind::kalloc;
  int dev = -1;
  int pasid = 0;  // 0 = none (JSON null); PASIDs are >= 1
  Mode mode = Mode::iova;
  int frame = -1;
  int slot = -1;
  std::vector<int> slots;
  int page = -1;
  std::vector<int> table_frames;
  std::vector<int> alias_table_frames;
  Addr addr;
  int count = 1;
  Attr attr = Attr::ro;
  Dir dir = Dir::to_device;
  Prot prot = Prot::r;
  Priv priv = Priv::user;
  Access access = Access::read;
  int mm = -1;
  bool w = false;
  int group = -1;
  int iova = -1;
  int bounce_frame = -1;
  CacheRef entry;
  bool operator==(const Op&) const = default;
};

// Argument names of TRACE-FORMAT.md.
enum class Arg : std::uint8_t {
  dev,
  pasid,
  mode,
  frame,
  slot,
  slots,
  page,
  table_frame,
  alias_table_frame,
  addr,
  count,
  attr,
  dir,
  prot,
  priv,
  access,
  mm,
  w,
  group,
  iova,
  bounce_frame,
  entry
};

namespace detail {
struct Ctx;  // model/step_context.h
}
// An op's implementation: checks its preconditions and, when they hold, changes the state.
using OpHandler = std::optional<std::string> (*)(detail::Ctx&);

// What of the large parts of State an op may write: which devices' DeviceState, which parts of it
// (PASID entries, DMA domain, KVA grants, strict mirrors), and whether the frame array. Everything
// else in State is small or flat and is compared directly by whoever needs to know what changed
// (properties/incremental_capability.h); the per-device arrays are devices x PASIDs large, so an op
// names what it touches instead (model/footprint.h).
struct Footprint {
  enum class Devices : std::uint8_t { none, one, all } devices = Devices::all;
  int dev = -1;  // for `one`: the op's own device
  enum Part : std::uint8_t {
    entries = 1,  // PASID-table entries, bindings and quiesce marks
    domain = 2,   // the DMA domain (IOVA pages)
    grants = 4,   // KVA grants
    mirrors = 8,  // strict mirrors
    every = 15,
  };
  std::uint8_t parts = every;  // of the devices it touches
  bool frames = true;          // may write State::frames (take_frame, release_frame, slab slots)
  bool touches(int d) const {
    return devices == Devices::all || (devices == Devices::one && d == dev);
  }
  bool writes(Part p) const { return (parts & p) != 0; }
};

// Everything about one op kind: one row of op_catalogue(), kept beside its handler in its family's
// file (model/kernel_mem.cpp, user_mm.cpp, iommu_api.cpp, device.cpp).
struct OpSpec {
  OpKind kind;
  std::string name;           // the trace's "op"
  std::vector<Arg> required;  // arguments it must have (TRACE-FORMAT.md)
  std::vector<Arg> optional;  // arguments it may have; any other is an error
  std::string meaning;
  OpHandler handler = nullptr;        // in its family's file (kernel_mem.cpp, iommu_api.cpp, ...)
  Footprint writes;                   // what it may write (devices `one` = op.dev)
  unsigned weight = 1;                // how often random search tries it (fuzz/op_gen.cpp)
  bool debug_pagealloc_only = false;  // precondition needs DEBUG_PAGEALLOC: never tried without
};

// Which ops a search may generate: a verdict-table row fixes the PASID mode (or SVA).
struct OpFilter {
  bool any = true;         // no restriction
  Mode mode = Mode::iova;  // when !any and !sva: the only mode pasid_enable may ask for
  bool sva = false;        // when !any: the row is user SVA (sva_bind only, no pasid_enable)
  bool allows(const Op& op) const {
    if (any) return true;
    if (op.kind == OpKind::pasid_enable) return !sva && op.mode == mode;
    if (op.kind == OpKind::sva_bind) return sva;
    return true;
  }
};

const std::vector<OpSpec>& op_catalogue();
const OpSpec& op_spec(OpKind k);
bool parse(const std::string& s, OpKind& out);
std::string to_string(OpKind k);
std::string to_string(Arg a);
bool parse(const std::string& s, Arg& out);
std::string to_string(Prot p);
bool parse(const std::string& s, Prot& out);

}  // namespace pasidcheck::model
