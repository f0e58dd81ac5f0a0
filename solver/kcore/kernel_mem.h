// The kernel-memory actions of the kcore transition (model/kernel_mem.cpp: slab and vmalloc
// pages, set_memory and its alias, DEBUG_PAGEALLOC, page-table frees), generic over the term type
// as kcore/transition.h is, which calls this for them. Each case mirrors the op it names.
#pragma once

#include "solver/kcore/encoder.h"

namespace pasidcheck::solver::kcore::detail {

// Slab objects and vmalloc pages: kalloc, kfree, vmalloc, vfree.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_slab_vmalloc_act() {
  switch (act) {
    case kKalloc:  // do_kalloc(): a free frame becomes a slab on its first slot
      if (L.slots() > 1) {
        const expr bit = y.slot_bit(in.slot()), held = y.frame_field(s, &Layout::slab_slots, f);
        const expr free = y.use_of(s, f) == y.use_val(kUseFree);
        const expr slab =
            y.use_of(s, f) == y.use_val(kUseKdata) && !y.frame_field(s, &Layout::vmap, f);
        pre = free || (slab && !y.holds(held, bit));
        y.take_frame(free, f, kUseKdata);
        for (int i = 0; i < L.frames(); ++i)
          y.put(L.slab_slots(i), f == y.frame_val(i), held | bit);
        break;
      }
      pre = y.use_of(s, f) == y.use_val(kUseFree);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.take_frame(y.yes(), f, kUseKdata);
      break;
    case kKfree:  // do_kfree(): a slab object with no live grant; the last one frees the frame
      if (L.slots() > 1) {
        const expr bit = y.slot_bit(in.slot()), held = y.frame_field(s, &Layout::slab_slots, f);
        pre = y.use_of(s, f) == y.use_val(kUseKdata) && !y.frame_field(s, &Layout::vmap, f) &&
              y.holds(held, bit) && !y.live_slot_grant(s, f, bit);
        const expr left = held & ~bit;
        for (int i = 0; i < L.frames(); ++i) y.put(L.slab_slots(i), f == y.frame_val(i), left);
        y.release_frame(left == c.bv_val(0, 2), f, y.no(), y.no());
        break;
      }
      pre = y.use_of(s, f) == y.use_val(kUseKdata) && !y.frame_field(s, &Layout::vmap, f) &&
            !y.live_grant(s, f, false);
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.release_frame(y.yes(), f, y.no(), y.no());
      break;
    case kVmalloc: {  // do_vmalloc(): the group's table first, then the data frame
      const expr has = s[L.vgroup_has_table()];
      pre =
          !y.vpage_field(s, &Layout::vmalloc_mapped, in.vpage()) &&
          y.use_of(s, f) == y.use_val(kUseFree) &&
          (has || (in.table_frame() != f && y.use_of(s, in.table_frame()) == y.use_val(kUseFree)));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.take_frame(!has, in.table_frame(), kUseKpt);
      y.put(L.vgroup_table(), !has, in.table_frame());
      y.put(L.vgroup_has_table(), !has, y.yes());
      y.take_frame(y.yes(), f, kUseKdata);
      for (int i = 0; i < L.frames(); ++i) y.put(L.vmap(i), f == y.frame_val(i), y.yes());
      for (int v = 0; v < kVpages; ++v) {
        const expr here = in.vpage() == c.bv_val(v, 1);
        y.put(L.vmalloc_mapped(v), here, y.yes());
        y.put(L.vmalloc_frame(v), here, f);
        y.put(L.vmalloc_w(v), here, y.yes());
        y.put(L.vmalloc_nx(v), here, y.yes());
      }
      break;
    }
    case kVfree: {  // do_vfree(): alias reset to RW (may split), leaf cleared, frame freed
      const expr vf = y.vpage_field(s, &Layout::vmalloc_frame, in.vpage());
      const expr need_reset = !(y.frame_field(s, &Layout::direct_present, vf) &&
                                y.frame_field(s, &Layout::direct_w, vf));
      const expr need_split =
          need_reset && !s[L.block_split()] && !y.uniform_after(vf, y.yes(), y.yes());
      pre = y.vpage_field(s, &Layout::vmalloc_mapped, in.vpage()) && !y.live_grant(s, vf, false) &&
            (!need_split || y.use_of(s, in.table_frame()) == y.use_val(kUseFree));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.split_block(need_split, in.table_frame());
      y.set_dp(need_reset, vf, y.yes());
      y.set_dw(need_reset, vf, y.yes());
      for (int v = 0; v < kVpages; ++v)
        y.put(L.vmalloc_mapped(v), in.vpage() == c.bv_val(v, 1), y.no());
      y.release_frame(y.yes(), vf, y.no(), y.no());
      y.notify(model::kNotifyVfree, {{y.yes(), y.vaddr(in.vpage())}, {y.yes(), y.daddr(vf)}});
      break;
    }
    default:  // another group's (encode_kernel_mem_act() dispatches)
      break;
  }
}

