// Design knobs and presets (MODEL.md §5). A variant is a Knobs value; presets and the generated
// revamp knock-outs are named Knobs values. The knob table drives parsing, printing and
// `pasidcheck list knobs`, so a knob is described once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pasidcheck::model {

enum class KernelPasid : std::uint8_t { init_mm_sva, modes, dma_api };
enum class FastFor : std::uint8_t { none, trusted, all };
enum class KvaRange : std::uint8_t { any, direct_map };
enum class IovaFlush : std::uint8_t { strict, lazy, lazy_trusted };
enum class TrustPolicy : std::uint8_t { untrusted_flag, untrusted_flag_satc };
enum class AtsPolicy : std::uint8_t { all, trusted, none };
enum class BypassFor : std::uint8_t { trusted, all };
enum class Teardown : std::uint8_t { full, no_drain, no_devtlb, free_first };

// Kernel page-table notifier events (MODEL.md §8.4), a bit set.
enum NotifierEvent : std::uint8_t {
  kNotifyCpa = 1,
  kNotifyAlias = 2,
  kNotifyPagealloc = 4,
  kNotifyVfree = 8,
  kNotifyPtfree = 16,
  kNotifyPtcollapse = 32,
  kNotifyAll = 63
};

struct Knobs {
  KernelPasid kernel_pasid = KernelPasid::dma_api;
  FastFor kva_fast_for = FastFor::trusted;
  std::uint8_t kpt_notifier = 0;
  bool cpa_alias = true;
  KvaRange kva_range = KvaRange::any;
  bool kva_page_aligned_untrusted = false;
  IovaFlush iova_flush = IovaFlush::lazy_trusted;
  bool bounce_untrusted = true;
  TrustPolicy trust = TrustPolicy::untrusted_flag;
  AtsPolicy ats = AtsPolicy::trusted;
  BypassFor bypass_for = BypassFor::trusted;
  Teardown teardown = Teardown::full;
  bool sva_notifier = true;
  bool sva = true;
  bool debug_pagealloc = false;
  bool wpe = true;
  bool operator==(const Knobs&) const = default;
};

struct KnobInfo {
  std::string name;
  std::string meaning;
  std::vector<std::string> values;  // allowed values (elements, for the set-valued kpt_notifier)
  bool is_set = false;
};

const std::vector<KnobInfo>& knob_table();

// Set a knob from its JSON/CLI value. Returns an error message, or nothing on success.
std::optional<std::string> set_knob(Knobs& k, const std::string& name,
                                    const std::vector<std::string>& values);
// The knob's current value (a set prints as its element list).
std::vector<std::string> get_knob(const Knobs& k, const std::string& name);

struct PresetInfo {
  std::string name;
  std::string meaning;
};
// The five presets and the revamp knock-outs, in the order the verdict table shows them.
const std::vector<PresetInfo>& preset_table();
std::optional<Knobs> preset(const std::string& name);

}  // namespace pasidcheck::model
