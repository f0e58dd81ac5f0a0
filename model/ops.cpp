#include "model/ops.h"

#include <array>
#include <optional>
#include <stdexcept>

#include "model/step_context.h"

namespace pasidcheck::model {
namespace {

constexpr std::array<const char*, 22> kArgNames{"dev",    "pasid",       "mode",
                                                "frame",  "slot",        "slots",
                                                "page",   "table_frame", "alias_table_frame",
                                                "addr",   "count",       "attr",
                                                "dir",    "prot",        "priv",
                                                "access", "mm",          "w",
                                                "group",  "iova",        "bounce_frame",
                                                "entry"};

}  // namespace

// The families' rows (kernel_mem.cpp, user_mm.cpp, iommu_api.cpp, device.cpp), one per OpKind,
// placed in OpKind order; a kind with no row, or with two, is a programming error.
const std::vector<OpSpec>& op_catalogue() {
  static const std::vector<OpSpec> catalogue = [] {
    std::vector<std::optional<OpSpec>> at(kOpKinds);
    using Family = const std::vector<OpSpec>& (*)();
    for (Family family :
         {detail::kernel_mem_ops, detail::user_mm_ops, detail::iommu_api_ops, detail::device_ops})
      for (const OpSpec& row : family()) {
        auto& slot = at.at(static_cast<std::size_t>(row.kind));
        if (slot || row.handler == nullptr)
          throw std::logic_error("op catalogue: a second row, or no handler, for " + row.name);
        slot = row;
      }
    std::vector<OpSpec> v;
    for (std::size_t i = 0; i < at.size(); ++i) {
      if (!at[i]) throw std::logic_error("op catalogue: no row for op kind " + std::to_string(i));
      v.push_back(*at[i]);
    }
    return v;
  }();
  return catalogue;
}

const OpSpec& op_spec(OpKind k) {
  return op_catalogue()[static_cast<std::size_t>(k)];
}

bool parse(const std::string& s, OpKind& out) {
  for (const auto& spec : op_catalogue()) {
    if (spec.name == s) {
      out = spec.kind;
      return true;
    }
  }
  return false;
}

std::string to_string(OpKind k) {
  return op_spec(k).name;
}

std::string to_string(Arg a) {
  return kArgNames.at(static_cast<std::size_t>(a));
}

bool parse(const std::string& s, Arg& out) {
  for (std::size_t i = 0; i < kArgNames.size(); ++i) {
    if (s == kArgNames[i]) {
      out = static_cast<Arg>(i);
      return true;
    }
  }
  return false;
}

std::string to_string(Prot p) {
  return p == Prot::r ? "r" : "rw";
}

bool parse(const std::string& s, Prot& out) {
  if (s == "r")
    out = Prot::r;
  else if (s == "rw")
    out = Prot::rw;
  else
    return false;
  return true;
}

}  // namespace pasidcheck::model
