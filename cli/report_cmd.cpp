// `pasidcheck report OUT_DIR`: the HTML report of a `matrix` run (cli/html_report.h).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/gate.h"
#include "cli/html_report.h"
#include "model/trace.h"

namespace pasidcheck::cli {

void add_report(CLI::App& app, OptionStore& store, int& rc) {
  struct ReportOptions {
    std::string dir, output;
  };
  auto& opt = store.make<ReportOptions>();
  auto* cmd = app.add_subcommand(
      "report",
      "Write the HTML report of a `matrix` run: one self-contained page (no network) with the "
      "verdict table, its filters, what each knock-out breaks, and a timeline per "
      "counterexample (click a violated cell).\nExample: pasidcheck matrix --out out/m && "
      "pasidcheck report out/m  (then open out/m/index.html)");
  cmd->add_option("dir", opt.dir, "the folder `pasidcheck matrix --out` wrote")->required();
  cmd->add_option("-o,--output", opt.output, "the page to write (default: DIR/index.html)");
  cmd->callback([&rc, &opt] {
    const std::string file =
        opt.output.empty() ? (std::filesystem::path(opt.dir) / "index.html").string() : opt.output;
    // The input first (its message is the useful one for a wrong DIR), then the output.
    (void)model::read_input_file((std::filesystem::path(opt.dir) / "matrix.json").string());
    check_output_file(file, opt.output.empty() ? "DIR" : "--output");
    const std::string page = html_report_of_dir(opt.dir);
    write_file_atomic(file, page);
    std::cout << "report: " << file << " (" << page.size() / 1024 << " KiB)\n";
    rc = 0;
  });
}

}  // namespace pasidcheck::cli
