// `pasidcheck import ftrace FILE`: a recording of a real kernel's IOMMU events
// (bench/realkernel/record.sh; docs/real-kernel.md) turned into a trace of the IOVA-mode model,
// replayed for conformance, and searched for the lazy-flush window of `no-dma-to-freed`.
//
// What each event becomes:
// - iommu/map (iova, paddr, size): per 4 KiB page, `dma_map` of the page's frame at the IOVA page
//   (frames and IOVA pages are numbered in first-sight order); a frame the recording never saw
//   allocated first gets a `kalloc` before the first event (assumed allocated earlier);
// - iommu/unmap: per page, a `dma` read by the device (assumed: the device used the buffer between
//   map and unmap, which is what fills the IOTLB), then `dma_unmap`;
// - intel_iommu/qi_submit, an IOTLB invalidation descriptor decoded per VT-d 3.x §6.5.2.3 (type
//   2, `iotlb_inv`) or §6.5.2.4 (type 6, `p_iotlb_inv`): domain-selective or global becomes
//   `fq_flush` (iommu_flush_iotlb_all() from the flush queue); page-selective is the invalidation
//   a strict `dma_unmap` already does (iommu_dma_unmap_page() -> iommu_iotlb_sync());
// - kmem/mm_page_alloc, kmem/mm_page_free of a mapped page: `kalloc`, `kfree` (slot 0).
// Page events about pages no device mapped are counted as unrelated; every other event that
// becomes no op is counted by kind and reason. None is dropped silently.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/trace.h"

namespace pasidcheck::cli {

struct ImportDeparture {
  int line = 0;  // the event's line in the recording (0: an assumed allocation before it)
  std::string op;
  std::string reason;  // the precondition the model names
};

// A freed page that the IOTLB may still reach: freed after its IOVA was unmapped and before an
// invalidation covering that IOVA.
struct FreedBeforeFlush {
  int free_line = 0, flush_line = 0;  // flush_line 0: not flushed by the end of the recording
  double free_time = 0, flush_time = 0;
  int events_between = 0;  // events from the free to the flush
};

struct ImportResult {
  std::string mode;  // strict or lazy
  std::string kernel, cmdline;
  model::Trace trace;                        // the ops that applied, with the replay's verdict
  std::vector<int> step_lines;               // per step: its event's line (0: assumed allocation)
  std::map<std::string, int> events;         // every event read, by kind
  std::map<std::string, int> not_expressed;  // events no op stands for, by kind and reason
  std::map<std::string, int> unrelated;      // page events about pages no device mapped
  int ops = 0;                               // ops the events became
  int events_explained = 0;  // events that became ops which all applied, or were absorbed
  int events_relevant = 0;   // every event but the unrelated ones
  std::vector<ImportDeparture> departures;
  std::vector<FreedBeforeFlush> windows;
};

// Throws model::TraceError (exit 3) for an unreadable or malformed recording, naming the line.
// `mode` ("strict", "lazy" or empty: the recording's header, else its command line) sets the
// preset's iova_flush knob.
ImportResult import_ftrace(const std::string& file, const std::string& mode);

}  // namespace pasidcheck::cli
