// bmc, kind and spacer over the Z3 encoding of kcore.
#include <z3++.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

#include "model/stop.h"
#include "solver/engine.h"
#include "solver/engines_internal.h"
#include "solver/isolated.h"
#include "solver/kcore/z3.h"

namespace pasidcheck::solver {

namespace {

using Clock = std::chrono::steady_clock;
using kcore::Encoding;
using kcore::SymInput;
using kcore::Vec;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// While alive, a stop request (SIGINT/SIGTERM, model/stop.h) interrupts the context's query in
// progress (Z3_interrupt): the query answers `unknown`, so a run ends as it ends at its timeout.
class InterruptOnStop {
 public:
  explicit InterruptOnStop(z3::context& c)
      : watcher_([&c, this](std::stop_token st) {
          std::unique_lock lock(mutex_);
          while (!st.stop_requested()) {
            if (stop_requested()) {
              c.interrupt();
              return;
            }
            wake_.wait_for(lock, st, std::chrono::milliseconds(50), [] { return false; });
          }
        }) {}

 private:
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread watcher_;  // last: joined before the mutex and the condition are destroyed
};

unsigned ms_left(const ProveProblem& p, Clock::time_point t0) {
  const double left = p.timeout - since(t0);
  return left <= 0 ? 1u : static_cast<unsigned>(left * 1000);
}

// One incremental unrolling: a literal per depth assumes "the property fails at depth k".
class Unrolling {
 public:
  Unrolling(z3::context& c, const kcore::Variant& v, const std::string& property)
      : enc_(c, v), solver_(c), property_(property) {
    states_.push_back(enc_.state("@0"));
    solver_.add(enc_.init(states_[0]));
  }
  z3::solver& solver() { return solver_; }
  // Is there a violation at exactly depth k (all shorter depths already unsat)?
  z3::check_result violated_at(int k) {
    while (static_cast<int>(states_.size()) <= k) extend();
    const z3::expr lit = enc_.ctx().bool_const(("bad@" + std::to_string(k)).c_str());
    solver_.add(z3::implies(lit, enc_.bad(property_, states_[k])));
    z3::expr_vector assumptions(enc_.ctx());
    assumptions.push_back(lit);
    return solver_.check(assumptions);
  }
  std::vector<kcore::KInput> inputs(int k) {
    const z3::model m = solver_.get_model();
    std::vector<kcore::KInput> out;
    for (int i = 0; i < k; ++i) out.push_back(enc_.decode(m, inputs_[i]));
    return out;
  }

 private:
  void extend() {
    const int k = static_cast<int>(states_.size());
    inputs_.push_back(enc_.input("@" + std::to_string(k - 1)));
    states_.push_back(enc_.state("@" + std::to_string(k)));
    solver_.add(enc_.trans(states_[k - 1], inputs_.back(), states_[k]));
  }
  Encoding enc_;
  z3::solver solver_;
  std::string property_;
  std::vector<Vec> states_;
  std::vector<SymInput> inputs_;
};

// Shared BMC loop: depths 0..max; the first sat depth is a shortest counterexample.
EngineResult run_bmc(const ProveProblem& p, int max_depth, const char* name) {
  const auto t0 = Clock::now();
  EngineResult r;
  r.engine = name;
  z3::context c;
  const InterruptOnStop interrupt(c);
  Unrolling u(c, kcore::variant_of(p.config, p.row), p.property);
  for (int k = 0; k <= max_depth; ++k) {
    z3::params prm(c);
    prm.set("timeout", ms_left(p, t0));
    prm.set("ctrl_c", false);  // Z3 would take SIGINT for itself: InterruptOnStop handles it
    u.solver().set(prm);
    // An answer given while a stop was requested may come from an interrupted query: unused.
    const z3::check_result res = stop_requested() ? z3::unknown : u.violated_at(k);
    if (res == z3::sat && !stop_requested()) {
      r.verdict = Verdict::violated;
      r.depth = k;
      r.trace = kcore_witness(p, u.inputs(k));
      r.seconds = since(t0);
      return r;
    }
    if (res == z3::unknown || stop_requested()) {
      r.reason = stop_requested() ? "interrupted at depth " + std::to_string(k)
                                  : "Z3 gave up at depth " + std::to_string(k) + " (" +
                                        u.solver().reason_unknown() + ")";
      r.depth = k - 1;
      r.seconds = since(t0);
      if (k > 0) {  // still a bounded answer
        r.verdict = Verdict::holds;
        r.reason.clear();
      }
      return r;
    }
    r.depth = k;
  }
  r.verdict = Verdict::holds;
  r.seconds = since(t0);
  return r;
}

// A stop request (InterruptOnStop) may cancel Z3 outside a check too, where the API throws
// ("canceled"): that is an interrupted run, not an internal error.
template <class Run>
EngineResult unless_interrupted(const char* engine, Run run) {
  const auto t0 = Clock::now();
  try {
    return run();
  } catch (const z3::exception&) {
    if (!stop_requested()) throw;
    EngineResult r;
    r.engine = engine;
    r.reason = "interrupted";
    r.seconds = since(t0);
    return r;
  }
}

class Bmc : public Engine {
 public:
  EngineResult check(const ProveProblem& p) override {
    return unless_interrupted("bmc", [&] { return run_bmc(p, p.depth, "bmc"); });
  }
};

// k-induction with simple-path constraints: base case = BMC, step case = k P-states followed by a
// bad one along pairwise distinct states.
class KInduction : public Engine {
 public:
  EngineResult check(const ProveProblem& p) override {
    return unless_interrupted("kind", [&] { return run(p); });
  }

