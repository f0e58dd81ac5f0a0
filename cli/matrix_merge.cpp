// `matrix merge`: the parts of a table run with `--shard K/N` (on other machines, or as a CI job
// matrix) as one table. The rows are put back in the canonical order of the presets they cover,
// and the parts must agree on everything that decides a verdict: properties, budgets and commit.
#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "cli/matrix.h"
#include "model/input_error.h"
#include "model/knobs.h"

namespace pasidcheck::cli {

Matrix merge_matrices(const std::vector<Matrix>& parts) {
  if (parts.empty()) throw model::InputError("nothing to merge");
  Matrix m;
  m.properties = parts.front().properties;
  m.budgets = parts.front().budgets;
  m.commit = parts.front().commit;
  std::map<std::tuple<std::string, std::string, std::string>, const Row*> by_key;
  std::set<std::string> variants;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Matrix& p = parts[i];
    const std::string which =
        "part " + std::to_string(i + 1) + (p.shard.empty() ? "" : " (shard " + p.shard + ")");
    if (p.properties != m.properties)
      throw model::InputError(which + " checks other properties than part 1");
    if (!(p.budgets == m.budgets))
      throw model::InputError(which +
                              " was run with other budgets than part 1 (engines, "
                              "states, depth, runs or seed)");
    if (!p.commit.empty() && !m.commit.empty() && p.commit != m.commit)
      throw model::InputError(which + " was made by commit " + p.commit + ", part 1 by " +
                              m.commit);
    m.incomplete = m.incomplete || p.incomplete;
    m.seconds = std::max(m.seconds, p.seconds);
    for (const Row& r : p.rows) {
      const auto key = std::make_tuple(r.variant, r.mode, r.trust);
      if (!by_key.emplace(key, &r).second)
        throw model::InputError(which + " repeats the row " + r.variant + " " + r.mode + "/" +
                                r.trust);
      variants.insert(r.variant);
    }
  }
  // Shards K/N: every K of one N, once each (a variant can lie wholly in one shard).
  std::set<int> shard_ks;
  int shard_n = 0;
  for (const Matrix& p : parts) {
    if (p.shard.empty()) continue;
    const auto slash = p.shard.find('/');
    const int k = std::stoi(p.shard.substr(0, slash)), n = std::stoi(p.shard.substr(slash + 1));
    if (shard_n != 0 && n != shard_n)
      throw model::InputError("the parts are shards of different splits (" +
                              std::to_string(shard_n) + " and " + std::to_string(n) + ")");
    shard_n = n;
    if (!shard_ks.insert(k).second) throw model::InputError("shard " + p.shard + " is given twice");
  }
  if (shard_n != 0 && static_cast<int>(shard_ks.size()) != shard_n)
    for (int k = 1; k <= shard_n; ++k)
      if (!shard_ks.count(k))
        throw model::InputError("shard " + std::to_string(k) + "/" + std::to_string(shard_n) +
                                " is missing");
  std::vector<std::string> presets;  // in preset_table() order
  for (const auto& p : model::preset_table())
    if (variants.count(p.name)) presets.push_back(p.name);
  if (presets.size() != variants.size())
    throw model::InputError("a part names a variant that is not a preset");
  std::vector<std::string> missing;
  for (const auto& key : matrix_row_keys(presets)) {
    const auto it = by_key.find(key);
    if (it == by_key.end()) {
      missing.push_back(std::get<0>(key) + " " + std::get<1>(key) + "/" + std::get<2>(key));
      continue;
    }
    m.rows.push_back(*it->second);
  }
  if (!missing.empty())
    throw model::InputError("the parts miss " + std::to_string(missing.size()) +
                            " row(s) of their variants, the first " + missing.front() +
                            " (is a shard missing?)");
  return m;
}

}  // namespace pasidcheck::cli
