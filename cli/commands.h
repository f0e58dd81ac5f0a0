// Subcommands of the pasidcheck CLI. Each returns its exit code (TRACE-FORMAT.md: 0 ok, 1 violated
// or expectation unmet, 2 inconclusive, 3 bad input, 4 internal error). Only cli/ binds CLI11.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pasidcheck::cli {

struct ReplayOptions {
  std::vector<std::string> files;
  std::vector<std::string> properties;
  bool explain = false;
  bool quiet = false;
  std::string format = "text";
  std::string itf;
  std::string html;  // --html: the run drawn as a timeline page (one trace)
};

struct ListOptions {
  std::string what;
};

void add_replay(CLI::App& app, ReplayOptions& opt, int& rc);
void add_explain(CLI::App& app, ReplayOptions& opt, int& rc);
void add_list(CLI::App& app, ListOptions& opt, int& rc);
void add_check(CLI::App& app, int& rc);
void add_minimize(CLI::App& app, int& rc);
void add_bench(CLI::App& app, int& rc);
void add_prove(CLI::App& app, int& rc);
void add_matrix(CLI::App& app, int& rc);
int run_default_matrix();
void add_corpus(CLI::App& app, int& rc);
void add_report(CLI::App& app, int& rc);
void add_import(CLI::App& app, int& rc);

std::vector<std::string> split_commas(const std::vector<std::string>& v);

}  // namespace pasidcheck::cli
