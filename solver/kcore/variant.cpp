#include <stdexcept>

#include "model/trace.h"
#include "properties/property.h"
#include "solver/kcore/kcore.h"

namespace pasidcheck::solver::kcore {

using namespace model;

using detail::check_size;
using detail::per_size;

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
  c.bounds = Bounds{.frames = size.frames,
                    .slots = size.slots,
                    .large = size.frames,  // one large block of all the frames
                    .vmalloc_pages = kVpages,
                    .text_pages = 0,
                    .iova_pages = 1,
                    .mms = 1,  // used by the sva rows only
                    .user_pages = 1,
                    .pasids = size.devices + 1,  // RID_PASID's 0, then d+1 for device d
                    .iotlb_capacity = 0,
                    .prq_depth = 1};
  return c;
}

const std::vector<std::string>& rows() {
  static const std::vector<std::string> r{"bypass/trusted", "bypass/untrusted", "iova/trusted",
                                          "iova/untrusted", "kva/trusted",      "kva/untrusted",
                                          "sva/trusted",    "sva/untrusted"};
  return r;
}

bool allowed(const Variant& v, const KInput& in) {
  if (!act_allowed(v, in.act)) return false;
  if (is_sva_act(in.act) && !is_mm_act(in.act)) return v.allow_sva[in.dev];
  if (in.act == kPasidEnable) return v.allow[in.mode][in.dev];
  if ((in.act == kSetMemD || in.act == kSetMemV) && (in.attr == kNp || in.attr == kP))
    return v.np_p;
  return true;
}

namespace {

// A kernel PASID's entry as kcore encodes it: the CPU kernel table (fast KVA, init_mm), a strict
// mirror, pass-through, or the device's DMA domain.
KRoot root_of(const EnableDecision& e) {
  if (e.refused) return KRoot::refused;
  switch (e.root) {
    case Root::kernel:
      return KRoot::kernel;
    case Root::mirror:
      return KRoot::mirror;
    case Root::passthrough:
      return KRoot::passthrough;
    case Root::dma:
      return KRoot::dma;
    case Root::none:
    case Root::sva:
      break;
  }
  throw std::logic_error("kcore: a kernel PASID with root " + std::to_string(int(e.root)));
}

}  // namespace

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
    // do_pasid_enable()'s decision for each mode (model::enable_decision), as kcore's roots.
    v.root[d] = root_of(enable_decision(m, d, Mode::kva));
    v.bypass_root[d] = root_of(enable_decision(m, d, Mode::bypass));
    v.iova_root[d] = root_of(enable_decision(m, d, Mode::iova));
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

std::vector<int> boot_vars(Size size, bool pagealloc) {
  // Model::boot() itself, projected: kcore restates no boot rule.
  Config base;
  base.knobs.debug_pagealloc = pagealloc;
  const Model m(make_config(base, size));
  std::vector<int> out;
  if (auto err = project(m, m.boot(), out))
    throw std::logic_error("kcore: the model's boot state is outside kcore: " + *err);
  return out;
}

const std::vector<std::string>& property_ids() {
  // Every property of the registry: kcore encodes each (kcore/properties.h, whose bad() rejects an
  // id it does not know; tests/kcore_z3_test.cpp evaluates every id on every differential step).
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> v;
    for (const auto& p : properties::registry()) v.push_back(p.id);
    return v;
  }();
  return ids;
}

}  // namespace pasidcheck::solver::kcore
