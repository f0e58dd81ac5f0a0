/*
 * kcore in Promela: the reduced core pasidcheck's Z3 engines encode (docs/engines.md, "kcore";
 * solver/kcore_z3.cpp), written by hand the way a kernel engineer would model it for SPIN, for
 * the SPIN-vs-pasidcheck comparison of issue 8 (bench/peers/run.sh).
 *
 * The core: one direct-map large block of 3 frames (split by CPA, collapsed by kpt_free), one
 * vmalloc group of one page, two devices in KVA mode each with one kernel PASID: dsa0 (trusted,
 * fast KVA: it walks the CPU kernel table through the IOTLB and the paging-structure cache) and
 * tbt0 (external-facing, strict KVA: a mirror table), the PASID cache, and the kernel page-table
 * notifier (NOTIFIER: the event bits of MODEL.md §5 kpt_notifier). The variant is `revamp`, row
 * kva/both: `pasidcheck prove --kcore --preset revamp --rows kva/both` explores the same system.
 * Properties: no-stale-iotlb and no-wx-dma (PROP selects which one is asserted; none for counts).
 *
 * Every state variable is one of kcore's (solver/kcore.h Layout); variables that stay 0 in the
 * kva rows (the DMA domain, RID_PASID) are left out. Fields of an absent entry are kept at 0
 * (normalize), as in kcore's projection, so equal states are equal vectors.
 */
#ifndef NOTIFIER
#define NOTIFIER 63  /* cpa 1, alias 2, pagealloc 4, vfree 8, ptfree 16, ptcollapse 32 */
#endif
#ifndef KVA_DIRECT_ONLY
#define KVA_DIRECT_ONLY 1  /* revamp: kva_range=direct_map */
#endif
#define EV_CPA 1
#define EV_ALIAS 2
#define EV_VFREE 8
#define EV_PTFREE 16
#define EV_PTCOLLAPSE 32
#define NOTIFIES(ev) ((NOTIFIER & (ev)) != 0)

#define FREE 0
#define KDATA 1
#define KPT 2
#define KERNEL_DEV 0  /* dsa0: fast KVA, the CPU kernel table */
#define MIRROR_DEV 1  /* tbt0: strict KVA, a mirror */
#define VADDR 3       /* addresses: direct:0..2 are 0..2, vmalloc:0 is 3 */
#define DA(d, a) ((d) * 4 + (a))

/* Frames and the CPU kernel page table. */
byte use[3];
bit vmap[3];
bit dp[3];
bit dw[3];
bit split;
byte btab;
bit vm;
byte vf;
bit vw;
bit vnx;
bit gh;
byte gt;
/* Devices: PASID enabled (KVA mode), PASID cache. */
bit en[2];
bit pc[2];
/* kva_map grants, the strict mirror, IOTLB entries of the device's PASID (per device x addr). */
bit g[8];
byte gf[8];
bit gw[8];
bit mr[8];
byte mf[8];
bit mw[8];
bit it[8];
byte itf[8];
bit itw[8];
bit itnx[8];
bit itl[8];
bit itfr[8];
/* Paging-structure cache of the fast device: direct block and vmalloc group entries. */
bit pdv[2];
byte pdt[2];
bit pdfr[2];
bit pdre[2];
bit pdzp[2];
bit pdzw[2];
bit pvv[2];
byte pvt[2];
bit pvfr[2];
bit pvre[2];

/* Temporaries of one op (reset at its end, so they never tell two states apart; not `hidden`,
   which SPIN's breadth-first search does not allow). */
byte i, j, d, t0, f0, lf;
byte b0, b1, b2, lp, lw;

/* cpu_executable(): a present vmalloc leaf maps the frame without NX. */
#define CPU_EXEC(f) (vm && !vnx && vf == (f))
#define LIVE_GRANT(f) \
  ((g[0] && gf[0] == (f)) || (g[1] && gf[1] == (f)) || (g[2] && gf[2] == (f)) || \
   (g[3] && gf[3] == (f)) || (g[4] && gf[4] == (f)) || (g[5] && gf[5] == (f)) || \
   (g[6] && gf[6] == (f)) || (g[7] && gf[7] == (f)))
