// kcore against the executable model on every reachable state of a row (solver/kcore/validate.h,
// `prove --validate`): no mismatch on every variant's small rows, the same reachable set as
// kcore-bfs where exhausted, the symbolic transition at --kcore-slots 2, and mutants caught (the
// executable model with one rule changed by a knob, explored against the unchanged kcore).
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "model/input_error.h"
#include "model/knobs.h"
#include "solver/engine.h"
#include "solver/kcore/kcore.h"
#include "solver/kcore/validate.h"
#include "tests/test_util.h"

namespace pasidcheck {
namespace {

namespace kc = solver::kcore;

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kVariantStride = 6;
constexpr long long kStates = 3000;
#else
constexpr std::size_t kVariantStride = 1;
constexpr long long kStates = 30000;
#endif

model::Config kcore_of(const std::string& preset, kc::Size size = {}) {
  return kc::make_config(testing::config(preset), size);
}

TEST(KcoreValidate, EveryVariantsSmallRowsAgreeOnEveryStateAndInput) {
  long long pairs = 0, exhausted = 0;
  const auto& table = model::preset_table();
  for (std::size_t i = 0; i < table.size(); i += kVariantStride) {
    const std::string preset = table[i].name;
    if (kc::unsupported(testing::config(preset))) continue;
    for (const std::string row : {"bypass/untrusted", "kva/untrusted"}) {
      const model::Config c = kcore_of(preset);
      const auto v = kc::validate(c, {row, kStates, 600, std::nullopt});
      ASSERT_FALSE(v.mismatch) << preset << " " << row << ": " << *v.mismatch;
      EXPECT_EQ(v.evaluator, "compiled");
      EXPECT_GT(v.transitions, v.states) << preset << " " << row;
      EXPECT_EQ(v.verdicts, v.states * static_cast<long long>(kc::property_ids().size()));
      pairs += v.transitions;
      if (!v.exhausted) continue;
      ++exhausted;
      // Agreement on every transition makes the reachable sets equal: kcore-bfs's states are
      // exactly the projections of the model's.
      solver::ProveProblem p{.config = c,
                             .property = kc::property_ids().front(),
                             .depth = 100,
                             .timeout = 600,
                             .row = row,
                             .max_states = kStates * 2};
      const auto b = solver::make_engine("kcore-bfs")->check_properties(p, kc::property_ids());
      long long bfs_states = 0;
      for (const auto& r : b) bfs_states = std::max(bfs_states, r.states);
      const bool all_violated = std::all_of(
          b.begin(), b.end(), [](const auto& r) { return r.verdict == solver::Verdict::violated; });
      if (!all_violated) {
        EXPECT_EQ(v.kcore_states, bfs_states) << preset << " " << row;
      }
    }
  }
  std::cout << pairs << " (state, input) pairs compared; " << exhausted << " rows exhausted\n";
  EXPECT_GT(exhausted, 0);
}

TEST(KcoreValidate, TwoSlotsAgreeThroughTheSymbolicTransition) {
  const model::Config c = kcore_of("revamp", {kc::kFrames, kc::kDevices, 2});
  const auto v = kc::validate(c, {"iova/untrusted", kStates / 30, 600, std::nullopt});
  ASSERT_FALSE(v.mismatch) << *v.mismatch;
  EXPECT_EQ(v.evaluator, "symbolic");
  EXPECT_GT(v.transitions, 0);
}

// A mutant is the executable model with one transition rule changed (a knob that kcore's
// variant reads), explored against revamp's kcore: the validation must stop with a mismatch,
// and the ops it gives reach the state where they part.
TEST(KcoreValidate, CatchesMutants) {
  struct Mutant {
    std::string row, knob;
    std::vector<std::string> value;
  };
  for (const Mutant& mu :
       {Mutant{"kva/untrusted", "kpt_notifier", {}}, Mutant{"iova/trusted", "iova_flush", {"lazy"}},
        Mutant{"kva/untrusted", "cpa_alias", {"off"}}}) {
    const model::Config c = kcore_of("revamp");
    model::Config mutant = c;
    if (auto err = model::set_knob(mutant.knobs, mu.knob, mu.value)) FAIL() << *err;
    const auto v = kc::validate(c, {mu.row, 200000, 600, mutant});
    const std::string what = mu.knob + "=" + (mu.value.empty() ? "" : mu.value.front());
    ASSERT_TRUE(v.mismatch) << what << " not caught on " << mu.row;
    ASSERT_TRUE(v.at.has_value());
    std::cout << what << " on " << mu.row << " caught after " << v.states << " states, "
              << v.at->steps.size() << " ops: " << *v.mismatch << "\n";
  }
}

// Every knob, at every value, is either read by variant_of() (the kcore Variant changes: its
// transition, boot state or properties differ) or refused (unsupported() or InputError), never
// silently ignored: a kcore proof then always speaks of the knobs it was asked about.
TEST(KcoreValidate, EveryKnobIsReadOrRefused) {
  const model::Config base = testing::config("revamp");
  const kc::Variant base_variant = kc::variant_of(kc::make_config(base));
  int read = 0, refused = 0, equivalent = 0;
  for (const auto& knob : model::knob_table()) {
    const auto current = model::get_knob(base.knobs, knob.name);
    for (const auto& value : knob.values) {
      std::vector<std::string> values{value};
      if (values == current) continue;  // the base's own value
      model::Config cfg = base;
      ASSERT_FALSE(model::set_knob(cfg.knobs, knob.name, values)) << knob.name << "=" << value;
      if (kc::unsupported(cfg)) {
        ++refused;
        continue;
      }
      try {
        const kc::Variant v = kc::variant_of(kc::make_config(cfg));
        // The device policies (trust, ats) act through each device's derived trust, ATS and PRI:
        // a value that derives the same for kcore's devices is the same config here.
        const model::Model was(kc::make_config(base)), now(kc::make_config(cfg));
        bool same_devices = true;
        for (int d = 0; d < was.device_count(); ++d)
          same_devices = same_devices && was.trusted(d) == now.trusted(d) &&
                         was.ats(d) == now.ats(d) && was.pri(d) == now.pri(d);
        if (same_devices && (knob.name == "trust" || knob.name == "ats")) {
          EXPECT_TRUE(v == base_variant) << knob.name << "=" << value;
          ++equivalent;
          continue;
        }
        EXPECT_FALSE(v == base_variant) << "kcore ignores " << knob.name << "=" << value
                                        << ": variant_of() must read it or refuse the config";
        ++read;
      } catch (const model::InputError&) {
        ++refused;
      }
    }
  }
  EXPECT_GT(read, 10);  // the test saw the knobs it is about
  std::cout << "knob values read by kcore: " << read << ", refused: " << refused
            << ", the same for kcore's devices: " << equivalent << "\n";
}

}  // namespace
}  // namespace pasidcheck
