// `pasidcheck corpus DIR`: the regression gate. Replays every trace under DIR and checks each one's
// expectation; `--junit FILE` writes one testcase per trace.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "properties/replay.h"

namespace pasidcheck::cli {

namespace {

std::string xml(const std::string& s) {
  std::string o;
  for (char c : s)
    o += c == '&'   ? "&amp;"
         : c == '<' ? "&lt;"
         : c == '>' ? "&gt;"
         : c == '"' ? "&quot;"
                    : std::string(1, c);
  return o;
}

// The "format" of a JSON file that is some other pasidcheck output (ITF, matrix), or "".
std::string other_format(const std::filesystem::path& f) {
  std::ifstream in(f);
  try {
    const auto j = nlohmann::json::parse(in);
    if (j.is_object() && j.contains("#meta")) return "ITF";
    if (j.is_object() && j.contains("format") && j["format"] != "pasidcheck-trace")
      return j["format"].dump();
  } catch (const nlohmann::json::exception&) {
  }
  return "";
}

int run_corpus(const std::vector<std::string>& dirs, const std::string& junit) {
  std::vector<std::filesystem::path> files;
  for (const auto& d : dirs) {
    if (std::filesystem::is_regular_file(d))
      files.push_back(d);
    else
      for (const auto& e : std::filesystem::recursive_directory_iterator(d))
        if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int worst = 0, failed = 0, bad = 0;
  std::ostringstream cases;
  std::size_t skipped = 0;
  for (const auto& f : files) {
    if (const std::string other = other_format(f); !other.empty()) {
      std::cout << "skip  " << f.string() << ": not a pasidcheck trace (format " << other << ")\n";
      ++skipped;
      continue;
    }
    std::string failure;
    int rc = 0;
    try {
      const auto t = model::load_trace(f.string());
      const auto r = properties::replay(t);
      rc = r.exit_code(t.expect.has_value());
      if (r.bad_input)
        failure = *r.bad_input;
      else if (!t.expect)
        failure = "no top-level expect: a corpus trace must state its verdict", rc = 3;
      else if (!r.failures.empty())
        failure = r.failures.front();
    } catch (const model::TraceError& e) {
      rc = 3;
      failure = e.what();
    }
    if (rc == 3)
      ++bad;
    else if (rc != 0)
      ++failed;
    worst = std::max(worst, rc);
    std::cout << (rc == 0   ? "ok    "
                  : rc == 3 ? "BAD   "
                            : "FAIL  ")
              << f.string() << (failure.empty() ? "" : ": " + failure) << "\n";
    cases << "    <testcase classname=\"corpus\" name=\"" << xml(f.string()) << "\">";
    if (rc == 3)
      cases << "<error message=\"" << xml(failure) << "\"/>";
    else if (rc != 0)
      cases << "<failure message=\"" << xml(failure) << "\"/>";
    cases << "</testcase>\n";
  }
  const std::size_t traces = files.size() - skipped;
  std::cout << traces << " traces: " << traces - failed - bad << " ok, " << failed
            << " expectation not met, " << bad << " bad input\n";
  if (!junit.empty())
    std::ofstream(junit) << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\""
                         << traces << "\" failures=\"" << failed << "\" errors=\"" << bad
                         << "\">\n  <testsuite name=\"corpus\" tests=\"" << traces
                         << "\" failures=\"" << failed << "\" errors=\"" << bad << "\">\n"
                         << cases.str() << "  </testsuite>\n</testsuites>\n";
  return worst;
}

}  // namespace

void add_corpus(CLI::App& app, int& rc) {
  static std::vector<std::string> dirs;
  static std::string junit;
  auto* cmd = app.add_subcommand(
      "corpus",
      "Replay every trace in folders (the regression gate): each must state and meet its "
      "expectation.\nExample: pasidcheck corpus corpora --junit corpus.xml");
  cmd->add_option("dirs", dirs, "folders or trace files")->required()->check(CLI::ExistingPath);
  cmd->add_option("--junit", junit, "write JUnit XML");
  cmd->callback([&rc] { rc = run_corpus(dirs, junit); });
}

}  // namespace pasidcheck::cli
