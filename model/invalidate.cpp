// Cache invalidation: the VT-d descriptors Linux issues (PASID-cache, PASID-based IOTLB with PSC,
// device-TLB), page-request draining, and the kernel page-table notifier the proposal asked for
// (MODEL.md §8.4). Each helper removes exactly the entries its descriptor names.
#include <algorithm>

#include "model/step_context.h"

namespace pasidcheck::model::detail {
namespace {

template <typename V, typename P>
void erase_if(V& v, P pred) {
  v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
}

bool walks_kernel_table(Root r) {
  return r == Root::kernel || r == Root::sva;
}

// Does a cached leaf keyed `key` (large: the whole block) cover page `a`?
bool covers(const Model& m, const IotlbEntry& e, Addr a) {
  if (e.key == a) return true;
  return e.large && a.space == Space::direct && m.block_of(a.page) == m.block_of(e.key.page);
}

bool psc_covers(const Model& m, const PscEntry& e, Addr a) {
  if (a.space != e.space) return false;
  if (a.space == Space::direct) return m.block_of(a.page) == e.index;
  if (a.space == Space::vmalloc) return m.group_of(a.page) == e.index;
  return false;
}

}  // namespace

// qi_flush_pasid_cache(): PASID-selective within the device.
void inv_pasid_cache(State& s, int dev, int pasid) {
  erase_if(s.pasid_cache,
           [&](const PasidCacheEntry& e) { return e.dev == dev && e.pasid == pasid; });
}

// qi_flush_piotlb(did, pasid, all): IOTLB and paging-structure caches of (DID, PASID).
void inv_iotlb_psc(State& s, int did, int pasid) {
  erase_if(s.iotlb, [&](const IotlbEntry& e) { return e.did == did && e.pasid == pasid; });
  erase_if(s.psc, [&](const PscEntry& e) { return e.did == did && e.pasid == pasid; });
}

// qi_flush_dev_iotlb_pasid(): every device-TLB entry of (device, PASID).
void inv_devtlb(State& s, int dev, int pasid) {
  erase_if(s.devtlb, [&](const DevtlbEntry& e) { return e.dev == dev && e.pasid == pasid; });
}

// iommu_iotlb_sync() for one IOVA page: every PASID on the DMA domain, and the device TLB.
void inv_iova_page(const Model& m, State& s, int dev, int iova) {
  const Addr a{Space::iova, iova};
  const int did = m.dma_did(dev);
  erase_if(s.iotlb, [&](const IotlbEntry& e) { return e.did == did && e.key == a; });
  erase_if(s.devtlb, [&](const DevtlbEntry& e) { return e.dev == dev && e.page == a; });
}

// intel_drain_pasid_prq(): outstanding requests of (device, PASID) are answered and removed.
void drain_prq(State& s, int dev, int pasid) {
  erase_if(s.prq, [&](const PageRequest& r) { return r.dev == dev && r.pasid == pasid; });
}

// ioasid/iommu_free_global_pasid(): outstanding requests become stale (MODEL.md §8.10).
void free_pasid(State& s, int pasid) {
  s.pasids[pasid] = {PasidOwner::Kind::free, -1};
  for (auto& r : s.prq)
    if (r.pasid == pasid) r.stale = true;
}

void kpt_notify(const Model& m, State& s, std::uint8_t event, const std::vector<Addr>& pages) {
  if (!(m.knobs().kpt_notifier & event)) return;
  for (const Addr& a : pages) {
    // Every PASID that walks the live kernel table: fast KVA, init_mm, user SVA.
    erase_if(s.iotlb, [&](const IotlbEntry& e) {
      return walks_kernel_table(e.ctx.root) && covers(m, e, a);
    });
    erase_if(s.psc, [&](const PscEntry& e) {
      return walks_kernel_table(e.ctx.root) && psc_covers(m, e, a);
    });
    erase_if(s.devtlb,
             [&](const DevtlbEntry& e) { return walks_kernel_table(e.ctx.root) && e.page == a; });
    // Strict mirrors follow the CPU leaf both ways while the grant lives (MODEL.md §8.4, §8.29):
    // min(kva_map prot, new leaf), removed while the leaf is not present, back when it is.
    const CpuLeaf leaf = cpu_leaf(m, s, a);
    for (int d = 0; d < m.device_count(); ++d) {
      auto& ds = s.devices[d];
      for (int p = 0; p < m.bounds().pasids; ++p) {
        const PasidEntry& e = ds.entries[p];
        if (!e.present || e.root != Root::mirror) continue;
        auto g = ds.kva[p].find(a);
        if (g == ds.kva[p].end()) continue;
        if (leaf.present)
          ds.mirror[p][a] = {leaf.frame, g->second.w && leaf.w};
        else
          ds.mirror[p].erase(a);
        erase_if(s.iotlb,
                 [&](const IotlbEntry& x) { return x.did == e.did && x.pasid == p && x.key == a; });
        erase_if(s.devtlb,
                 [&](const DevtlbEntry& x) { return x.dev == d && x.pasid == p && x.page == a; });
      }
    }
  }
}

// ptfree/ptcollapse: "flush the whole kernel range" (MODEL.md §8.4), as Linux's
// kernel_pgtable_work_func() -> iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL) does
// for every SVA mm. Translations of user addresses stay: an SVA PASID's user entries are the mm
// notifier's (sva_notify). The PSC holds only kernel prefixes (direct blocks, vmalloc groups).
void kpt_notify_all(const Model& m, State& s, std::uint8_t event) {
  if (!(m.knobs().kpt_notifier & event)) return;
  erase_if(s.iotlb, [](const IotlbEntry& e) {
    return walks_kernel_table(e.ctx.root) && e.key.space != Space::user;
  });
  erase_if(s.psc, [](const PscEntry& e) { return walks_kernel_table(e.ctx.root); });
  erase_if(s.devtlb, [](const DevtlbEntry& e) {
    return walks_kernel_table(e.ctx.root) && e.page.space != Space::user;
  });
}

// intel_arch_invalidate_secondary_tlbs(): the mm's PASID, that user page, IOTLB+PSC and dev-TLB.
void sva_notify(const Model& m, State& s, int mm, int page) {
  if (!m.knobs().sva_notifier) return;
  const int pasid = s.mms[mm].pasid;
  if (pasid < 0) return;
  const Addr a{Space::user, page};
  erase_if(s.iotlb,
           [&](const IotlbEntry& e) { return e.did == kSvaDid && e.pasid == pasid && e.key == a; });
  erase_if(s.devtlb, [&](const DevtlbEntry& e) { return e.pasid == pasid && e.page == a; });
}

}  // namespace pasidcheck::model::detail
