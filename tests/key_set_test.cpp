// The explicit engine's visited-state set (solver/key_set.h) against std::set on keys that share
// prefixes, differ in length only, are empty, and cross block and table-growth boundaries.
#include "solver/key_set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

namespace pasidcheck {
namespace {

TEST(KeySet, AgreesWithStdSetAcrossGrowthAndBlocks) {
  solver::KeySet keys;
  std::set<std::string> want;
  std::mt19937 rng(7);
  for (int i = 0; i < 200000; ++i) {
    // Short keys from a small alphabet repeat often; some are long enough to fill blocks fast.
    const std::size_t len = rng() % 50 == 0 ? 2000 + rng() % 3000 : rng() % 12;
    std::string k(len, '\0');
    for (auto& c : k) c = static_cast<char>(rng() % 3);
    const bool fresh = want.insert(k).second;
    ASSERT_EQ(keys.insert(k), fresh) << "key " << i << " of length " << len;
    ASSERT_TRUE(keys.contains(k));
  }
  EXPECT_EQ(keys.size(), want.size());
  EXPECT_GT(keys.bytes(), std::size_t{1} << 20);  // more than one block was used
  EXPECT_FALSE(keys.contains(std::string(13, '\3')));
  EXPECT_TRUE(keys.contains(""));
  // Keys larger than a block (a 16,384-frame state is about 115 KB; these are larger still).
  const std::string huge(3 << 20, 'x'), other = huge + "y";
  EXPECT_TRUE(keys.insert(huge));
  EXPECT_TRUE(keys.insert(other));
  EXPECT_TRUE(keys.insert("after"));
  EXPECT_FALSE(keys.insert(huge));
  EXPECT_FALSE(keys.insert(other));
  EXPECT_TRUE(keys.contains("after"));
}

}  // namespace
}  // namespace pasidcheck
