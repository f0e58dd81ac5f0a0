#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/gate.h"
#include "cli/html_report.h"
#include "cli/matrix.h"
#include "model/knobs.h"
#include "model/trace.h"

namespace pasidcheck::cli {

namespace {

struct MatrixCli {
  MatrixOptions opt;
  std::string format = "text";
  bool quiet = false;
  bool html = false;  // also index.html (cli/html_report.h)
};

// Clears what a previous table left in `out` (only a folder that holds a matrix.json: never a
// folder of the user's that happens to have a subfolder named like a variant).
void clear_previous_table(const std::filesystem::path& out) {
  if (!std::filesystem::exists(out / "matrix.json")) return;
  for (const auto& p : model::preset_table()) std::filesystem::remove_all(out / p.name);
  for (const char* f : {"matrix.txt", "matrix.md", "matrix.json", "verdicts.json",
                        "matrix.junit.xml", "index.html"})
    std::filesystem::remove(out / f);
}

// Every format next to the counterexamples, and the chosen one on stdout.
void write_outputs(const Matrix& m, const std::string& dir, const MatrixCli& c) {
  const std::filesystem::path out(dir);
  write_file_atomic((out / "matrix.txt").string(),
                    matrix_text(m, false) + "\n" + matrix_summary(m));
  write_file_atomic((out / "matrix.md").string(), matrix_text(m, true) + "\n" + matrix_summary(m));
  write_file_atomic((out / "matrix.json").string(), matrix_json(m));
  write_file_atomic((out / "verdicts.json").string(), matrix_json(m, false));
  write_file_atomic((out / "matrix.junit.xml").string(), matrix_junit(m));
  if (c.html) write_file_atomic((out / "index.html").string(), html_report_of_dir(dir));
  if (c.format == "json")
    std::cout << matrix_json(m);
  else if (c.format == "junit")
    std::cout << matrix_junit(m);
  else {
    std::cout << matrix_text(m, c.format == "markdown") << "\n" << matrix_summary(m);
    std::cout << "\n"
              << m.rows.size() << " rows in " << static_cast<int>(m.seconds)
              << " s; counterexamples and every format in " << dir << "/"
              << (c.html ? " (open " + (out / "index.html").string() + ")" : "") << "\n";
  }
}

int run(MatrixCli& c) {
  const bool tty = isatty(STDERR_FILENO) && !c.quiet;
  if (tty)
    c.opt.progress = [](int done, int total, double elapsed) {
      const double eta = done > 0 ? elapsed * (total - done) / done : 0;
      std::cerr << "\r  matrix: " << done << "/" << total << " engine runs, "
                << static_cast<int>(elapsed) << " s elapsed, ETA " << static_cast<int>(eta)
                << " s   " << std::flush;
    };
  check_matrix_options(c.opt);
  check_output_dir(c.opt.out, "--out");
  clear_previous_table(c.opt.out);
  Matrix m = run_matrix(c.opt);
  m.command = invocation();
  m.commit = PASIDCHECK_COMMIT;
  m.date = utc_date();
  if (tty) std::cerr << "\n";
  write_outputs(m, c.opt.out, c);
  return 0;
}

// `matrix merge DIR...`: the shards' tables as one in --out, their counterexamples copied in.
int merge(const std::vector<std::string>& dirs, MatrixCli& c) {
  std::vector<Matrix> parts;
  for (const auto& d : dirs) {
    const std::string file = (std::filesystem::path(d) / "matrix.json").string();
    parts.push_back(matrix_from_json(model::read_input_file(file), file));
  }
  check_output_dir(c.opt.out, "--out");
  for (const auto& d : dirs)  // --out is cleared first: it must not be a part
    if (std::filesystem::equivalent(d, c.opt.out))
      throw model::TraceError("command line", "--out",
                              "is the part " + d + "; merge into another folder");
  Matrix m;
  try {
    m = merge_matrices(parts);
  } catch (const model::InputError& e) {
    throw model::TraceError("command line", "matrix merge", e.what());
  }
  clear_previous_table(c.opt.out);
  for (auto& r : m.rows)
    for (auto& cell : r.cells) {
      if (cell.trace_file.empty()) continue;
      const auto name = std::filesystem::path(cell.trace_file).filename();
      std::filesystem::path from;
      for (const auto& d : dirs)
        if (std::filesystem::exists(std::filesystem::path(d) / r.variant / name))
          from = std::filesystem::path(d) / r.variant / name;
      if (from.empty())
        throw model::TraceError(cell.trace_file, "",
                                "the counterexample this table names is "
                                "not in any merged folder");
      const auto to_dir = std::filesystem::path(c.opt.out) / r.variant;
      std::filesystem::create_directories(to_dir);
      if (!std::filesystem::equivalent(from.parent_path(), to_dir)) {
        write_file_atomic((to_dir / name).string(), model::read_input_file(from.string()));
        auto itf = from;
        itf.replace_extension(".itf.json");
        if (std::filesystem::exists(itf))
          write_file_atomic((to_dir / itf.filename()).string(),
                            model::read_input_file(itf.string()));
      }
      cell.trace_file = (to_dir / name).string();
    }
  m.command = invocation();
  m.date = utc_date();
  write_outputs(m, c.opt.out, c);
  return 0;
}

}  // namespace

void add_matrix(CLI::App& app, OptionStore& store, int& rc) {
  struct MatrixOptions {
    MatrixCli c;
    std::vector<std::string> engines;
    std::string shard;
    std::vector<std::string> merge_dirs;
  };
  auto& mo = store.make<MatrixOptions>();
  MatrixCli& c = mo.c;
  auto& engines = mo.engines;
  auto& shard = mo.shard;
  auto& merge_dirs = mo.merge_dirs;
  auto* cmd = app.add_subcommand(
      "matrix",
      "The design-space verdict table: each variant x (mode, device trust) row x property -> "
      "proved (for all depths: kcore-bfs exhausted the row at kcore's bounds, or explicit at "
      "the default bounds), holds up to a depth, violated (a shortest counterexample, written "
      "and replayed), refused, or unknown. This is what bare `pasidcheck` runs. Every budget "
      "is a count (states, depth, runs), so the same commit prints the same table on any "
      "machine; --time-cap is only a safety net, and a cell it cuts short is \"?\".\n"
      "Examples:\n  pasidcheck matrix --presets revamp,linux-6.12 --format markdown\n"
      "  pasidcheck matrix --shard 1/4 --out out/m1   (one of 4 parts; then: pasidcheck matrix "
      "merge out/m1 out/m2 out/m3 out/m4 --out out/matrix)");
  cmd->add_option("--presets", c.opt.presets,
                  "variants (default: the five presets and every revamp knock-out)")
      ->delimiter(',');
  cmd->add_option("--states", c.opt.explicit_states,
                  "explicit BFS of the full model: states per row")
      ->check(integer_in(1, 100000000))
      ->capture_default_str();
  cmd->add_option("--depth", c.opt.max_depth, "explicit BFS: deepest level")
      ->check(integer_in(1, 64))
      ->capture_default_str();
  cmd->add_option("--kcore-states", c.opt.kcore_states,
                  "kcore-bfs: states per row (a row it exhausts is proved at kcore's bounds)")
      ->check(integer_in(1, 1000000000))
      ->capture_default_str();
  cmd->add_option("--focus", c.opt.focus,
                  "the variants under evaluation, whose rows get --focus-kcore-states (comma "
                  "list; empty: none)")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--focus-kcore-states", c.opt.focus_kcore_states,
                  "kcore-bfs: states per row of a --focus variant (enough for every revamp row)")
      ->check(integer_in(1, 1000000000))
      ->capture_default_str();
  cmd->add_option("--runs", c.opt.check_runs,
                  "random search: op sequences per search, for what the explorations left open")
      ->check(integer_in(1, 100000000))
      ->capture_default_str();
  cmd->add_option("--time-cap", c.opt.time_cap,
                  "seconds per engine run on a row, a safety cap only: the cells it cuts short "
                  "are \"?\"")
      ->check(finite_in(0.001, 31536000))
      ->capture_default_str();
  cmd->add_option(
         "--engines", engines,
         "explicit,kcore-bfs,check (default all three): BFS of the full model for bounded "
         "proofs and shortest counterexamples, kcore-bfs for proofs for all depths, random "
         "search for deeper counterexamples")
      ->delimiter(',')
      ->check(CLI::IsMember({"explicit", "kcore-bfs", "check"}));
  cmd->preparse_callback([&engines](std::size_t) { engines.clear(); });
  cmd->add_option("--seed", c.opt.seed, "seed of the random search")
      ->check(integer_in(0, kMaxSeed))
      ->capture_default_str();
  cmd->add_option("--jobs", c.opt.jobs, "explorations run at once (threads)")
      ->check(integer_in(1, 64))
      ->capture_default_str();
  cmd->add_option("--shard", shard,
                  "K/N: run only the rows whose index is K-1 modulo N (1 <= K <= N <= 1000), for "
                  "`matrix merge`")
      ->check([](const std::string& v) -> std::string {
        int k = 0, n = 0;
        char slash = 0;
        std::istringstream in(v);
        if (!(in >> k >> slash >> n) || slash != '/' || !in.eof() || k < 1 || n < k || n > 1000)
          return "must be K/N with 1 <= K <= N <= 1000, for example 2/4";
        return "";
      });
  cmd->add_option("--out", c.opt.out, "folder for counterexamples and the table in every format")
      ->capture_default_str();
  cmd->add_option("--format", c.format, "text | markdown | json | junit")
      ->check(CLI::IsMember({"text", "markdown", "json", "junit"}));
  cmd->add_flag("-q,--quiet", c.quiet, "no progress line");
  cmd->add_flag("--html", c.html,
                "also write OUT/index.html: the table with a timeline per counterexample "
                "(= pasidcheck report OUT)");
  auto* merge_cmd = cmd->add_subcommand(
      "merge",
      "Combine the tables of `matrix --shard K/N` runs (each folder's matrix.json) into one in "
      "--out: rows in the canonical order, counterexamples copied. Refused (exit 3) when the "
      "parts differ in budgets, properties or commit, overlap, or miss a shard.\nExample: "
      "pasidcheck matrix merge out/m1 out/m2 --out out/matrix");
  merge_cmd->add_option("dirs", merge_dirs, "the folders `matrix --shard --out` wrote")->required();
  merge_cmd->add_option("--out", c.opt.out, "folder for the merged table")->capture_default_str();
  merge_cmd->add_option("--format", c.format, "text | markdown | json | junit")
      ->check(CLI::IsMember({"text", "markdown", "json", "junit"}));
  merge_cmd->add_flag("--html", c.html, "also write OUT/index.html");
  merge_cmd->callback([&rc, &merge_dirs, &c] { rc = merge(merge_dirs, c); });
  cmd->callback([&rc, &engines, &shard, &c, merge_cmd] {
    if (merge_cmd->parsed()) return;
    if (!engines.empty()) {
      auto has = [&engines](const char* e) {
        return std::find(engines.begin(), engines.end(), e) != engines.end();
      };
      c.opt.use_explicit = has("explicit");
      c.opt.use_kcore = has("kcore-bfs");
      c.opt.use_check = has("check");
    }
    if (!shard.empty()) {
      c.opt.shard = std::stoi(shard.substr(0, shard.find('/')));
      c.opt.shards = std::stoi(shard.substr(shard.find('/') + 1));
    }
    rc = run(c);
  });
}

int run_default_matrix() {
  MatrixCli c;
  c.html = true;
  return run(c);
}

}  // namespace pasidcheck::cli
