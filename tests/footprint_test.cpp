// model/footprint.h names the devices whose DeviceState an op may write. No device outside an
// applied op's footprint changes, a rejected op changes nothing, and of the devices an op touches
// only the parts it names (entries, domain, grants, mirrors) change; an op that names no frames
// leaves the frame array as it was. Checked on generated op
// sequences of every preset (four devices), and on every trace of corpora/, whose directed steps
// reach what random sequences rarely do (a notifier syncing a strict mirror).
#include "model/footprint.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/op_gen.h"
#include "model/knobs.h"
#include "model/trace.h"
#include "tests/test_util.h"

namespace pasidcheck {
namespace {

using namespace model;

struct Counts {
  long long checked = 0, outside = 0, narrowed = 0, mirrors_changed = 0, frames_kept = 0;
};

// Applies `op` to `s` and checks the footprint against what changed; `where` names the step. A
// rejected op must change nothing.
void apply_and_check(const Model& m, State& s, const Op& op, const std::string& where, Counts& n) {
  using P = Footprint::Part;
  const State before = s;
  const bool applied = m.apply(s, op).applied;
  const Footprint fp = applied ? footprint(op) : Footprint{Footprint::Devices::none, -1, 0, false};
  const auto outside = outside_footprint(before, s, fp);
  EXPECT_FALSE(outside.has_value())
      << where << ": " << to_string(op.kind) << (applied ? "" : " (rejected)") << " "
      << outside.value_or("") << ", outside its footprint";
  n.frames_kept += !fp.frames;
  for (int d = 0; d < m.device_count(); ++d) {
    ++n.checked;
    if (fp.touches(d)) {
      n.narrowed += fp.parts != P::every;
      n.mirrors_changed +=
          fp.parts == P::mirrors && before.devices[d].mirror != s.devices[d].mirror;
    } else {
      ++n.outside;
    }
  }
}

TEST(Footprint, NoDeviceOutsideTheFootprintChangesOnGeneratedOps) {
  Counts n;
  for (const auto& preset : preset_table()) {
    Config c = testing::config(preset.name);
    c.bounds.pasids = 4;
    c.bounds.text_pages = 1;
    c.devices = default_devices();
    c.devices.push_back({"satc0", false, true, false, true, true, true});
    c.devices.push_back({"plain0", false, false, false, false, false, true});
    c.devices_explicit = true;
    if (validate_config(c) || check_bootable(c)) continue;
    const Model m(c);
    for (int seed = 1; seed <= 20; ++seed) {
      State s = m.boot();
      for (const Op& op : fuzz::generated_ops(m, seed, 30))
        apply_and_check(m, s, op, preset.name + " seed " + std::to_string(seed), n);
      ASSERT_FALSE(HasFailure());
    }
  }
  EXPECT_GT(n.outside, n.checked / 2);  // the footprint is narrow most of the time
  EXPECT_GT(n.narrowed, n.checked / 20);
  EXPECT_GT(n.frames_kept, 0);
}

TEST(Footprint, NoDeviceOutsideTheFootprintChangesOnCorpusTraces) {
  Counts n;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(PASIDCHECK_SOURCE_DIR "/corpora")) {
    if (e.path().extension() != ".json") continue;
    const Trace t = load_trace(e.path().string());
    const Model m(t.config);
    State s = m.boot();
    for (std::size_t i = 0; i < t.steps.size(); ++i)
      apply_and_check(m, s, t.steps[i].op, e.path().string() + " step " + std::to_string(i), n);
    ASSERT_FALSE(HasFailure());
  }
  EXPECT_GT(n.outside, 0);
  EXPECT_GT(n.mirrors_changed, 0);  // the notifier is seen syncing a strict mirror
}

}  // namespace
}  // namespace pasidcheck
