// Reading and writing trace steps: each op's arguments are checked against the op catalogue, so a
// field an op does not take is an error rather than silently ignored.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "model/json_read.h"
#include "model/trace.h"

namespace pasidcheck::model {
namespace {

using nlohmann::json;

using json_read::error;
using json_read::integer;
using json_read::str;

template <typename E>
E enumeration(const std::string& file, const json& j, const std::string& path, const char* what) {
  E out{};
  const std::string s = str(file, j, path);
  if (!parse(s, out)) error(file, path, "unknown " + std::string(what) + " '" + s + "'");
  return out;
}

Addr address(const std::string& file, const json& j, const std::string& path) {
  Addr a;
  const std::string s = str(file, j, path);
  if (!parse_addr(s, a))
    error(file, path,
          "'" + s +
              "' is not an address (space:page, space in iova, direct, vmalloc, text, user, phys)");
  return a;
}

// A PASID argument: >= 1, or null for RID_PASID where `nullable`.
int pasid_arg(const std::string& file, const json& j, const std::string& path, const Bounds& b,
              bool nullable) {
  if (j.is_null()) {
    if (!nullable) error(file, path, "this op needs a PASID (null means none)");
    return 0;
  }
  if (!j.is_number_integer()) error(file, path, "must be a PASID number or null");
  if (j.get<long long>() == 0)
    error(file, path, "0 is RID_PASID: write null for a request without PASID");
  return integer(file, j, path, 1, b.pasids - 1);
}

int device_arg(const std::string& file, const json& j, const std::string& path, const Config& c) {
  const std::string name = str(file, j, path);
  for (std::size_t i = 0; i < c.devices.size(); ++i)
    if (c.devices[i].name == name) return static_cast<int>(i);
  error(file, path, "unknown device '" + name + "'");
}

std::vector<int> frame_list(const std::string& file, const json& j, const std::string& path,
                            int frames) {
  std::vector<int> out;
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      out.push_back(integer(file, j[i], path + "[" + std::to_string(i) + "]", 0, frames - 1));
  } else {
    out.push_back(integer(file, j, path, 0, frames - 1));
  }
  return out;
}

bool nullable_pasid(OpKind k) {
  return k == OpKind::dma || k == OpKind::ats_translate || k == OpKind::dma_translated ||
         k == OpKind::iommu_walk;
}

int page_limit(const Bounds& b, OpKind k) {
  return k == OpKind::vmalloc || k == OpKind::vfree ? b.vmalloc_pages : b.user_pages;
}

void parse_arg(const std::string& file, const json& v, const std::string& path, Arg a, Op& op,
               const Config& c) {
  const Bounds& b = c.bounds;
  switch (a) {
    case Arg::dev:
      op.dev = device_arg(file, v, path, c);
      break;
    case Arg::pasid:
      op.pasid = pasid_arg(file, v, path, b, nullable_pasid(op.kind));
      break;
    case Arg::mode:
      op.mode = enumeration<Mode>(file, v, path, "mode");
      break;
    case Arg::frame:
      op.frame = integer(file, v, path, 0, b.frames - 1);
      break;
    case Arg::slot:
      op.slot = integer(file, v, path, 0, b.slots - 1);
      break;
    case Arg::slots:
      if (!v.is_array()) error(file, path, "must be an array of slot numbers");
      for (std::size_t i = 0; i < v.size(); ++i)
        op.slots.push_back(
            integer(file, v[i], path + "[" + std::to_string(i) + "]", 0, b.slots - 1));
      break;
    case Arg::page:
      op.page = integer(file, v, path, 0, std::max(0, page_limit(b, op.kind) - 1));
      break;
    case Arg::table_frame:
      op.table_frames = frame_list(file, v, path, b.frames);
      break;
    case Arg::alias_table_frame:
      op.alias_table_frames = frame_list(file, v, path, b.frames);
      break;
    case Arg::addr:
      op.addr = address(file, v, path);
      break;
    case Arg::count:
      op.count = integer(file, v, path, 1, 1 << 20);
      break;
    case Arg::attr:
      op.attr = enumeration<Attr>(file, v, path, "attr");
      break;
    case Arg::dir:
      op.dir = enumeration<Dir>(file, v, path, "dir");
      break;
    case Arg::prot: {
      const std::string s = str(file, v, path);
      if (!parse(s, op.prot)) error(file, path, "unknown prot '" + s + "' (r or rw)");
      break;
    }
    case Arg::priv:
      op.priv = enumeration<Priv>(file, v, path, "priv");
      break;
    case Arg::access:
      op.access = enumeration<Access>(file, v, path, "access");
      break;
    case Arg::mm:
      op.mm = integer(file, v, path, 0, b.mms - 1);
      break;
    case Arg::w:
      if (!v.is_boolean()) error(file, path, "must be true or false");
      op.w = v.get<bool>();
      break;
    case Arg::group:
      op.group = integer(file, v, path, 0, 63);
      break;
    case Arg::iova: {
      const Addr ia = address(file, v, path);
      if (ia.space != Space::iova) error(file, path, "must be an iova:N address");
      if (ia.page >= b.iova_pages)
        error(file, path,
              "iova page is outside the domain (" + std::to_string(b.iova_pages) + " pages)");
      op.iova = ia.page;
      break;
    }
    case Arg::bounce_frame:
      op.bounce_frame = integer(file, v, path, 0, b.frames - 1);
      break;
    case Arg::entry: {
      if (!v.is_object()) error(file, path, "must be an object {cache, dev, pasid, addr}");
      for (const auto& [k, x] : v.items())
        if (k != "cache" && k != "dev" && k != "pasid" && k != "addr" && k != "large")
          error(file, path + "." + k, "unknown field");
      if (!v.contains("cache") || !v.contains("dev")) error(file, path, "needs cache and dev");
      op.entry.cache = enumeration<CacheKind>(file, v["cache"], path + ".cache", "cache");
      op.entry.dev = device_arg(file, v["dev"], path + ".dev", c);
      op.entry.pasid =
          v.contains("pasid") ? pasid_arg(file, v["pasid"], path + ".pasid", b, true) : 0;
      if (v.contains("addr")) {
        op.entry.addr = address(file, v["addr"], path + ".addr");
        op.entry.has_addr = true;
      }
      if (v.contains("large")) {
        // MODEL.md §8.26: the block entry covering addr, a key of its own.
        if (!v["large"].is_boolean()) error(file, path + ".large", "must be true or false");
        op.entry.large = v["large"].get<bool>();
        if (op.entry.large && (op.entry.cache != CacheKind::iotlb || !op.entry.has_addr ||
                               op.entry.addr.space != Space::direct))
          error(file, path + ".large",
                "names a large IOTLB entry: needs cache \"iotlb\" and a direct: addr");
      }
      break;
    }
  }
}

void check_addr_bounds(const std::string& file, const std::string& path, const Addr& a,
                       const Config& c) {
  const Model m(c);
  if (a.page >= m.space_size(a.space))
    error(file, path,
          to_string(a) + " is outside its space (" + std::to_string(m.space_size(a.space)) +
              " pages)");
}

Op parse_op(const std::string& file, const json& j, const std::string& path, const Config& c,
            std::optional<StepExpect>& expect) {
  if (!j.is_object()) error(file, path, "a step must be an object");
  if (!j.contains("op")) error(file, path + ".op", "is required");
  Op op;
  const std::string name = str(file, j["op"], path + ".op");
  if (!parse(name, op.kind))
    error(file, path + ".op", "unknown op '" + name + "' (see `pasidcheck list ops`)");
  const OpSpec& spec = op_spec(op.kind);
  std::set<std::string> seen;
  for (const auto& [k, v] : j.items()) {
    if (k == "op") continue;
    if (k == "expect") continue;
    Arg a;
    const bool known = parse(k, a);
    const bool takes =
        known && (std::find(spec.required.begin(), spec.required.end(), a) != spec.required.end() ||
                  std::find(spec.optional.begin(), spec.optional.end(), a) != spec.optional.end());
    if (!takes) error(file, path + "." + k, "unknown field for op '" + name + "'");
    parse_arg(file, v, path + "." + k, a, op, c);
    seen.insert(k);
  }
  for (Arg a : spec.required)
    if (!seen.count(to_string(a)))
      error(file, path + "." + to_string(a), "is required by op '" + name + "'");
  if (seen.count("addr")) check_addr_bounds(file, path + ".addr", op.addr, c);
  if (op.entry.has_addr) check_addr_bounds(file, path + ".entry.addr", op.entry.addr, c);
  if (j.contains("expect")) {
    const json& e = j["expect"];
    const std::string ep = path + ".expect";
    if (!e.is_object()) error(file, ep, "must be an object");
    StepExpect x;
    for (const auto& [k, v] : e.items()) {
      const std::string kp = ep + "." + k;
      if (k == "result")
        x.result = enumeration<Result>(file, v, kp, "result");
      else if (k == "frame")
        x.frame = integer(file, v, kp, 0, c.bounds.frames - 1);
      else if (k == "submode")
        x.submode = enumeration<Submode>(file, v, kp, "submode");
      else if (k == "fault_reason")
        x.fault_reason = enumeration<FaultReason>(file, v, kp, "fault reason");
      else if (k == "iova") {
        const Addr ia = address(file, v, kp);
        if (ia.space != Space::iova) error(file, kp, "must be an iova:N address");
        x.iova = ia.page;
      } else if (k == "pasid")
        x.pasid = integer(file, v, kp, 1, c.bounds.pasids - 1);
      else if (k == "via")
        x.via = enumeration<Via>(file, v, kp, "via");
      else if (k == "group")
        x.group = integer(file, v, kp, 0, 63);
      else
        error(file, kp, "unknown field");
    }
    expect = x;
  }
  return op;
}

json pasid_json(int p) {
  return p == 0 ? json(nullptr) : json(p);
}

json frames_json(const std::vector<int>& v, bool scalar_ok) {
  if (scalar_ok && v.size() == 1) return v[0];
  return json(v);
}

}  // namespace

