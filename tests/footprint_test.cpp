// model/footprint.h names the devices whose DeviceState an op may write. For generated op
// sequences of every preset, on a config with four devices, no device outside an applied op's
// footprint changes, and a rejected op changes nothing.
#include "model/footprint.h"

#include <gtest/gtest.h>

#include "fuzz/op_gen.h"
#include "model/knobs.h"
#include "tests/test_util.h"

namespace pasidcheck {
namespace {

using namespace model;

TEST(Footprint, NoDeviceOutsideTheFootprintChanges) {
  long long checked = 0, outside = 0;
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
      for (const Op& op : fuzz::generated_ops(m, seed, 30)) {
        const State before = s;
        const bool applied = m.apply(s, op).applied;
        const Footprint fp = footprint(op);
        for (int d = 0; d < m.device_count(); ++d) {
          ++checked;
          if (applied && fp.touches(d)) continue;
          ++outside;
          ASSERT_TRUE(before.devices[d] == s.devices[d])
              << preset.name << " seed " << seed << ": " << to_string(op.kind) << " changed device "
              << d << " outside its footprint";
        }
      }
    }
  }
  EXPECT_GT(outside, checked / 2);  // the footprint is narrow most of the time
}

}  // namespace
}  // namespace pasidcheck
