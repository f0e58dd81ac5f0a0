// Strict JSON reading and writing of configs and traces (TRACE-FORMAT.md).
#include <fstream>
#include <set>
#include <sstream>

#include "model/json_read.h"
#include "model/trace.h"

namespace pasidcheck::model {
namespace {

using nlohmann::json;

// Binds the file name so that call sites read like the schema.
struct Reader {
  const std::string& file;
  [[noreturn]] void error(const std::string& path, const std::string& why) const {
    json_read::error(file, path, why);
  }
  void only(const json& j, const std::string& path, const std::set<std::string>& allowed) const {
    json_read::only(file, j, path, allowed);
  }
  int integer(const json& j, const std::string& path, int lo, int hi) const {
    return json_read::integer(file, j, path, lo, hi);
  }
  bool boolean(const json& j, const std::string& path) const {
    return json_read::boolean(file, j, path);
  }
  std::string string(const json& j, const std::string& path) const {
    return json_read::str(file, j, path);
  }
};

constexpr int kBig = 1 << 30;

Bounds parse_bounds(const Reader& r, const json& j, const std::string& path) {
  r.only(j, path,
         {"frames", "slots", "large", "vmalloc_pages", "text_pages", "iova_pages", "mms",
          "user_pages", "pasids", "iotlb_capacity", "prq_depth"});
  Bounds b;
  auto get = [&](const char* name, int& field) {
    if (j.contains(name)) field = r.integer(j[name], path + "." + name, -kBig, kBig);
  };
  get("frames", b.frames);
  get("slots", b.slots);
  get("large", b.large);
  get("vmalloc_pages", b.vmalloc_pages);
  get("text_pages", b.text_pages);
  get("iova_pages", b.iova_pages);
  get("mms", b.mms);
  get("user_pages", b.user_pages);
  get("pasids", b.pasids);
  get("iotlb_capacity", b.iotlb_capacity);
  get("prq_depth", b.prq_depth);
  return b;
}

DeviceAttrs parse_device(const Reader& r, const json& j, const std::string& path) {
  r.only(
      j, path,
      {"name", "external_facing", "satc", "rciep", "ats_capable", "pri_capable", "pasid_capable"});
  if (!j.contains("name")) r.error(path + ".name", "is required");
  DeviceAttrs d;
  d.name = r.string(j["name"], path + ".name");
  auto flag = [&](const char* name, bool& field) {
    if (j.contains(name)) field = r.boolean(j[name], path + "." + name);
  };
  flag("external_facing", d.external_facing);
  flag("satc", d.satc);
  flag("rciep", d.rciep);
  flag("ats_capable", d.ats_capable);
  flag("pri_capable", d.pri_capable);
  flag("pasid_capable", d.pasid_capable);
  return d;
}

}  // namespace

Config parse_config(const json& j, const std::string& file, const std::string& path) {
  const Reader r{file};
  r.only(j, path, {"preset", "knobs", "bounds", "devices"});
  Config c;
  if (!j.contains("preset"))
    r.error(path + ".preset", "is required (see `pasidcheck list presets`)");
  c.preset = r.string(j["preset"], path + ".preset");
  auto k = preset(c.preset);
  if (!k)
    r.error(path + ".preset", "unknown preset '" + c.preset + "' (see `pasidcheck list presets`)");
  c.knobs = *k;
  if (j.contains("knobs")) {
    const json& kj = j["knobs"];
    if (!kj.is_object()) r.error(path + ".knobs", "must be an object");
    for (const auto& [name, v] : kj.items()) {
      const std::string kp = path + ".knobs." + name;
      std::vector<std::string> values;
      if (v.is_string()) {
        values.push_back(v.get<std::string>());
      } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i)
          values.push_back(r.string(v[i], kp + "[" + std::to_string(i) + "]"));
        bool is_set = false;
        for (const auto& info : knob_table())
          if (info.name == name) is_set = info.is_set;
        if (!is_set && !knob_table().empty() && values.size() != 1)
          r.error(kp, "takes one string value, not an array");
      } else {
        r.error(kp, "must be a string (or an array of strings for a set); booleans are rejected");
      }
      if (auto err = set_knob(c.knobs, name, values)) r.error(kp, *err);
      c.knob_overrides.push_back({name, values});
    }
  }
  if (j.contains("bounds")) c.bounds = parse_bounds(r, j["bounds"], path + ".bounds");
  if (j.contains("devices")) {
    const json& dj = j["devices"];
    if (!dj.is_array()) r.error(path + ".devices", "must be an array");
    for (std::size_t i = 0; i < dj.size(); ++i)
      c.devices.push_back(parse_device(r, dj[i], path + ".devices[" + std::to_string(i) + "]"));
    c.devices_explicit = true;
  } else {
    c.devices = default_devices();
  }
  if (auto err = validate_config(c)) r.error(path, *err);
  if (auto err = check_bootable(c)) r.error(path, *err);
  return c;
}

json config_to_json(const Config& c) {
  json j;
  j["preset"] = c.preset;
  json knobs = json::object();
  for (const auto& [name, values] : c.knob_overrides) {
    const auto v = get_knob(c.knobs, name);
    bool is_set = false;
    for (const auto& info : knob_table())
      if (info.name == name) is_set = info.is_set;
    knobs[name] = is_set ? json(v) : json(v.at(0));
  }
  j["knobs"] = knobs;
  const Bounds& b = c.bounds;
  j["bounds"] = {{"frames", b.frames},
                 {"slots", b.slots},
                 {"large", b.large},
                 {"vmalloc_pages", b.vmalloc_pages},
                 {"text_pages", b.text_pages},
                 {"iova_pages", b.iova_pages},
                 {"mms", b.mms},
                 {"user_pages", b.user_pages},
                 {"pasids", b.pasids},
                 {"iotlb_capacity", b.iotlb_capacity},
                 {"prq_depth", b.prq_depth}};
  json devs = json::array();
  for (const auto& d : c.devices)
    devs.push_back({{"name", d.name},
                    {"external_facing", d.external_facing},
                    {"satc", d.satc},
                    {"rciep", d.rciep},
                    {"ats_capable", d.ats_capable},
                    {"pri_capable", d.pri_capable},
                    {"pasid_capable", d.pasid_capable}});
  j["devices"] = devs;
  return j;
}

}  // namespace pasidcheck::model
