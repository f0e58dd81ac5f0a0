// What a CI gate relies on, shared by every subcommand: the exit-code precedence, validators for
// numeric options (a range, never NaN or infinity, never a wrapped negative), output paths checked
// before any work starts, and files written atomically (a temporary file in the same folder, then
// rename(2)), so that an interrupted run never leaves a half-written counterexample or report.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace pasidcheck::cli {

// Exit codes (TRACE-FORMAT.md) and their precedence when a run has several outcomes:
// 3 bad input > 4 internal error > 1 violated (or an expectation unmet) > 2 inconclusive > 0.
// A violation is exit 1 whatever else is unknown.
inline constexpr const char* kExitCodes =
    "Exit codes: 0 ok; 1 a property violated or an expectation unmet; 2 inconclusive (a budget "
    "or bound reached, nothing violated); 3 bad input; 4 internal error. When several apply: "
    "3 > 4 > 1 > 2 > 0. On SIGINT or SIGTERM a run stops at the next step boundary and writes "
    "what is complete, marked incomplete: exit 2, or 1 if a violation was already found (a "
    "second signal aborts).";
int worse_exit(int a, int b);

// The largest seed the random searches take (they store it in 64 bits; INT64_MAX keeps the range
// printable as a signed number).
inline constexpr long long kMaxSeed = 9223372036854775807LL;

// A floating-point option in [lo, hi]: NaN and infinities are refused (CLI::Range lets NaN through:
// it fails both comparisons).
CLI::Validator finite_in(double lo, double hi);
// An integer option in [lo, hi], checked on the text before conversion (so "-1" for an unsigned
// option, "8.5" or "0x10" are refused, not wrapped or truncated). Not CLI::Range: Debian's CLI11
// 2.1.2 converts with strtoll(..., 0), so "010" would be 8 and "0x10" 16.
CLI::Validator integer_in(long long lo, long long hi);

// Throws model::TraceError (exit 3) unless `file` can be created or replaced: its folder exists
// (or, with make_parent, can be created) and is writable, and `file` is not a folder.
void check_output_file(const std::string& file, const std::string& option,
                       bool make_parent = false);
// The same for an output folder: it exists or can be created, and is writable.
void check_output_dir(const std::string& dir, const std::string& option);
// Writes `text` to `file` atomically; throws std::runtime_error (exit 4) on an I/O error.
void write_file_atomic(const std::string& file, const std::string& text);
// The command line as typed (set once by main), and the UTC date, for reports' provenance.
void set_invocation(int argc, char** argv);
const std::string& invocation();
std::string utc_date();
// Property ids: each must be one the model checks (properties::select_properties), else exit 3
// naming `where` and the id.
void check_property_ids(const std::vector<std::string>& ids, const std::string& where);

}  // namespace pasidcheck::cli