 private:
  static EngineResult run(const ProveProblem& p) {
    const auto t0 = Clock::now();
    EngineResult r;
    r.engine = "kind";
    z3::context c;
    const InterruptOnStop interrupt(c);
    const kcore::Variant v = kcore::variant_of(p.config, p.row);
    Unrolling base(c, v, p.property);
    Encoding enc(c, v);
    z3::solver step(c);
    std::vector<Vec> S{enc.state("#0")};
    for (int k = 0; k <= p.depth; ++k) {
      z3::params prm(c);
      prm.set("timeout", ms_left(p, t0));
      prm.set("ctrl_c", false);  // Z3 would take SIGINT for itself: InterruptOnStop handles it
      base.solver().set(prm);
      step.set(prm);
      const auto b = stop_requested() ? z3::unknown : base.violated_at(k);
      if (b == z3::sat && !stop_requested()) {
        r.verdict = Verdict::violated;
        r.depth = k;
        r.trace = kcore_witness(p, base.inputs(k));
        r.seconds = since(t0);
        return r;
      }
      if (b != z3::unsat) break;  // unknown, or interrupted
      // Step case for k+1: S0..Sk good, S(k+1) bad, all distinct.
      const int n = k + 1;
      const SymInput in = enc.input("#" + std::to_string(k));
      S.push_back(enc.state("#" + std::to_string(n)));
      step.add(enc.trans(S[k], in, S[n]));
      step.add(!enc.bad(p.property, S[k]));
      for (int i = 0; i < n; ++i) {
        z3::expr_vector diff(c);
        for (std::size_t q = 0; q < S[i].size(); ++q) diff.push_back(S[i][q] != S[n][q]);
        step.add(z3::mk_or(diff));
      }
      z3::expr_vector assume(c);
      const z3::expr lit = c.bool_const(("badstep#" + std::to_string(n)).c_str());
      step.add(z3::implies(lit, enc.bad(p.property, S[n])));
      assume.push_back(lit);
      const auto sres = stop_requested() ? z3::unknown : step.check(assume);
      if (sres == z3::unsat && !stop_requested()) {
        r.verdict = Verdict::holds;
        r.all_depths = true;
        r.depth = n;
        r.seconds = since(t0);
        return r;
      }
      if (sres != z3::sat) break;  // unknown, or interrupted
    }
    r.reason = stop_requested()         ? "interrupted"
               : since(t0) >= p.timeout ? "timeout"
                                        : "not " + std::to_string(p.depth + 1) +
                                              "-inductive (with simple paths); no violation up to "
                                              "depth " +
                                              std::to_string(p.depth);
    r.depth = p.depth;
    r.seconds = since(t0);
    return r;
  }
};

// Spacer (Z3's CHC engine): Inv(s) <- Init(s); Inv(n) <- Inv(s) & T(s,i,n); Err <- Inv(s) & Bad(s).
// The query runs in a child process (solver/isolated.h): Debian's Z3 4.8.12 segfaults in it on
// some kcore configs, which then give `unknown` instead of ending the run.
class Spacer : public Engine {
 public:
  EngineResult check(const ProveProblem& p) override {
    const auto t0 = Clock::now();
    EngineResult r;
    r.engine = "spacer";
    // Z3's own timeout ends the query; the child also gets the invariant's re-check.
    const Isolated q = run_isolated(2 * p.timeout + 10, [&] { return query(p, t0); });
    if (!q.reply) {
      r.reason = q.failure;
      r.seconds = since(t0);
      return r;
    }
    // The reply: "holds\n<checked 1|0|->\n<invariant>", "sat\n<depth>" or "unknown\n<reason>".
    const std::string& reply = *q.reply;
    const auto nl = reply.find('\n');
    const std::string head = reply.substr(0, nl),
                      rest = nl == std::string::npos ? "" : reply.substr(nl + 1);
    if (head == "holds") {
      r.verdict = Verdict::holds;
      r.all_depths = true;
      if (rest[0] != '-') r.proof_checked = rest[0] == '1';
      r.invariant = rest.substr(std::min(rest.size(), std::size_t{2}));
    } else if (head == "sat") {
      // The derivation's depth; BMC at that depth gives the concrete states.
      const int depth = std::stoi(rest);
      ProveProblem again = p;
      again.timeout = std::max(1.0, p.timeout - since(t0));
      EngineResult b =
          unless_interrupted("spacer", [&] { return run_bmc(again, depth, "spacer"); });
      if (b.verdict == Verdict::violated) {
        r.verdict = Verdict::violated;
        r.depth = b.depth;
        r.trace = b.trace;
      } else {
        r.reason = "Spacer reported a counterexample of depth " + std::to_string(depth) +
                   " that BMC could not concretise";
      }
    } else {
      r.reason = rest;
    }
    r.seconds = since(t0);
    return r;
  }

