#include "cli/import_ftrace.h"

#include <charconv>
#include <set>
#include <sstream>
#include <unordered_map>

#include "fuzz/minimize.h"
#include "model/model.h"
#include "properties/explain.h"
#include "properties/replay.h"

namespace pasidcheck::cli {

using namespace model;

namespace {

constexpr int kPage = 4096;
const char* const kDevice = "vda";

// One ftrace line: `TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS`.
struct Event {
  int line = 0;
  double time = 0;
  std::string kind;  // map, unmap, qi_submit, mm_page_alloc, mm_page_free, or another event
  std::string fields;
};

[[noreturn]] void bad(const std::string& file, int line, const std::string& why) {
  throw TraceError(file, "line " + std::to_string(line), why);
}

// The value of `name=` in an event's fields, as a number in `base` (0x prefixes allowed).
std::optional<std::uint64_t> field(const std::string& fields, const std::string& name,
                                   int base = 10) {
  std::size_t at = 0;
  while ((at = fields.find(name + "=", at)) != std::string::npos) {
    if (at == 0 || fields[at - 1] == ' ') break;
    at += name.size() + 1;
  }
  if (at == std::string::npos) return std::nullopt;
  const char* p = fields.data() + at + name.size() + 1;
  const char* end = fields.data() + fields.size();
  if (base == 16 && end - p > 2 && p[0] == '0' && p[1] == 'x') p += 2;
  std::uint64_t v = 0;
  const auto r = std::from_chars(p, end, v, base);
  if (r.ec != std::errc{}) return std::nullopt;
  return v;
}

std::uint64_t need(const std::string& file, const Event& e, const std::string& name, int base) {
  const auto v = field(e.fields, name, base);
  if (!v) bad(file, e.line, e.kind + ": no " + name + "= field");
  return *v;
}

std::optional<Event> parse_line(const std::string& file, int n, const std::string& text) {
  if (text.empty() || text[0] == '#') return std::nullopt;
  // The timestamp is the first token after the "[CPU]" column that ends in ':'.
  const std::size_t cpu = text.find("] ");
  if (cpu == std::string::npos) bad(file, n, "not an ftrace event line (no [CPU] column)");
  std::istringstream in(text.substr(cpu + 2));
  std::string flags, stamp, kind;
  in >> flags >> stamp >> kind;
  if (stamp.size() < 2 || stamp.back() != ':' || kind.size() < 2 || kind.back() != ':')
    bad(file, n, "not an ftrace event line (expected FLAGS TIMESTAMP: EVENT:)");
  Event e;
  e.line = n;
  stamp.pop_back();
  const auto r = std::from_chars(stamp.data(), stamp.data() + stamp.size(), e.time);
  if (r.ec != std::errc{} || r.ptr != stamp.data() + stamp.size())
    bad(file, n, "timestamp '" + stamp + "' is not a number");
  kind.pop_back();
  e.kind = kind;
  std::getline(in, e.fields);
  return e;
}

// An IOTLB invalidation descriptor (VT-d 3.x §6.5.2.3, §6.5.2.4): qw0 bits 3:0 type, 5:4
// granularity, 31:16 DID; qw1 bits 63:12 address, 5:0 address mask.
struct QiDescriptor {
  std::string name;  // iotlb_inv, p_iotlb_inv, iec_inv, ...
  int type = 0, granularity = 0, did = 0;
  std::uint64_t addr = 0;
  int address_mask = 0;
  // iotlb_inv: 1 global, 2 domain, 3 page; p_iotlb_inv: 0 or 1 all of a PASID/domain, 3 page.
  bool page_selective() const { return granularity == 3; }
};

QiDescriptor decode_qi(const std::string& file, const Event& e) {
  // "iotlb_inv dmar0: 0x500e2 0x0 0x0 0x0"
  std::istringstream in(e.fields);
  QiDescriptor q;
  std::string unit, w0, w1;
  in >> q.name >> unit >> w0 >> w1;
  auto hex = [&](const std::string& s) {
    std::uint64_t v = 0;
    const char* p = s.data() + (s.rfind("0x", 0) == 0 ? 2 : 0);
    const auto r = std::from_chars(p, s.data() + s.size(), v, 16);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size())
      bad(file, e.line, "qi_submit: descriptor word '" + s + "' is not hexadecimal");
    return v;
  };
  if (w1.empty()) bad(file, e.line, "qi_submit: expected NAME UNIT: QW0 QW1 QW2 QW3");
  const std::uint64_t qw0 = hex(w0), qw1 = hex(w1);
  q.type = static_cast<int>(qw0 & 0xf);
  q.granularity = static_cast<int>((qw0 >> 4) & 0x3);
  q.did = static_cast<int>((qw0 >> 16) & 0xffff);
  q.addr = qw1 & ~0xfffULL;
  q.address_mask = static_cast<int>(qw1 & 0x3f);
  return q;
}

struct Pending {  // an IOVA page unmapped and not yet invalidated
  int frame;
  bool freed = false;
  std::size_t window = 0;  // index in windows + 1 once freed
};

class Importer {
 public:
  Importer(std::string file, ImportResult& r) : file_(std::move(file)), r_(r) {}

