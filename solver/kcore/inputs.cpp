// kcore's input alphabet: every KInput whose arguments matter, the executable op each one is, and
// how a variant restricts them (solver/kcore/kcore.h).
#include <string>

#include "solver/kcore/input_list.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::solver::kcore {

using namespace model;

namespace {

// Kernel addresses as kcore numbers them: direct:0..F-1 are 0..F-1, vmalloc:0 is F.
Addr addr_of(int a, int frames) {
  return a < frames ? Addr{Space::direct, a} : Addr{Space::vmalloc, a - frames};
}

}  // namespace

std::vector<model::Op> alphabet(const Variant& v) {
  std::vector<model::Op> ops;
  for (const auto& in : inputs(v.size()))
    if (allowed(v, in)) ops.push_back(to_op(in, v.size()));
  return ops;
}

const std::vector<KInput>& inputs(Size size) {
  return detail::per_size<std::vector<KInput>>(size, detail::make_inputs);
}

namespace {

// The op of a kernel_mem action (model/kernel_mem.cpp's ops).
void kernel_mem_op(const KInput& in, Size size, Op& op) {
  [[maybe_unused]] const int frames = size.frames;
  [[maybe_unused]] const bool slots = size.slots > 1;
  [[maybe_unused]] const Attr attrs[] = {Attr::ro, Attr::rw, Attr::rox, Attr::x,
                                         Attr::nx, Attr::np, Attr::p};
  switch (in.act) {
    case kKalloc:
    case kKfree:
      op.kind = in.act == kKalloc ? OpKind::kalloc : OpKind::kfree;
      op.frame = in.frame;
      op.slot = slots ? in.slot() : 0;
      break;
    case kVmalloc:
      op.kind = OpKind::vmalloc;
      op.page = in.vpage();
      op.frame = in.frame;
      op.table_frames = {in.table_frame()};
      break;
    case kVfree:
      op.kind = OpKind::vfree;
      op.page = in.vpage();
      op.alias_table_frames = {in.table_frame()};
      break;
    case kSetMemV:
      op.kind = OpKind::set_memory;
      op.addr = {Space::vmalloc, in.vpage()};
      op.attr = attrs[in.attr];
      op.alias_table_frames = {in.table_frame()};
      break;
    case kSetMemD:
      op.kind = OpKind::set_memory;
      op.addr = {Space::direct, in.frame};
      op.attr = attrs[in.attr];
      op.table_frames = {in.table_frame()};
      break;
    case kPageallocUnmap:
    case kPageallocMap:
      op.kind = in.act == kPageallocUnmap ? OpKind::pagealloc_unmap : OpKind::pagealloc_map;
      op.frame = in.frame;
      break;
    case kKptFreeD:
      op.kind = OpKind::kpt_free;
      op.addr = {Space::direct, 0};
      break;
    case kKptFreeV:
      op.kind = OpKind::kpt_free;
      op.addr = {Space::vmalloc, 0};
      break;
    default:  // another family's
      break;
  }
}

// The op of a iommu_api action (model/iommu_api.cpp's ops).
void iommu_api_op(const KInput& in, Size size, Op& op) {
  [[maybe_unused]] const int frames = size.frames;
  [[maybe_unused]] const bool slots = size.slots > 1;
  [[maybe_unused]] const Attr attrs[] = {Attr::ro, Attr::rw, Attr::rox, Attr::x,
                                         Attr::nx, Attr::np, Attr::p};
  switch (in.act) {
    case kPasidEnable:
      op.kind = OpKind::pasid_enable;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.mode = in.mode == kModeBypass ? Mode::bypass
                : in.mode == kModeIova ? Mode::iova
                                       : Mode::kva;
      break;
    case kPasidDisable:
      op.kind = OpKind::pasid_disable;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      break;
    case kKvaMap:
      op.kind = OpKind::kva_map;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.addr = addr_of(in.addr, frames);
      op.slots = !slots                ? std::vector<int>{0}
                 : in.slot_mask() == 0 ? std::vector<int>{0}
                 : in.slot_mask() == 1 ? std::vector<int>{1}
                                       : std::vector<int>{0, 1};
      op.prot = in.prot_w ? Prot::rw : Prot::r;
      break;
    case kKvaUnmap:
      op.kind = OpKind::kva_unmap;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.addr = addr_of(in.addr, frames);
      break;
    case kDmaMap:
      op.kind = OpKind::dma_map;
      op.dev = in.dev;
      op.frame = in.frame;
      op.slot = slots ? in.slot() : 0;
      op.bounce_frame = slots ? in.bounce_frame() : -1;  // used only when the map is bounced
      op.iova = 0;
      op.dir = in.prot_w ? Dir::from_device : Dir::to_device;
      break;
    case kDmaUnmap:
    case kFqFlush:
      op.kind = in.act == kDmaUnmap ? OpKind::dma_unmap : OpKind::fq_flush;
      op.dev = in.dev;
      if (in.act == kDmaUnmap) op.iova = 0;
      break;
    default:  // another family's
      break;
  }
}

// The op of a device action (model/device.cpp's ops: requests and hardware evictions).
void device_op(const KInput& in, Size size, Op& op) {
  [[maybe_unused]] const int frames = size.frames;
  [[maybe_unused]] const bool slots = size.slots > 1;
  [[maybe_unused]] const Attr attrs[] = {Attr::ro, Attr::rw, Attr::rox, Attr::x,
                                         Attr::nx, Attr::np, Attr::p};
  switch (in.act) {
    case kWalk:
      op.kind = OpKind::iommu_walk;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.addr = addr_of(in.addr, frames);
      op.priv = Priv::supervisor;
      break;
    case kEvictIotlb:
    case kEvictPsc:
    case kEvictPasid:
      op.kind = OpKind::cache_evict;
      op.entry.cache = in.act == kEvictIotlb ? CacheKind::iotlb
                       : in.act == kEvictPsc ? CacheKind::psc
                                             : CacheKind::pasid;
      op.entry.dev = in.dev;
      op.entry.pasid = in.act == kEvictPasid && in.via_pasid() == 0 ? 0 : in.dev + 1;
      if (in.act != kEvictPasid) {
        op.entry.addr = addr_of(in.addr, frames);
        op.entry.has_addr = true;
      }
      op.entry.large = in.act == kEvictIotlb && in.large() == 1;
      break;
    case kWalkIova:
      op.kind = OpKind::iommu_walk;
      op.dev = in.dev;
      op.pasid = in.via_pasid() == 0 ? 0 : in.dev + 1;
      op.addr = {Space::iova, 0};
      op.priv = Priv::user;
      break;
    case kEvictIova:
      op.kind = OpKind::cache_evict;
      op.entry.cache = CacheKind::iotlb;
      op.entry.dev = in.dev;
      op.entry.pasid = in.via_pasid() == 0 ? 0 : in.dev + 1;
      op.entry.addr = {Space::iova, 0};
      op.entry.has_addr = true;
      break;
    case kAtsIova:
    case kAtsPhys:
      op.kind = OpKind::ats_translate;
      op.dev = in.dev;
      op.pasid = in.act == kAtsIova && in.via_pasid() == 0 ? 0 : in.dev + 1;
      op.addr = in.act == kAtsIova ? Addr{Space::iova, 0} : Addr{Space::phys, in.frame};
      op.access = in.prot_w ? Access::write : Access::read;
      break;
    case kEvictDevtlbIova:
    case kEvictDevtlbPhys:
      op.kind = OpKind::cache_evict;
      op.entry.cache = CacheKind::devtlb;
      op.entry.dev = in.dev;
      op.entry.pasid = in.act == kEvictDevtlbIova && in.via_pasid() == 0 ? 0 : in.dev + 1;
      op.entry.addr =
          in.act == kEvictDevtlbIova ? Addr{Space::iova, 0} : Addr{Space::phys, in.frame};
      op.entry.has_addr = true;
      break;
    case kDmaKernel:
    case kDmaIova:
    case kDmaPhys:
      op.kind = OpKind::dma;
      op.dev = in.dev;
      op.pasid = in.act == kDmaIova && in.via_pasid() == 0 ? 0 : in.dev + 1;
      op.addr = in.act == kDmaKernel ? addr_of(in.addr, frames)
                : in.act == kDmaIova ? Addr{Space::iova, 0}
                                     : Addr{Space::phys, 0};
      op.priv = in.act == kDmaKernel ? Priv::supervisor : Priv::user;
      op.access = Access::read;
      break;
    case kDmaTranslated:
      op.kind = OpKind::dma_translated;
      op.dev = in.dev;
      op.pasid = in.via_pasid() == 0 ? 0 : in.dev + 1;
      op.frame = in.frame;
      op.access = in.prot_w ? Access::write : Access::read;
      break;
    case kAtsKernel:  // a read: the device TLB caches W from the leaf whatever the access asked
      op.kind = OpKind::ats_translate;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.addr = addr_of(in.addr, frames);
      op.access = Access::read;
      op.priv = Priv::supervisor;
      break;
    case kEvictDevtlbKernel:
      op.kind = OpKind::cache_evict;
      op.entry.cache = CacheKind::devtlb;
      op.entry.dev = in.dev;
      op.entry.pasid = in.dev + 1;
      op.entry.addr = addr_of(in.addr, frames);
      op.entry.has_addr = true;
      break;
    default:  // another family's
      break;
  }
}

// The op of a user_sva action (the mm's ops and user SVA).
void user_sva_op(const KInput& in, Size size, Op& op) {
  [[maybe_unused]] const int frames = size.frames;
  [[maybe_unused]] const bool slots = size.slots > 1;
  [[maybe_unused]] const Attr attrs[] = {Attr::ro, Attr::rw, Attr::rox, Attr::x,
                                         Attr::nx, Attr::np, Attr::p};
  switch (in.act) {
    case kMmCreate:
    case kMmMmap:
    case kMmMap:
    case kMmUnmap:
    case kMmProtect:
    case kMmExit:
    case kMmDrop: {
      const OpKind kinds[] = {OpKind::mm_create,  OpKind::mm_mmap, OpKind::mm_map, OpKind::mm_unmap,
                              OpKind::mm_protect, OpKind::mm_exit, OpKind::mm_drop};
      op.kind = kinds[in.act - kMmCreate];
      op.mm = 0;
      if (in.act == kMmMmap || in.act == kMmMap || in.act == kMmUnmap || in.act == kMmProtect)
        op.page = 0;
      if (in.act == kMmMmap) op.prot = in.prot_w ? Prot::rw : Prot::r;
      if (in.act == kMmMap) op.frame = in.frame;
      if (in.act == kMmMap || in.act == kMmProtect) op.w = in.prot_w;
      break;
    }
    case kSvaBind:
      op.kind = OpKind::sva_bind;
      op.dev = in.dev;
      op.mm = 0;
      op.pasid = in.dev + 1;
      break;
    case kSvaUnbind:
    case kDeviceQuiesce:
      op.kind = in.act == kSvaUnbind ? OpKind::sva_unbind : OpKind::device_quiesce;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      break;
    case kIopfHandle:
      op.kind = OpKind::iopf_handle;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.group = 0;
      op.frame = in.frame;
      break;
    case kDmaUser:
      op.kind = OpKind::dma;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.priv = Priv::user;
      op.addr = {Space::user, 0};
      op.access = in.prot_w ? Access::write : Access::read;
      break;
    case kWalkUser:
      op.kind = OpKind::iommu_walk;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.addr = addr_of(in.addr, frames);
      op.priv = Priv::user;
      break;
    case kAtsUser:
      op.kind = OpKind::ats_translate;
      op.dev = in.dev;
      op.pasid = in.dev + 1;
      op.addr = {Space::user, 0};
      op.access = in.prot_w ? Access::write : Access::read;
      break;
    case kEvictDevtlb:
    case kEvictUser:
      op.kind = OpKind::cache_evict;
      op.entry.cache = in.act == kEvictUser ? CacheKind::iotlb : CacheKind::devtlb;
      op.entry.dev = in.dev;
      op.entry.pasid = in.dev + 1;
      op.entry.addr = {Space::user, 0};
      op.entry.has_addr = true;
      break;
    default:  // another family's
      break;
  }
}

}  // namespace

Op to_op(const KInput& in, Size size) {
  Op op;
  switch (family_of(in.act)) {
    case Family::kernel_mem:
      kernel_mem_op(in, size, op);
      break;
    case Family::iommu_api:
      iommu_api_op(in, size, op);
      break;
    case Family::device:
      device_op(in, size, op);
      break;
    case Family::user_sva:
      user_sva_op(in, size, op);
      break;
  }
  return op;
}

std::string describe(const KInput& in, Size size) {
  const int frames = size.frames;
  return to_string(to_op(in, size).kind) + "(dev=" + std::to_string(in.dev) +
         " frame=" + std::to_string(in.frame) + " page=" + std::to_string(in.page) +
         " table=" + std::to_string(in.table) + " attr=" + std::to_string(in.attr) +
         " w=" + std::to_string(in.prot_w) + " addr=" + to_string(addr_of(in.addr, frames)) +
         (in.act == kPasidEnable ? " mode=" + std::to_string(in.mode) : "") + ")";
}

}  // namespace pasidcheck::solver::kcore
