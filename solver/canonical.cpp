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

struct Writer {
  std::string out;
  void put(int v) {
    char b[4];
    std::memcpy(b, &v, 4);
    out.append(b, 4);
  }
  void put(bool v) { out.push_back(v ? 1 : 0); }
  void put(std::uint32_t v) { put(static_cast<int>(v)); }
  template <typename E>
  requires std::is_enum_v<E>
  void put(E e) { out.push_back(static_cast<char>(e)); }
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

template <typename T, typename Key>
std::vector<T> sorted(std::vector<T> v, Key key) {
  std::sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  return v;
}

}  // namespace

std::string encode(const Model& m, const State& s) {
  Writer w;
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
  const bool order_free = m.bounds().iotlb_capacity == 0;
  auto pc = s.pasid_cache;
  auto io = s.iotlb;
  auto ps = s.psc;
  auto dt = s.devtlb;
  auto pr = s.prq;
  if (order_free) {
    pc = sorted(pc, [](const PasidCacheEntry& e) { return std::make_tuple(e.dev, e.pasid); });
    io = sorted(io, [](const IotlbEntry& e) {
      return std::make_tuple(e.did, e.pasid, e.key, e.large);  // two keys per page (§8.26)
    });
    ps = sorted(
        ps, [](const PscEntry& e) { return std::make_tuple(e.did, e.pasid, e.space, e.index); });
    dt = sorted(dt, [](const DevtlbEntry& e) { return std::make_tuple(e.dev, e.pasid, e.page); });
    pr = sorted(
        pr, [](const PageRequest& r) { return std::make_tuple(r.dev, r.group, r.pasid, r.page); });
  }
  w.put(static_cast<int>(pc.size()));
  for (const auto& e : pc) {
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
  for (const auto& e : io) {
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
  for (const auto& e : ps) {
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
  for (const auto& e : dt) {
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
  for (const auto& r : pr) {
    w.put(r.dev);
    w.put(r.pasid);
    w.put(r.page);
    w.put(r.access);
    w.put(r.group);
    w.put(r.stale);
  }
  w.put(s.bad_response);
  return std::move(w.out);
}

}  // namespace pasidcheck::solver
