// Google Benchmark for the hot paths of issue 8: applying ops, and checking all ten properties
// after every op from scratch or with the incremental capability
// (properties/incremental_capability.h). The workload is fixed: 200 op sequences of 30 ops each,
// drawn by the `check` generator (fuzz/op_gen.h) with seeds 1..200, on the small default config,
// 256 frames, and 1024 frames with 16 devices and 64 PASIDs. Items/s is model steps per second,
// single-threaded.
//
//   build/bench/pasidcheck_bench --benchmark_format=json
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "fuzz/op_gen.h"
#include "model/footprint.h"
#include "model/trace.h"
#include "properties/incremental_capability.h"
#include "properties/property.h"

namespace {

using namespace pasidcheck;

model::Config config_of(int which) {
  nlohmann::json j{{"preset", "revamp"}};
  if (which == 1)
    j["bounds"] = {{"frames", 256},    {"large", 8},   {"slots", 4},       {"vmalloc_pages", 32},
                   {"iova_pages", 32}, {"pasids", 16}, {"user_pages", 16}, {"mms", 4}};
  if (which == 2)
    j["bounds"] = {{"frames", 1024},   {"large", 8},   {"slots", 4},       {"vmalloc_pages", 64},
                   {"iova_pages", 64}, {"pasids", 64}, {"user_pages", 16}, {"mms", 4}};
  model::Config c = model::parse_config(j, "bench");
  if (which == 2) {
    c.devices.clear();
    for (int d = 0; d < 16; ++d) {
      model::DeviceAttrs a = model::default_devices()[d % 2];
      a.name += "_" + std::to_string(d);
      c.devices.push_back(a);
    }
    c.devices_explicit = true;
  }
  return c;
}

struct Workload {
  model::Config config;
  model::Model m;
  model::State boot;
  std::vector<std::vector<model::Op>> seqs;
  explicit Workload(int which) : config(config_of(which)), m(config), boot(m.boot()) {
    for (int i = 0; i < 200; ++i) seqs.push_back(fuzz::generated_ops(m, i + 1, 30));
  }
};

const Workload& workload(int which) {
  static const Workload w0(0), w1(1), w2(2);
  return which == 0 ? w0 : which == 1 ? w1 : w2;
}

enum class Props { none, from_scratch, incremental, verdicts };

template <Props P>
void BM_Steps(benchmark::State& bs) {
  const Workload& w = workload(static_cast<int>(bs.range(0)));
  std::vector<const properties::Property*> all;
  properties::select_properties({}, all);
  properties::CapabilityCache cache(w.m);
  long long steps = 0;
  std::size_t i = 0;
  model::State s;
  for (auto _ : bs) {
    bs.PauseTiming();  // resetting to the boot state is not a step
    s = w.boot;
    bs.ResumeTiming();
    if constexpr (P == Props::incremental || P == Props::verdicts)
      cache.update(s);  // back at boot: a full comparison
    for (const auto& op : w.seqs[i]) {
      const bool applied = w.m.apply(s, op).applied;
      if constexpr (P == Props::from_scratch)
        benchmark::DoNotOptimize(properties::check_all(w.m, s, all));
      if constexpr (P == Props::incremental || P == Props::verdicts) {
        cache.update_after(
            s, applied ? model::footprint(op) : model::Footprint{model::Footprint::Devices::none});
        if constexpr (P == Props::incremental)
          benchmark::DoNotOptimize(properties::check_all(w.m, s, all, cache));
        else
          benchmark::DoNotOptimize(properties::check_first(w.m, s, all, cache));
      }
    }
    steps += static_cast<long long>(w.seqs[i].size());
    i = (i + 1) % w.seqs.size();
  }
  bs.SetItemsProcessed(steps);
}

void Args(benchmark::internal::Benchmark* b) {
  b->ArgName("config")->Arg(0)->Arg(1)->Arg(2);  // 0: small, 1: 256 frames, 2: 1024/16/64
}

BENCHMARK(BM_Steps<Props::none>)->Name("apply")->Apply(Args);
BENCHMARK(BM_Steps<Props::from_scratch>)->Name("apply+properties/from_scratch")->Apply(Args);
BENCHMARK(BM_Steps<Props::incremental>)->Name("apply+properties/incremental")->Apply(Args);
// What `check` runs after every op: incremental, and the first violation per property only.
BENCHMARK(BM_Steps<Props::verdicts>)->Name("apply+properties/incremental_verdicts")->Apply(Args);

}  // namespace

BENCHMARK_MAIN();
