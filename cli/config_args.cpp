#include "cli/config_args.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "model/trace.h"

namespace pasidcheck::cli {

using nlohmann::json;

void add_variant_options(CLI::App& cmd, VariantArgs& v) {
  auto* preset =
      cmd.add_option("--preset", v.preset, "design variant (see `pasidcheck list presets`)")
          ->capture_default_str();
  cmd.add_option("--knob", v.knobs,
                 "override a knob: k=v, or k=a,b for kpt_notifier (k= for none); repeatable");
  cmd.add_option("--bound", v.bounds, "override a bound: frames=16, pasids=4, ...; repeatable");
  cmd.add_option("--config", v.config_file,
                 "read the config (preset, knobs, bounds, devices) from a JSON file (not with "
                 "--preset: the file names its preset)")
      ->excludes(preset);
}

model::Config make_config(const VariantArgs& v) {
  json cfg;
  std::string where = "command line";
  if (!v.config_file.empty()) {
    cfg = model::parse_json_text(model::read_input_file(v.config_file), v.config_file);
    if (cfg.is_object() && cfg.contains("config")) cfg = cfg["config"];
    where = v.config_file;
  } else {
    cfg["preset"] = v.preset;
  }
  if (!cfg.is_object()) throw model::TraceError(where, "", "the config must be a JSON object");
  for (const auto& kv : v.knobs) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos)
      throw model::TraceError("command line", "--knob " + kv, "expected k=v");
    const std::string name = kv.substr(0, eq);
    const auto values = split_commas({kv.substr(eq + 1)});
    bool is_set = false;
    for (const auto& info : model::knob_table())
      if (info.name == name) is_set = info.is_set;
    cfg["knobs"][name] = is_set ? json(values) : json(values.empty() ? "" : values.front());
  }
  for (const auto& kv : v.bounds) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos)
      throw model::TraceError("command line", "--bound " + kv, "expected k=N");
    // A decimal integer, all of it: "8.5", "8x" or "0x10" are refused, not truncated.
    const std::string text = kv.substr(eq + 1);
    if (text.empty() || text.size() > 12 ||
        text.find_first_not_of("0123456789") != std::string::npos)
      throw model::TraceError("command line", "--bound " + kv,
                              "'" + text + "' is not a non-negative decimal integer");
    const long long n = std::stoll(text);
    cfg["bounds"][kv.substr(0, eq)] = n;
  }
  return model::parse_config(cfg, where);
}

}  // namespace pasidcheck::cli