 private:
  // In the child process: the CHC query and what check() needs of its answer, as text.
  static std::string query(const ProveProblem& p, Clock::time_point t0) {
    z3::context c;
    const kcore::Variant v = kcore::variant_of(p.config, p.row);
    Encoding enc(c, v);
    z3::fixedpoint fp(c);
    z3::params prm(c);
    prm.set("engine", "spacer");
    // Keep Inv as written, so that its interpretation (the invariant) can be read back.
    prm.set("xform.slice", false);
    prm.set("xform.inline_linear", false);
    prm.set("xform.inline_eager", false);
    prm.set("timeout", ms_left(p, t0));
    prm.set("ctrl_c", false);  // Z3 would take SIGINT for itself: InterruptOnStop handles it
    fp.set(prm);
    const Vec s = enc.state(""), n = enc.state("'");
    const SymInput in = enc.input("");
    z3::expr_vector sv(c), all(c);
    z3::sort_vector dom(c);
    for (const auto& e : s) {
      sv.push_back(e);
      all.push_back(e);
      dom.push_back(e.get_sort());
    }
    for (const auto& e : in.all()) all.push_back(e);
    z3::expr_vector nv(c);
    for (const auto& e : n) {
      nv.push_back(e);
      all.push_back(e);
    }
    z3::func_decl inv = c.function("Inv", dom, c.bool_sort());
    z3::func_decl err = c.function("Err", 0, nullptr, c.bool_sort());
    fp.register_relation(inv);
    fp.register_relation(err);
    z3::expr init_rule = z3::forall(sv, z3::implies(enc.init(s), inv(sv)));
    z3::expr step_rule = z3::forall(all, z3::implies(inv(sv) && enc.trans(s, in, n), inv(nv)));
    z3::expr bad_rule = z3::forall(sv, z3::implies(inv(sv) && enc.bad(p.property, s), err()));
    fp.add_rule(init_rule, c.str_symbol("init"));
    fp.add_rule(step_rule, c.str_symbol("step"));
    fp.add_rule(bad_rule, c.str_symbol("bad"));
    z3::func_decl_vector q(c);
    q.push_back(err);
    z3::check_result res = z3::unknown;
    try {
      res = fp.query(q);
    } catch (const z3::exception& e) {
      return std::string("unknown\nZ3: ") + e.msg();
    }
    if (res == z3::unsat) {
      // The invariant: Inv's cover at the fixpoint, variables renamed to the state's names
      // (readable only because the xform.* transformations above keep Inv as written; without
      // them Debian's Z3 4.8.12 crashes here, and get_answer() just says `true`).
      const z3::expr invariant = fp.get_cover_delta(-1, inv).substitute(sv);
      const char checked = !p.check_proofs                                     ? '-'
                           : check_invariant(c, enc, p.property, invariant, s) ? '1'
                                                                               : '0';
      return std::string("holds\n") + checked + "\n" + invariant.simplify().to_string();
    }
    if (res == z3::sat) {  // the derivation's rule names give the depth
      const std::string names =
          Z3_get_symbol_string(c, Z3_fixedpoint_get_rule_names_along_trace(c, fp));
      int depth = 0;
      for (auto i = names.find("step"); i != std::string::npos; i = names.find("step", i + 1))
        ++depth;
      return "sat\n" + std::to_string(depth);
    }
    return "unknown\n" + fp.reason_unknown();
  }

  // Init => I, I & T => I', I => !Bad, each with a fresh solver.
  static bool check_invariant(z3::context& c, Encoding& enc, const std::string& property,
                              const z3::expr& invariant, const Vec& s) {
    const Vec n = enc.state("''");
    const SymInput in = enc.input("'");
    z3::expr_vector from(c), to(c);
    for (std::size_t i = 0; i < s.size(); ++i) {
      from.push_back(s[i]);
      to.push_back(n[i]);
    }
    z3::expr inv = invariant;
    const z3::expr inv_next = inv.substitute(from, to);
    auto unsat = [&](const z3::expr& q) {
      z3::solver fresh(c);
      fresh.add(q);
      return fresh.check() == z3::unsat;
    };
    return unsat(enc.init(s) && !invariant) &&
           unsat(invariant && enc.trans(s, in, n) && !inv_next) &&
           unsat(invariant && enc.bad(property, s));
  }
};

}  // namespace

std::unique_ptr<Engine> make_z3_engine(const std::string& name) {
  if (name == "bmc") return std::make_unique<Bmc>();
  if (name == "kind") return std::make_unique<KInduction>();
  if (name == "spacer") return std::make_unique<Spacer>();
  return nullptr;
}

std::string z3_version() {
  unsigned major = 0, minor = 0, build = 0, revision = 0;
  Z3_get_version(&major, &minor, &build, &revision);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build);
}

}  // namespace pasidcheck::solver