// Direct-map and vmalloc attributes: set_memory, DEBUG_PAGEALLOC, page-table frees.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_page_attr_act() {
  switch (act) {
    case kSetMemV: {  // do_set_memory() on vmalloc:page, cpa_process_alias() on its frame
      const expr vf = y.vpage_field(s, &Layout::vmalloc_frame, in.vpage());
      const auto is = [&](int a) { return in.attr == c.bv_val(a, kAttrBits); };
      // with_attr(): ro/rox clear W, rw sets it; rox/x clear NX, nx sets it; np/p the presence.
      const expr w_of_attr = ite(is(kRw), y.yes(), y.no());
      const expr sets_w = is(kRw) || is(kRo) || is(kRox);
      const expr next_w = ite(sets_w, w_of_attr, y.vpage_field(s, &Layout::vmalloc_w, in.vpage()));
      const expr next_nx =
          ite(is(kRox) || is(kX), y.no(),
              ite(is(kNx), y.yes(), y.vpage_field(s, &Layout::vmalloc_nx, in.vpage())));
      const expr next_np =
          ite(is(kNp), y.yes(),
              ite(is(kP), y.no(), y.vpage_field(s, &Layout::vmalloc_not_present, in.vpage())));
      const expr np_p = c.bool_val(V.np_p) && (is(kNp) || is(kP));  // not in the rows
      pre = (ult(in.attr, c.bv_val(kNx + 1, kAttrBits)) || np_p) &&
            y.vpage_field(s, &Layout::vmalloc_mapped, in.vpage()) && !(next_w && !next_nx) &&
            !(!next_nx && y.live_grant(s, vf, true));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      expr changed = y.no();
      if (V.cpa_alias) {  // x and nx leave the alias alone (it stays NX)
        const expr dp = y.frame_field(s, &Layout::direct_present, vf),
                   dw = y.frame_field(s, &Layout::direct_w, vf);
        const expr alias_p = ite(is(kNp), y.no(), ite(is(kP), y.yes(), dp));
        const expr alias_w = ite(sets_w, w_of_attr, dw);
        changed = !is(kX) && !is(kNx) && (dp != alias_p || dw != alias_w);
        // W^X covers aliases: no present executable page with a writable alias afterwards.
        pre = pre && !(!next_np && !next_nx && alias_p && alias_w);
        const expr need_split =
            changed && !s[L.block_split()] && !y.uniform_after(vf, alias_p, alias_w);
        pre = pre && (!need_split || y.use_of(s, in.table_frame()) == y.use_val(kUseFree));
        if (known_false(pre)) break;  // refused: the caller drops the successor
        y.split_block(need_split, in.table_frame());
        y.set_dp(changed, vf, alias_p);
        y.set_dw(changed, vf, alias_w);
      }
      for (int v = 0; v < kVpages; ++v) {
        const expr here = in.vpage() == c.bv_val(v, 1);
        y.put(L.vmalloc_w(v), here, next_w);
        y.put(L.vmalloc_nx(v), here, next_nx);
        y.put(L.vmalloc_not_present(v), here, next_np);
      }
      y.notify(model::kNotifyCpa, {{y.yes(), y.vaddr(in.vpage())}});
      y.notify(model::kNotifyAlias, {{changed, y.daddr(vf)}});
      break;
    }
    case kSetMemD: {  // do_set_memory() on direct:frame (split_large_page() when non-uniform)
      const auto is = [&](int a) { return in.attr == c.bv_val(a, kAttrBits); };
      const expr dw = y.frame_field(s, &Layout::direct_w, f);
      const expr new_w = ite(is(kRw), y.yes(), ite(is(kRo), y.no(), dw));
      const expr new_p =
          ite(is(kNp), y.no(), ite(is(kP), y.yes(), y.frame_field(s, &Layout::direct_present, f)));
      const expr need_split = !s[L.block_split()] && !y.uniform_after(f, new_p, new_w);
      const expr np_p = c.bool_val(V.np_p) && (is(kNp) || is(kP));  // not in the rows
      pre = (is(kRo) || is(kRw) || np_p) && !(new_w && !dw && y.cpu_exec(s, f)) &&
            (!need_split || y.use_of(s, in.table_frame()) == y.use_val(kUseFree));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.split_block(need_split, in.table_frame());
      y.set_dp(y.yes(), f, new_p);
      y.set_dw(y.yes(), f, new_w);
      y.notify(model::kNotifyCpa, {{y.yes(), y.daddr(f)}});
      break;
    }
    case kPageallocUnmap:  // do_pagealloc_unmap(): a free frame leaves the direct map
    case kPageallocMap: {  // do_pagealloc_map(): an allocated frame returns (RW)
      const bool unmap = act == kPageallocUnmap;
      const expr used = y.use_of(s, f) != y.use_val(kUseFree);
      const expr dp = y.frame_field(s, &Layout::direct_present, f);
      pre = c.bool_val(V.pagealloc) && s[L.block_split()] &&
            (unmap ? !used && dp : used && !dp && !y.cpu_exec(s, f));
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.set_dp(y.yes(), f, c.bool_val(!unmap));
      y.set_dw(y.yes(), f, c.bool_val(!unmap));  // P and RW together (§8.35)
      y.notify(model::kNotifyPagealloc, {{y.yes(), y.daddr(f)}});
      break;
    }
    case kKptFreeD: {  // do_kpt_free(direct): CPA collapse of a uniform split block; never with
                       // DEBUG_PAGEALLOC (the direct map stays 4 KiB-granular)
      expr uniform = c.bool_val(!V.pagealloc) && s[L.block_split()];
      for (int i = 1; i < L.frames(); ++i)
        uniform = uniform && s[L.direct_present(i)] == s[L.direct_present(0)] &&
                  s[L.direct_w(i)] == s[L.direct_w(0)];
      pre = uniform;
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.put(L.block_split(), y.yes(), y.no());
      y.release_frame(y.yes(), s[L.block_table()], s[L.direct_present(0)], s[L.direct_w(0)]);
      y.notify_all(model::kNotifyPtcollapse);
      break;
    }
    case kKptFreeV:  // do_kpt_free(vmalloc): an empty group's table page
      pre = s[L.vgroup_has_table()];
      for (int v = 0; v < kVpages; ++v) pre = pre && !s[L.vmalloc_mapped(v)];
      if (known_false(pre)) break;  // refused: the caller drops the successor
      y.put(L.vgroup_has_table(), y.yes(), y.no());
      y.release_frame(y.yes(), s[L.vgroup_table()], y.no(), y.no());
      y.notify_all(model::kNotifyPtfree);
      break;
    default:  // another group's (encode_kernel_mem_act() dispatches)
      break;
  }
}

// A kernel-memory action's precondition (`pre`: true so far); its updates go to y.n.
template <class Ctx, class Vec>
void Encoder<Ctx, Vec>::encode_kernel_mem_act() {
  switch (act) {
    case kKalloc:
    case kKfree:
    case kVmalloc:
    case kVfree:
      return encode_slab_vmalloc_act();
    case kSetMemV:
    case kSetMemD:
    case kPageallocUnmap:
    case kPageallocMap:
    case kKptFreeD:
    case kKptFreeV:
      return encode_page_attr_act();
    default:  // another family's (family_of() in kcore.h)
      return;
  }
}

}  // namespace pasidcheck::solver::kcore::detail