json op_to_json(const Op& op, const Config& c) {
  json j;
  j["op"] = to_string(op.kind);
  const OpSpec& spec = op_spec(op.kind);
  auto put = [&](Arg a, bool optional) {
    const std::string k = to_string(a);
    switch (a) {
      case Arg::dev:
        j[k] = c.devices.at(op.dev).name;
        break;
      case Arg::pasid:
        if (!optional || op.pasid != 0) j[k] = pasid_json(op.pasid);
        break;
      case Arg::mode:
        j[k] = to_string(op.mode);
        break;
      case Arg::frame:
        if (!optional || op.frame >= 0) j[k] = op.frame;
        break;
      case Arg::slot:
        j[k] = op.slot;
        break;
      case Arg::slots:
        j[k] = op.slots;
        break;
      case Arg::page:
        j[k] = op.page;
        break;
      case Arg::table_frame:
        if (!op.table_frames.empty()) j[k] = frames_json(op.table_frames, true);
        break;
      case Arg::alias_table_frame:
        if (!op.alias_table_frames.empty()) j[k] = frames_json(op.alias_table_frames, true);
        break;
      case Arg::addr:
        j[k] = to_string(op.addr);
        break;
      case Arg::count:
        j[k] = op.count;
        break;
      case Arg::attr:
        j[k] = to_string(op.attr);
        break;
      case Arg::dir:
        j[k] = to_string(op.dir);
        break;
      case Arg::prot:
        j[k] = to_string(op.prot);
        break;
      case Arg::priv:
        if (!optional || op.priv != Priv::user) j[k] = to_string(op.priv);
        break;
      case Arg::access:
        j[k] = to_string(op.access);
        break;
      case Arg::mm:
        j[k] = op.mm;
        break;
      case Arg::w:
        j[k] = op.w;
        break;
      case Arg::group:
        if (!optional || op.group >= 0) j[k] = op.group;
        break;
      case Arg::iova:
        j[k] = "iova:" + std::to_string(op.iova);
        break;
      case Arg::bounce_frame:
        if (op.bounce_frame >= 0) j[k] = op.bounce_frame;
        break;
      case Arg::entry: {
        json e{{"cache", to_string(op.entry.cache)},
               {"dev", c.devices.at(op.entry.dev).name},
               {"pasid", pasid_json(op.entry.pasid)}};
        if (op.entry.has_addr) e["addr"] = to_string(op.entry.addr);
        if (op.entry.large) e["large"] = true;
        j[k] = e;
        break;
      }
    }
  };
  for (Arg a : spec.required) put(a, false);
  for (Arg a : spec.optional) put(a, true);
  return j;
}

