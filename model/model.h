// The executable model: a validated Config, its boot state (MODEL.md §8.1) and the transition
// function. `apply` either performs an op atomically or reports the precondition it breaks and
// leaves the state untouched; the outcome (result, frame, fault reason, ...) is what traces
// `expect`.
#pragma once

#include <optional>
#include <string>

#include "model/config.h"
#include "model/ops.h"
#include "model/state.h"

namespace pasidcheck::model {

struct Outcome {
  Result result = Result::ok;
  int frame = -1;
  Submode submode = Submode::none;
  FaultReason fault = FaultReason::none;
  int iova = -1;
  int pasid = -1;
  Via via = Via::none;
  int group = -1;
  bool operator==(const Outcome&) const = default;
};

struct StepResult {
  bool applied = false;
  std::string error;  // the precondition that failed, when !applied
  Outcome outcome;
};

class Model {
 public:
  // `config` must have passed validate_config.
  explicit Model(Config config);

  const Config& config() const { return config_; }
  const Bounds& bounds() const { return config_.bounds; }
  const Knobs& knobs() const { return config_.knobs; }
  int device_count() const { return static_cast<int>(config_.devices.size()); }
  std::optional<int> device_index(const std::string& name) const;
  const DeviceAttrs& device(int d) const { return config_.devices.at(d); }

  bool trusted(int d) const { return trusted_.at(d); }
  bool ats(int d) const { return ats_.at(d); }
  bool pri(int d) const { return pri_.at(d); }
  // Lazy DMA domain (iova_flush and the device's trust).
  bool lazy(int d) const;
  // The DMA domain of device d, allocated at boot in device order (MODEL.md §8.30).
  int dma_did(int d) const { return kFirstDomainDid + d; }
  int block_of(int frame) const { return frame / bounds().large; }
  int group_of(int vpage) const { return vpage / bounds().large; }
  int space_size(Space s) const;

  State boot() const;
  StepResult apply(State& s, const Op& op) const;

 private:
  Config config_;
  std::vector<bool> trusted_, ats_, pri_;
};

// What iommu_dma_pasid_enable(dev, mode) gives device `dev` (MODEL.md §8.2), from the knobs and the
// device alone: refused (and why), or the entry's root and submode. do_pasid_enable() applies it
// and kcore's variant_of() reads it: one decision, two users.
struct EnableDecision {
  bool refused = false;
  FaultReason why = FaultReason::none;
  Root root = Root::none;
  Submode submode = Submode::none;
};
EnableDecision enable_decision(const Model& m, int dev, Mode mode);
// kva_fast_for: does device `dev` get fast KVA (the CPU kernel table) rather than a strict mirror?
bool fast_kva_for(const Model& m, int dev);

// Boot needs a table frame per split block; returns an error if the config cannot boot.
std::optional<std::string> check_bootable(const Config& c);

}  // namespace pasidcheck::model
