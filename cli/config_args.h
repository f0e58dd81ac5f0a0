// The variant and bounds given on the command line (--preset, --knob k=v, --bound k=v, --config
// FILE), turned into a validated Config through the same parser as trace files, so errors read the
// same.
#pragma once

#include <string>
#include <vector>

#include "model/config.h"

namespace CLI {
class App;
}

namespace pasidcheck::cli {

struct VariantArgs {
  std::string preset = "revamp";
  std::vector<std::string> knobs;   // k=v, or k=a,b for a set (k= for the empty set)
  std::vector<std::string> bounds;  // k=N
  std::string config_file;          // a JSON file holding a trace's "config" object
};

void add_variant_options(CLI::App& cmd, VariantArgs& v);
// Throws model::TraceError (exit 3) on any bad value.
model::Config make_config(const VariantArgs& v);

}  // namespace pasidcheck::cli
