// Strict JSON readers shared by config and trace parsing: each failure is a TraceError naming the
// file, the JSON path and the reason. Internal to model/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/trace.h"

namespace pasidcheck::model::json_read {

[[noreturn]] inline void error(const std::string& file, const std::string& path,
                               const std::string& why) {
  throw TraceError(file, path, why);
}

inline int integer(const std::string& file, const nlohmann::json& j, const std::string& path,
                   int lo, int hi) {
  if (!j.is_number_integer()) error(file, path, "must be an integer");
  const auto v = j.get<long long>();
  if (v < lo || v > hi)
    error(file, path,
          std::to_string(v) + " is out of range [" + std::to_string(lo) + ", " +
              std::to_string(hi) + "]");
  return static_cast<int>(v);
}

inline bool boolean(const std::string& file, const nlohmann::json& j, const std::string& path) {
  if (!j.is_boolean()) error(file, path, "must be true or false");
  return j.get<bool>();
}

inline std::string str(const std::string& file, const nlohmann::json& j, const std::string& path) {
  if (!j.is_string()) error(file, path, "must be a string");
  return j.get<std::string>();
}

// Fields of an object must be among `allowed`.
template <typename Set>
void only(const std::string& file, const nlohmann::json& j, const std::string& path,
          const Set& allowed) {
  if (!j.is_object()) error(file, path, "must be an object");
  for (const auto& [k, v] : j.items())
    if (!allowed.count(k)) error(file, path + "." + k, "unknown field");
}

}  // namespace pasidcheck::model::json_read
