#include "solver/kcore/eval.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>

#include "solver/kcore/z3.h"

namespace pasidcheck::solver::kcore {

struct SymbolicEvaluator::Impl {
  z3::context c;
  Encoding enc;
  Vec s;
  SymInput in;
  z3::expr enabled;
  Vec next;
  std::map<std::string, z3::expr> bad;
  z3::expr init;
  // The successor's variables concatenated into bit-vectors of at most 64 bits (Booleans as one
  // bit), each evaluated in one call: the evaluator then visits the terms the variables share
  // once per chunk instead of once per variable. Each chunk: its term and its variables.
  struct Chunk {
    z3::expr term;
    std::vector<int> vars;
  };
  std::vector<Chunk> chunks;
  // step() is asked for every input on one state in turn: the state is substituted into
  // `enabled` and the chunks once (simplified to terms over the input alone), then each input
  // evaluates those.
  std::vector<int> residual_of;
  std::vector<z3::expr> residual;  // enabled, then the chunks
  explicit Impl(const Variant& v)
      : enc(c, v),
        s(enc.state("")),
        in(enc.input("")),
        enabled(enc.enabled(s, in)),
        next(enc.next(s, in)),
        init(enc.init(s)) {
    for (const auto& id : property_ids()) bad.emplace(id, enc.bad(id, s));
    const auto& vars = layout(v.size()).vars();
    int bits = 64;
    for (std::size_t i = 0; i < next.size(); ++i) {
      const int w = std::max(vars[i].width, 1);
      const z3::expr term =
          vars[i].width ? next[i] : z3::ite(next[i], c.bv_val(1, 1), c.bv_val(0, 1));
      if (bits + w > 64) {
        chunks.push_back({term, {}});
        bits = 0;
      } else {
        chunks.back().term = z3::concat(chunks.back().term, term);
      }
      chunks.back().vars.push_back(static_cast<int>(i));
      bits += w;
    }
  }
  // Z3 takes an interpretation of another sort without complaint and then evaluates terms over
  // it to nonsense (a 1-bit device value once made every pasid_enable look refused): check it.
  static void interpret(z3::model& m, z3::func_decl d, z3::expr v) {
    if (!z3::eq(d.range(), v.get_sort()))
      throw std::logic_error("kcore evaluator: " + d.name().str() + " is " + d.range().to_string() +
                             ", its value " + v.get_sort().to_string());
    m.add_const_interp(d, v);
  }
  // Evaluate e with the state (and input) variables given concrete values.
  z3::model assign(const std::vector<int>& st, const KInput* k) {
    z3::model m(c);
    for (std::size_t i = 0; i < st.size(); ++i)  // step() passes none: it substituted the state
      interpret(m, s[i].decl(), enc.value(static_cast<int>(i), st[i]));
    if (k) {
      const SymInput val = enc.input_value(*k);
      const Vec vars = in.all(), vals = val.all();
      for (std::size_t i = 0; i < vars.size(); ++i) interpret(m, vars[i].decl(), vals[i]);
    }
    return m;
  }
  static int as_int(const z3::expr& v) {
    return v.is_bool() ? (v.is_true() ? 1 : 0) : static_cast<int>(v.get_numeral_uint());
  }
};

SymbolicEvaluator::SymbolicEvaluator(const Variant& v) : impl_(std::make_unique<Impl>(v)) {}
SymbolicEvaluator::~SymbolicEvaluator() = default;

SymbolicEvaluator::Step SymbolicEvaluator::step(const std::vector<int>& state, const KInput& in) {
  Impl& I = *impl_;
  if (I.residual.empty() || I.residual_of != state) {
    z3::expr_vector src(I.c), dst(I.c);
    for (std::size_t i = 0; i < I.s.size(); ++i) {
      src.push_back(I.s[i]);
      dst.push_back(I.enc.value(static_cast<int>(i), state[i]));
    }
    I.residual.clear();
    I.residual.push_back(I.enabled.substitute(src, dst).simplify());
    for (auto& chunk : I.chunks) I.residual.push_back(chunk.term.substitute(src, dst).simplify());
    I.residual_of = state;
  }
  const z3::model m = I.assign({}, &in);
  Step out;
  out.enabled = m.eval(I.residual[0], true).is_true();
  const auto& vars = layout(I.enc.variant().size()).vars();
  out.next.resize(I.next.size());
  for (std::size_t k = 0; k < I.chunks.size(); ++k) {
    const auto& chunk = I.chunks[k];
    std::uint64_t bits = m.eval(I.residual[k + 1], true).get_numeral_uint64();
    for (auto i = chunk.vars.rbegin(); i != chunk.vars.rend(); ++i) {  // the last is lowest
      const int w = std::max(vars[*i].width, 1);
      out.next[*i] = static_cast<int>(bits & ((std::uint64_t{1} << w) - 1));
      bits >>= w;
    }
  }
  return out;
}

bool SymbolicEvaluator::bad(const std::string& property, const std::vector<int>& state) {
  const z3::model m = impl_->assign(state, nullptr);
  return m.eval(impl_->bad.at(property), true).is_true();
}

bool SymbolicEvaluator::init(const std::vector<int>& state) {
  const z3::model m = impl_->assign(state, nullptr);
  return m.eval(impl_->init, true).is_true();
}

}  // namespace pasidcheck::solver::kcore
