#include "solver/kcore.h"

#include <stdexcept>

#include "model/trace.h"

namespace pasidcheck::solver::kcore {

using namespace model;

namespace {

int addr_index(const Addr& a) {
  if (a.space == Space::direct) return a.page;
  if (a.space == Space::vmalloc) return kFrames + a.page;
  return -1;
}

// How kcore codes an entry's root: pass-through is bypass, the DMA domain iova, else KVA.
int mode_of(Root r) {
  return r == Root::passthrough ? kModeBypass : r == Root::dma ? kModeIova : kModeKva;
}

}  // namespace

std::optional<std::string> unsupported(const Config& v) {
  if (v.knobs.debug_pagealloc)
    return "kcore has no DEBUG_PAGEALLOC ops (debug_pagealloc must be off)";
  if (v.devices_explicit && !(v.devices == default_devices()))
    return "kcore uses the two default devices (dsa0, tbt0)";
  return std::nullopt;
}

Config make_config(const Config& variant) {
  Config c = variant;
  c.devices = default_devices();
  c.devices_explicit = false;
  Bounds& b = c.bounds;
  b = Bounds{};
  b.frames = kFrames;
  b.large = kFrames;
  b.slots = 1;
  b.vmalloc_pages = kVpages;
  b.text_pages = 0;
  b.iova_pages = 1;
  b.mms = 0;
  b.user_pages = 0;
  b.pasids = kDevices + 1;
  b.iotlb_capacity = 0;
  b.prq_depth = 0;
  return c;
}

const std::vector<std::string>& rows() {
  static const std::vector<std::string> r{"bypass/trusted", "bypass/untrusted", "iova/trusted",
                                          "iova/untrusted", "kva/trusted",      "kva/untrusted"};
  return r;
}

bool is_dma_act(int act) {
  return act == kDmaMap || act == kDmaUnmap || act == kFqFlush || act == kWalkIova ||
         act == kEvictIova;
}

bool allowed(const Variant& v, const KInput& in) {
  if (is_dma_act(in.act)) return v.dma_ops;
  if (in.act == kPasidDisable) return v.disable_ops;
  if (in.act != kPasidEnable) return true;
  return v.allow[in.mode][in.dev];
}

Variant variant_of(const Config& c, const std::string& row) {
  const Model m(c);
  const Knobs& k = m.knobs();
  Variant v;
  v.wpe = k.wpe;
  v.cpa_alias = k.cpa_alias;
  v.notifier = k.kpt_notifier;
  v.kva_direct_only = k.kva_range == KvaRange::direct_map;
  v.free_first = k.teardown == Teardown::free_first;
  for (int d = 0; d < kDevices; ++d) {
    // do_pasid_enable(): init_mm SVA roots everything at the kernel table; dma_api refuses KVA.
    const bool fast =
        k.kva_fast_for == FastFor::all || (k.kva_fast_for == FastFor::trusted && m.trusted(d));
    if (!m.device(d).pasid_capable)
      v.root[d] = KRoot::refused;
    else if (k.kernel_pasid == KernelPasid::init_mm_sva)
      v.root[d] = KRoot::kernel;
    else if (k.kernel_pasid == KernelPasid::dma_api)
      v.root[d] = KRoot::refused;
    else
      v.root[d] = fast ? KRoot::kernel : KRoot::mirror;
    // Bypass: init_mm SVA ignores the mode; else trusted devices only unless bypass_for=all.
    if (!m.device(d).pasid_capable)
      v.bypass_root[d] = KRoot::refused;
    else if (k.kernel_pasid == KernelPasid::init_mm_sva)
      v.bypass_root[d] = KRoot::kernel;
    else if (k.bypass_for == BypassFor::trusted && !m.trusted(d))
      v.bypass_root[d] = KRoot::refused;
    else
      v.bypass_root[d] = KRoot::passthrough;
    v.iova_root[d] = !m.device(d).pasid_capable                   ? KRoot::refused
                     : k.kernel_pasid == KernelPasid::init_mm_sva ? KRoot::kernel
                                                                  : KRoot::dma;
    v.lazy[d] = m.lazy(d);
    v.forged[d] = m.ats(d) && !m.trusted(d);
    v.trusted[d] = m.trusted(d);
  }
  if (!row.empty()) {
    const auto slash = row.find('/');
    const std::string mode = row.substr(0, slash), trust = row.substr(slash + 1);
    if (slash == std::string::npos || (mode != "kva" && mode != "bypass" && mode != "iova") ||
        (trust != "trusted" && trust != "untrusted" && trust != "both"))
      throw std::invalid_argument("row '" + row + "' is not one of " +
                                  "kva|bypass|iova / trusted|untrusted|both");
    // dsa0 is trusted, tbt0 is not, under any policy; `both` (the SPIN/Quint peers' core,
    // bench/peers/) lets each device enable the mode.
    const int dev = trust == "trusted" ? 0 : 1;
    for (int d = 0; d < kDevices; ++d) {
      const bool on = trust == "both" || d == dev;
      v.allow[kModeKva][d] = on && mode == "kva";
      v.allow[kModeBypass][d] = on && mode == "bypass";
      v.allow[kModeIova][d] = on && mode == "iova";
    }
    v.dma_ops = mode == "iova";
    v.disable_ops = trust != "both";
  }
  return v;
}

const std::vector<std::pair<int, int>>& absent_fields() {
  static const std::vector<std::pair<int, int>> pairs = [] {
    const Layout& L = layout();
    std::vector<std::pair<int, int>> v;
    auto absent = [&](std::initializer_list<int> fields, int presence) {
      for (int f : fields) v.emplace_back(f, presence);
    };
    absent({L.btab()}, L.split());
    absent({L.gt()}, L.gh());
    for (int p = 0; p < kVpages; ++p) absent({L.vf(p), L.vw(p), L.vnx(p)}, L.vm(p));
    for (int d = 0; d < kDevices; ++d) {
      for (int a = 0; a < kAddrs; ++a) {
        absent({L.gf(d, a), L.gw(d, a)}, L.g(d, a));
        absent({L.mf(d, a), L.mw(d, a)}, L.mr(d, a));
        absent({L.itf(d, a), L.itw(d, a), L.itnx(d, a), L.itl(d, a), L.itfr(d, a)}, L.it(d, a));
      }
      absent({L.pdt(d), L.pdfr(d), L.pdre(d), L.pdzp(d), L.pdzw(d)}, L.pdv(d));
      absent({L.pvt(d), L.pvfr(d), L.pvre(d)}, L.pvv(d));
      absent({L.ifr(d), L.iw(d)}, L.ik(d));
      absent({L.md(d)}, L.en(d));
      absent({L.pcm(d)}, L.pc(d));
      for (int k = 0; k < 2; ++k) absent({L.itif(d, k), L.itiw(d, k), L.itifr(d, k)}, L.iti(d, k));
    }
    return v;
  }();
  return pairs;
}

std::vector<int> boot_vars() {
  const Layout& L = layout();
  std::vector<int> boot(L.vars().size(), 0);
  for (int f = 0; f < kFrames; ++f) boot[L.dp(f)] = boot[L.dw(f)] = 1;
  return boot;
}

const std::vector<std::string>& property_ids() {
  static const std::vector<std::string> ids{
      "no-stale-iotlb",     "no-wx-dma",        "pt-integrity",
      "untrusted-confined", "kva-mirror-exact", "no-dma-to-freed",
      "trust-gating",       "pasid-lifecycle",  "pasid-isolation"};
  return ids;
}

// Names read as the state does: use[frame2], grant[tbt0,vmalloc:0].
int Layout::add(const std::string& name, int count, int width) {
  const int first = static_cast<int>(vars_.size());
  const char* devs[] = {"dsa0", "tbt0"};
  auto addr = [](int a) {
    return a < kFrames ? "direct:" + std::to_string(a) : "vmalloc:" + std::to_string(a - kFrames);
  };
  for (int i = 0; i < count; ++i) {
    std::string index;
    if (count == 1)
      index = "";
    else if (count == kDevices * kAddrs)
      index = std::string(devs[i / kAddrs]) + "," + addr(i % kAddrs);
    else if (count == kDevices)
      index = devs[i];
    else if (count == kDevices * 2)  // the DMA domain's iova:0 entries: RID_PASID, the PASID
      index = std::string(devs[i / 2]) + (i % 2 ? ",pasid" : ",rid_pasid");
    else if (name.rfind("vmalloc", 0) == 0)
      index = "vmalloc:" + std::to_string(i);
    else
      index = "frame" + std::to_string(i);
    vars_.push_back({index.empty() ? name : name + "[" + index + "]", width});
  }
  return first;
}

Layout::Layout() {
  const int DA = kDevices * kAddrs;
  use_ = add("use", kFrames, 2);
  vmap_ = add("vmap", kFrames, 0);
  dp_ = add("direct_present", kFrames, 0);
  dw_ = add("direct_w", kFrames, 0);
  split_ = add("block_split", 1, 0);
  btab_ = add("block_table", 1, 2);
  vm_ = add("vmalloc_mapped", kVpages, 0);
  vf_ = add("vmalloc_frame", kVpages, 2);
  vw_ = add("vmalloc_w", kVpages, 0);
  vnx_ = add("vmalloc_nx", kVpages, 0);
  gh_ = add("vgroup_has_table", 1, 0);
  gt_ = add("vgroup_table", 1, 2);
  en_ = add("pasid_enabled", kDevices, 0);
  pc_ = add("pasid_cached", kDevices, 0);
  md_ = add("pasid_mode", kDevices, 2);
  pc0_ = add("rid_pasid_cached", kDevices, 0);
  pcm_ = add("pasid_cached_mode", kDevices, 2);
  ik_ = add("iova_kind", kDevices, 2);
  ifr_ = add("iova_frame", kDevices, 2);
  iw_ = add("iova_w", kDevices, 0);
  iti_ = add("iotlb_iova", kDevices * 2, 0);
  itif_ = add("iotlb_iova_frame", kDevices * 2, 2);
  itiw_ = add("iotlb_iova_w", kDevices * 2, 0);
  itifr_ = add("iotlb_iova_freed", kDevices * 2, 0);
  g_ = add("grant", DA, 0);
  gf_ = add("grant_frame", DA, 2);
  gw_ = add("grant_w", DA, 0);
  mr_ = add("mirror", DA, 0);
  mf_ = add("mirror_frame", DA, 2);
  mw_ = add("mirror_w", DA, 0);
  it_ = add("iotlb", DA, 0);
  itf_ = add("iotlb_frame", DA, 2);
  itw_ = add("iotlb_w", DA, 0);
  itnx_ = add("iotlb_nx", DA, 0);
  itl_ = add("iotlb_large", DA, 0);
  itfr_ = add("iotlb_freed", DA, 0);
  pdv_ = add("psc_direct", kDevices, 0);
  pdt_ = add("psc_direct_table", kDevices, 2);
  pdfr_ = add("psc_direct_freed", kDevices, 0);
  pdre_ = add("psc_direct_reused", kDevices, 0);
  pdzp_ = add("psc_direct_frozen_present", kDevices, 0);
  pdzw_ = add("psc_direct_frozen_w", kDevices, 0);
  pvv_ = add("psc_vmalloc", kDevices, 0);
  pvt_ = add("psc_vmalloc_table", kDevices, 2);
  pvfr_ = add("psc_vmalloc_freed", kDevices, 0);
  pvre_ = add("psc_vmalloc_reused", kDevices, 0);
}

const Layout& layout() {
  static const Layout l;
  return l;
}

std::optional<std::string> project(const Model& m, const State& s, std::vector<int>& out) {
  const Layout& L = layout();
  out.assign(L.vars().size(), 0);
  for (int f = 0; f < kFrames; ++f) {
    const Frame& fr = s.frames[f];
    if (fr.use == FrameUse::free)
      out[L.use(f)] = kUseFree;
    else if (fr.use == FrameUse::kdata)
      out[L.use(f)] = kUseKdata;
    else if (fr.use == FrameUse::kpt)
      out[L.use(f)] = kUseKpt;
    else
      return "frame " + std::to_string(f) + " is " + to_string(fr.use);
    out[L.vmap(f)] = fr.vmap;
    out[L.dp(f)] = s.direct[f].present;
    out[L.dw(f)] = s.direct[f].w;
  }
  out[L.split()] = s.blocks[0].split;
  out[L.btab()] = s.blocks[0].split ? s.blocks[0].table : 0;
  for (int v = 0; v < kVpages; ++v) {
    const VmallocLeaf& l = s.vmalloc[v];
    if (l.frame < 0) continue;
    if (!l.present) return "vmalloc:" + std::to_string(v) + " is mapped but not present";
    out[L.vm(v)] = 1;
    out[L.vf(v)] = l.frame;
    out[L.vw(v)] = l.w;
    out[L.vnx(v)] = l.nx;
  }
  out[L.gh()] = s.vgroup_table[0] >= 0;
  out[L.gt()] = s.vgroup_table[0] >= 0 ? s.vgroup_table[0] : 0;
  for (int d = 0; d < kDevices; ++d) {
    const DeviceState& ds = s.devices[d];
    const int p = d + 1;
    for (int q = 1; q < m.bounds().pasids; ++q)
      if (q != p && (ds.bound[q] || !ds.kva[q].empty()))
        return "device " + std::to_string(d) + " uses PASID " + std::to_string(q);
    out[L.en(d)] = ds.bound[p];
    if (ds.bound[p]) out[L.md(d)] = mode_of(ds.entries[p].root);
    const IovaPage& ip = ds.iova[0];
    if (ip.bounced) return "a bounced DMA mapping (kcore has one slot per frame)";
    if (ip.kind != IovaPage::Kind::free) {
      out[L.ik(d)] = ip.kind == IovaPage::Kind::mapped ? 1 : 2;
      out[L.ifr(d)] = ip.frame;
      out[L.iw(d)] = ip.w;
    }
    for (const auto& [a, g] : ds.kva[p]) {
      const int i = addr_index(a);
      out[L.g(d, i)] = 1;
      out[L.gf(d, i)] = g.frame;
      out[L.gw(d, i)] = g.w;
    }
    for (const auto& [a, l] : ds.mirror[p]) {
      const int i = addr_index(a);
      out[L.mr(d, i)] = 1;
      out[L.mf(d, i)] = l.frame;
      out[L.mw(d, i)] = l.w;
    }
  }
  for (const auto& c : s.pasid_cache) {
    if (c.pasid == 0)
      out[L.pc0(c.dev)] = 1;
    else if (c.pasid == c.dev + 1 && c.copy.present) {
      out[L.pc(c.dev)] = 1;
      out[L.pcm(c.dev)] = mode_of(c.copy.root);
    } else
      return "PASID-cache entry off kcore";
  }
  for (const auto& x : s.iotlb) {
    if (x.key.space == Space::iova) {  // the DMA domain's entries: RID_PASID or the PASID
      const int d = x.did - m.dma_did(0);
      if (d < 0 || d >= kDevices || x.key.page != 0 || (x.pasid != 0 && x.pasid != d + 1))
        return "IOTLB entry off kcore";
      const int k = x.pasid == 0 ? 0 : 1;
      out[L.iti(d, k)] = 1;
      out[L.itif(d, k)] = x.frame;
      out[L.itiw(d, k)] = x.w;
      out[L.itifr(d, k)] = x.freed;
      continue;
    }
    const int d = x.pasid - 1;
    const int i = addr_index(x.key);
    if (d < 0 || d >= kDevices || i < 0) return "IOTLB entry off kcore";
    out[L.it(d, i)] = 1;
    out[L.itf(d, i)] = x.frame;
    out[L.itw(d, i)] = x.w;
    out[L.itnx(d, i)] = x.nx;
    out[L.itl(d, i)] = x.large;
    out[L.itfr(d, i)] = x.freed;
  }
  for (const auto& x : s.psc) {
    const int d = x.pasid - 1;
    if (d < 0 || d >= kDevices || x.index != 0) return "PSC entry off kcore";
    if (x.space == Space::direct) {
      out[L.pdv(d)] = 1;
      out[L.pdt(d)] = x.table;
      out[L.pdfr(d)] = x.freed;
      out[L.pdre(d)] = x.reused;
      out[L.pdzp(d)] = x.frozen.present;
      out[L.pdzw(d)] = x.frozen.w;
    } else {
      out[L.pvv(d)] = 1;
      out[L.pvt(d)] = x.table;
      out[L.pvfr(d)] = x.freed;
      out[L.pvre(d)] = x.reused;
    }
  }
  if (!s.devtlb.empty() || !s.prq.empty()) return "device TLB or page requests off kcore";
  return std::nullopt;
}

}  // namespace pasidcheck::solver::kcore
