#include <sstream>

#include "properties/incremental_capability.h"
#include "properties/property.h"

namespace pasidcheck::properties {

namespace {

// A per-device value computed from the state on first use (Snapshot without a cache).
template <typename T, typename F>
const T& memo(std::vector<std::optional<T>>& slots, int devices, int dev, F compute) {
  if (slots.empty()) slots.resize(devices);
  auto& x = slots.at(dev);
  if (!x) x = compute();
  return *x;
}

}  // namespace

const std::vector<Reach>& Snapshot::cap(int dev) const {
  if (cache_) return cache_->cap(dev);
  return memo(caps_, m_.device_count(), dev, [&] { return capability(m_, s_, dev); });
}

const WriteSummary& Snapshot::writes(int dev) const {
  if (cache_) return cache_->writes(dev);
  return memo(writes_, m_.device_count(), dev, [&] { return write_summary(m_, cap(dev)); });
}

const std::vector<int>& Snapshot::pasids_in_use(int dev) const {
  if (cache_) return cache_->pasids_in_use(dev);
  return memo(in_use_, m_.device_count(), dev,
              [&] { return properties::pasids_in_use(m_, s_, dev); });
}

const std::vector<int>& Snapshot::mirrored_pasids(int dev) const {
  if (cache_) return cache_->mirrored_pasids(dev);
  return memo(mirrored_, m_.device_count(), dev,
              [&] { return properties::mirrored_pasids(m_, s_, dev); });
}

const FrameUseBits& Snapshot::frame_uses() const {
  if (cache_) return cache_->frame_uses();
  if (!frame_uses_) frame_uses_ = frame_use_bits(m_, s_);
  return *frame_uses_;
}

const std::vector<Property>& registry() {
  static const std::vector<Property> props{
      {"no-stale-iotlb", "No stale cached translation",
       "No cached translation (PASID cache, IOTLB, PSC, device TLB) grants more than the current "
       "tables, "
       "except entries in a lazy domain's flush queue of a trusted device.",
       "all devices", "seed: \"no mmu notifier for kernel page table updates\"",
       check_no_stale_iotlb},
      {"no-wx-dma", "No W+X via DMA", "No frame is CPU-executable while some device can write it.",
       "all devices", "seed: \"avoid Write+Execute after module/eBPF load\"", check_no_wx_dma},
      {"untrusted-confined", "Untrusted devices confined to their grants",
       "cap(d) is within the live grants of d, per slot and access, for the frame as granted (not "
       "freed and "
       "reused since).",
       "untrusted devices", "seed: \"exposes the entire kernel mapping\"; design card",
       check_untrusted_confined},
      {"pasid-isolation", "PASID isolation",
       "Through a PASID bound to mm m only m's present user pages are reachable, with user "
       "privilege; "
       "supervisor requests only through kernel PASIDs with SRE; one PASID, one address space.",
       "all devices", "user SVA security claim in the seed", check_pasid_isolation},
      {"no-dma-to-freed", "No DMA to freed memory",
       "No path through a confined PASID (RID_PASID and iova PASIDs, strict KVA, SVA: their "
       "entries, caches and "
       "device-TLB entries) reaches a free frame, or a frame freed and reused since it was "
       "granted.",
       "all devices", "Thunderclap deferred invalidation", check_no_dma_to_freed},
      {"pasid-lifecycle", "PASID life-cycle",
       "A free PASID has no PASID-table entry, no cached entry of any kind and no outstanding page "
       "request.",
       "all", "PASID teardown ordering", check_pasid_lifecycle},
      {"pt-integrity", "Page-table integrity",
       "No device can write a frame that is a CPU (kpt) or IOMMU page-table page.", "all devices",
       "page-table takeover", check_pt_integrity},
      {"trust-gating", "Trust gating",
       "An untrusted device never has a pass-through PASID, ATS enabled, a PASID sharing the "
       "kernel table, or a "
       "lazy domain.",
       "untrusted devices", "seed: \"How to determine device trustfulness?\"", check_trust_gating},
      {"iopf-integrity", "I/O page-fault integrity",
       "Every page response answers an outstanding group of that device and PASID; none is "
       "outstanding for a "
       "PASID after its teardown completed.",
       "all", "IOPF drain rules", check_iopf_integrity},
      {"kva-mirror-exact", "Exact KVA mirror",
       "Each strict-mirror entry maps the frame the CPU maps at that address, with no more "
       "permission than the "
       "CPU, inside the allowed range (the direct map), and was granted by kva_map.",
       "KVA strict", "seed: \"Mirror kernel page table mapping for direct map range\"",
       check_kva_mirror_exact},
  };
  return props;
}

const Property* find_property(const std::string& id) {
  for (const auto& p : registry())
    if (p.id == id) return &p;
  return nullptr;
}

std::optional<std::string> select_properties(const std::vector<std::string>& ids,
                                             std::vector<const Property*>& out) {
  out.clear();
  if (ids.empty()) {
    for (const auto& p : registry()) out.push_back(&p);
    return std::nullopt;
  }
  for (const auto& id : ids) {
    const Property* p = find_property(id);
    if (!p) return "unknown property '" + id + "' (see `pasidcheck list properties`)";
    out.push_back(p);
  }
  return std::nullopt;
}

namespace {

std::vector<Violation> check_snapshot(const Snapshot& snap,
                                      const std::vector<const Property*>& props) {
  std::vector<Violation> out;
  for (const Property* p : props) {
    auto v = p->check(snap);
    if (snap.first() && v.size() > snap.first()) v.resize(snap.first());
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

}  // namespace

std::vector<Violation> check_all(const Model& m, const State& s,
                                 const std::vector<const Property*>& props) {
  return check_snapshot(Snapshot(m, s), props);
}

std::vector<Violation> check_all(const Model& m, const State& s,
                                 const std::vector<const Property*>& props,
                                 const CapabilityCache& cache) {
  return check_snapshot(Snapshot(m, s, &cache), props);
}

Violation from_reach(const Snapshot& snap, const std::string& id, const Reach& r, int frame,
                     const std::string& message) {
  Violation v;
  v.property = id;
  v.dev = r.dev;
  v.pasid = r.pasid;
  v.frame = frame;
  v.access = r.write ? "write" : "read";
  v.priv = model::to_string(r.priv);
  v.path = describe_path(snap.model(), snap.state(), r);
  v.message = message;
  return v;
}

std::string describe(const Model& m, const Violation& v) {
  std::ostringstream o;
  o << v.property << ": " << v.message;
  if (v.dev >= 0) o << " [device " << m.device(v.dev).name;
  if (v.dev >= 0)
    o << (v.pasid > 0 ? ", pasid " + std::to_string(v.pasid) : v.pasid == 0 ? ", no pasid" : "");
  if (v.frame >= 0) o << ", frame " << v.frame;
  if (v.slot >= 0) o << " slot " << v.slot;
  if (!v.access.empty()) o << ", " << v.access;
  if (!v.priv.empty()) o << " as " << v.priv;
  if (v.dev >= 0) o << "]";
  if (!v.path.empty()) o << " via " << v.path;
  return o.str();
}

std::vector<Violation> check_first(const Model& m, const State& s,
                                   const std::vector<const Property*>& props,
                                   const CapabilityCache& cache, std::size_t first) {
  return check_snapshot(Snapshot(m, s, &cache, first), props);
}

}  // namespace pasidcheck::properties