  void read(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.rfind("# pasidcheck recording: mode ", 0) == 0) header_mode_ = line.substr(29);
      if (line.rfind("# kernel: ", 0) == 0) r_.kernel = line.substr(10);
      if (line.rfind("# cmdline: ", 0) == 0) r_.cmdline = line.substr(11);
      if (auto e = parse_line(file_, n, line)) events_.push_back(std::move(*e));
    }
    if (events_.empty()) throw TraceError(file_, "", "no ftrace events in the recording");
  }

  std::string mode(const std::string& given) const {
    if (!given.empty()) return given;
    if (!header_mode_.empty()) return header_mode_;
    if (r_.cmdline.find("iommu.strict=1") != std::string::npos) return "strict";
    if (r_.cmdline.find("iommu.strict=0") != std::string::npos) return "lazy";
    throw TraceError(file_, "", "the recording names no mode: give --mode strict or lazy");
  }

  // Pass 1: the frames and IOVA pages the maps name, in first-sight order.
  void number_pages() {
    for (const Event& e : events_) {
      if (e.kind != "map") continue;
      const std::uint64_t iova = need(file_, e, "iova", 16), paddr = need(file_, e, "paddr", 16);
      const std::uint64_t size = need(file_, e, "size", 10);
      if (size == 0 || size % kPage || iova % kPage || paddr % kPage)
        bad(file_, e.line, "map: iova, paddr and size must be whole 4 KiB pages");
      for (std::uint64_t k = 0; k < size / kPage; ++k) {
        frame_of_.emplace(paddr / kPage + k, static_cast<int>(frame_of_.size()));
        iova_of_.emplace(iova / kPage + k, static_cast<int>(iova_of_.size()));
      }
    }
  }

  // Pass 2: the ops, each with its event's line; then the first-event allocations in front.
  void translate() {
    std::set<int> seen_first;  // frames whose first event was read
    for (std::size_t i = 0; i < events_.size(); ++i) {
      const Event& e = events_[i];
      ++r_.events[e.kind];
      const std::size_t before = ops_.size();
      bool absorbed = false;
      if (e.kind == "map") {
        map(e, seen_first);
      } else if (e.kind == "unmap") {
        unmap(e);
      } else if (e.kind == "qi_submit") {
        absorbed = invalidate(e, i);
      } else if (e.kind == "mm_page_alloc" || e.kind == "mm_page_free") {
        page_event(e, seen_first, i);
      } else {
        ++r_.not_expressed[e.kind + ": an event the model has no op for"];
      }
      if (absorbed) explained_.insert(e.line);
      for (std::size_t k = before; k < ops_.size(); ++k) event_ops_[e.line]++;
    }
    std::vector<std::pair<Op, int>> prologue;
    for (const auto& [pfn, frame] : frame_of_) {
      if (first_is_alloc_.count(frame)) continue;
      Op op;
      op.kind = OpKind::kalloc;
      op.frame = frame;
      op.slot = 0;
      prologue.push_back({op, 0});
    }
    std::sort(prologue.begin(), prologue.end(),
              [](const auto& a, const auto& b) { return a.first.frame < b.first.frame; });
    ops_.insert(ops_.begin(), prologue.begin(), prologue.end());
    r_.ops = static_cast<int>(ops_.size());
  }

  // The config the recording matches: linux-6.12 with the recording's IOTLB flushing, one
  // trusted integrated device (virtio-blk, no ATS, no PRI, no PASID).
  Config config(const std::string& mode) const {
    Config c;
    c.preset = "linux-6.12";
    c.knobs = *preset("linux-6.12");
    if (auto err = set_knob(c.knobs, "iova_flush", {mode == "strict" ? "strict" : "lazy_trusted"}))
      throw std::logic_error(*err);
    c.knob_overrides.push_back({"iova_flush", {mode == "strict" ? "strict" : "lazy_trusted"}});
    c.bounds = {};
    c.bounds.frames = std::max<int>(1, static_cast<int>(frame_of_.size()));
    c.bounds.slots = 1;
    c.bounds.large = 1;
    c.bounds.vmalloc_pages = 0;
    c.bounds.text_pages = 0;
    c.bounds.iova_pages = std::max<int>(1, static_cast<int>(iova_of_.size()));
    c.bounds.mms = 0;
    c.bounds.user_pages = 0;
    c.bounds.pasids = 1;
    c.devices = {{kDevice, false, false, false, false, false, false}};
    c.devices_explicit = true;
    if (auto err = validate_config(c)) throw std::logic_error("import config: " + *err);
    return c;
  }

  // Applies the ops in order; a refused op is a departure (left out of the trace).
  void conform(const Config& c) {
    const Model m(c);
    State s = m.boot();
    r_.trace.config = c;
    std::map<int, int> refused;  // per event line
    for (const auto& [op, line] : ops_) {
      const StepResult res = m.apply(s, op);
      if (!res.applied) {
        r_.departures.push_back({line, properties::describe_op(op, c), res.error});
        ++refused[line];
        continue;
      }
      r_.trace.steps.push_back({op, std::nullopt});
      r_.step_lines.push_back(line);
    }
    for (const auto& [line, n] : event_ops_)
      if (!refused.count(line)) explained_.insert(line);
    r_.events_explained = static_cast<int>(explained_.size());
    int unrelated = 0;
    for (const auto& [why, n] : r_.unrelated) unrelated += n;
    r_.events_relevant = static_cast<int>(events_.size()) - unrelated;
  }

 private:
  void emit(OpKind kind, int line, int frame = -1, int iova = -1) {
    Op op;
    op.kind = kind;
    op.dev = 0;
    op.frame = frame;
    op.iova = iova;
    if (kind == OpKind::kalloc || kind == OpKind::kfree || kind == OpKind::dma_map) op.slot = 0;
    if (kind == OpKind::dma_map) op.dir = Dir::bidirectional;
    if (kind == OpKind::dma) {
      op.addr = {Space::iova, iova};
      op.pasid = 0;
      op.priv = Priv::user;
      op.access = Access::read;
      op.iova = -1;
      op.frame = -1;
    }
    ops_.push_back({op, line});
  }

  void map(const Event& e, std::set<int>& seen_first) {
    const std::uint64_t iova = need(file_, e, "iova", 16), paddr = need(file_, e, "paddr", 16);
    for (std::uint64_t k = 0; k < need(file_, e, "size", 10) / kPage; ++k) {
      const int frame = frame_of_.at(paddr / kPage + k), page = iova_of_.at(iova / kPage + k);
      seen_first.insert(frame);
      mapped_[page] = frame;
      pending_.erase(page);  // a re-map reuses the IOVA only after its flush in Linux
      emit(OpKind::dma_map, e.line, frame, page);
    }
  }

  void unmap(const Event& e) {
    const std::uint64_t iova = need(file_, e, "iova", 16), size = need(file_, e, "size", 10);
    for (std::uint64_t k = 0; k < size / kPage; ++k) {
      const auto it = iova_of_.find(iova / kPage + k);
      if (it == iova_of_.end() || !mapped_.count(it->second)) {
        ++r_.not_expressed["unmap: an IOVA mapped before the recording started"];
        continue;
      }
      emit(OpKind::dma, e.line, -1, it->second);  // assumed: the device used the buffer
      emit(OpKind::dma_unmap, e.line, -1, it->second);
      pending_[it->second] = {mapped_[it->second]};
      mapped_.erase(it->second);
    }
  }

  // True when the descriptor is part of an op already emitted (a strict unmap's invalidation).
  bool invalidate(const Event& e, std::size_t index) {
    const QiDescriptor q = decode_qi(file_, e);
    if (q.type != 2 && q.type != 6) {
      ++r_.not_expressed["qi_submit " + q.name + ": not an IOTLB invalidation"];
      return false;
    }
    if (q.page_selective()) {
      const std::uint64_t pages = std::uint64_t{1} << q.address_mask;
      bool any = false;
      for (std::uint64_t k = 0; k < pages; ++k) {
        const auto it = iova_of_.find(q.addr / kPage + k);
        if (it == iova_of_.end() || !pending_.count(it->second)) continue;
        close_window(it->second, e, index);
        any = true;
      }
      if (!any) ++r_.not_expressed["qi_submit page-selective: no unmapped IOVA it covers"];
      return any;
    }
    emit(OpKind::fq_flush, e.line);
    for (auto it = pending_.begin(); it != pending_.end();) {
      const int page = it->first;
      ++it;
      close_window(page, e, index);
    }
    return false;
  }

  void close_window(int page, const Event& flush, std::size_t index) {
    const Pending p = pending_.at(page);
    pending_.erase(page);
    if (!p.window) return;
    FreedBeforeFlush& w = r_.windows[p.window - 1];
    if (w.flush_line) return;  // another IOVA of the same freed page closed it already
    w.flush_line = flush.line;
    w.flush_time = flush.time;
    w.events_between = static_cast<int>(index - free_index_[p.window - 1]);
  }

  void page_event(const Event& e, std::set<int>& seen_first, std::size_t index) {
    const std::uint64_t pfn = need(file_, e, "pfn", 16);
    const std::uint64_t order = need(file_, e, "order", 10);
    if (order > 20) bad(file_, e.line, e.kind + ": order " + std::to_string(order) + " is absurd");
    const bool alloc = e.kind == "mm_page_alloc";
    bool any = false;
    for (std::uint64_t k = 0; k < (std::uint64_t{1} << order); ++k) {
      const auto it = frame_of_.find(pfn + k);
      if (it == frame_of_.end()) continue;
      any = true;
      const int frame = it->second;
      if (!seen_first.count(frame) && alloc) first_is_alloc_.insert(frame);
      seen_first.insert(frame);
      emit(alloc ? OpKind::kalloc : OpKind::kfree, e.line, frame);
      if (alloc) continue;
      for (auto& [page, p] : pending_)
        if (p.frame == frame && !p.freed) {
          p.freed = true;
          r_.windows.push_back({e.line, 0, e.time, 0, 0});
          free_index_.push_back(index);
          p.window = r_.windows.size();
        }
    }
    // An event with ops is explained once they all apply (conform()).
    if (!any) ++r_.unrelated[e.kind + ": a page no device mapped"];
  }

  std::string file_;
  ImportResult& r_;
  std::string header_mode_;
  std::vector<Event> events_;
  std::map<std::uint64_t, int> frame_of_, iova_of_;  // pfn / IOVA page number -> model index
  std::set<int> first_is_alloc_;
  std::map<int, int> mapped_;       // IOVA page -> frame
  std::map<int, Pending> pending_;  // IOVA pages unmapped, not yet invalidated
  std::vector<std::size_t> free_index_;
  std::vector<std::pair<Op, int>> ops_;  // with their event lines
  std::map<int, int> event_ops_;         // ops per event line
  std::set<int> explained_;
};

}  // namespace

ImportResult import_ftrace(const std::string& file, const std::string& mode) {
  if (!mode.empty() && mode != "strict" && mode != "lazy")
    throw TraceError(file, "", "--mode is strict or lazy, not '" + mode + "'");
  ImportResult r;
  Importer im(file, r);
  im.read(read_input_file(file));
  r.mode = im.mode(mode);
  if (r.mode != "strict" && r.mode != "lazy")
    throw TraceError(file, "", "the recording's mode is '" + r.mode + "', not strict or lazy");
  im.number_pages();
  im.translate();
  im.conform(im.config(r.mode));
  r.trace.name = "real-" + r.mode;
  r.trace.description =
      "Imported by `pasidcheck import ftrace` from a recording of " +
      (r.kernel.empty() ? std::string("a kernel") : r.kernel) + " (" + r.cmdline +
      "). Frames and IOVA pages are numbered in first-sight order. Assumed, not recorded: a "
      "device read through each IOVA just before its unmap, and the allocation of every frame "
      "mapped before the recording saw it allocated (the kalloc steps at the start).";
  fuzz::set_expect_from_replay(r.trace, {});
  return r;
}

}  // namespace pasidcheck::cli
