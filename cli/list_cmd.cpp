#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>

#include "cli/commands.h"
#include "model/knobs.h"
#include "model/ops.h"
#include "properties/property.h"

namespace pasidcheck::cli {

namespace {

int run_list(const ListOptions& opt) {
  auto row = [](const std::string& a, const std::string& b) {
    std::cout << "  " << std::left << std::setw(28) << a << " " << b << "\n";
  };
  if (opt.what == "presets") {
    for (const auto& p : model::preset_table()) row(p.name, p.meaning);
  } else if (opt.what == "knobs") {
    const model::Knobs linux_default;
    for (const auto& k : model::knob_table()) {
      std::string vals;
      for (const auto& v : k.values) vals += (vals.empty() ? "" : "|") + v;
      std::string def;
      for (const auto& v : model::get_knob(linux_default, k.name))
        def += (def.empty() ? "" : ",") + v;
      row(k.name, k.meaning);
      row("", (k.is_set ? "subset of {" + vals + "}" : vals) +
                  "   (default: " + (def.empty() ? "{}" : def) + ")");
    }
  } else if (opt.what == "ops") {
    for (const auto& s : model::op_catalogue()) {
      std::string args;
      for (auto a : s.required) args += (args.empty() ? "" : ", ") + model::to_string(a);
      for (auto a : s.optional) args += (args.empty() ? "[" : ", [") + model::to_string(a) + "]";
      row(s.name + "(" + args + ")", "");
      row("", s.meaning);
    }
  } else if (opt.what == "properties") {
    for (const auto& p : properties::registry()) {
      row(p.id, p.title + " [" + p.scope + "]");
      row("", p.statement);
      row("", "source: " + p.source);
    }
  } else {
    std::cerr << "pasidcheck list: unknown list '" << opt.what
              << "' (presets, knobs, ops, properties)\n";
    return 3;
  }
  return 0;
}

}  // namespace

void add_list(CLI::App& app, OptionStore& store, int& rc) {
  auto& opt = store.make<ListOptions>();
  auto* cmd =
      app.add_subcommand("list", "List presets, knobs, ops or properties with their meaning");
  cmd->add_option("what", opt.what, "presets | knobs | ops | properties")->required();
  cmd->callback([&opt, &rc] { rc = run_list(opt); });
}

std::vector<std::string> split_commas(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  for (const auto& s : v) {
    std::size_t start = 0;
    while (start <= s.size()) {
      const auto comma = s.find(',', start);
      const auto part =
          s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace pasidcheck::cli
