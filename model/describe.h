// Human-readable facts about a state, so that `replay` can print what each step changed in the
// tables and caches (a set difference of facts before and after the step).
#pragma once

#include <string>
#include <vector>

#include "model/model.h"

namespace pasidcheck::model {

std::vector<std::string> state_facts(const Model& m, const State& s);
// "+fact" for facts that appeared, "-fact" for facts that went away, in a stable order.
std::vector<std::string> diff_facts(const std::vector<std::string>& before,
                                    const std::vector<std::string>& after);
std::string describe_iotlb(const Model& m, const IotlbEntry& e);
std::string describe_psc(const PscEntry& e);
std::string describe_devtlb(const Model& m, const DevtlbEntry& e);
std::string describe_entry(const PasidEntry& e);

}  // namespace pasidcheck::model
