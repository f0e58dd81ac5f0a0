// libFuzzer target: any bytes -> a trace or a TraceError (exit 3 in the CLI), never a crash, hang
// or leak. Parsed traces that fit a small universe are also replayed with every property,
// explained, and round-tripped through JSON (load -> save -> load must give the same trace).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "model/trace.h"
#include "properties/explain.h"
#include "properties/replay.h"

using namespace pasidcheck;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return 0;
  }
  model::Trace t;
  try {
    t = model::parse_trace(j, "fuzz.json");
  } catch (const model::TraceError&) {
    return 0;
  }
  const model::Bounds& b = t.config.bounds;
  const bool small = b.frames <= 64 && b.pasids <= 16 && t.config.devices.size() <= 4 &&
                     b.vmalloc_pages <= 64 && b.iova_pages <= 64 && b.user_pages <= 64 &&
                     b.mms <= 4 && t.steps.size() <= 64;
  if (!small) return 0;
  const model::Trace back = model::parse_trace(model::trace_to_json(t), "roundtrip");
  if (!(back.steps == t.steps) || !(back.expect == t.expect) ||
      !(back.config.knobs == t.config.knobs))
    std::abort();
  const auto r = properties::replay(t);
  (void)properties::explain(t, r);
  return 0;
}
