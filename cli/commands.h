// Subcommands of the pasidcheck CLI. Each returns its exit code (TRACE-FORMAT.md: 0 ok, 1 violated
// or expectation unmet, 2 inconclusive, 3 bad input, 4 internal error). Only cli/ binds CLI11.
#pragma once

#include <memory>
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

// What the subcommands bind their options to, owned by main() for the whole parse and run: each
// add_X() makes its options here (no function-local statics) and its callback reads them.
class OptionStore {
 public:
  template <class T>
  T& make() {
    auto held = std::make_shared<T>();
    T& ref = *held;
    held_.push_back(std::move(held));
    return ref;
  }

 private:
  std::vector<std::shared_ptr<void>> held_;
};

void add_replay(CLI::App& app, OptionStore& store, int& rc);
void add_explain(CLI::App& app, OptionStore& store, int& rc);
void add_list(CLI::App& app, OptionStore& store, int& rc);
void add_check(CLI::App& app, OptionStore& store, int& rc);
void add_minimize(CLI::App& app, OptionStore& store, int& rc);
void add_bench(CLI::App& app, OptionStore& store, int& rc);
void add_prove(CLI::App& app, OptionStore& store, int& rc);
void add_matrix(CLI::App& app, OptionStore& store, int& rc);
int run_default_matrix();
void add_corpus(CLI::App& app, OptionStore& store, int& rc);
void add_report(CLI::App& app, OptionStore& store, int& rc);
void add_import(CLI::App& app, OptionStore& store, int& rc);

std::vector<std::string> split_commas(const std::vector<std::string>& v);

}  // namespace pasidcheck::cli
