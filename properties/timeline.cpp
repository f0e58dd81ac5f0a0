#include "properties/timeline.h"

#include <map>
#include <sstream>

#include "model/describe.h"
#include "properties/explain.h"
#include "properties/replay.h"

namespace pasidcheck::properties {
namespace {

using namespace model;

bool starts(const std::string& s, const char* p) {
  return s.rfind(p, 0) == 0;
}
bool has(const std::string& s, const char* p) {
  return s.find(p) != std::string::npos;
}

// The first `n` space-separated words of `s`.
std::string words(const std::string& s, int n) {
  std::size_t at = 0;
  for (int i = 0; i < n && at != std::string::npos; ++i) at = s.find(' ', at + (i ? 1 : 0));
  return at == std::string::npos ? s : s.substr(0, at);
}

// Which lane a fact (model::state_facts) belongs to.
std::string lane_of(const std::string& f) {
  if (starts(f, "iotlb[")) return "iotlb";
  if (starts(f, "psc[")) return "psc";
  if (starts(f, "devtlb[")) return "devtlb";
  if (starts(f, "pasid-cache[")) return "pasid-cache";
  if (starts(f, "page request")) return "prq";
  if (starts(f, "direct:") || starts(f, "vmalloc:") || starts(f, "block ") ||
      starts(f, "vmalloc group"))
    return "kpt";
  if (starts(f, "frame ")) return "frames";
  if (starts(f, "mm ")) return "mm";
  if (starts(f, "pasid ") || has(f, " entry: ") || has(f, " quiesced ")) return "pasid";
  return "grants";  // kva grant, mirror, iova:
}

// What identifies a fact across changes of its value: a cache entry's tag, a leaf's address, a
// device's PASID entry. Two facts with one key are one bar whose label changes.
std::string key_of(const std::string& f) {
  if (f[0] != 'p' || !starts(f, "page request")) {
    if (const auto b = f.find(']'); b != std::string::npos && f.find('[') < b)
      return f.substr(0, b + 1);  // caches: the tag
  }
  if (const auto e = f.find(" entry: "); e != std::string::npos) return f.substr(0, e);
  if (starts(f, "direct:") || starts(f, "vmalloc:")) return words(f, 1);
  if (starts(f, "block ") || starts(f, "frame ")) return words(f, 2);
  if (starts(f, "vmalloc group")) return words(f, 3);
  if (starts(f, "mm ")) return has(f, " user:") ? words(f, 3) : words(f, 2);
  if (starts(f, "pasid ")) return words(f, 2) + " owner";
  if (has(f, " kva grant ")) return words(f, 6);
  if (has(f, " mirror ")) return words(f, 5);
  if (has(f, " iova:")) return words(f, 2);
  return f;
}

bool says_stale(const std::string& label) {
  return has(label, "freed") || has(label, "(stale)") || has(label, "frozen") ||
         has(label, "queued for flush");
}

std::string pasid_word(int pasid) {
  return pasid == 0 ? "rid" : "pasid " + std::to_string(pasid);
}

// Does a violation's path (Violation::path, capability.cpp describe_path) go through the fact
// whose key is `key`? Cache entries are named by their tag; "PASID entry"/"cached PASID entry" is
// the device's PASID-table entry or its PASID-cache copy; a walk also goes through the leaf.
bool path_uses(const Model& m, const Violation& v, const std::string& key) {
  std::string path = v.path;
  if (path.empty()) return false;
  if (starts(path, "stale ")) path = path.substr(6);
  if (starts(path, key.c_str())) return true;
  const std::string dev = v.dev >= 0 ? m.device(v.dev).name : "";
  const std::string under = has(path, "cached PASID entry")
                                ? "pasid-cache[" + dev + ", " + pasid_word(v.pasid) + "]"
                                : dev + " " + pasid_word(v.pasid);
  if (v.dev >= 0 && v.pasid >= 0 && has(path, "PASID entry") && key == under) return true;
  if (starts(path, "walk of ") && key == words(path.substr(8), 1)) return true;
  if (starts(path, "paging-structure cache entry did ")) {  // "... did D <space> I"
    std::istringstream in(path.substr(33));
    std::string did, space, index;
    in >> did >> space >> index;
    return starts(key, ("psc[did " + did + ",").c_str()) && has(key, space.c_str()) &&
           key.size() > index.size() + 1 &&
           key.compare(key.size() - index.size() - 1, index.size() + 1, index + "]") == 0;
  }
  return false;
}

bool is_access(OpKind k) {
  return k == OpKind::dma || k == OpKind::ats_translate || k == OpKind::iommu_walk;
}

}  // namespace

const std::vector<std::string>& timeline_lanes() {
  static const std::vector<std::string> lanes{"op",          "kpt",   "frames", "pasid",
                                              "pasid-cache", "iotlb", "psc",    "devtlb",
                                              "grants",      "mm",    "prq",    "access"};
  return lanes;
}

nlohmann::json trace_timeline(const Trace& t) {
  using nlohmann::json;
  json out{{"name", t.name}, {"description", t.description}, {"variant", t.config.preset}};
  const ReplayResult r = replay(t);
  if (r.bad_input) out["bad_input"] = *r.bad_input;
  const Model m(t.config);
  State s = m.boot();
  struct Bar {
    std::string lane, key;
    int from, to = -2, stale = -2;
    json segments = json::array();
  };
  std::vector<Bar> bars;
  std::map<std::string, std::size_t> open;  // key -> bar index
  const int n = static_cast<int>(r.steps.size());
  auto observe = [&](int step, const std::vector<std::string>& facts) {
    std::map<std::string, std::string> now;
    for (const auto& f : facts) now[key_of(f)] = f;
    for (auto it = open.begin(); it != open.end();) {  // gone, or changed
      Bar& b = bars[it->second];
      const auto f = now.find(it->first);
      if (f == now.end()) {
        b.to = step;
        it = open.erase(it);
        continue;
      }
      if (b.segments.back()["label"] != f->second) {
        b.segments.push_back({{"from", step}, {"label", f->second}});
        if (says_stale(f->second) && b.stale == -2) b.stale = step;
      }
      now.erase(f);
      ++it;
    }
    for (const auto& [k, f] : now) {  // new
      open[k] = bars.size();
      Bar b{lane_of(f), k, step};
      b.segments.push_back({{"from", step}, {"label", f}});
      if (says_stale(f)) b.stale = step;
      bars.push_back(std::move(b));
    }
  };
  observe(-1, state_facts(m, s));
  json steps = json::array();
  auto violation_texts = [&](const std::vector<Violation>& vs) {
    json a = json::array();
    for (const auto& v : vs) a.push_back(describe(m, v));
    return a;
  };
  for (int i = 0; i < n; ++i) {
    const TraceStep& step = t.steps[static_cast<std::size_t>(i)];
    m.apply(s, step.op);  // replay() applied it: it applies
    observe(i, state_facts(m, s));
    const StepRecord& rec = r.steps[static_cast<std::size_t>(i)];
    const std::string op = describe_op(step.op, t.config), outcome = describe_outcome(rec.outcome);
    std::string sentence = "Step " + std::to_string(i) + ": " + op + " -> " + outcome + ".";
    if (rec.expect_mismatch) sentence += " Not as the trace expects: " + *rec.expect_mismatch + ".";
    if (!rec.violations.empty())
      sentence += " Then " + std::to_string(rec.violations.size()) + " propert" +
                  (rec.violations.size() == 1 ? "y is" : "ies are") + " broken.";
    steps.push_back({{"i", i},
                     {"op", op},
                     {"outcome", outcome},
                     {"sentence", sentence},
                     {"access", is_access(step.op.kind)},
                     {"violations", violation_texts(rec.violations)}});
  }
  // Staleness a property names (a translation wider than the tables, with no frame freed).
  auto mark_named = [&](int step, const std::vector<Violation>& vs) {
    for (Violation v : vs) {
      // The entry the access went through is stale, not the PASID entry it was under.
      if (const auto u = v.path.find(" under "); u != std::string::npos) v.path.resize(u);
      for (auto& b : bars)
        if (path_uses(m, v, b.key) &&
            (b.lane == "iotlb" || b.lane == "psc" || b.lane == "devtlb" ||
             b.lane == "pasid-cache") &&
            b.from <= step && (b.to == -2 || b.to > step) && (b.stale == -2 || b.stale > step))
          b.stale = step;
    }
  };
  mark_named(-1, r.initial_violations);
  for (int i = 0; i < n; ++i) mark_named(i, r.steps[static_cast<std::size_t>(i)].violations);
  std::string via;
  const Violation* first = nullptr;
  if (r.violated())
    for (const auto& v : r.first_violations)
      if (!v.path.empty()) {
        via = v.path;
        first = &v;
        break;
      }
  // The bars the path goes through, alive at the violating step.
  auto on_path = [&](const Bar& b) {
    return first && path_uses(m, *first, b.key) && b.from <= r.first_violation_step &&
           (b.to == -2 || b.to > r.first_violation_step);
  };
  json jb = json::array();
  for (const auto& b : bars) {
    // The kernel page table and the frames: only what changed (boot's untouched leaves are noise).
    const bool unchanged = b.from == -1 && b.to == -2 && b.segments.size() == 1 && b.stale == -2;
    if (unchanged && (b.lane == "kpt" || b.lane == "frames") && !on_path(b)) continue;
    jb.push_back({{"lane", b.lane},
                  {"key", b.key},
                  {"from", b.from},
                  {"to", b.to == -2 ? n : b.to},
                  {"stale", b.stale == -2 ? json(nullptr) : json(b.stale)},
                  {"via", on_path(b)},
                  {"segments", b.segments}});
  }
  out["steps"] = steps;
  out["bars"] = jb;
  out["initial_violations"] = violation_texts(r.initial_violations);
  out["violation_step"] = r.violated() ? json(r.first_violation_step) : json(nullptr);
  out["violations"] = violation_texts(r.first_violations);
  out["via"] = via;
  return out;
}

}  // namespace pasidcheck::properties
