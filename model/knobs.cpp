#include "model/knobs.h"

#include <algorithm>
#include <functional>
#include <map>

namespace pasidcheck::model {
namespace {

const std::vector<std::string> kNotifierNames{"cpa",   "alias",  "pagealloc",
                                              "vfree", "ptfree", "ptcollapse"};

template <typename E>
struct EnumKnob {
  std::vector<std::string> names;
  E Knobs::*field;
};

struct Accessor {
  std::function<bool(Knobs&, const std::vector<std::string>&)> set;
  std::function<std::vector<std::string>(const Knobs&)> get;
};

template <typename E>
Accessor enum_accessor(E Knobs::*field, std::vector<std::string> names) {
  return {[field, names](Knobs& k, const std::vector<std::string>& v) {
            if (v.size() != 1) return false;
            auto it = std::find(names.begin(), names.end(), v[0]);
            if (it == names.end()) return false;
            k.*field = static_cast<E>(it - names.begin());
            return true;
          },
          [field, names](const Knobs& k) {
            return std::vector<std::string>{names.at(static_cast<std::size_t>(k.*field))};
          }};
}

Accessor bool_accessor(bool Knobs::*field) {
  return enum_accessor<bool>(field, {"off", "on"});
}

Accessor notifier_accessor() {
  return {[](Knobs& k, const std::vector<std::string>& v) {
            std::uint8_t bits = 0;
            for (const auto& e : v) {
              auto it = std::find(kNotifierNames.begin(), kNotifierNames.end(), e);
              if (it == kNotifierNames.end()) return false;
              bits |= static_cast<std::uint8_t>(1u << (it - kNotifierNames.begin()));
            }
            k.kpt_notifier = bits;
            return true;
          },
          [](const Knobs& k) {
            std::vector<std::string> out;
            for (std::size_t i = 0; i < kNotifierNames.size(); ++i)
              if (k.kpt_notifier & (1u << i)) out.push_back(kNotifierNames[i]);
            return out;
          }};
}

struct KnobDef {
  KnobInfo info;
  Accessor access;
};

const std::vector<KnobDef>& defs() {
  static const std::vector<KnobDef> table = [] {
    std::vector<KnobDef> t;
    auto add_enum = [&t](auto field, std::string name, std::string meaning,
                         std::vector<std::string> values) {
      t.push_back({{name, meaning, values, false}, enum_accessor(field, values)});
    };
    auto add_bool = [&t](bool Knobs::*field, std::string name, std::string meaning) {
      t.push_back({{name, meaning, {"on", "off"}, false}, bool_accessor(field)});
    };
    add_enum(&Knobs::kernel_pasid, "kernel_pasid",
             "2021 code binds init_mm as supervisor SVA / the proposal's three modes / what "
             "Linux merged (DMA or identity domain on a PASID, kva refused)",
             {"init_mm_sva", "modes", "dma_api"});
    add_enum(&Knobs::kva_fast_for, "kva_fast_for",
             "which devices get fast KVA (share the CPU kernel table); the rest get strict",
             {"none", "trusted", "all"});
    t.push_back({{"kpt_notifier",
                  "which kernel page-table updates reach the IOMMU (invalidate kernel-table "
                  "walkers, update strict mirrors); Linux 6.12: none",
                  kNotifierNames, true},
                 notifier_accessor()});
    add_bool(&Knobs::cpa_alias, "cpa_alias",
             "change_page_attr also changes the direct-map alias of a vmalloc page (Linux: on)");
    add_enum(&Knobs::kva_range, "kva_range", "which kernel addresses strict kva_map accepts",
             {"any", "direct_map"});
    add_bool(&Knobs::kva_page_aligned_untrusted, "kva_page_aligned_untrusted",
             "strict kva_map refuses sub-page buffers for untrusted devices");
    add_enum(&Knobs::iova_flush, "iova_flush",
             "DMA-domain invalidation policy (Linux: lazy for trusted, strict for untrusted)",
             {"strict", "lazy", "lazy_trusted"});
    add_bool(&Knobs::bounce_untrusted, "bounce_untrusted",
             "sub-page DMA buffers of untrusted devices are bounced (Linux: on)");
    add_enum(&Knobs::trust, "trust", "trusted = not external-facing; or also require SATC or RCIEP",
             {"untrusted_flag", "untrusted_flag_satc"});
    add_enum(&Knobs::ats, "ats", "on which ATS-capable devices ATS is enabled (Linux: trusted)",
             {"all", "trusted", "none"});
    add_enum(&Knobs::bypass_for, "bypass_for", "who may get a pass-through PASID",
             {"trusted", "all"});
    add_enum(&Knobs::teardown, "teardown",
             "PASID teardown order: full = quiesce, clear, PASID-cache inv, IOTLB+PSC inv, "
             "device-TLB inv, drain, free",
             {"full", "no_drain", "no_devtlb", "free_first"});
    add_bool(&Knobs::sva_notifier, "sva_notifier",
             "user page-table changes invalidate SVA PASIDs (the mmu notifier)");
    add_bool(&Knobs::sva, "sva", "user SVA binding allowed (x86 6.12.117 stop-gap: off)");
    add_bool(&Knobs::debug_pagealloc, "debug_pagealloc",
             "CONFIG_DEBUG_PAGEALLOC: free pages are unmapped from the direct map");
    add_bool(&Knobs::wpe, "wpe", "supervisor requests honour W in SRE PASID entries (VT-d WPE)");
    return t;
  }();
  return table;
}

const KnobDef* find_def(const std::string& name) {
  for (const auto& d : defs())
    if (d.info.name == name) return &d;
  return nullptr;
}

Knobs revamp() {
  Knobs k;
  k.kernel_pasid = KernelPasid::modes;
  k.kva_fast_for = FastFor::trusted;
  k.kpt_notifier = kNotifyAll;
  k.kva_range = KvaRange::direct_map;
  k.kva_page_aligned_untrusted = true;
  k.iova_flush = IovaFlush::strict;
  k.ats = AtsPolicy::trusted;
  k.bounce_untrusted = true;
  k.teardown = Teardown::full;
  k.trust = TrustPolicy::untrusted_flag_satc;
  k.wpe = true;
  return k;
}

struct Preset {
  PresetInfo info;
  std::function<Knobs()> make;
};

const std::vector<Preset>& presets() {
  static const std::vector<Preset> table = [] {
    std::vector<Preset> t;
    t.push_back({{"legacy-2021", "the 2021 code: init_mm bound as a supervisor SVA PASID"}, [] {
                   Knobs k;
                   k.kernel_pasid = KernelPasid::init_mm_sva;
                   return k;
                 }});
    t.push_back({{"linux-6.12", "what Linux merged, before the x86 SVA stop-gap"}, [] {
                   Knobs k;
                   k.kernel_pasid = KernelPasid::dma_api;
                   return k;
                 }});
    t.push_back({{"linux-fixed", "linux-6.12 plus the 2025 kernel page-table free notifier"}, [] {
                   Knobs k;
                   k.kpt_notifier = kNotifyPtfree;
                   return k;
                 }});
    t.push_back({{"proposal-2021", "the slides as written: three modes, no notifier"}, [] {
                   Knobs k;
                   k.kernel_pasid = KernelPasid::modes;
                   k.kva_range = KvaRange::direct_map;
                   return k;
                 }});
    t.push_back({{"revamp", "the proposal with every mitigation"}, revamp});
    auto knock = [&t](std::string suffix, std::string meaning, std::function<void(Knobs&)> f) {
      t.push_back({{"revamp-" + suffix, "revamp without: " + meaning}, [f] {
                     Knobs k = revamp();
                     f(k);
                     return k;
                   }});
    };
    const std::vector<std::pair<std::string, std::uint8_t>> events{
        {"cpa", kNotifyCpa},     {"alias", kNotifyAlias},   {"pagealloc", kNotifyPagealloc},
        {"vfree", kNotifyVfree}, {"ptfree", kNotifyPtfree}, {"ptcollapse", kNotifyPtcollapse}};
    for (const auto& [name, bit] : events) {
      const std::uint8_t b = bit;
      knock("no-" + name, "the " + name + " kernel page-table notifier event",
            [b](Knobs& k) { k.kpt_notifier &= static_cast<std::uint8_t>(~b); });
    }
    knock("no-kva-range", "kva_range=direct_map", [](Knobs& k) { k.kva_range = KvaRange::any; });
    knock("no-kva-aligned", "kva_page_aligned_untrusted",
          [](Knobs& k) { k.kva_page_aligned_untrusted = false; });
    knock("lazy", "strict IOTLB flushing (iova_flush=lazy)",
          [](Knobs& k) { k.iova_flush = IovaFlush::lazy; });
    knock("ats-all", "ATS for trusted devices only (ats=all)",
          [](Knobs& k) { k.ats = AtsPolicy::all; });
    knock("no-bounce", "bounce buffers for untrusted devices",
          [](Knobs& k) { k.bounce_untrusted = false; });
    knock("bypass-all", "bypass for trusted devices only (bypass_for=all)",
          [](Knobs& k) { k.bypass_for = BypassFor::all; });
    knock("no-drain", "page-request draining at teardown",
          [](Knobs& k) { k.teardown = Teardown::no_drain; });
    knock("no-devtlb", "device-TLB invalidation at teardown",
          [](Knobs& k) { k.teardown = Teardown::no_devtlb; });
    knock("free-first", "the teardown order (PASID freed first, no invalidation)",
          [](Knobs& k) { k.teardown = Teardown::free_first; });
    knock("no-wpe", "supervisor write protection (wpe=off)", [](Knobs& k) { k.wpe = false; });
    knock("trust-flag", "SATC/RCIEP in the trust policy (trust=untrusted_flag)",
          [](Knobs& k) { k.trust = TrustPolicy::untrusted_flag; });
    return t;
  }();
  return table;
}

}  // namespace

const std::vector<KnobInfo>& knob_table() {
  static const std::vector<KnobInfo> infos = [] {
    std::vector<KnobInfo> v;
    for (const auto& d : defs()) v.push_back(d.info);
    return v;
  }();
  return infos;
}

std::optional<std::string> set_knob(Knobs& k, const std::string& name,
                                    const std::vector<std::string>& values) {
  const KnobDef* d = find_def(name);
  if (!d) return "unknown knob '" + name + "' (see `pasidcheck list knobs`)";
  if (!d->info.is_set && values.size() != 1) return "knob '" + name + "' takes one string value";
  if (!d->access.set(k, values)) {
    std::string allowed;
    for (const auto& v : d->info.values) allowed += (allowed.empty() ? "" : ", ") + v;
    return "bad value for knob '" + name + "' (allowed: " + allowed + ")";
  }
  return std::nullopt;
}

std::vector<std::string> get_knob(const Knobs& k, const std::string& name) {
  const KnobDef* d = find_def(name);
  return d ? d->access.get(k) : std::vector<std::string>{};
}

const std::vector<PresetInfo>& preset_table() {
  static const std::vector<PresetInfo> infos = [] {
    std::vector<PresetInfo> v;
    for (const auto& p : presets()) v.push_back(p.info);
    return v;
  }();
  return infos;
}

std::optional<Knobs> preset(const std::string& name) {
  for (const auto& p : presets())
    if (p.info.name == name) return p.make();
  return std::nullopt;
}

}  // namespace pasidcheck::model
