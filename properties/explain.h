// The story of a replayed trace in plain sentences, for a mailing-list reply.
#pragma once

#include <string>

#include "properties/replay.h"

namespace pasidcheck::properties {

std::string explain(const model::Trace& t, const ReplayResult& r);
// One line per op: "dma dev=dsa0 pasid=1 ...".
std::string describe_op(const model::Op& op, const model::Config& c);

}  // namespace pasidcheck::properties
