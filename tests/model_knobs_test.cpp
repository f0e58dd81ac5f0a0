#include <gtest/gtest.h>

#include "model/knobs.h"
#include "model/ops.h"
#include "tests/test_util.h"

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
  ASSERT_EQ(cat.size(), kOpKinds);
  for (std::size_t i = 0; i < cat.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(cat[i].kind), i) << cat[i].name;
    OpKind k;
    ASSERT_TRUE(parse(cat[i].name, k));
    EXPECT_EQ(k, cat[i].kind);
  }
}

// W^X covers aliases (docs/model.md decision 17): with the alias rule, `set_memory x` (which Linux
// applies without alias processing) is refused while the frame's direct-map alias is writable;
// without the rule the alias stays writable, the W+X that cpa_alias=off shows.
TEST(Knobs, CpaAliasRefusesExecutableCodeWithAWritableAlias) {
  auto set_memory = [](Addr a, Attr attr, std::vector<int> alias_tables = {}) {
    Op op;
    op.kind = OpKind::set_memory;
    op.addr = a;
    op.attr = attr;
    op.alias_table_frames = std::move(alias_tables);
    return op;
  };
  for (const std::string alias : {"on", "off"}) {
    const Model m(testing::config("linux-6.12", {{"cpa_alias", {alias}}}));
    State s = m.boot();
    Op vmalloc;
    vmalloc.kind = OpKind::vmalloc;
    vmalloc.page = 0;
    vmalloc.frame = 2;
    vmalloc.table_frames = {5};
    testing::must(m, s, vmalloc);
    testing::must(m, s, set_memory({Space::vmalloc, 0}, Attr::ro, {6}));
    testing::must(m, s, set_memory({Space::direct, 2}, Attr::rw));
    const Op x = set_memory({Space::vmalloc, 0}, Attr::x);
    if (alias == "on") {
      EXPECT_NE(testing::rejected(m, s, x).find("alias direct:2 is writable"), std::string::npos);
      testing::must(m, s, set_memory({Space::direct, 2}, Attr::ro));
    }
    testing::must(m, s, x);
    EXPECT_FALSE(s.vmalloc[0].nx);
    EXPECT_EQ(s.direct[2].w, alias == "off");
  }
}

}  // namespace
}  // namespace pasidcheck
