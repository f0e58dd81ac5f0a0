#include "model/config.h"

#include <set>

namespace pasidcheck::model {

std::vector<DeviceAttrs> default_devices() {
  // MODEL.md §3.4: an integrated accelerator (SATC-listed RCiEP) and an external Thunderbolt port.
  return {{.name = "dsa0",
           .external_facing = false,
           .satc = true,
           .rciep = true,
           .ats_capable = true,
           .pri_capable = true,
           .pasid_capable = true},
          {.name = "tbt0",
           .external_facing = true,
           .satc = false,
           .rciep = false,
           .ats_capable = true,
           .pri_capable = false,
           .pasid_capable = true}};
}

std::optional<std::string> validate_config(const Config& c) {
  const Bounds& b = c.bounds;
  auto range = [](const char* name, int v, int lo, int hi) -> std::optional<std::string> {
    if (v < lo || v > hi)
      return std::string("bounds.") + name + " = " + std::to_string(v) + " is out of range [" +
             std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return std::nullopt;
  };
  for (auto err :
       {range("frames", b.frames, 1, kMaxFrames), range("slots", b.slots, 1, kMaxSlots),
        range("large", b.large, 1, 512), range("vmalloc_pages", b.vmalloc_pages, 0, kMaxPages),
        range("text_pages", b.text_pages, 0, kMaxPages),
        range("iova_pages", b.iova_pages, 0, kMaxPages), range("mms", b.mms, 0, 64),
        range("user_pages", b.user_pages, 0, kMaxPages), range("pasids", b.pasids, 1, kMaxPasids),
        range("iotlb_capacity", b.iotlb_capacity, 0, 1 << 20),
        range("prq_depth", b.prq_depth, 0, 64)}) {
    if (err) return err;
  }
  if (b.frames % b.large != 0) return "bounds.frames must be a multiple of bounds.large";
  if (b.text_pages > b.frames) return "bounds.text_pages exceeds bounds.frames";
  if (c.devices.empty()) return "devices: at least one device is needed";
  if (static_cast<int>(c.devices.size()) > kMaxDevices)
    return "devices: more than " + std::to_string(kMaxDevices) + " devices";
  std::set<std::string> names;
  for (std::size_t i = 0; i < c.devices.size(); ++i) {
    const auto& n = c.devices[i].name;
    if (n.empty()) return "devices[" + std::to_string(i) + "].name is empty";
    if (!names.insert(n).second)
      return "devices[" + std::to_string(i) + "].name '" + n + "' is a duplicate";
  }
  return std::nullopt;
}

// Linux: pci_dev->untrusted for external-facing ports; the stricter policy also wants the device
// listed in ACPI SATC or root-complex integrated (MODEL.md §5 `trust`).
bool is_trusted(const Knobs& k, const DeviceAttrs& d) {
  if (d.external_facing) return false;
  if (k.trust == TrustPolicy::untrusted_flag_satc) return d.satc || d.rciep;
  return true;
}

// pci_enable_ats() is skipped for untrusted devices since v5.0/v5.8 (MODEL.md §8.1).
bool ats_enabled(const Knobs& k, const DeviceAttrs& d) {
  if (!d.ats_capable) return false;
  switch (k.ats) {
    case AtsPolicy::all:
      return true;
    case AtsPolicy::trusted:
      return is_trusted(k, d);
    case AtsPolicy::none:
      return false;
  }
  return false;
}

bool pri_enabled(const Knobs& k, const DeviceAttrs& d) {
  return d.pri_capable && ats_enabled(k, d);
}

}  // namespace pasidcheck::model
