// The bounded universe (MODEL.md §2): sizes, devices with their trust attributes, and the variant.
// A Config is validated once (validate_config) so that the ops can index arrays without checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/knobs.h"

namespace pasidcheck::model {

struct Bounds {
  int frames = 8;
  int slots = 2;
  int large = 2;
  int vmalloc_pages = 2;
  int text_pages = 0;
  int iova_pages = 2;
  int mms = 1;
  int user_pages = 2;
  int pasids = 3;
  int iotlb_capacity = 0;
  int prq_depth = 2;
  bool operator==(const Bounds&) const = default;
};

// MODEL.md §3.4 device attributes.
struct DeviceAttrs {
  std::string name;
  bool external_facing = false;
  bool satc = false;
  bool rciep = false;
  bool ats_capable = false;
  bool pri_capable = false;
  bool pasid_capable = false;
  bool operator==(const DeviceAttrs&) const = default;
};

struct Config {
  std::string preset = "linux-6.12";
  Knobs knobs;
  std::vector<std::pair<std::string, std::vector<std::string>>> knob_overrides;  // as written
  Bounds bounds;
  std::vector<DeviceAttrs> devices;
  bool devices_explicit = false;
};

std::vector<DeviceAttrs> default_devices();

// Largest sizes the executable model accepts (memory stays bounded; see docs/model.md).
inline constexpr int kMaxFrames = 1 << 16;
inline constexpr int kMaxSlots = 32;
inline constexpr int kMaxPasids = 1 << 12;
inline constexpr int kMaxDevices = 256;
inline constexpr int kMaxPages = 1 << 16;

// The slot mask of a whole frame.
inline std::uint32_t all_slots(const Bounds& b) {
  return b.slots >= 32 ? 0xffffffffu : ((1u << b.slots) - 1);
}

// Returns an error (with the bounds field name) or nothing.
std::optional<std::string> validate_config(const Config& c);

// Trust policy (MODEL.md §5 `trust`) and enablement (§8.1).
bool is_trusted(const Knobs& k, const DeviceAttrs& d);
bool ats_enabled(const Knobs& k, const DeviceAttrs& d);
bool pri_enabled(const Knobs& k, const DeviceAttrs& d);

}  // namespace pasidcheck::model
