// A replayed trace as a timeline, for the HTML report (cli/html_report.h): the steps (op, outcome,
// the sentence `explain` gives, violations) and, lane by lane, every fact of the state as a bar
// from the step it appeared to the step it went away (model/describe.h's facts, so the bars say
// exactly what `replay` prints). A bar is marked stale from the step its text says the frame or
// table behind it was freed, or a property names it; the bar the first violation goes through
// (its "via") is marked as the path. Kernel page-table leaves and frames that never change are left
// out (the lane shows the leaves and tables that changed).
#pragma once

#include <nlohmann/json.hpp>

#include "model/trace.h"

namespace pasidcheck::properties {

// Lanes, top to bottom: op, kpt (CPU kernel page table), frames, pasid (PASID-table entries and
// owners), pasid-cache, iotlb, psc, devtlb, grants (KVA grants, mirrors, IOVA pages), mm (user
// mappings), prq (page requests), access (device accesses: dma, ats_translate, iommu_walk).
const std::vector<std::string>& timeline_lanes();

// {"name", "description", "variant", "steps": [{"i", "op", "outcome", "sentence", "access",
//  "violations": [text]}], "bars": [{"lane", "key", "from", "to", "stale", "via",
//  "segments": [{"from", "label"}]}], "violation_step", "via", "bad_input"}.
// Step -1 is the initial state; "to" is the step that removed the fact (steps.size(): never).
nlohmann::json trace_timeline(const model::Trace& t);

}  // namespace pasidcheck::properties