#define LIVE_WRITE_GRANT(f) \
  ((g[0] && gw[0] && gf[0] == (f)) || (g[1] && gw[1] && gf[1] == (f)) || \
   (g[2] && gw[2] && gf[2] == (f)) || (g[3] && gw[3] && gf[3] == (f)) || \
   (g[4] && gw[4] && gf[4] == (f)) || (g[5] && gw[5] && gf[5] == (f)) || \
   (g[6] && gw[6] && gf[6] == (f)) || (g[7] && gw[7] && gf[7] == (f)))
/* plan_direct(): does the block stay uniform with frame f's leaf set to (p, w)? */
#define UNIFORM_AFTER(f, p, w) \
  (((f) == 0 || (dp[0] == (p) && dw[0] == (w))) && ((f) == 1 || (dp[1] == (p) && dw[1] == (w))) && \
   ((f) == 2 || (dp[2] == (p) && dw[2] == (w))))

/* take_frame(): a new use; a freed table frame cached in a PSC entry becomes reused (§8.6). */
inline take_frame(f, u) {
  use[f] = u;
  for (d : 0 .. 1) {
    if
    :: pdv[d] && pdfr[d] && pdt[d] == f -> pdre[d] = 1
    :: else -> skip
    fi;
    if
    :: pvv[d] && pvfr[d] && pvt[d] == f -> pvre[d] = 1
    :: else -> skip
    fi
  }
}

/* release_frame(): cached translations naming the frame are marked freed; a PSC entry naming it
   as a table remembers the leaves it held. */
inline release_frame(f, zp, zw) {
  use[f] = FREE;
  vmap[f] = 0;
  for (i : 0 .. 7) {
    if
    :: it[i] && (itl[i] || itf[i] == f) -> itfr[i] = 1
    :: else -> skip
    fi
  }
  for (d : 0 .. 1) {
    if
    :: pdv[d] && pdt[d] == f && !pdfr[d] -> pdre[d] = 0; pdzp[d] = zp; pdzw[d] = zw; pdfr[d] = 1
    :: else -> skip
    fi;
    if
    :: pvv[d] && pvt[d] == f && !pvfr[d] -> pvre[d] = 0; pvfr[d] = 1
    :: else -> skip
    fi
  }
}

inline split_block(t) {
  take_frame(t, KPT);
  btab = t;
  split = 1
}

/* The CPU leaf of kernel address a into (lp, lf, lw). */
inline cpu_leaf(a) {
  if
  :: a < 3 -> lp = dp[a]; lf = a; lw = dw[a]
  :: else -> lp = vm; lf = vf; lw = vw
  fi
}

/* kpt_notify() for one page a: the fast device drops the kernel-table translations covering it,
   the strict device re-syncs its mirror leaf (min(kva_map prot, CPU leaf), or removes it). */
inline notify(a) {
  for (j : 0 .. 3) {
    if
    :: j == a || (j < 3 && a < 3 && itl[DA(KERNEL_DEV, j)]) -> it[DA(KERNEL_DEV, j)] = 0
    :: else -> skip
    fi
  }
  if
  :: a < 3 -> pdv[KERNEL_DEV] = 0
  :: else -> pvv[KERNEL_DEV] = 0
  fi;
  if
  :: mr[DA(MIRROR_DEV, a)] ->
    cpu_leaf(a);
    if
    :: lp -> mf[DA(MIRROR_DEV, a)] = lf;
             mw[DA(MIRROR_DEV, a)] = g[DA(MIRROR_DEV, a)] && gw[DA(MIRROR_DEV, a)] && lw
    :: else -> mr[DA(MIRROR_DEV, a)] = 0
    fi;
    it[DA(MIRROR_DEV, a)] = 0
  :: else -> skip
  fi
}

/* kpt_notify_all(): every kernel-table translation of the fast device goes. */
inline notify_all() {
  for (j : 0 .. 3) { it[DA(KERNEL_DEV, j)] = 0 }
  pdv[KERNEL_DEV] = 0;
  pvv[KERNEL_DEV] = 0
}

