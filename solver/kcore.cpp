#include "solver/kcore.h"

#include <stdexcept>

#include "model/trace.h"

namespace pasidcheck::solver::kcore {

using namespace model;

namespace {

// Bits for the values 0..n-1.
int bits_for(int n) {
  int b = 1;
  while ((1 << b) < n) ++b;
  return b;
}

}  // namespace

namespace detail {

void check_size(Size size) {
  if (size.frames < kMinFrames || size.frames > kMaxFrames)
    throw model::InputError("kcore takes " + std::to_string(kMinFrames) + ".." +
                            std::to_string(kMaxFrames) + " frames, not " +
                            std::to_string(size.frames));
  if (size.devices < kMinDevices || size.devices > kMaxDevices)
    throw model::InputError("kcore takes " + std::to_string(kMinDevices) + ".." +
                            std::to_string(kMaxDevices) + " devices, not " +
                            std::to_string(size.devices));
  if (size.slots < kMinSlots || size.slots > kMaxSlots)
    throw model::InputError("kcore takes " + std::to_string(kMinSlots) + ".." +
                            std::to_string(kMaxSlots) + " slots per frame, not " +
                            std::to_string(size.slots));
}

}  // namespace detail

using detail::check_size;
using detail::per_size;

std::string device_name(int d) {
  return (d % 2 ? "tbt" : "dsa") + std::to_string(d / 2);
}

std::optional<std::string> unsupported(const Config& v) {
  if (v.devices_explicit && !(v.devices == default_devices()))
    return "kcore uses the default devices (dsa0, tbt0; --kcore-devices adds copies of them)";
  return std::nullopt;
}

Config make_config(const Config& variant, Size size) {
  check_size(size);
  Config c = variant;
  c.devices.clear();
  for (int d = 0; d < size.devices; ++d) {  // dsa0, tbt0, then copies of them
    DeviceAttrs a = default_devices()[d % 2];
    a.name = device_name(d);
    c.devices.push_back(a);
  }
  c.devices_explicit = false;
  Bounds& b = c.bounds;
  b = Bounds{};
  b.frames = size.frames;
  b.large = size.frames;
  b.slots = size.slots;
  b.vmalloc_pages = kVpages;
  b.text_pages = 0;
  b.iova_pages = 1;
  b.mms = 1;  // used by the sva rows only
  b.user_pages = 1;
  b.pasids = size.devices + 1;
  b.iotlb_capacity = 0;
  b.prq_depth = 1;
  return c;
}

const std::vector<std::string>& rows() {
  static const std::vector<std::string> r{"bypass/trusted", "bypass/untrusted", "iova/trusted",
                                          "iova/untrusted", "kva/trusted",      "kva/untrusted",
                                          "sva/trusted",    "sva/untrusted"};
  return r;
}

bool is_dma_act(int act) {
  return act == kDmaMap || act == kDmaUnmap || act == kFqFlush || act == kWalkIova ||
         act == kEvictIova || act == kAtsIova || act == kEvictDevtlbIova || act == kDmaIova;
}

bool is_sva_act(int act) {
  return act >= kMmCreate && act <= kEvictDevtlb;
}

bool is_mm_act(int act) {
  return act >= kMmCreate && act <= kMmDrop;
}

bool act_allowed(const Variant& v, int act) {
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

bool allowed(const Variant& v, const KInput& in) {
  if (!act_allowed(v, in.act)) return false;
  if (is_sva_act(in.act) && !is_mm_act(in.act)) return v.allow_sva[in.dev];
  if (in.act == kPasidEnable) return v.allow[in.mode][in.dev];
  if ((in.act == kSetMemD || in.act == kSetMemV) && (in.attr == kNp || in.attr == kP))
    return v.np_p;
  return true;
}

Variant variant_of(const Config& c, const std::string& row) {
  const Model m(c);
  const Knobs& k = m.knobs();
  Variant v;
  v.frames = c.bounds.frames;
  v.devices = static_cast<int>(c.devices.size());
  v.slots = c.bounds.slots;
  check_size(v.size());
  v.bounce = k.bounce_untrusted;
  v.kva_aligned = k.kva_page_aligned_untrusted;
  v.wpe = k.wpe;
  v.cpa_alias = k.cpa_alias;
  v.notifier = k.kpt_notifier;
  v.kva_direct_only = k.kva_range == KvaRange::direct_map;
  v.free_first = k.teardown == Teardown::free_first;
  v.no_drain = k.teardown == Teardown::no_drain;
  v.no_devtlb = k.teardown == Teardown::no_devtlb;
  v.pagealloc = k.debug_pagealloc;
  v.sva_notifier = k.sva_notifier;
  for (int d = 0; d < v.devices; ++d) {
    v.sva_bind_ok[d] = k.sva && m.device(d).pasid_capable && m.ats(d);  // do_sva_bind()
    v.pri[d] = m.pri(d);
    v.ats[d] = m.ats(d);
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
    if (slash == std::string::npos ||
        (mode != "kva" && mode != "bypass" && mode != "iova" && mode != "sva") ||
        (trust != "trusted" && trust != "untrusted" && trust != "both") ||
        (mode == "sva" && trust == "both"))
      throw model::InputError("row '" + row + "' is not one of " +
                              "kva|bypass|iova / trusted|untrusted|both, sva/trusted, " +
                              "sva/untrusted");
    // dsa0 (and dsa1) is trusted, tbt0 (and tbt1) is not, under any policy; `both` (the
    // SPIN/Quint peers' core, bench/peers/) lets each device enable the mode.
    const int parity = trust == "trusted" ? 0 : 1;
    for (int d = 0; d < v.devices; ++d) {
      const bool on = trust == "both" || d % 2 == parity;
      v.allow[kModeKva][d] = on && mode == "kva";
      v.allow[kModeBypass][d] = on && mode == "bypass";
      v.allow[kModeIova][d] = on && mode == "iova";
      v.allow_sva[d] = on && mode == "sva";
    }
    v.sva = mode == "sva";
    v.dma_ops = mode == "iova";
    v.disable_ops = trust != "both";
    v.kernel_ats_ops = trust != "both";
    v.np_p = false;
  }
  // MODEL.md §8.30: a strict mirror's DID is the lowest free one. kcore tags a device's cached
  // translations by its PASID's mode, which is exact while at most one mirror exists at a time;
  // with two strict devices a free_first teardown lets one device's new mirror take another's
  // freed DID (or not), which kcore leaves out (docs/engines.md, "Not encoded").
  int mirrors = 0;
  for (int d = 0; d < v.devices; ++d) mirrors += v.root[d] == KRoot::mirror;
  if (v.free_first && mirrors > 1)
    throw model::InputError(
        "kcore does not encode lowest-free DID reuse between two strict-KVA devices after a "
        "free_first teardown (MODEL.md §8.30; docs/engines.md)");
  return v;
}

const std::vector<std::pair<int, int>>& absent_fields(Size size) {
  using Pairs = std::vector<std::pair<int, int>>;
  return per_size<Pairs>(size, [](Size sz) {
    const Layout& L = layout(sz);
    std::vector<std::pair<int, int>> v;
    auto absent = [&](std::initializer_list<int> fields, int presence) {
      for (int f : fields) v.emplace_back(f, presence);
    };
    absent({L.btab()}, L.split());
    absent({L.gt()}, L.gh());
    for (int p = 0; p < kVpages; ++p) absent({L.vf(p), L.vw(p), L.vnx(p), L.vnp(p)}, L.vm(p));
    for (int d = 0; d < L.devices(); ++d) {
      for (int a = 0; a < L.addrs(); ++a) {
        absent({L.gf(d, a), L.gw(d, a)}, L.g(d, a));
        absent({L.mf(d, a), L.mw(d, a)}, L.mr(d, a));
        absent({L.itf(d, a), L.itw(d, a), L.itnx(d, a), L.itfr(d, a)}, L.it(d, a));
        absent({L.dtkf(d, a), L.dtkw(d, a), L.dtkfr(d, a)}, L.dtk(d, a));
      }
      absent({L.pdt(d), L.pdfr(d), L.pdre(d), L.pdzp(d), L.pdzw(d)}, L.pdv(d));
      absent({L.pvt(d), L.pvfr(d), L.pvre(d)}, L.pvv(d));
      absent({L.ifr(d), L.iw(d)}, L.ik(d));
      absent({L.md(d)}, L.en(d));
      absent({L.pcm(d), L.pasid_cached_frozen(d)}, L.pc(d));
      // (in this order: a frozen mirror's leaves go with the copy, their fields with them)
      for (int a = 0; a < L.addrs(); ++a) absent({L.frozen_mirror(d, a)}, L.pasid_cached_frozen(d));
      for (int a = 0; a < L.addrs(); ++a)
        absent({L.frozen_mirror_frame(d, a), L.frozen_mirror_w(d, a)}, L.frozen_mirror(d, a));
      absent({L.iotlb_large_w(d), L.iotlb_large_freed(d)}, L.iotlb_large(d));
      for (int k = 0; k < 2; ++k) absent({L.itif(d, k), L.itiw(d, k), L.itifr(d, k)}, L.iti(d, k));
      absent({L.fpd(d)}, L.en(d));
      absent({L.prw(d), L.prs(d)}, L.pr(d));
      absent({L.ituf(d), L.ituw(d), L.itufr(d)}, L.itu(d));
      absent({L.dtf(d), L.dtw(d), L.dtfr(d)}, L.dt(d));
      for (int k = 0; k < 2; ++k) absent({L.dtif(d, k), L.dtiw(d, k), L.dtifr(d, k)}, L.dti(d, k));
      for (int f = 0; f < L.frames(); ++f) absent({L.dtpfr(d, f)}, L.dtp(d, f));
    }
    absent({L.upw(), L.upf()}, L.upk());  // (the frame is 0 for a vma without a page)
    if (L.slots() > 1) {
      for (int d = 0; d < L.devices(); ++d) {
        for (int a = 0; a < L.addrs(); ++a) absent({L.gsl(d, a)}, L.g(d, a));
        absent({L.ib(d), L.iof(d), L.ios(d)}, L.ik(d));
      }
    }
    return v;
  });
}

std::vector<int> boot_vars(Size size, bool pagealloc) {
  const Layout& L = layout(size);
  std::vector<int> boot(L.vars().size(), 0);
  for (int f = 0; f < L.frames(); ++f) boot[L.dp(f)] = boot[L.dw(f)] = 1;
  if (pagealloc) {  // Model::boot(): the boot table from the top, free leaves unmapped
    const int table = size.frames - 1;
    boot[L.split()] = 1;
    boot[L.btab()] = table;
    boot[L.use(table)] = kUseKpt;
    for (int f = 0; f < table; ++f) boot[L.dp(f)] = boot[L.dw(f)] = 0;  // P and RW (§8.35)
  }
  return boot;
}

const std::vector<std::string>& property_ids() {
  static const std::vector<std::string> ids{
      "no-stale-iotlb",   "no-wx-dma",       "pt-integrity", "untrusted-confined",
      "kva-mirror-exact", "no-dma-to-freed", "trust-gating", "pasid-lifecycle",
      "pasid-isolation",  "iopf-integrity"};
  return ids;
}

// Names read as the state does: use[frame2], grant[tbt0,vmalloc:0], iotlb_iova[dsa0,pasid].
int Layout::add(const std::string& name, Index kind, int width) {
  const int first = static_cast<int>(vars_.size());
  auto addr = [this](int a) {
    return a < frames_ ? "direct:" + std::to_string(a) : "vmalloc:" + std::to_string(a - frames_);
  };
  const int count = kind == Index::one         ? 1
                    : kind == Index::frame     ? frames_
                    : kind == Index::vpage     ? kVpages
                    : kind == Index::dev       ? devices_
                    : kind == Index::dev_rid   ? devices_ * 2
                    : kind == Index::dev_frame ? devices_ * frames_
                                               : devices_ * addrs_;
  for (int i = 0; i < count; ++i) {
    std::string index;
    switch (kind) {
      case Index::one:
        break;
      case Index::frame:
        index = "frame" + std::to_string(i);
        break;
      case Index::vpage:
        index = "vmalloc:" + std::to_string(i);
        break;
      case Index::dev:
        index = device_name(i);
        break;
      case Index::dev_rid:  // the DMA domain's iova:0 entries: RID_PASID, the PASID
        index = device_name(i / 2) + (i % 2 ? ",pasid" : ",rid_pasid");
        break;
      case Index::dev_frame:
        index = device_name(i / frames_) + ",phys:" + std::to_string(i % frames_);
        break;
      case Index::dev_addr:
        index = device_name(i / addrs_) + "," + addr(i % addrs_);
        break;
    }
    vars_.push_back({index.empty() ? name : name + "[" + index + "]", width});
  }
  return first;
}

Layout::Layout(Size size)
    : frames_(size.frames),
      devices_(size.devices),
      slots_(size.slots),
      addrs_(size.frames + kVpages),
      frame_bits_(bits_for(size.frames)),
      addr_bits_(bits_for(size.frames + kVpages + 1)),  // `addrs` is a bound in the encoding
      dev_bits_(bits_for(size.devices)),
      pasid_bits_(bits_for(size.devices + 1)) {
  const int FB = frame_bits_;
  use_ = add("use", Index::frame, use_bits());
  vmap_ = add("vmap", Index::frame, 0);
  dp_ = add("direct_present", Index::frame, 0);
  dw_ = add("direct_w", Index::frame, 0);
  split_ = add("block_split", Index::one, 0);
  btab_ = add("block_table", Index::one, FB);
  vm_ = add("vmalloc_mapped", Index::vpage, 0);
  vf_ = add("vmalloc_frame", Index::vpage, FB);
  vw_ = add("vmalloc_w", Index::vpage, 0);
  vnx_ = add("vmalloc_nx", Index::vpage, 0);
  vnp_ = add("vmalloc_not_present", Index::vpage, 0);
  gh_ = add("vgroup_has_table", Index::one, 0);
  gt_ = add("vgroup_table", Index::one, FB);
  en_ = add("pasid_enabled", Index::dev, 0);
  pc_ = add("pasid_cached", Index::dev, 0);
  md_ = add("pasid_mode", Index::dev, 2);
  pc0_ = add("rid_pasid_cached", Index::dev, 0);
  pcm_ = add("pasid_cached_mode", Index::dev, 2);
  ik_ = add("iova_kind", Index::dev, 2);
  ifr_ = add("iova_frame", Index::dev, FB);
  iw_ = add("iova_w", Index::dev, 0);
  iti_ = add("iotlb_iova", Index::dev_rid, 0);
  itif_ = add("iotlb_iova_frame", Index::dev_rid, FB);
  itiw_ = add("iotlb_iova_w", Index::dev_rid, 0);
  itifr_ = add("iotlb_iova_freed", Index::dev_rid, 0);
  g_ = add("grant", Index::dev_addr, 0);
  gf_ = add("grant_frame", Index::dev_addr, FB);
  gw_ = add("grant_w", Index::dev_addr, 0);
  mr_ = add("mirror", Index::dev_addr, 0);
  mf_ = add("mirror_frame", Index::dev_addr, FB);
  mw_ = add("mirror_w", Index::dev_addr, 0);
  it_ = add("iotlb", Index::dev_addr, 0);
  itf_ = add("iotlb_frame", Index::dev_addr, FB);
  itw_ = add("iotlb_w", Index::dev_addr, 0);
  itnx_ = add("iotlb_nx", Index::dev_addr, 0);
  itfr_ = add("iotlb_freed", Index::dev_addr, 0);
  iotlb_large_ = add("iotlb_large", Index::dev, 0);
  iotlb_large_w_ = add("iotlb_large_w", Index::dev, 0);
  iotlb_large_freed_ = add("iotlb_large_freed", Index::dev, 0);
  pdv_ = add("psc_direct", Index::dev, 0);
  pdt_ = add("psc_direct_table", Index::dev, FB);
  pdfr_ = add("psc_direct_freed", Index::dev, 0);
  pdre_ = add("psc_direct_reused", Index::dev, 0);
  pdzp_ = add("psc_direct_frozen_present", Index::dev, 0);
  pdzw_ = add("psc_direct_frozen_w", Index::dev, 0);
  pvv_ = add("psc_vmalloc", Index::dev, 0);
  pvt_ = add("psc_vmalloc_table", Index::dev, FB);
  pvfr_ = add("psc_vmalloc_freed", Index::dev, 0);
  pvre_ = add("psc_vmalloc_reused", Index::dev, 0);
  mml_ = add("mm_life", Index::one, 2);
  mmp_ = add("mm_pasid", Index::one, pasid_bits_);
  upk_ = add("user_page", Index::one, 2);
  upw_ = add("user_page_w", Index::one, 0);
  upf_ = add("user_page_frame", Index::one, FB);
  bad_ = add("bad_response", Index::one, 0);
  fpd_ = add("pasid_fpd", Index::dev, 0);
  qu_ = add("quiesced", Index::dev, 0);
  pr_ = add("page_request", Index::dev, 0);
  prw_ = add("page_request_write", Index::dev, 0);
  prs_ = add("page_request_stale", Index::dev, 0);
  itu_ = add("iotlb_user", Index::dev, 0);
  ituf_ = add("iotlb_user_frame", Index::dev, FB);
  ituw_ = add("iotlb_user_w", Index::dev, 0);
  itufr_ = add("iotlb_user_freed", Index::dev, 0);
  dt_ = add("devtlb_user", Index::dev, 0);
  dtf_ = add("devtlb_user_frame", Index::dev, FB);
  dtw_ = add("devtlb_user_w", Index::dev, 0);
  dtfr_ = add("devtlb_user_freed", Index::dev, 0);
  dti_ = add("devtlb_iova", Index::dev_rid, 0);
  dtif_ = add("devtlb_iova_frame", Index::dev_rid, FB);
  dtiw_ = add("devtlb_iova_w", Index::dev_rid, 0);
  dtifr_ = add("devtlb_iova_freed", Index::dev_rid, 0);
  dtp_ = add("devtlb_phys", Index::dev_frame, 0);
  dtpfr_ = add("devtlb_phys_freed", Index::dev_frame, 0);
  dtk_ = add("devtlb", Index::dev_addr, 0);
  dtkf_ = add("devtlb_frame", Index::dev_addr, FB);
  dtkw_ = add("devtlb_w", Index::dev_addr, 0);
  dtkfr_ = add("devtlb_freed", Index::dev_addr, 0);
  pasid_cached_frozen_ = add("pasid_cached_frozen", Index::dev, 0);
  frozen_mirror_ = add("frozen_mirror", Index::dev_addr, 0);
  frozen_mirror_frame_ = add("frozen_mirror_frame", Index::dev_addr, FB);
  frozen_mirror_w_ = add("frozen_mirror_w", Index::dev_addr, 0);
  if (slots_ > 1) {  // last, so that the one-slot layout is unchanged
    sl_ = add("slab_slots", Index::frame, 2);
    gsl_ = add("grant_slots", Index::dev_addr, 2);
    ib_ = add("iova_bounced", Index::dev, 0);
    iof_ = add("iova_orig_frame", Index::dev, FB);
    ios_ = add("iova_orig_slot", Index::dev, 1);
  }
}

const Layout& layout(Size size) {
  // The default size first: the compiled successor asks once per (state, input).
  constexpr auto make = [](Size sz) { return Layout(sz); };  // one type: one table of layouts
  static const Layout& standard = per_size<Layout>(Size{}, make);
  if (size == Size{}) return standard;
  return per_size<Layout>(size, make);
}

}  // namespace pasidcheck::solver::kcore
