// A computation run in a child process (fork), so that a crash or a hang in it costs an
// `unknown`, not the whole run: Debian 12's Z3 4.8.12 Spacer segfaults inside
// Z3_fixedpoint_query_relations() on some kcore queries (docs/engines.md, "Spacer in a child
// process").
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace pasidcheck::solver {

struct Isolated {
  std::optional<std::string> reply;  // what `work` returned, if the child finished
  std::string failure;               // else why not: "timeout after ...", "Z3 crashed ..."
};

// Runs `work` in a child process and returns its result, or kills the child (SIGKILL) after
// `seconds`. The caller must not hold other threads' locks (fork copies only this thread).
Isolated run_isolated(double seconds, const std::function<std::string()>& work);

}  // namespace pasidcheck::solver
