#include "model/describe.h"

#include <algorithm>

namespace pasidcheck::model {
namespace {

std::string rw(bool w) {
  return w ? "rw" : "r";
}
std::string pasid_name(int p) {
  return p == 0 ? "rid" : "pasid " + std::to_string(p);
}

}  // namespace

std::string describe_entry(const PasidEntry& e) {
  if (!e.present) return e.fpd ? "not present (fpd)" : "not present";
  std::string s = to_string(e.submode) + " root=" + to_string(e.root);
  if (e.root_id >= 0) s += "(" + std::to_string(e.root_id) + ")";
  s += " did " + std::to_string(e.did) + (e.sre ? " sre" : "") + (e.wpe ? "" : " wpe=0");
  if (e.frozen) s += " (its domain was freed: frozen)";
  return s;
}

std::string describe_iotlb(const Model& m, const IotlbEntry& e) {
  std::string s =
      "iotlb[did " + std::to_string(e.did) + ", " + pasid_name(e.pasid) + ", " + to_string(e.key);
  if (e.large) s += " large";
  s += "] -> frame " + std::to_string(e.frame);
  if (e.large) s += ".." + std::to_string(e.frame + m.bounds().large - 1);
  s += " " + rw(e.w) + (e.u ? " u" : " s") + (e.nx ? "" : " x") +
       (e.freed ? " (frame freed since)" : "");
  return s;
}

std::string describe_psc(const PscEntry& e) {
  std::string s = "psc[did " + std::to_string(e.did) + ", " + pasid_name(e.pasid) + ", " +
                  to_string(e.space) + " " + (e.space == Space::direct ? "block " : "group ") +
                  std::to_string(e.index) + "] -> table frame " + std::to_string(e.table);
  if (e.reused)
    s += " (freed and reused)";
  else if (e.freed)
    s += " (freed)";
  return s;
}

std::string describe_devtlb(const Model& m, const DevtlbEntry& e) {
  return "devtlb[" + m.device(e.dev).name + ", " + pasid_name(e.pasid) + ", " + to_string(e.page) +
         "] -> frame " + std::to_string(e.frame) + " " + rw(e.w) +
         (e.freed ? " (frame freed since)" : "");
}

std::vector<std::string> state_facts(const Model& m, const State& s) {
  std::vector<std::string> f;
  for (std::size_t i = 0; i < s.frames.size(); ++i) {
    const Frame& fr = s.frames[i];
    if (fr.use != FrameUse::free)
      f.push_back(
          "frame " + std::to_string(i) + " " + to_string(fr.use) + (fr.vmap ? " (vmalloc)" : "") +
          (fr.use == FrameUse::kdata && !fr.vmap ? " slots=" + std::to_string(fr.slots) : ""));
  }
  for (std::size_t i = 0; i < s.direct.size(); ++i) {
    const DirectLeaf& d = s.direct[i];
    f.push_back("direct:" + std::to_string(i) + (d.present ? " " + rw(d.w) : " not present"));
  }
  for (std::size_t b = 0; b < s.blocks.size(); ++b)
    if (s.blocks[b].split)
      f.push_back("block " + std::to_string(b) + " split, table frame " +
                  std::to_string(s.blocks[b].table));
  for (std::size_t p = 0; p < s.vmalloc.size(); ++p) {
    const VmallocLeaf& v = s.vmalloc[p];
    if (v.frame >= 0)
      f.push_back("vmalloc:" + std::to_string(p) + " -> frame " + std::to_string(v.frame) +
                  (v.present ? " " + rw(v.w) + (v.nx ? " nx" : " x") : " not present"));
  }
  for (std::size_t g = 0; g < s.vgroup_table.size(); ++g)
    if (s.vgroup_table[g] >= 0)
      f.push_back("vmalloc group " + std::to_string(g) + " table frame " +
                  std::to_string(s.vgroup_table[g]));
  for (std::size_t i = 0; i < s.mms.size(); ++i) {
    const Mm& mm = s.mms[i];
    if (mm.life == Mm::Life::none) continue;
    f.push_back("mm " + std::to_string(i) + (mm.life == Mm::Life::alive ? " alive" : " exited") +
                (mm.pasid > 0 ? " pasid " + std::to_string(mm.pasid) : ""));
    for (std::size_t p = 0; p < mm.pages.size(); ++p) {
      const UserPage& u = mm.pages[p];
      if (u.kind == UserPage::Kind::novma) continue;
      f.push_back("mm " + std::to_string(i) + " user:" + std::to_string(p) +
                  (u.kind == UserPage::Kind::vma
                       ? " vma " + rw(u.w)
                       : " -> frame " + std::to_string(u.frame) + " " + rw(u.w)));
    }
  }
  for (int d = 0; d < m.device_count(); ++d) {
    const DeviceState& ds = s.devices[d];
    const std::string dn = m.device(d).name;
    for (std::size_t p = 0; p < ds.entries.size(); ++p) {
      if (ds.entries[p].present || ds.entries[p].fpd)
        f.push_back(dn + " " + pasid_name(static_cast<int>(p)) +
                    " entry: " + describe_entry(ds.entries[p]));
      if (ds.quiesced[p]) f.push_back(dn + " quiesced " + pasid_name(static_cast<int>(p)));
      for (const auto& [a, g] : ds.kva[p])
        f.push_back(dn + " " + pasid_name(static_cast<int>(p)) + " kva grant " + to_string(a) +
                    " frame " + std::to_string(g.frame) + " slots=" + std::to_string(g.slots) +
                    " " + rw(g.w));
      for (const auto& [a, l] : ds.mirror[p])
        f.push_back(dn + " " + pasid_name(static_cast<int>(p)) + " mirror " + to_string(a) +
                    " -> frame " + std::to_string(l.frame) + " " + rw(l.w));
    }
    for (std::size_t i = 0; i < ds.iova.size(); ++i) {
      const IovaPage& p = ds.iova[i];
      if (p.kind == IovaPage::Kind::free) continue;
      f.push_back(
          dn + " iova:" + std::to_string(i) +
          (p.kind == IovaPage::Kind::mapped ? " -> frame " : " queued for flush, was frame ") +
          std::to_string(p.frame) + " " + rw(p.w) + (p.bounced ? " (bounce)" : ""));
    }
  }
  for (std::size_t p = 1; p < s.pasids.size(); ++p) {
    const PasidOwner& o = s.pasids[p];
    if (o.kind == PasidOwner::Kind::kernel)
      f.push_back("pasid " + std::to_string(p) + " owned by kernel (" + m.device(o.id).name + ")");
    if (o.kind == PasidOwner::Kind::mm)
      f.push_back("pasid " + std::to_string(p) + " owned by mm " + std::to_string(o.id));
  }
  for (const auto& c : s.pasid_cache) {
    std::string leaves;
    for (const auto& [a, l] : c.frozen_mirror)
      leaves += " " + to_string(a) + "->frame " + std::to_string(l.frame) + " " + rw(l.w);
    f.push_back("pasid-cache[" + m.device(c.dev).name + ", " + pasid_name(c.pasid) + "] " +
                describe_entry(c.copy) + (c.copy.frozen ? " walks" + leaves : ""));
  }
  for (const auto& e : s.iotlb) f.push_back(describe_iotlb(m, e));
  for (const auto& e : s.psc) f.push_back(describe_psc(e));
  for (const auto& e : s.devtlb) f.push_back(describe_devtlb(m, e));
  for (const auto& r : s.prq)
    f.push_back("page request " + m.device(r.dev).name + " " + pasid_name(r.pasid) +
                " user:" + std::to_string(r.page) + " " + to_string(r.access) + " group " +
                std::to_string(r.group) + (r.stale ? " (stale)" : ""));
  return f;
}

std::vector<std::string> diff_facts(const std::vector<std::string>& before,
                                    const std::vector<std::string>& after) {
  std::vector<std::string> a = before, b = after, out;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::string> gone, came;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(gone));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(came));
  for (auto& x : gone) out.push_back("-" + x);
  for (auto& x : came) out.push_back("+" + x);
  return out;
}

}  // namespace pasidcheck::model
