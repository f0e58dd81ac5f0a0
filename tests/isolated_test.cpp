// run_isolated() (solver/isolated.h): Spacer's query runs in a child process, so that a crash of
// Debian's Z3 inside it, a hang or an exception comes back as a reason, never as the end of the
// run.
#include "solver/isolated.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <stdexcept>

namespace pasidcheck {
namespace {

using solver::run_isolated;

TEST(Isolated, ReturnsTheChildsReply) {
  const auto r = run_isolated(30, [] { return std::string(100000, 'x') + "end"; });
  ASSERT_TRUE(r.reply.has_value()) << r.failure;
  EXPECT_EQ(r.reply->size(), 100003u);  // more than a pipe buffer
  EXPECT_EQ(r.reply->substr(100000), "end");
}

TEST(Isolated, ACrashIsAFailureNotTheEndOfTheRun) {
  const auto r = run_isolated(30, []() -> std::string {
    raise(SIGKILL);  // as the Z3 segfault, but no sanitizer can intercept it
    return "unreachable";
  });
  EXPECT_FALSE(r.reply.has_value());
  EXPECT_NE(r.failure.find("crashed (signal 9"), std::string::npos) << r.failure;
}

TEST(Isolated, AHangIsKilledAtTheDeadline) {
  const auto r = run_isolated(0.5, []() -> std::string {
    for (;;) pause();
  });
  EXPECT_FALSE(r.reply.has_value());
  EXPECT_NE(r.failure.find("timeout"), std::string::npos) << r.failure;
}

TEST(Isolated, AnExceptionIsAFailureWithItsMessage) {
  const auto r = run_isolated(30, []() -> std::string { throw std::runtime_error("no model"); });
  EXPECT_FALSE(r.reply.has_value());
  EXPECT_NE(r.failure.find("no model"), std::string::npos) << r.failure;
}

}  // namespace
}  // namespace pasidcheck
