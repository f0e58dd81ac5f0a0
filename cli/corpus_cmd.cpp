// `pasidcheck corpus DIR`: the regression gate. Replays every trace under DIR and checks each one's
// expectation; `--junit FILE` writes one testcase per trace.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/gate.h"
#include "model/stop.h"
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
  try {
    const auto j = nlohmann::json::parse(model::read_input_file(f.string()));
    if (j.is_object() && j.contains("#meta")) return "ITF";
    // Only pasidcheck's own other outputs are skipped; a misspelled trace format is bad input.
    if (j.is_object() && j.contains("format") && j["format"] == "pasidcheck-matrix")
      return j["format"].dump();
  } catch (const nlohmann::json::exception&) {
  } catch (const model::TraceError&) {  // replaying it reports why
  }
  return "";
}

int run_corpus(const std::vector<std::string>& dirs, const std::string& junit, bool allow_empty) {
  check_output_file(junit, "--junit");
  std::vector<std::filesystem::path> files;
  for (const auto& d : dirs) {
    std::error_code ec;
    if (!std::filesystem::exists(d, ec))
      throw model::TraceError("command line", "dirs", "'" + d + "': no such file or folder");
    if (!std::filesystem::is_directory(d, ec)) {
      files.push_back(d);  // a file given by name is replayed (a FIFO or device is refused then)
      continue;
    }
    for (const auto& e : std::filesystem::recursive_directory_iterator(d, ec))
      if (e.path().extension() == ".json") files.push_back(e.path());
    if (ec) throw model::TraceError("command line", "dirs", "'" + d + "': " + ec.message());
  }
  std::sort(files.begin(), files.end());
  int worst = 0, failed = 0, bad = 0;
  std::ostringstream cases;
  std::size_t skipped = 0;
  std::size_t not_run = 0;
  for (const auto& f : files) {
    if (stop_requested()) {  // SIGINT/SIGTERM: report the traces replayed so far
      ++not_run;
      continue;
    }
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
    worst = worse_exit(worst, rc);
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
  const std::size_t traces = files.size() - skipped - not_run;
  std::cout << traces << " traces: " << traces - failed - bad << " ok, " << failed
            << " expectation not met, " << bad << " bad input"
            << (not_run ? ", " + std::to_string(not_run) + " not run (interrupted)" : "") << "\n";
  if (not_run)  // a stop is visible in the JUnit file too, as one skipped case
    cases << "    <testcase classname=\"corpus\" name=\"(interrupted)\"><skipped message=\""
          << not_run << " traces not run: interrupted by SIGINT/SIGTERM\"/></testcase>\n";
  if (!junit.empty()) {
    std::ostringstream x;
    const std::size_t cases_n = traces + (not_run ? 1 : 0);
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"" << cases_n
      << "\" failures=\"" << failed << "\" errors=\"" << bad
      << "\">\n  <testsuite name=\"corpus\" tests=\"" << cases_n << "\" failures=\"" << failed
      << "\" errors=\"" << bad << "\" skipped=\"" << (not_run ? 1 : 0) << "\">\n"
      << cases.str() << "  </testsuite>\n</testsuites>\n";
    write_file_atomic(junit, x.str());
  }
  // A gate run that checked nothing must not pass (unless asked for).
  if (traces == 0 && !allow_empty) {
    std::cerr << "pasidcheck: corpus: no pasidcheck trace (*.json) found in the given folders; "
                 "--allow-empty accepts that\n";
    return 3;
  }
  return worst;
}

}  // namespace

void add_corpus(CLI::App& app, OptionStore& store, int& rc) {
  struct CorpusOptions {
    std::vector<std::string> dirs;
    std::string junit;
    bool allow_empty = false;
  };
  auto& opt = store.make<CorpusOptions>();
  auto* cmd = app.add_subcommand(
      "corpus",
      "Replay every trace in folders (the regression gate): each must state and meet its "
      "expectation.\nExample: pasidcheck corpus corpora --junit corpus.xml");
  cmd->add_option("dirs", opt.dirs, "folders or trace files")->required();
  cmd->add_option("--junit", opt.junit, "write JUnit XML");
  cmd->add_flag("--allow-empty", opt.allow_empty,
                "exit 0 when no trace is found (by default a gate that checked nothing fails, "
                "exit 3)");
  cmd->callback([&rc, &opt] { rc = run_corpus(opt.dirs, opt.junit, opt.allow_empty); });
}

}  // namespace pasidcheck::cli
