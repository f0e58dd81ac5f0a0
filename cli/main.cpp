// pasidcheck: a formal model and property checker for kernel DMA with PASID and SVA.
// The only catch-all: every error path ends here with a fixed exit code (TRACE-FORMAT.md).
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "cli/gate.h"
#include "model/stop.h"
#include "model/trace.h"
#include "solver/engine.h"

namespace {

// SIGINT/SIGTERM: the first asks every long loop to stop at its next step boundary (model/stop.h);
// SA_RESETHAND restores the default action, so a second signal ends the process at once.
extern "C" void on_stop_signal(int) {
  pasidcheck::request_stop();
  static const char msg[] =
      "\npasidcheck: stopping at the next step boundary; what is complete will be written, "
      "marked incomplete (signal again to abort)\n";
  [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
}

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// A write error on standard output (a full disk, /dev/full) is an error, not a silent success.
// A run cut short by a signal is at best inconclusive (exit 2); a violation found is still 1.
int finish(int rc) {
  std::cout.flush();
  if (pasidcheck::stop_requested()) {
    std::cerr << "pasidcheck: interrupted: the results above are incomplete\n";
    rc = pasidcheck::cli::worse_exit(rc, 2);
  }
  if (std::cout) return rc;
  std::cerr << "pasidcheck: cannot write to standard output\n";
  return pasidcheck::cli::worse_exit(rc, 4);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pasidcheck::cli;
  CLI::App app{
      std::string("pasidcheck: check kernel DMA with PASID and SVA designs against security "
                  "invariants.\n") +
      pasidcheck::cli::kExitCodes};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("pasidcheck ") + PASIDCHECK_VERSION + " (commit " +
                                        PASIDCHECK_COMMIT + "), Z3 " +
                                        pasidcheck::solver::z3_version() + ", RapidCheck " +
                                        PASIDCHECK_RAPIDCHECK_VERSION + " (Debian package)");
  install_stop_handlers();
  set_invocation(argc, argv);
  int rc = 0;
  OptionStore store;
  add_replay(app, store, rc);
  add_explain(app, store, rc);
  add_list(app, store, rc);
  add_check(app, store, rc);
  add_minimize(app, store, rc);
  add_bench(app, store, rc);
  add_prove(app, store, rc);
  add_matrix(app, store, rc);
  add_corpus(app, store, rc);
  add_report(app, store, rc);
  add_import(app, store, rc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 3;
  } catch (const pasidcheck::model::InputError& e) {  // TraceError too
    std::cerr << "pasidcheck: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "pasidcheck: internal error: " << e.what() << "\n";
    return 4;
  }
  if (app.get_subcommands().empty()) {
    // The main job: the design-space verdict table with default budgets.
    try {
      return finish(run_default_matrix());
    } catch (const pasidcheck::model::InputError& e) {
      std::cerr << "pasidcheck: " << e.what() << "\n";
      return 3;
    } catch (const std::exception& e) {
      std::cerr << "pasidcheck: internal error: " << e.what() << "\n";
      return 4;
    }
  }
  return finish(rc);
}