/* Every field of an absent entry is 0. */
inline normalize() {
  if :: !split -> btab = 0 :: else -> skip fi;
  if :: !gh -> gt = 0 :: else -> skip fi;
  if :: !vm -> vf = 0; vw = 0; vnx = 0 :: else -> skip fi;
  for (i : 0 .. 7) {
    if :: !g[i] -> gf[i] = 0; gw[i] = 0 :: else -> skip fi;
    if :: !mr[i] -> mf[i] = 0; mw[i] = 0 :: else -> skip fi;
    if :: !it[i] -> itf[i] = 0; itw[i] = 0; itnx[i] = 0; itl[i] = 0; itfr[i] = 0 :: else -> skip fi
  }
  for (d : 0 .. 1) {
    if :: !pdv[d] -> pdt[d] = 0; pdfr[d] = 0; pdre[d] = 0; pdzp[d] = 0; pdzw[d] = 0 :: else -> skip fi;
    if :: !pvv[d] -> pvt[d] = 0; pvfr[d] = 0; pvre[d] = 0 :: else -> skip fi
  }
}

/* ---- Properties (properties/*.cpp over cap(d); solver/kcore_z3_properties.cpp). ---- */

/* IOTLB entry k of the fast device holds frame f (a large entry covers frames itf..2). */
#define IN_SPAN(k, f) ((itl[k] && itf[k] <= (f)) || (!itl[k] && itf[k] == (f)))
/* The current walk of direct:q permits frame f (for writing if w). */
#define DIRECT_NOW(q, f, w) (en[KERNEL_DEV] && dp[q] && (!(w) || dw[q]) && (!split || (q) == (f)))
#define LARGE_NOW(f, w) (DIRECT_NOW(0, f, w) || DIRECT_NOW(1, f, w) || DIRECT_NOW(2, f, w))
/* A direct IOTLB entry j of the fast device grants (f, w) beyond the current tables. */
#define STALE_DIRECT_FW(j, f, w) \
  (IN_SPAN(j, f) && (!(w) || itw[j]) && \
   !((itl[j] && LARGE_NOW(f, w)) || (!itl[j] && DIRECT_NOW(j, f, w))))
#define STALE_DIRECT(j) \
  (it[j] && (STALE_DIRECT_FW(j, 0, 0) || STALE_DIRECT_FW(j, 0, 1) || STALE_DIRECT_FW(j, 1, 0) || \
             STALE_DIRECT_FW(j, 1, 1) || STALE_DIRECT_FW(j, 2, 0) || STALE_DIRECT_FW(j, 2, 1)))
#define STALE_VMALLOC \
  (it[VADDR] && !(en[KERNEL_DEV] && gh && vm && vf == itf[VADDR] && (!itw[VADDR] || vw)))
#define STALE_MIRROR(a) \
  (it[DA(MIRROR_DEV, a)] && \
   !(en[MIRROR_DEV] && mr[DA(MIRROR_DEV, a)] && mf[DA(MIRROR_DEV, a)] == itf[DA(MIRROR_DEV, a)] && \
     (!itw[DA(MIRROR_DEV, a)] || mw[DA(MIRROR_DEV, a)])))
#define STALE_PSC \
  ((pdv[KERNEL_DEV] && !(en[KERNEL_DEV] && split && btab == pdt[KERNEL_DEV])) || \
   (pvv[KERNEL_DEV] && !(en[KERNEL_DEV] && gh && gt == pvt[KERNEL_DEV])))
#define BAD_STALE_IOTLB \
  (STALE_DIRECT(0) || STALE_DIRECT(1) || STALE_DIRECT(2) || STALE_VMALLOC || STALE_MIRROR(0) || \
   STALE_MIRROR(1) || STALE_MIRROR(2) || STALE_MIRROR(3) || STALE_PSC)

/* Does some device write frame f: cached IOTLB entries, mirror leaves, stale PSC entries, and
   fresh walks of the kernel table by the fast device. */
#define IOTLB_WRITES(k, f) (it[k] && itw[k] && IN_SPAN(k, f))
#define PD_STALE (pdv[KERNEL_DEV] && !(split && btab == pdt[KERNEL_DEV]))
#define PV_STALE (pvv[KERNEL_DEV] && !(gh && gt == pvt[KERNEL_DEV]))
#define FAST_WRITES(f) \
  (en[KERNEL_DEV] && \
   (IOTLB_WRITES(0, f) || IOTLB_WRITES(1, f) || IOTLB_WRITES(2, f) || IOTLB_WRITES(3, f) || \
    (PD_STALE && pdre[KERNEL_DEV]) || (PD_STALE && !pdre[KERNEL_DEV] && pdzp[KERNEL_DEV] && pdzw[KERNEL_DEV]) || \
    (PV_STALE && pvre[KERNEL_DEV]) || (split && dp[f] && dw[f]) || (!split && dp[0] && dw[0]) || \
    (gh && vm && vf == (f) && vw)))
