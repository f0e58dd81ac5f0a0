#include <gtest/gtest.h>

#include "model/knobs.h"
#include "model/ops.h"

namespace pasidcheck {
namespace {

using namespace model;

TEST(Knobs, EveryPresetAndKnockOutExists) {
  for (const std::string name :
       {"legacy-2021", "linux-6.12", "linux-fixed", "proposal-2021", "revamp"})
    EXPECT_TRUE(preset(name).has_value()) << name;
  const Knobs revamp = *preset("revamp");
  int knockouts = 0;
  for (const auto& p : preset_table()) {
    if (p.name.rfind("revamp-", 0) != 0) continue;
    ++knockouts;
    EXPECT_FALSE(*preset(p.name) == revamp) << p.name << " must differ from revamp";
  }
  EXPECT_EQ(knockouts, 17);
  EXPECT_EQ(preset("revamp-no-ptcollapse")->kpt_notifier, kNotifyAll & ~kNotifyPtcollapse);
  EXPECT_EQ(preset("linux-fixed")->kpt_notifier, kNotifyPtfree);
  EXPECT_FALSE(preset("nonsense").has_value());
}

TEST(Knobs, SetAndGetRoundTrip) {
  Knobs k;
  for (const auto& info : knob_table()) {
    for (const auto& v : info.values) {
      const std::vector<std::string> value{v};
      ASSERT_FALSE(set_knob(k, info.name, value).has_value()) << info.name << "=" << v;
      EXPECT_EQ(get_knob(k, info.name), value) << info.name;
    }
  }
  EXPECT_TRUE(set_knob(k, "no_such_knob", {"on"}).has_value());
  EXPECT_TRUE(set_knob(k, "wpe", {"true"}).has_value());
  EXPECT_TRUE(set_knob(k, "kpt_notifier", {"cpa", "bogus"}).has_value());
  EXPECT_FALSE(set_knob(k, "kpt_notifier", {}).has_value());
  EXPECT_EQ(k.kpt_notifier, 0);
}

TEST(Ops, CatalogueMatchesEnumOrder) {
  const auto& cat = op_catalogue();
  ASSERT_EQ(cat.size(), 31u);
  for (std::size_t i = 0; i < cat.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(cat[i].kind), i) << cat[i].name;
    OpKind k;
    ASSERT_TRUE(parse(cat[i].name, k));
    EXPECT_EQ(k, cat[i].kind);
  }
}

}  // namespace
}  // namespace pasidcheck
