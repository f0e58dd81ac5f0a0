#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/gate.h"
#include "cli/html_report.h"
#include "cli/matrix.h"
#include "model/knobs.h"

namespace pasidcheck::cli {

namespace {

struct MatrixCli {
  MatrixOptions opt;
  std::string format = "text";
  bool quiet = false;
  bool html = false;  // also index.html (cli/html_report.h)
};

int run(MatrixCli& c) {
  const bool tty = isatty(STDERR_FILENO) && !c.quiet;
  if (tty)
    c.opt.progress = [](int done, int total, double elapsed) {
      const double eta = done > 0 ? elapsed * (total - done) / done : 0;
      std::cerr << "\r  matrix: " << done << "/" << total << " row phases, "
                << static_cast<int>(elapsed) << " s elapsed, ETA " << static_cast<int>(eta)
                << " s   " << std::flush;
    };
  // The output folder is checked before any work, and a previous run's tables and variant
  // folders are removed, so that the folder holds exactly what matrix.json lists.
  check_output_dir(c.opt.out, "--out");
  const std::filesystem::path out(c.opt.out);
  // Only a folder that holds a previous matrix.json is cleared (never a folder of the user's
  // that happens to have a subfolder named like a variant).
  if (std::filesystem::exists(out / "matrix.json")) {
    for (const auto& p : model::preset_table()) std::filesystem::remove_all(out / p.name);
    for (const char* f :
         {"matrix.txt", "matrix.md", "matrix.json", "matrix.junit.xml", "index.html"})
      std::filesystem::remove(out / f);
  }
  Matrix m = run_matrix(c.opt);
  m.command = invocation();
  m.commit = PASIDCHECK_COMMIT;
  m.date = utc_date();
  if (tty) std::cerr << "\n";
  // Every format is also written next to the counterexamples.
  write_file_atomic((out / "matrix.txt").string(),
                    matrix_text(m, false) + "\n" + matrix_summary(m));
  write_file_atomic((out / "matrix.md").string(), matrix_text(m, true) + "\n" + matrix_summary(m));
  write_file_atomic((out / "matrix.json").string(), matrix_json(m));
  write_file_atomic((out / "matrix.junit.xml").string(), matrix_junit(m));
  if (c.html) write_file_atomic((out / "index.html").string(), html_report_of_dir(c.opt.out));
  if (c.format == "json")
    std::cout << matrix_json(m);
  else if (c.format == "junit")
    std::cout << matrix_junit(m);
  else {
    std::cout << matrix_text(m, c.format == "markdown") << "\n" << matrix_summary(m);
    std::cout << "\n"
              << m.rows.size() << " rows in " << static_cast<int>(m.seconds)
              << " s; counterexamples and every format in " << c.opt.out << "/"
              << (c.html ? " (open " + (out / "index.html").string() + ")" : "") << "\n";
  }
  return 0;
}

}  // namespace

void add_matrix(CLI::App& app, int& rc) {
  static MatrixCli c;
  auto* cmd = app.add_subcommand(
      "matrix",
      "The design-space verdict table: each variant x (mode, device trust) row x property -> holds "
      "(bound, engine), "
      "violated (shortest counterexample, written and replayed), refused, or unknown. This is what "
      "bare `pasidcheck` "
      "runs.\nExample: pasidcheck matrix --presets revamp,linux-6.12 --format markdown");
  cmd->add_option("--presets", c.opt.presets,
                  "variants (default: the five presets and every revamp knock-out)")
      ->delimiter(',');
  cmd->add_option("--budget", c.opt.explicit_budget, "seconds of exhaustive exploration per row")
      ->check(finite_in(0.001, 86400))
      ->capture_default_str();
  cmd->add_option("--check-budget", c.opt.check_budget,
                  "seconds of random search per row for what exploration left open (0: none)")
      ->check(finite_in(0, 86400))
      ->capture_default_str();
  static std::vector<std::string> engines;
  cmd->add_option("--engines", engines,
                  "explicit,check (default both): BFS for bounded proofs and shortest "
                  "counterexamples, random search for deeper ones")
      ->delimiter(',')
      ->check(CLI::IsMember({"explicit", "check"}));
  cmd->preparse_callback([](std::size_t) { engines.clear(); });
  cmd->add_option("--depth", c.opt.max_depth, "deepest BFS level")
      ->check(integer_in(1, 64))
      ->capture_default_str();
  cmd->add_option("--seed", c.opt.seed, "seed of the random search")
      ->check(integer_in(0, kMaxSeed))
      ->capture_default_str();
  cmd->add_option("--jobs", c.opt.jobs, "threads for exploration")
      ->check(integer_in(1, 64))
      ->capture_default_str();
  cmd->add_option("--out", c.opt.out, "folder for counterexamples and the table in every format")
      ->capture_default_str();
  cmd->add_option("--format", c.format, "text | markdown | json | junit")
      ->check(CLI::IsMember({"text", "markdown", "json", "junit"}));
  cmd->add_flag("-q,--quiet", c.quiet, "no progress line");
  cmd->add_flag("--html", c.html,
                "also write OUT/index.html: the table with a timeline per counterexample "
                "(= pasidcheck report OUT)");
  cmd->callback([&rc] {
    if (!engines.empty()) {
      c.opt.use_explicit = std::find(engines.begin(), engines.end(), "explicit") != engines.end();
      c.opt.use_check = std::find(engines.begin(), engines.end(), "check") != engines.end();
    }
    rc = run(c);
  });
}

int run_default_matrix() {
  static MatrixCli c;
  c.html = true;
  return run(c);
}

}  // namespace pasidcheck::cli