#define STRICT_WRITES(f) \
  (en[MIRROR_DEV] && \
   (IOTLB_WRITES(4, f) || IOTLB_WRITES(5, f) || IOTLB_WRITES(6, f) || IOTLB_WRITES(7, f) || \
    (mr[4] && mw[4] && mf[4] == (f)) || (mr[5] && mw[5] && mf[5] == (f)) || \
    (mr[6] && mw[6] && mf[6] == (f)) || (mr[7] && mw[7] && mf[7] == (f))))
#define BAD_WX_DMA (vm && !vnx && (FAST_WRITES(vf) || STRICT_WRITES(vf)))

#if PROP == 1
#define CHECK assert(!BAD_STALE_IOTLB)
#elif PROP == 2
#define CHECK assert(!BAD_WX_DMA)
#else
#define CHECK skip
#endif
#define RESET_TMP i = 0; j = 0; d = 0; t0 = 0; f0 = 0; lf = 0; b0 = 0; b1 = 0; b2 = 0; lp = 0; lw = 0
#define STEP(body) d_step { body; normalize(); CHECK; RESET_TMP }

/* ---- The ops (model/*.cpp do_*; solver/kcore_z3.cpp encode_act). ---- */

/* do_kalloc(): a free frame becomes a slab object. */
#define KALLOC(f) :: STEP(use[f] == FREE -> take_frame(f, KDATA))
/* do_kfree(): a slab object with no live grant. */
#define KFREE(f) :: STEP(use[f] == KDATA && !vmap[f] && !LIVE_GRANT(f) -> release_frame(f, 0, 0))
/* do_vmalloc(): the group's table first (frame t), then the data frame f. */
#define VMALLOC(f, t) \
  :: STEP(!vm && use[f] == FREE && (gh || (t != f && use[t] == FREE)) -> \
          if :: !gh -> take_frame(t, KPT); gt = t; gh = 1 :: else -> skip fi; \
          take_frame(f, KDATA); vmap[f] = 1; vm = 1; vf = f; vw = 1; vnx = 1)
/* do_vfree(): the alias is reset to RW (splitting the block with table t if needed), the leaf is
   cleared, the frame freed, the notifier told about both addresses. */
#define VFREE(t) \
  :: STEP(vm && !LIVE_GRANT(vf) && \
          (dp[vf] && dw[vf] || split || UNIFORM_AFTER(vf, 1, 1) || use[t] == FREE) -> \
          f0 = vf; b0 = !(dp[f0] && dw[f0]); \
          if :: b0 && !split && !UNIFORM_AFTER(f0, 1, 1) -> split_block(t) :: else -> skip fi; \
          if :: b0 -> dp[f0] = 1; dw[f0] = 1 :: else -> skip fi; \
          vm = 0; release_frame(f0, 0, 0); \
          if :: NOTIFIES(EV_VFREE) -> notify(VADDR); notify(f0) :: else -> skip fi)
/* do_set_memory() on vmalloc:0 with attr ro (0), rw (1) or rox (2); cpa_process_alias() keeps
   the direct-map alias's W in step (splitting the block with table t if needed). */
#define NEXT_W(attr) (attr == 1)
#define NEXT_NX(attr) (attr == 2 -> 0 : vnx)
#define SETMEM_V(attr, t) \
  :: STEP(vm && !(NEXT_W(attr) && !NEXT_NX(attr)) && !(!NEXT_NX(attr) && LIVE_WRITE_GRANT(vf)) && \
          (dw[vf] == NEXT_W(attr) || split || UNIFORM_AFTER(vf, dp[vf], NEXT_W(attr)) || \
           use[t] == FREE) -> \
          f0 = vf; b1 = NEXT_NX(attr); b0 = (dw[f0] != NEXT_W(attr)); \
          if :: b0 && !split && !UNIFORM_AFTER(f0, dp[f0], NEXT_W(attr)) -> split_block(t) \
             :: else -> skip fi; \
          if :: b0 -> dw[f0] = NEXT_W(attr) :: else -> skip fi; \
          vw = NEXT_W(attr); vnx = b1; \
          if :: NOTIFIES(EV_CPA) -> notify(VADDR) :: else -> skip fi; \
          if :: NOTIFIES(EV_ALIAS) && b0 -> notify(f0) :: else -> skip fi)
