// The transition alphabet (MODEL.md §4). One flat Op record carries every argument any op takes;
// the op catalogue (op_catalogue) says which arguments each op requires or accepts, and is what the
// trace parser validates against, so a field that an op does not take is an error, never ignored.
#pragma once

#include <cstdint>
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
// op means adding it to OpKind, op_catalogue() and the handler table, never editing a count.
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

struct OpSpec {
  OpKind kind;
  std::string name;
  std::vector<Arg> required;
  std::vector<Arg> optional;
  std::string meaning;
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
