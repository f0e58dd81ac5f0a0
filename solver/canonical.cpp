#include "solver/canonical.h"

#include <algorithm>
#include <cstring>

namespace pasidcheck::solver {

using namespace model;

namespace {

// `quiesced` is read only when a request through an effective entry raises a page request
// (model/device.cpp), and every op that makes an entry present resets it (pasid_enable,
// sva_bind). For a free PASID with no entry and no PASID-cache copy on the device it is dead
// state: a full teardown (quiesced) and never having enabled the PASID are the same state.
bool quiesced_matters(const State& s, int dev, int pasid) {
  if (s.pasids[pasid].kind != PasidOwner::Kind::free || s.devices[dev].entries[pasid].present)
    return true;
  for (const auto& c : s.pasid_cache)
    if (c.dev == dev && c.pasid == pasid) return true;
  return false;
}

// Integers are small in a bounded config (indices, -1 for none): one byte for -1..253, else a
// marker byte and four bytes. Every field has a fixed place in the sequence, so the encoding stays
// injective.
struct Writer {
  explicit Writer(std::string& o) : out(o) {
    out.resize(std::max<std::size_t>(out.capacity(), 256));
  }
  ~Writer() { out.resize(at); }
  std::string& out;
  std::size_t at = 0;
  // Room for one more field (5 bytes at most): the buffer doubles when it runs out, so a reused
  // buffer stops growing after the first states.
  [[gnu::always_inline]] char* room() {
    if (at + 5 > out.size()) out.resize(out.size() * 2);
    return out.data() + at;
  }
  [[gnu::always_inline]] void byte(int b) {
    *room() = static_cast<char>(b);
    ++at;
  }
  [[gnu::always_inline]] void put(int v) {
    if (v >= -1 && v <= 253) return byte(v + 1);
    char* p = room();
    p[0] = static_cast<char>(255);
    std::memcpy(p + 1, &v, 4);
    at += 5;
  }
  void put(bool v) { byte(v ? 1 : 0); }
  void put(std::uint32_t v) { put(static_cast<int>(v)); }
  template <typename E>
  requires std::is_enum_v<E>
  void put(E e) { byte(static_cast<int>(e)); }
  void put(const Addr& a) {
    put(a.space);
    put(a.page);
  }
  void put(const PasidEntry& e) {
    put(e.present);
    put(e.root);
    put(e.root_id);
    put(e.sre);
    put(e.wpe);
    put(e.fpd);
    put(e.did);
    put(e.submode);
    put(e.frozen);
  }
  void put(const FillContext& c) {
    put(c.root);
    put(c.sre);
    put(c.wpe);
  }
};

// The cache entries in encoding order: as kept, or sorted by `key` when order cannot matter.
// Pointers, so that no entry (nor a PASID-cache copy's frozen mirror) is copied; into `out`, a
// buffer reused from state to state.
template <typename T, typename Key>
const std::vector<const T*>& in_order(const std::vector<T>& v, bool sort, Key key,
                                      std::vector<const T*>& out) {
  out.clear();
  for (const auto& e : v) out.push_back(&e);
  if (sort)
    std::sort(out.begin(), out.end(), [&](const T* a, const T* b) { return key(*a) < key(*b); });
  return out;
}

// in_order's buffers, one set per thread (the explorer encodes on one thread, the matrix runs
// several explorers at once).
struct OrderBuffers {
  std::vector<const PasidCacheEntry*> pc;
  std::vector<const IotlbEntry*> io;
  std::vector<const PscEntry*> ps;
  std::vector<const DevtlbEntry*> dt;
  std::vector<const PageRequest*> pr;
};

// The caches and the page-request queue, each with its length: sorted when their order cannot
// matter (no IOTLB capacity: `order_free`), else as kept.
void put_caches(Writer& w, const State& s, bool order_free) {
  thread_local OrderBuffers buf;
  const auto& pc = in_order(
      s.pasid_cache, order_free,
      [](const PasidCacheEntry& e) { return std::make_tuple(e.dev, e.pasid); }, buf.pc);
  const auto& io = in_order(
      s.iotlb, order_free,
      [](const IotlbEntry& e) {
        return std::make_tuple(e.did, e.pasid, e.key, e.large);  // two keys per page (§8.26)
      },
      buf.io);
  const auto& ps = in_order(
      s.psc, order_free,
      [](const PscEntry& e) { return std::make_tuple(e.did, e.pasid, e.space, e.index); }, buf.ps);
  const auto& dt = in_order(
      s.devtlb, order_free,
      [](const DevtlbEntry& e) { return std::make_tuple(e.dev, e.pasid, e.page); }, buf.dt);
  const auto& pr = in_order(
      s.prq, order_free,
      [](const PageRequest& r) { return std::make_tuple(r.dev, r.group, r.pasid, r.page); },
      buf.pr);
  w.put(static_cast<int>(pc.size()));
  for (const auto* e_ptr : pc) {
    const auto& e = *e_ptr;
    w.put(e.dev);
    w.put(e.pasid);
    w.put(e.copy);
    w.put(static_cast<int>(e.frozen_mirror.size()));  // a freed mirror's leaves (§8.38)
    for (const auto& [a, l] : e.frozen_mirror) {
      w.put(a);
      w.put(l.frame);
      w.put(l.w);
    }
  }
  w.put(static_cast<int>(io.size()));
  for (const auto* e_ptr : io) {
    const auto& e = *e_ptr;
    w.put(e.did);
    w.put(e.pasid);
    w.put(e.key);
    w.put(e.large);
    w.put(e.frame);
    w.put(e.w);
    w.put(e.u);
    w.put(e.nx);
    w.put(e.ctx);
    w.put(e.freed);
  }
  w.put(static_cast<int>(ps.size()));
  for (const auto* e_ptr : ps) {
    const auto& e = *e_ptr;
    w.put(e.did);
    w.put(e.pasid);
    w.put(e.space);
    w.put(e.index);
    w.put(e.table);
    w.put(e.ctx);
    w.put(e.freed);
    w.put(e.reused);
    w.put(e.frozen.present);
    w.put(e.frozen.w);
  }
  w.put(static_cast<int>(dt.size()));
  for (const auto* e_ptr : dt) {
    const auto& e = *e_ptr;
    w.put(e.dev);
    w.put(e.pasid);
    w.put(e.page);
    w.put(e.frame);
    w.put(e.w);
    w.put(e.priv);
    w.put(e.ctx);
    w.put(e.freed);
  }
  w.put(static_cast<int>(pr.size()));
  for (const auto* r_ptr : pr) {
    const auto& r = *r_ptr;
    w.put(r.dev);
    w.put(r.pasid);
    w.put(r.page);
    w.put(r.access);
    w.put(r.group);
    w.put(r.stale);
  }
}

}  // namespace

std::string encode(const Model& m, const State& s) {
  std::string out;
  encode_into(m, s, out);
  return out;
}

void encode_into(const Model& m, const State& s, std::string& out) {
  Writer w(out);
  for (const auto& f : s.frames) {
    w.put(f.use);
    w.put(f.slots);
    w.put(f.vmap);
    w.put(f.owner);
  }
  for (const auto& d : s.direct) {
    w.put(d.present);
    w.put(d.w);
  }
  for (const auto& b : s.blocks) {
    w.put(b.split);
    w.put(b.table);
  }
  for (const auto& v : s.vmalloc) {
    w.put(v.present);
    w.put(v.frame);
    w.put(v.w);
    w.put(v.nx);
  }
  for (int t : s.vgroup_table) w.put(t);
  for (const auto& mm : s.mms) {
    w.put(mm.life);
    w.put(mm.pasid);
    for (const auto& p : mm.pages) {
      w.put(p.kind);
      w.put(p.w);
      w.put(p.frame);
    }
  }
  for (std::size_t dev = 0; dev < s.devices.size(); ++dev) {
    const DeviceState& d = s.devices[dev];
    for (const auto& e : d.entries) w.put(e);
    for (bool b : d.bound) w.put(b);
    for (std::size_t p = 0; p < d.quiesced.size(); ++p)
      w.put(d.quiesced[p] && quiesced_matters(s, static_cast<int>(dev), static_cast<int>(p)));
    for (const auto& p : d.iova) {
      w.put(p.kind);
      w.put(p.frame);
      w.put(p.slots);
      w.put(p.w);
      w.put(p.orig_frame);
      w.put(p.orig_slot);
      w.put(p.bounced);
    }
    for (std::size_t p = 0; p < d.kva.size(); ++p) {
      w.put(static_cast<int>(d.kva[p].size()));
      for (const auto& [a, g] : d.kva[p]) {
        w.put(a);
        w.put(g.frame);
        w.put(g.slots);
        w.put(g.w);
      }
      w.put(static_cast<int>(d.mirror[p].size()));
      for (const auto& [a, l] : d.mirror[p]) {
        w.put(a);
        w.put(l.frame);
        w.put(l.w);
      }
    }
  }
  for (const auto& o : s.pasids) {
    w.put(o.kind);
    w.put(o.id);
  }
  put_caches(w, s, m.bounds().iotlb_capacity == 0);
  w.put(s.bad_response);
}

}  // namespace pasidcheck::solver