/* do_set_memory() on direct:f with attr ro (0) or rw (1). */
#define SETMEM_D(f, attr, t) \
  :: STEP(!(attr == 1 && !dw[f] && CPU_EXEC(f)) && \
          (split || UNIFORM_AFTER(f, dp[f], attr == 1) || use[t] == FREE) -> \
          if :: !split && !UNIFORM_AFTER(f, dp[f], attr == 1) -> split_block(t) :: else -> skip fi; \
          dw[f] = (attr == 1); \
          if :: NOTIFIES(EV_CPA) -> notify(f) :: else -> skip fi)
/* do_kpt_free(direct): CPA collapse of a uniform split block. */
#define KPT_FREE_D \
  :: STEP(split && dp[1] == dp[0] && dp[2] == dp[0] && dw[1] == dw[0] && dw[2] == dw[0] -> \
          t0 = btab; split = 0; release_frame(t0, dp[0], dw[0]); \
          if :: NOTIFIES(EV_PTCOLLAPSE) -> notify_all() :: else -> skip fi)
/* do_kpt_free(vmalloc): the empty group's table page. */
#define KPT_FREE_V \
  :: STEP(gh && !vm -> t0 = gt; gh = 0; release_frame(t0, 0, 0); \
          if :: NOTIFIES(EV_PTFREE) -> notify_all() :: else -> skip fi)
/* do_pasid_enable(mode=kva). */
#define PASID_ENABLE(dv) :: STEP(!en[dv] -> en[dv] = 1)
/* do_kva_map(): a grant of a kdata frame the CPU maps at a; strict KVA also installs the mirror
   leaf min(prot, CPU leaf). vmalloc addresses are refused (kva_range=direct_map): a no-op. */
#define KVA_OK(dv, a, w) \
  (en[dv] && !g[DA(dv, a)] && \
   ((a) < 3 && dp[(a) % 3] && use[(a) % 3] == KDATA && !((w) && CPU_EXEC(a)) || \
    (a) == 3 && vm && use[vf] == KDATA && (KVA_DIRECT_ONLY || !((w) && CPU_EXEC(vf)))))
#define KVA_MAP(dv, a, w) \
  :: STEP(KVA_OK(dv, a, w) -> \
          if :: !(KVA_DIRECT_ONLY && a == 3) -> \
               cpu_leaf(a); g[DA(dv, a)] = 1; gf[DA(dv, a)] = lf; gw[DA(dv, a)] = w; \
               if :: dv == MIRROR_DEV -> mr[DA(dv, a)] = 1; mf[DA(dv, a)] = lf; \
                                        mw[DA(dv, a)] = (w && lw) \
                  :: else -> skip fi \
             :: else -> skip fi)
/* do_kva_unmap(): strict PASIDs also flush the mirror's IOTLB entry. */
#define KVA_UNMAP(dv, a) \
  :: STEP(g[DA(dv, a)] -> g[DA(dv, a)] = 0; mr[DA(dv, a)] = 0; \
          if :: dv == MIRROR_DEV -> it[DA(dv, a)] = 0 :: else -> skip fi)
/* do_iommu_walk(priv=supervisor): the PASID cache fills, then a fresh walk fills PSC and IOTLB. */
inline fill_iotlb(k, frame, w, nx, large) {
  it[k] = 1; itf[k] = frame; itw[k] = w; itnx[k] = nx; itl[k] = large; itfr[k] = 0
}
#define WALK_MIRROR(a) \
  :: STEP(true -> \
          if :: en[MIRROR_DEV] -> pc[MIRROR_DEV] = 1 :: else -> skip fi; \
          if :: en[MIRROR_DEV] && mr[DA(MIRROR_DEV, a)] -> \
               fill_iotlb(DA(MIRROR_DEV, a), mf[DA(MIRROR_DEV, a)], mw[DA(MIRROR_DEV, a)], 1, 0) \
             :: else -> skip fi)
#define WALK_DIRECT(a) \
  :: STEP(true -> \
          if :: en[KERNEL_DEV] -> pc[KERNEL_DEV] = 1 :: else -> skip fi; \
          if :: en[KERNEL_DEV] && split -> \
               pdv[KERNEL_DEV] = 1; pdt[KERNEL_DEV] = btab; pdfr[KERNEL_DEV] = 0; \
               pdre[KERNEL_DEV] = 0; pdzp[KERNEL_DEV] = 0; pdzw[KERNEL_DEV] = 0; \
               if :: dp[a] -> fill_iotlb(a, a, dw[a], 1, 0) :: else -> skip fi \
             :: en[KERNEL_DEV] && !split && dp[a] -> fill_iotlb(0, 0, dw[a], 1, 1) \
             :: else -> skip fi)
