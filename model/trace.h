// Trace files (TRACE-FORMAT.md, `pasidcheck-trace` version 1): a config, the ops, and what the run
// must show. Parsing is strict: an unknown field, a bad enum, an out-of-bounds frame/page or an
// unknown device is a TraceError naming the file, the JSON path and the reason (exit code 3).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/input_error.h"
#include "model/model.h"
#include "model/ops.h"

namespace pasidcheck::model {

class TraceError : public InputError {
 public:
  TraceError(std::string file, std::string path, std::string reason)
      : InputError(file + ": " + (path.empty() ? "" : path + ": ") + reason),
        file_(std::move(file)),
        path_(std::move(path)),
        reason_(std::move(reason)) {}
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_, path_, reason_;
};

// Input files (traces, configs): a regular file of at most kMaxInputBytes, read whole, else a
// TraceError naming the file and why (a FIFO, a device such as /dev/zero, a directory, a
// symlink loop, a missing or unreadable file, or one too large). Never blocks on a FIFO.
inline constexpr std::size_t kMaxInputBytes = 64u << 20;
std::string read_input_file(const std::string& path);
// json::parse with every nlohmann error (syntax, a number out of range such as 1e400) as a
// TraceError for `file`.
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

struct StepExpect {
  std::optional<Result> result;
  std::optional<int> frame;
  std::optional<Submode> submode;
  std::optional<FaultReason> fault_reason;
  std::optional<int> iova;
  std::optional<int> pasid;
  std::optional<Via> via;
  std::optional<int> group;
  bool operator==(const StepExpect&) const = default;
};

struct TraceStep {
  Op op;
  std::optional<StepExpect> expect;
  bool operator==(const TraceStep&) const = default;
};

struct TraceExpect {
  std::string verdict;                  // "holds" or "violated"
  std::string property;                 // for violated
  int step = 0;                         // for violated; -1 = the initial state
  std::vector<std::string> properties;  // restricts which properties are checked
  bool operator==(const TraceExpect&) const = default;
};

struct Trace {
  std::string name;
  std::string description;
  Config config;
  std::vector<TraceStep> steps;
  std::optional<TraceExpect> expect;
};

// `file` is only used in messages.
Config parse_config(const nlohmann::json& j, const std::string& file,
                    const std::string& path = "config");
Trace parse_trace(const nlohmann::json& j, const std::string& file);
Trace load_trace(const std::string& path);
nlohmann::json config_to_json(const Config& c);
nlohmann::json op_to_json(const Op& op, const Config& c);
nlohmann::json trace_to_json(const Trace& t);
// An expectation mismatch, or nothing: "field: expected X, got Y".
std::optional<std::string> check_expect(const StepExpect& e, const Outcome& o);
std::string describe_outcome(const Outcome& o);

}  // namespace pasidcheck::model
