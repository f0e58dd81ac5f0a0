#include "solver/isolated.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>

#include "model/stop.h"

namespace pasidcheck::solver {

namespace {

void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = write(fd, s.data() + done, s.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

Isolated run_isolated(double seconds, const std::function<std::string()>& work) {
  Isolated out;
  int fds[2];
  if (pipe(fds) != 0) {
    out.failure = std::string("pipe: ") + std::strerror(errno);
    return out;
  }
  std::fflush(nullptr);  // else the child would flush the parent's buffered output again
  const pid_t pid = fork();
  if (pid < 0) {
    out.failure = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return out;
  }
  if (pid == 0) {  // the child: reply, then leave without the parent's atexit handlers
    // A Ctrl-C reaches the whole process group: the parent decides (it kills the child).
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    close(fds[0]);
    int rc = 0;
    try {
      write_all(fds[1], work());
    } catch (const std::exception& e) {
      write_all(fds[1], e.what());
      rc = 2;
    }
    close(fds[1]);
    _exit(rc);
  }
  close(fds[1]);
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  std::string reply;
  bool killed = false;
  char buf[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || stop_requested()) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    const int ready = poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;  // the child closed the pipe: it is done
    reply.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (killed) {
    out.failure = stop_requested()
                      ? std::string("interrupted")
                      : "timeout after " + std::to_string(static_cast<int>(seconds)) + " s";
  } else if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    out.failure = "Z3 crashed (signal " + std::to_string(sig) + ", " + strsignal(sig) +
                  ") in the child process; the cell is undecided";
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    out.reply = reply;
  } else {
    out.failure = "the child process failed: " + reply;
  }
  return out;
}

}  // namespace pasidcheck::solver