#define WALK_VMALLOC \
  :: STEP(true -> \
          if :: en[KERNEL_DEV] -> pc[KERNEL_DEV] = 1 :: else -> skip fi; \
          if :: en[KERNEL_DEV] && gh -> \
               pvv[KERNEL_DEV] = 1; pvt[KERNEL_DEV] = gt; pvfr[KERNEL_DEV] = 0; pvre[KERNEL_DEV] = 0; \
               if :: vm -> fill_iotlb(VADDR, vf, vw, vnx, 0) :: else -> skip fi \
             :: else -> skip fi)
/* do_cache_evict(iotlb): the entry for a, or a large one covering it. */
#define HIT(dv, jj, a) (it[DA(dv, jj)] && ((jj) == (a) || ((jj) < 3 && (a) < 3 && itl[DA(dv, jj)])))
#define EVICT_IOTLB(dv, a) \
  :: STEP(HIT(dv, 0, a) || HIT(dv, 1, a) || HIT(dv, 2, a) || HIT(dv, 3, a) -> \
          b0 = HIT(dv, 0, a); b1 = HIT(dv, 1, a); b2 = HIT(dv, 2, a); lp = HIT(dv, 3, a); \
          if :: b0 -> it[DA(dv, 0)] = 0 :: else -> skip fi; \
          if :: b1 -> it[DA(dv, 1)] = 0 :: else -> skip fi; \
          if :: b2 -> it[DA(dv, 2)] = 0 :: else -> skip fi; \
          if :: lp -> it[DA(dv, 3)] = 0 :: else -> skip fi)
#define EVICT_PSC_D(dv) :: STEP(pdv[dv] -> pdv[dv] = 0)
#define EVICT_PSC_V(dv) :: STEP(pvv[dv] -> pvv[dv] = 0)
#define EVICT_PASID(dv) :: STEP(pc[dv] -> pc[dv] = 0)

#define F3(X) X(0) X(1) X(2)
#define KVA_ALL(dv) \
  KVA_MAP(dv, 0, 0) KVA_MAP(dv, 1, 0) KVA_MAP(dv, 2, 0) KVA_MAP(dv, 3, 0) \
  KVA_MAP(dv, 0, 1) KVA_MAP(dv, 1, 1) KVA_MAP(dv, 2, 1) KVA_MAP(dv, 3, 1) \
  KVA_UNMAP(dv, 0) KVA_UNMAP(dv, 1) KVA_UNMAP(dv, 2) KVA_UNMAP(dv, 3) \
  EVICT_IOTLB(dv, 0) EVICT_IOTLB(dv, 1) EVICT_IOTLB(dv, 2) EVICT_IOTLB(dv, 3) \
  EVICT_PSC_D(dv) EVICT_PSC_V(dv) EVICT_PASID(dv) PASID_ENABLE(dv)
#define VMALLOC_T(t) VMALLOC(0, t) VMALLOC(1, t) VMALLOC(2, t)
#define SETMEM_V_T(t) SETMEM_V(0, t) SETMEM_V(1, t) SETMEM_V(2, t)
#define SETMEM_D_T(t) SETMEM_D(0, 0, t) SETMEM_D(0, 1, t) SETMEM_D(1, 0, t) SETMEM_D(1, 1, t) \
  SETMEM_D(2, 0, t) SETMEM_D(2, 1, t)

init {
  d_step { dp[0] = 1; dp[1] = 1; dp[2] = 1; dw[0] = 1; dw[1] = 1; dw[2] = 1 };
  do
  F3(KALLOC) F3(KFREE) F3(VMALLOC_T) F3(VFREE) F3(SETMEM_V_T) F3(SETMEM_D_T)
  KPT_FREE_D KPT_FREE_V
  KVA_ALL(0) KVA_ALL(1)
  WALK_DIRECT(0) WALK_DIRECT(1) WALK_DIRECT(2) WALK_VMALLOC
  WALK_MIRROR(0) WALK_MIRROR(1) WALK_MIRROR(2) WALK_MIRROR(3)
  od
}
