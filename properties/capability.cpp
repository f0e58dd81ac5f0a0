#include "properties/capability.h"

#include "model/describe.h"
#include "model/translate.h"

namespace pasidcheck::properties {

using namespace model;

namespace {

struct Builder {
  const Model& m;
  const State& s;
  int dev;
  std::vector<Reach> out;

  void add(int pasid, Priv priv, int frame, bool write, Via via, Root root, bool freed,
           const std::string& path) {
    out.push_back({dev, pasid, priv, frame, write, via, root, freed, path});
  }

  // A leaf reached with each privilege the entry allows (read, and write when permitted).
  void leaf(int pasid, const PasidEntry& e, const Leaf& l, Via via, bool freed,
            const std::string& path) {
    const int span = l.large ? m.bounds().large : 1;
    for (Priv priv : {Priv::user, Priv::supervisor}) {
      if (priv == Priv::supervisor && (pasid == 0 || !e.sre)) continue;
      if (check_leaf(l, e.wpe, priv, Access::read) != FaultReason::none) continue;
      const bool w = leaf_writable(l, e.wpe, priv);
      for (int f = l.frame; f < l.frame + span; ++f)
        add(pasid, priv, f, w, via, e.root, freed, path);
    }
  }

  void any_frame(int pasid, const PasidEntry& e, Via via, const std::string& path) {
    add(pasid, Priv::user, -1, true, via, e.root, false, path);
    if (pasid > 0 && e.sre) add(pasid, Priv::supervisor, -1, true, via, e.root, false, path);
  }

  void through_entry(int pasid) {
    bool cached = false;
    const PasidEntry e = effective_entry(s, dev, pasid, &cached);
    if (!e.present) return;
    const std::string via_entry =
        std::string(cached ? "cached PASID entry " : "PASID entry ") + describe_entry(e);
    if (e.root == Root::passthrough) return any_frame(pasid, e, Via::passthrough, via_entry);
    for (const auto& x : s.iotlb) {
      if (x.did != e.did || x.pasid != pasid || !translates(e, x.key.space)) continue;
      leaf(pasid, e, {true, x.frame, x.w, x.u, x.nx, x.large, x.key}, Via::iotlb, x.freed,
           describe_iotlb(m, x) + " under " + via_entry);
    }
    if (walks_kernel(e)) {
      for (const auto& x : s.psc) {
        if (x.did != e.did || x.pasid != pasid || x.table == current_table(m, s, x.space, x.index))
          continue;
        const std::string path = "stale " + describe_psc(x) + " under " + via_entry;
        if (x.reused) {
          any_frame(pasid, e, Via::stale_psc, path);
        } else if (x.space == Space::direct && x.frozen.present) {
          const int first = x.index * m.bounds().large;
          leaf(pasid, e, {true, first, x.frozen.w, false, true, true, {Space::direct, first}},
               Via::stale_psc, true, path);
        }
      }
    }
    for (Space sp : {Space::iova, Space::direct, Space::vmalloc, Space::text, Space::user}) {
      if (!translates(e, sp)) continue;
      // SVA walks of the kernel half end in U=0 leaves, which an SRE=0 entry cannot use.
      if (e.root == Root::sva && sp != Space::user && !e.sre) continue;
      for (int p = 0; p < m.space_size(sp); ++p) {
        const Walk w = walk_tables(m, s, e, pasid, {sp, p});
        if (w.leaf.present && !(w.leaf.large && w.leaf.key.page != p))
          leaf(pasid, e, w.leaf, Via::walk, false,
               "walk of " + to_string(Addr{sp, p}) + " under " + via_entry);
      }
    }
  }
};

}  // namespace

std::vector<Reach> capability(const Model& m, const State& s, int dev) {
  Builder b{m, s, dev, {}};
  for (int p = 0; p < m.bounds().pasids; ++p) b.through_entry(p);
  if (m.ats(dev)) {
    // Translated requests: a trusted device uses only its device TLB (MODEL.md §1, §8.21).
    for (const auto& x : s.devtlb) {
      if (x.dev != dev) continue;
      b.add(x.pasid, x.priv, x.frame, x.w, Via::devtlb, x.ctx.root, x.freed, describe_devtlb(m, x));
    }
    if (!m.trusted(dev))
      b.add(-1, Priv::supervisor, -1, true, Via::translated, Root::none, false,
            "forged translated request (ATS enabled on an untrusted device)");
  }
  return b.out;
}

}  // namespace pasidcheck::properties
