// Where random op generation (fuzz/op_gen.cpp) draws its choices from. Both sources give the same
// distributions: uniform over a range or a list, weighted over a table.
// - RcDraw: RapidCheck's generators, inside a test case or a gen::exec generator, so that
//   RapidCheck records and shrinks every choice (gen_op, generated_ops, the tests).
// - FastDraw: a splitmix64 stream, for `check`'s search, which replays its finds and shrinks
//   them on the trace (fuzz/search.cpp); no generator state is kept per choice.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

namespace pasidcheck::fuzz {

// The entry of `table` that a draw of r in [0, total weight) lands in.
template <typename T>
T weighted_entry(const std::vector<std::pair<unsigned, T>>& table, unsigned r) {
  for (const auto& [w, x] : table) {
    if (r < w) return x;
    r -= w;
  }
  return table.back().second;
}

template <typename T>
unsigned total_weight(const std::vector<std::pair<unsigned, T>>& table) {
  unsigned total = 0;
  for (const auto& e : table) total += e.first;
  return total;
}

struct RcDraw {
  int in_range(int lo, int hi) { return *rc::gen::inRange(lo, hi); }
  template <typename T>
  T element_of(const std::vector<T>& v) {
    return *rc::gen::elementOf(v);
  }
  template <typename T>
  T one_of(std::initializer_list<T> xs) {
    return *rc::gen::elementOf(std::vector<T>(xs));
  }
  bool coin() { return *rc::gen::arbitrary<bool>(); }
  template <typename T>
  T weighted(const std::vector<std::pair<unsigned, T>>& table) {
    return weighted_entry(table, static_cast<unsigned>(in_range(0, total_weight(table))));
  }
};

struct FastDraw {
  std::uint64_t x;
  std::uint64_t next() {  // splitmix64 (Steele, Lea and Flood 2014)
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int in_range(int lo, int hi) {
    return hi <= lo ? lo : lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo));
  }
  template <typename T>
  T element_of(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(in_range(0, static_cast<int>(v.size())))];
  }
  template <typename T>
  T one_of(std::initializer_list<T> xs) {
    return xs.begin()[in_range(0, static_cast<int>(xs.size()))];
  }
  bool coin() { return (next() & 1) != 0; }
  template <typename T>
  T weighted(const std::vector<std::pair<unsigned, T>>& table) {
    return weighted_entry(table, static_cast<unsigned>(next() % total_weight(table)));
  }
};

}  // namespace pasidcheck::fuzz
