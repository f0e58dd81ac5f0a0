// Properties judged on the IOMMU structures themselves: cached entries against the current tables
// (MODEL.md §8.17), PASID life-cycle, trust gating, page-request rules and strict-mirror exactness.
#include <algorithm>
#include <tuple>

#include "model/describe.h"
#include "model/translate.h"
#include "properties/property.h"

namespace pasidcheck::properties {

using namespace model;

namespace {

using Perm = std::tuple<int, Priv, bool>;  // (frame, privilege, write)

// What a leaf permits under an entry's SRE/WPE: (frame, priv, write) for read, plus write if
// allowed.
void permits(const Model& m, const Leaf& l, bool sre, bool wpe, std::vector<Perm>& out) {
  if (!l.present) return;
  const int span = l.large ? m.bounds().large : 1;
  for (Priv p : {Priv::user, Priv::supervisor}) {
    if (p == Priv::user && !l.u) continue;
    if (p == Priv::supervisor && !sre) continue;
    for (int f = l.frame; f < l.frame + span; ++f) {
      out.push_back({f, p, false});
      if (leaf_writable(l, wpe, p)) out.push_back({f, p, true});
    }
  }
}

// The present entry of (DID, PASID) now, on any device.
std::optional<std::pair<int, PasidEntry>> current_entry(const Model& m, const State& s, int did,
                                                        int pasid) {
  for (int d = 0; d < m.device_count(); ++d) {
    const PasidEntry& e = s.devices[d].entries[pasid];
    if (e.present && e.did == did) return std::make_pair(d, e);
  }
  return std::nullopt;
}

bool exempt_iova(const Model& m, const State& s, int did, const Addr& key) {
  if (key.space != Space::iova) return false;
  for (int d = 0; d < m.device_count(); ++d)
    if (m.dma_did(d) == did && m.trusted(d) && m.lazy(d) &&
        s.devices[d].iova[key.page].kind == IovaPage::Kind::queued)
      return true;
  return false;
}

Violation structural(const std::string& id, int dev, int pasid, int frame, const std::string& path,
                     const std::string& msg) {
  Violation v;
  v.property = id;
  v.dev = dev;
  v.pasid = pasid;
  v.frame = frame;
  v.path = path;
  v.message = msg;
  return v;
}

bool subset(std::vector<Perm>& a, std::vector<Perm>& b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

}  // namespace

std::vector<Violation> check_no_stale_iotlb(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  std::vector<Violation> out;
  const char* const id = "no-stale-iotlb";
  for (const auto& c : s.pasid_cache) {
    const PasidEntry& cur = s.devices[c.dev].entries[c.pasid];
    const PasidEntry& old = c.copy;
    if (!old.present) continue;
    const bool more = !cur.present || old.root != cur.root || old.root_id != cur.root_id ||
                      old.did != cur.did || (old.sre && !cur.sre) || (!old.wpe && cur.wpe) ||
                      old.frozen;  // a freed domain's contents (MODEL.md §8.38)
    if (more)
      out.push_back(structural(id, c.dev, c.pasid, -1, "PASID cache copy: " + describe_entry(old),
                               "the cached PASID entry grants more than the current entry (" +
                                   describe_entry(cur) + ")"));
  }
  for (const auto& x : s.iotlb) {
    if (exempt_iova(m, s, x.did, x.key)) continue;
    const Leaf cached{true, x.frame, x.w, x.u, x.nx, x.large, x.key};
    std::vector<Perm> had, now;
    permits(m, cached, x.ctx.sre, x.ctx.wpe, had);
    const auto cur = current_entry(m, s, x.did, x.pasid);
    if (cur && translates(cur->second, x.key.space)) {
      const int span = x.large ? m.bounds().large : 1;
      for (int p = x.key.page; p < x.key.page + span; ++p) {
        const Walk w = walk_tables(m, s, cur->second, x.pasid, {x.key.space, p});
        permits(m, w.leaf, cur->second.sre, cur->second.wpe, now);
      }
    }
    if (!subset(had, now))
      out.push_back(structural(id, cur ? cur->first : -1, x.pasid, x.frame, describe_iotlb(m, x),
                               "the IOTLB entry grants more than the current tables"));
  }
  for (const auto& x : s.psc) {
    const auto cur = current_entry(m, s, x.did, x.pasid);
    const bool live =
        cur && walks_kernel(cur->second) && x.table == current_table(m, s, x.space, x.index);
    if (!live)
      out.push_back(
          structural(id, cur ? cur->first : -1, x.pasid, x.table, describe_psc(x),
                     "the paging-structure cache names a table frame the prefix no longer uses"));
  }
  for (const auto& x : s.devtlb) {
    if (x.page.space == Space::iova && exempt_iova(m, s, m.dma_did(x.dev), x.page)) continue;
    const PasidEntry& e = s.devices[x.dev].entries[x.pasid];
    bool ok = false;
    if (e.present && translates(e, x.page.space)) {
      const Walk w = walk_tables(m, s, e, x.pasid, x.page);
      const int first =
          w.leaf.large ? w.leaf.frame + (x.page.page - w.leaf.key.page) : w.leaf.frame;
      ok = w.leaf.present && first == x.frame &&
           check_leaf(w.leaf, e.wpe, x.priv, Access::read) == FaultReason::none &&
           (!x.w || leaf_writable(w.leaf, e.wpe, x.priv));
      if (e.root == Root::passthrough) ok = true;
    }
    if (!ok)
      out.push_back(structural(id, x.dev, x.pasid, x.frame, describe_devtlb(m, x),
                               "the device-TLB entry grants more than the current tables"));
  }
  return out;
}

std::vector<Violation> check_pasid_lifecycle(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  std::vector<Violation> out;
  const char* const id = "pasid-lifecycle";
  // PASIDs something still names (entries, caches, page requests), found in one pass; only free
  // ones among them are looked at in detail below.
  std::vector<char> named(m.bounds().pasids, 0);
  for (int d = 0; d < m.device_count(); ++d)
    for (int p : snap.pasids_in_use(d)) named[p] |= s.devices[d].entries[p].present;
  for (const auto& c : s.pasid_cache) named[c.pasid] = 1;
  for (const auto& x : s.iotlb) named[x.pasid] = 1;
  for (const auto& x : s.psc) named[x.pasid] = 1;
  for (const auto& x : s.devtlb) named[x.pasid] = 1;
  for (const auto& r : s.prq) named[r.pasid] = 1;
  for (int p = 1; p < m.bounds().pasids; ++p) {
    if (!named[p] || s.pasids[p].kind != PasidOwner::Kind::free) continue;
    auto report = [&](int dev, const std::string& what) {
      out.push_back(structural(id, dev, p, -1, what,
                               "free PASID " + std::to_string(p) + " still has " + what));
    };
    for (int d = 0; d < m.device_count(); ++d)
      if (s.devices[d].entries[p].present) report(d, "a PASID-table entry");
    for (const auto& c : s.pasid_cache)
      if (c.pasid == p) report(c.dev, "a PASID-cache entry");
    for (const auto& x : s.iotlb)
      if (x.pasid == p) report(-1, "an IOTLB entry: " + describe_iotlb(m, x));
    for (const auto& x : s.psc)
      if (x.pasid == p) report(-1, "a PSC entry: " + describe_psc(x));
    for (const auto& x : s.devtlb)
      if (x.pasid == p) report(x.dev, "a device-TLB entry: " + describe_devtlb(m, x));
    for (const auto& r : s.prq)
      if (r.pasid == p)
        report(r.dev, "an outstanding page request (group " + std::to_string(r.group) + ")");
  }
  return out;
}

std::vector<Violation> check_trust_gating(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  std::vector<Violation> out;
  const char* const id = "trust-gating";
  for (int d = 0; d < m.device_count(); ++d) {
    if (m.trusted(d)) continue;
    if (m.ats(d))
      out.push_back(
          structural(id, d, -1, -1, "device capability", "ATS is enabled on an untrusted device"));
    if (m.lazy(d))
      out.push_back(structural(id, d, -1, -1, "DMA domain",
                               "an untrusted device has a lazy (flush-queue) DMA domain"));
    // The PASID-table entry and its PASID-cache copy, both (MODEL.md §8.34): either can serve a
    // request (the copy until it is invalidated, the entry once the copy is evicted).
    for (int p : snap.pasids_in_use(d)) {
      if (p == 0) continue;
      bool cached = false;
      const PasidEntry copy = effective_entry(s, d, p, &cached);
      const PasidEntry& entry = s.devices[d].entries[p];
      auto judge = [&](const PasidEntry& e, const char* where) {
        if (!e.present) return;
        if (e.root == Root::passthrough)
          out.push_back(structural(id, d, p, -1, where + describe_entry(e),
                                   "an untrusted device has a pass-through PASID"));
        if (e.root == Root::kernel)
          out.push_back(structural(id, d, p, -1, where + describe_entry(e),
                                   "an untrusted device shares the CPU kernel page table"));
      };
      if (cached) judge(copy, "cached ");
      if (!cached || !(copy == entry)) judge(entry, "");
    }
  }
  return out;
}

std::vector<Violation> check_iopf_integrity(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  std::vector<Violation> out;
  const char* const id = "iopf-integrity";
  if (s.bad_response)
    out.push_back(structural(id, -1, -1, -1, "iopf_handle",
                             "a page response answered a request of a PASID that was freed (and "
                             "possibly reused) since"));
  for (const auto& r : s.prq) {
    if (r.stale || !s.devices[r.dev].bound[r.pasid])
      out.push_back(
          structural(id, r.dev, r.pasid, -1, "page request group " + std::to_string(r.group),
                     "a page request is outstanding after its PASID's teardown completed"));
  }
  (void)m;
  return out;
}

std::vector<Violation> check_kva_mirror_exact(const Snapshot& snap) {
  const Model& m = snap.model();
  const State& s = snap.state();
  std::vector<Violation> out;
  const char* const id = "kva-mirror-exact";
  for (int d = 0; d < m.device_count(); ++d) {
    for (int p : snap.mirrored_pasids(d)) {
      if (p == 0) continue;
      for (const auto& [a, l] : s.devices[d].mirror[p]) {
        const Walk cpu = walk_tables(
            m, s, PasidEntry{true, Root::kernel, -1, true, true, false, kKernelDid, Submode::fast},
            p, a);
        const int cpu_frame =
            cpu.leaf.large ? cpu.leaf.frame + (a.page - cpu.leaf.key.page) : cpu.leaf.frame;
        const auto g = s.devices[d].kva[p].find(a);
        std::string why;
        if (a.space != Space::direct)
          why = "maps " + to_string(a) + ", outside the direct map";
        else if (!cpu.leaf.present)
          why = "the CPU no longer maps " + to_string(a);
        else if (cpu_frame != l.frame)
          why = "the CPU maps " + to_string(a) + " to frame " + std::to_string(cpu_frame);
        else if (l.w && !cpu.leaf.w)
          why = "writable while the CPU leaf is read-only";
        else if (g == s.devices[d].kva[p].end())
          why = "no kva_map grant covers it";
        else if (l.w && !g->second.w)
          why = "writable beyond the kva_map prot";
        if (!why.empty())
          out.push_back(structural(id, d, p, l.frame,
                                   "mirror " + to_string(a) + " -> frame " +
                                       std::to_string(l.frame) + (l.w ? " rw" : " r"),
                                   "strict mirror entry " + why));
      }
    }
  }
  return out;
}

}  // namespace pasidcheck::properties
