// ITF export (TRACE-FORMAT.md "ITF export"): one ITF state per step, for Apalache/Quint trace
// viewers.
#pragma once

#include <string>

#include "model/trace.h"

namespace pasidcheck::cli {

// Replays `t` (which must replay without precondition failures) and writes the ITF JSON.
void write_itf(const std::string& path, const model::Trace& t);

}  // namespace pasidcheck::cli