Trace parse_trace(const json& j, const std::string& file) {
  if (!j.is_object()) error(file, "", "a trace must be a JSON object");
  for (const auto& [k, v] : j.items())
    if (k != "format" && k != "version" && k != "name" && k != "description" && k != "config" &&
        k != "steps" && k != "expect")
      error(file, k, "unknown field");
  if (!j.contains("format") || j["format"] != "pasidcheck-trace")
    error(file, "format", "must be \"pasidcheck-trace\"");
  if (!j.contains("version") || j["version"] != 1) error(file, "version", "must be 1");
  Trace t;
  if (j.contains("name")) t.name = str(file, j["name"], "name");
  if (j.contains("description")) t.description = str(file, j["description"], "description");
  if (!j.contains("config")) error(file, "config", "is required");
  t.config = parse_config(j["config"], file, "config");
  if (!j.contains("steps") || !j["steps"].is_array())
    error(file, "steps", "is required and must be an array");
  const json& steps = j["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    TraceStep s;
    s.op = parse_op(file, steps[i], "steps[" + std::to_string(i) + "]", t.config, s.expect);
    t.steps.push_back(std::move(s));
  }
  if (j.contains("expect")) {
    const json& e = j["expect"];
    if (!e.is_object()) error(file, "expect", "must be an object");
    for (const auto& [k, v] : e.items())
      if (k != "verdict" && k != "property" && k != "step" && k != "properties")
        error(file, "expect." + k, "unknown field");
    TraceExpect x;
    if (!e.contains("verdict")) error(file, "expect.verdict", "is required");
    x.verdict = str(file, e["verdict"], "expect.verdict");
    if (x.verdict != "holds" && x.verdict != "violated")
      error(file, "expect.verdict", "must be \"holds\" or \"violated\"");
    if (x.verdict == "violated") {
      if (!e.contains("property") || !e.contains("step"))
        error(file, "expect", "a violated verdict needs property and step");
      x.property = str(file, e["property"], "expect.property");
      x.step = integer(file, e["step"], "expect.step", -1, static_cast<int>(steps.size()) - 1);
    } else if (e.contains("property") || e.contains("step")) {
      error(file, "expect", "a holds verdict takes no property or step");
    }
    if (e.contains("properties")) {
      if (!e["properties"].is_array())
        error(file, "expect.properties", "must be an array of property ids");
      for (std::size_t i = 0; i < e["properties"].size(); ++i)
        x.properties.push_back(
            str(file, e["properties"][i], "expect.properties[" + std::to_string(i) + "]"));
    }
    t.expect = x;
  }
  return t;
}

