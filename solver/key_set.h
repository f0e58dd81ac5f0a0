// The explicit engine's set of visited states: canonical state keys (solver/canonical.h) stored
// back to back in 1 MiB blocks, each with a four-byte length, and an open-addressing table of
// (hash, position) pairs. No allocation per state (std::unordered_set<std::string> made two); per
// state, the key, its length and a 16-byte slot in a table at most three quarters full.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace pasidcheck::solver {

class KeySet {
 public:
  KeySet() : slots_(1024) {}

  // Adds `key` unless present; true when it was new.
  bool insert(std::string_view key) {
    const std::uint64_t h = hash(key);
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    std::size_t i = h & (slots_.size() - 1);
    for (;; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.where == 0) break;
      if (s.hash == h && at(s.where) == key) return false;
    }
    slots_[i] = {h, store(key)};
    ++size_;
    return true;
  }
  bool contains(std::string_view key) const {
    const std::uint64_t h = hash(key);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.where == 0) return false;
      if (s.hash == h && at(s.where) == key) return true;
    }
  }
  std::size_t size() const { return size_; }
  // Memory held: the key blocks and the table.
  std::size_t bytes() const { return held_ + slots_.size() * sizeof(Slot); }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  struct Slot {
    std::uint64_t hash = 0;   // kept whole: growing the table does not read the keys
    std::uint64_t where = 0;  // 1 + block * kBlock + offset; 0 = empty
  };

  static std::uint64_t hash(std::string_view k) {  // eight bytes at a time, then a final mix
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ k.size();
    std::size_t i = 0;
    for (; i + 8 <= k.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, k.data() + i, 8);
      h = (h ^ w) * 0xff51afd7ed558ccdULL;
      h ^= h >> 32;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, k.data() + i, k.size() - i);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
  }
  std::string_view at(std::uint64_t where) const {
    const char* p = blocks_[(where - 1) / kBlock].get() + (where - 1) % kBlock;
    std::uint32_t n;
    std::memcpy(&n, p, 4);
    return {p + 4, n};
  }
  std::uint64_t store(std::string_view key) {
    const std::size_t need = key.size() + 4;
    if (need > kBlock) {  // a key larger than a block gets a block of its own
      const std::size_t big = kBlock * ((need + kBlock - 1) / kBlock);
      blocks_.push_back(std::make_unique<char[]>(big));
      held_ += big + kBlock;
      const std::uint64_t where = 1 + (blocks_.size() - 1) * kBlock;
      write(blocks_.back().get(), key);
      // Positions are block * kBlock + offset: the next key starts a fresh block.
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
      return where;
    }
    if (blocks_.empty() || used_ + need > kBlock) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      held_ += kBlock;
      used_ = 0;
    }
    write(blocks_.back().get() + used_, key);
    const std::uint64_t where = 1 + (blocks_.size() - 1) * kBlock + used_;
    used_ += need;
    return where;
  }
  static void write(char* p, std::string_view key) {
    const auto n = static_cast<std::uint32_t>(key.size());
    std::memcpy(p, &n, 4);
    std::memcpy(p + 4, key.data(), key.size());
  }
  void grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    for (const Slot& s : slots_) {
      if (s.where == 0) continue;
      std::size_t i = s.hash & (bigger.size() - 1);
      while (bigger[i].where != 0) i = (i + 1) & (bigger.size() - 1);
      bigger[i] = s;
    }
    slots_ = std::move(bigger);
  }

  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t used_ = 0;
  std::size_t size_ = 0;
  std::size_t held_ = 0;  // bytes in blocks
};

}  // namespace pasidcheck::solver
