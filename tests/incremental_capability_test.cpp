// The incremental capability (properties/incremental_capability.h) equals the from-scratch one:
// for every preset and knock-out, on a config with four devices (trusted with ATS, external-facing,
// SATC, plain) and enough PASIDs for kernel, KVA and SVA bindings, after every op of generated
// sequences, cap(d) from the cache equals capability() element for element for every device, and
// check_all with the cache reports the same violations as from scratch. The cache lives across
// sequences, so it also meets jumps back to the boot state.
#include "properties/incremental_capability.h"

#include <gtest/gtest.h>

#include "fuzz/op_gen.h"
#include "model/footprint.h"
#include "model/knobs.h"
#include "model/translate.h"
#include "properties/property.h"
#include "tests/test_util.h"

namespace pasidcheck {
namespace {

using namespace model;

Config four_devices(const std::string& preset) {
  Config c = testing::config(preset);
  c.bounds.frames = 16;
  c.bounds.large = 4;
  c.bounds.pasids = 5;
  c.bounds.iova_pages = 4;
  c.bounds.vmalloc_pages = 4;
  c.bounds.text_pages = 1;
  c.bounds.mms = 2;
  c.bounds.iotlb_capacity = 6;
  c.devices = default_devices();
  c.devices.push_back({"satc0", false, true, false, true, true, true});
  c.devices.push_back({"plain0", false, false, false, false, false, true});
  c.devices_explicit = true;
  EXPECT_FALSE(validate_config(c).has_value()) << preset;
  return c;
}

std::vector<std::string> describe_all(const Model& m, const std::vector<properties::Violation>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(properties::describe(m, x));
  return out;
}

// The PASID lists the per-PASID checkers visit: the cache's equal the from-scratch Snapshot's.
void expect_same_lists(const Model& m, const State& s, const properties::CapabilityCache& cache,
                       int d) {
  const properties::Snapshot scratch(m, s);
  EXPECT_EQ(cache.pasids_in_use(d), scratch.pasids_in_use(d)) << "device " << d;
  EXPECT_EQ(cache.mirrored_pasids(d), scratch.mirrored_pasids(d)) << "device " << d;
}

TEST(IncrementalCapability, EqualsFromScratchAfterEveryOpForEveryPreset) {
  std::vector<const properties::Property*> all;
  ASSERT_FALSE(properties::select_properties({}, all).has_value());
  long long steps = 0, reused = 0, recomputed = 0, reaches = 0, violations = 0;
  long long in_use = 0, mirrored = 0, shared = 0;
  for (const auto& preset : preset_table()) {
    const Config c = four_devices(preset.name);
    if (check_bootable(c)) continue;
    const Model m(c);
    properties::CapabilityCache cache(m);
    for (int seed = 1; seed <= 12; ++seed) {
      const auto ops = fuzz::generated_ops(m, seed, 25);
      State s = m.boot();
      for (std::size_t i = 0; i < ops.size(); ++i) {
        const bool applied = m.apply(s, ops[i]).applied;
        ++steps;
        if (i == 0)  // back at boot from the previous sequence: compare everything
          cache.update(s);
        else
          cache.update_after(s, applied ? footprint(ops[i]) : Footprint{Footprint::Devices::none});
        const auto incremental = describe_all(m, properties::check_all(m, s, all, cache));
        for (int d = 0; d < m.device_count(); ++d) {
          const auto scratch = properties::capability(m, s, d);
          ASSERT_EQ(cache.cap(d), scratch) << preset.name << " seed " << seed << " step " << i
                                           << " (" << to_string(ops[i].kind) << ") device " << d;
          reaches += static_cast<long long>(scratch.size());
          expect_same_lists(m, s, cache, d);
          if (::testing::Test::HasFailure())
            FAIL() << preset.name << " seed " << seed << " step " << i;
          in_use += static_cast<long long>(cache.pasids_in_use(d).size());
          mirrored += static_cast<long long>(cache.mirrored_pasids(d).size());
        }
        ASSERT_EQ(incremental, describe_all(m, properties::check_all(m, s, all)))
            << preset.name << " seed " << seed << " step " << i;
        // check_first: the same verdicts, each with the first violation of the full report.
        std::vector<std::string> first, expected;
        for (const auto& v : properties::check_first(m, s, all, cache))
          first.push_back(properties::describe(m, v));
        std::string last;
        for (const auto& v : properties::check_all(m, s, all, cache))
          if (v.property != last) {
            expected.push_back(properties::describe(m, v));
            last = v.property;
          }
        ASSERT_EQ(first, expected) << preset.name << " seed " << seed << " step " << i;
        violations += static_cast<long long>(incremental.size());
      }
    }
    reused += cache.stats().pieces_reused;
    shared += cache.stats().kernel_walks_shared;
    recomputed += cache.stats().pieces_recomputed;
  }
  // Not vacuous: the cache both reused and recomputed pieces, over non-empty capabilities that
  // produced violations.
  EXPECT_GT(steps, 5000);
  EXPECT_GT(reused, recomputed);
  EXPECT_GT(recomputed, steps / 4);
  EXPECT_GT(reaches, steps);
  EXPECT_GT(violations, 0);
  EXPECT_GT(in_use, steps);
  EXPECT_GT(mirrored, 0);
  EXPECT_GT(shared, 0);  // kernel-table walks were copied between pieces, and still matched
}

TEST(IncrementalCapability, UnrelatedStatesInAnyOrder) {
  // The cache compares inputs, not ops: feeding it states of two different traces alternately
  // still gives the from-scratch answer every time.
  const Model m(four_devices("revamp"));
  properties::CapabilityCache cache(m);
  auto states_of = [&m](std::uint64_t seed) {
    std::vector<State> states;
    State s = m.boot();
    for (const Op& op : fuzz::generated_ops(m, seed, 30)) {
      m.apply(s, op);
      states.push_back(s);
    }
    return states;
  };
  const auto a = states_of(7);
  const auto b = states_of(8);
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (const State* s : {&a[i], &b[b.size() - 1 - i]}) {
      cache.update(*s);
      for (int d = 0; d < m.device_count(); ++d)
        ASSERT_EQ(cache.cap(d), properties::capability(m, *s, d)) << "step " << i << " dev " << d;
      for (int d = 0; d < m.device_count(); ++d) expect_same_lists(m, *s, cache, d);
      ASSERT_FALSE(::testing::Test::HasFailure()) << "step " << i;
    }
  }
}

TEST(IncrementalCapability, StrictMirrorWalksFindWhatWalkingEveryPageFinds) {
  // space_walk_reaches() walks only a strict mirror's leaves; walking every page of each space
  // with walk_tables() must reach the same (address, frame) pairs in the same order.
  long long compared = 0;
  for (const char* preset : {"revamp", "proposal-2021"}) {
    const Model m(four_devices(preset));
    for (int seed = 1; seed <= 40; ++seed) {
      State s = m.boot();
      for (const Op& op : fuzz::generated_ops(m, seed, 30)) {
        m.apply(s, op);
        for (int d = 0; d < m.device_count(); ++d)
          for (int p = 1; p < m.bounds().pasids; ++p) {
            bool cached = false;
            const PasidEntry e = effective_entry(s, d, p, &cached);
            if (!e.present || e.root != Root::mirror) continue;
            for (Space sp : properties::kWalkOrder) {
              if (!translates(e, sp)) continue;
              std::vector<std::pair<int, int>> every, walked;
              for (int page = 0; page < m.space_size(sp); ++page) {
                const Walk w = walk_tables(m, s, e, p, {sp, page});
                if (w.leaf.present) every.push_back({page, w.leaf.frame});
              }
              std::vector<properties::Reach> out;
              properties::space_walk_reaches(m, s, d, p, e, cached, sp, out);
              for (const auto& r : out)
                if (walked.empty() || walked.back() != std::pair{r.addr.page, r.frame})
                  walked.push_back({r.addr.page, r.frame});
              ASSERT_EQ(walked, every) << preset << " seed " << seed << " device " << d;
              compared += static_cast<long long>(every.size());
            }
          }
      }
    }
  }
  EXPECT_GT(compared, 0);  // some strict mirror had leaves
}

}  // namespace
}  // namespace pasidcheck