Trace load_trace(const std::string& path) {
  return parse_trace(parse_json_text(read_input_file(path), path), path);
}

json trace_to_json(const Trace& t) {
  json j;
  j["format"] = "pasidcheck-trace";
  j["version"] = 1;
  if (!t.name.empty()) j["name"] = t.name;
  if (!t.description.empty()) j["description"] = t.description;
  j["config"] = config_to_json(t.config);
  json steps = json::array();
  for (const auto& s : t.steps) {
    json o = op_to_json(s.op, t.config);
    if (s.expect) {
      json e = json::object();
      const StepExpect& x = *s.expect;
      if (x.result) e["result"] = to_string(*x.result);
      if (x.frame) e["frame"] = *x.frame;
      if (x.submode) e["submode"] = to_string(*x.submode);
      if (x.fault_reason) e["fault_reason"] = to_string(*x.fault_reason);
      if (x.iova) e["iova"] = "iova:" + std::to_string(*x.iova);
      if (x.pasid) e["pasid"] = *x.pasid;
      if (x.via) e["via"] = to_string(*x.via);
      if (x.group) e["group"] = *x.group;
      o["expect"] = e;
    }
    steps.push_back(o);
  }
  j["steps"] = steps;
  if (t.expect) {
    json e{{"verdict", t.expect->verdict}};
    if (t.expect->verdict == "violated") {
      e["property"] = t.expect->property;
      e["step"] = t.expect->step;
    }
    if (!t.expect->properties.empty()) e["properties"] = t.expect->properties;
    j["expect"] = e;
  }
  return j;
}

std::optional<std::string> check_expect(const StepExpect& e, const Outcome& o) {
  auto mismatch = [](const char* field, const std::string& want, const std::string& got) {
    return std::string(field) + ": expected " + want + ", got " + got;
  };
  auto num = [](int v) { return v < 0 ? std::string("none") : std::to_string(v); };
  if (e.result && *e.result != o.result)
    return mismatch("result", to_string(*e.result), to_string(o.result));
  if (e.frame && *e.frame != o.frame) return mismatch("frame", num(*e.frame), num(o.frame));
  if (e.submode && *e.submode != o.submode)
    return mismatch("submode", to_string(*e.submode), to_string(o.submode));
  if (e.fault_reason && *e.fault_reason != o.fault)
    return mismatch("fault_reason", to_string(*e.fault_reason), to_string(o.fault));
  if (e.iova && *e.iova != o.iova) return mismatch("iova", num(*e.iova), num(o.iova));
  if (e.pasid && *e.pasid != o.pasid) return mismatch("pasid", num(*e.pasid), num(o.pasid));
  if (e.via && *e.via != o.via) return mismatch("via", to_string(*e.via), to_string(o.via));
  if (e.group && *e.group != o.group) return mismatch("group", num(*e.group), num(o.group));
  return std::nullopt;
}

std::string describe_outcome(const Outcome& o) {
  std::string s = to_string(o.result);
  if (o.result == Result::fault || o.result == Result::refused) s += " " + to_string(o.fault);
  if (o.frame >= 0) s += " frame " + std::to_string(o.frame);
  if (o.via != Via::none) s += " via " + to_string(o.via);
  if (o.submode != Submode::none) s += " " + to_string(o.submode);
  if (o.pasid >= 0) s += " pasid " + std::to_string(o.pasid);
  if (o.iova >= 0) s += " iova:" + std::to_string(o.iova);
  if (o.group >= 0) s += " group " + std::to_string(o.group);
  return s;
}

}  // namespace pasidcheck::model
