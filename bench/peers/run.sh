#!/usr/bin/env bash
# The peers of issue 8, measured against pasidcheck in one run on kcore, row kva/both of revamp
# (bench/peers/kcore.pml, bench/peers/kcore.qnt; docs/performance.md "Peers"):
#   1. equivalence: SPIN's exhaustive search, pasidcheck's `explicit` engine (the executable model)
#      and its `kcore-bfs` engine (the compiled kcore transition; one thread, then --jobs 2) count
#      the same reachable states, and time to exhaust them;
#   2. verdicts: both properties hold in revamp; in revamp-no-cpa (no CPA notifier event) SPIN's
#      breadth-first search and pasidcheck's explicit, kcore-bfs and bmc engines find
#      counterexamples of the same length;
#   3. random simulation: `quint run` against `pasidcheck check` (steps per second, same seeds of
#      30-step traces, the invariant checked at every step).
# Installs SPIN (Debian `spin`) and Quint (npm, with the antlr4ts pin of package.json) when
# missing, builds pasidcheck, and writes bench/peers/out/peers.json.
# Usage: bench/peers/run.sh [QUINT_SAMPLES]   (default 300 traces of 30 steps)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/bench/peers
out=$here/out
samples=${1:-300}
mkdir -p "$out"
sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
need=()
dpkg -s spin >/dev/null 2>&1 || need+=(spin)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
if [ "${#need[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${need[@]}" ||
    { $sudo_cmd apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${need[@]}"; }
fi
[ -x "$here/node_modules/.bin/quint" ] ||
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
.ci/setup >/dev/null
pc=$root/build/cli/pasidcheck
now() { date +%s.%N; }
minus() { awk "BEGIN { printf \"%.3f\", $1 - $2 }"; }

echo "== 1. exhaustive: SPIN vs pasidcheck explicit (revamp, kva/both)"
mkdir -p "$out/spin-count" && cd "$out/spin-count"
t0=$(now)
spin -o2 -a "$here/kcore.pml" >/dev/null   # -o2: keep write-only variables (no hiding)
# As an expert builds it: -O3, safety only, no partial-order reduction (the state count must stay
# the same); once plain (fastest) and once with -DCOLLAPSE (state compression: the least memory).
gcc -O3 -DSAFETY -DNOREDUCE -DMEMLIM=16000 -o pan pan.c
gcc -O3 -DSAFETY -DNOREDUCE -DCOLLAPSE -DMEMLIM=16000 -o pan-collapse pan.c
t1=$(now)
./pan -c0 -A -m10000000 -w26 > pan.out 2>&1
t2=$(now)
./pan-collapse -c0 -A -m10000000 -w26 > pan-collapse.out 2>&1
spin_states=$(awk '/states, stored/ {print $1}' pan.out)
echo "SPIN: $spin_states states stored (one is the state before init) in $(minus "$t2" "$t1") s (+ $(minus "$t1" "$t0") s to generate and compile)"
cd "$root"
"$pc" prove --kcore --engine explicit --preset revamp --rows kva/both --properties no-stale-iotlb \
  --timeout 3000 --max-states 10000000 --report "$out/explicit.json" | tail -1 || true
for jobs in 1 2; do
  "$pc" prove --engine kcore-bfs --jobs "$jobs" --preset revamp --rows kva/both \
    --properties no-stale-iotlb --timeout 3000 --max-states 10000000 \
    --report "$out/kcore-bfs-$jobs.json" | tail -1 || true
done

echo "== 2. verdicts: revamp (hold) and revamp-no-cpa (counterexamples)"
spin_verdict() {  # $1 name, $2 extra spin -D flags; prints "errors depth"
  mkdir -p "$out/spin-$1" && cd "$out/spin-$1"
  spin -o2 $2 -a "$here/kcore.pml" >/dev/null
  gcc -O2 -DSAFETY -DNOREDUCE -DBFS -DMEMLIM=16000 -o pan pan.c
  ./pan -m100 > pan.out 2>&1 || true
  local errors depth
  errors=$(awk '/errors:/ {print $NF}' pan.out | tail -1)
  depth=$(grep -o 'at depth [0-9]*' pan.out | head -1 | awk '{print $3}')
  echo "$errors ${depth:--}"
  cd "$root"
}
declare -A spinv
for v in "revamp:63" "revamp-no-cpa:62"; do
  name=${v%%:*}; notifier=${v##*:}
  for p in 1 2; do
    spinv[$name-$p]=$(spin_verdict "$name-$p" "-DNOTIFIER=$notifier -DPROP=$p")
    echo "SPIN $name property $p: errors, depth = ${spinv[$name-$p]}"
  done
done
"$pc" prove --kcore --engine explicit,kcore-bfs,bmc --preset revamp-no-cpa --rows kva/both \
  --properties no-stale-iotlb,no-wx-dma --depth 8 --out "$out/traces" --report "$out/no-cpa.json" |
  tail -4 || true  # exit 1: violations found, as expected

echo "== 3. random simulation: quint run vs pasidcheck check"
cd "$here"
t0=$(now)
node_modules/.bin/quint run --backend typescript --invariant=inv --max-samples="$samples" \
  --max-steps=30 --seed=1 kcore.qnt > "$out/quint.out" 2>&1 || true
t1=$(now)
cd "$root"
quint_seconds=$(minus "$t1" "$t0")
tail -5 "$out/quint.out" | head -2
"$pc" check --preset revamp --bound frames=3 --bound large=3 --properties no-stale-iotlb \
  --max-steps 30 --runs 1000000000 --time-budget "$quint_seconds" --report "$out/check.json" -q ||
  true

python3 - "$out" "$spin_states" "$(minus "$t2" "$t1")" "$samples" "$quint_seconds" \
  "${spinv[revamp-1]}" "${spinv[revamp-2]}" "${spinv[revamp-no-cpa-1]}" "${spinv[revamp-no-cpa-2]}" <<'PY'
import json, re, sys
out, spin_states, _, samples, quint_s = sys.argv[1:6]
verdicts = sys.argv[6:10]
pan = open(f"{out}/spin-count/pan.out").read()
spin_s = float(re.search(r"pan: elapsed time ([0-9.e+-]+) seconds", pan).group(1))
collapse = open(f"{out}/spin-count/pan-collapse.out").read()
collapse_s = float(re.search(r"pan: elapsed time ([0-9.e+-]+) seconds", collapse).group(1))
spin_ref = min(spin_s, collapse_s)  # the faster SPIN build is the reference for the ratios
def spin_bytes(text, states):
    # SPIN's memory for the stored states and its hash table (MB = 2^20 bytes), per state.
    mb = lambda what: float(re.search(r"([0-9.]+)\s+" + what, text).group(1))
    return (mb("actual memory usage for states") + mb("memory used for hash table")) * 2**20 / states
def first_row(path):
    j = json.load(open(path))
    return j["rows"][0] if "rows" in j else j[0]
cell = first_row(f"{out}/explicit.json")
bfs = {jobs: first_row(f"{out}/kcore-bfs-{jobs}.json") for jobs in (1, 2)}
ck = json.load(open(f"{out}/check.json"))
q = open(f"{out}/quint.out").read()
quint_ok = "No violation found" in q
quint_steps = int(samples) * 30
no_cpa = json.load(open(f"{out}/no-cpa.json"))
rows = no_cpa["rows"] if "rows" in no_cpa else no_cpa
spin_states = int(spin_states) - 1  # SPIN also stores the state before init's first step
summary = {
    "machine": "see `nproc`/`lscpu`",
    "exhaustive": {
        "spin": {"states": spin_states, "seconds": spin_s, "states_per_s": spin_states / spin_s,
                 "bytes_per_state": spin_bytes(pan, spin_states), "build": "-O3 -DSAFETY -DNOREDUCE"},
        "spin_collapse": {"seconds": collapse_s, "bytes_per_state": spin_bytes(collapse, spin_states),
                          "build": "-O3 -DSAFETY -DNOREDUCE -DCOLLAPSE"},
        "pasidcheck_explicit": {"states": cell["states"], "kcore_states": cell["kcore_states"],
                                "seconds": cell["seconds"], "verdict": cell["verdict"],
                                "all_depths": cell["all_depths"],
                                "states_per_s": cell["states"] / cell["seconds"],
                                "bytes_per_state": cell["stored_bytes"] / cell["states"]},
        "same_state_count": spin_states == cell["kcore_states"] == cell["states"],
        "time_ratio_pasidcheck_over_spin": cell["seconds"] / spin_ref,
    },
    "verdicts": {
        "spin_errors_depth": {"revamp/no-stale-iotlb": verdicts[0], "revamp/no-wx-dma": verdicts[1],
                              "revamp-no-cpa/no-stale-iotlb": verdicts[2],
                              "revamp-no-cpa/no-wx-dma": verdicts[3]},
        "pasidcheck_revamp_no_cpa": [{k: r[k] for k in ("property", "engine", "verdict", "depth")}
                                     for r in rows],
    },
    "simulation": {
        "quint": {"steps": quint_steps, "seconds": float(quint_s),
                  "steps_per_s": quint_steps / float(quint_s), "no_violation": quint_ok},
        "pasidcheck_check": {"steps": ck["steps"], "seconds": ck["seconds"],
                             "steps_per_s": ck["steps"] / ck["seconds"], "found": ck["found"]},
    },
}
for jobs, b in bfs.items():
    summary["exhaustive"][f"pasidcheck_kcore_bfs_jobs{jobs}"] = {
        "states": b["states"], "seconds": b["seconds"], "verdict": b["verdict"],
        "all_depths": b["all_depths"], "states_per_s": b["states"] / b["seconds"],
        "bytes_per_state": b["stored_bytes"] / b["states"],
        "same_state_count": b["states"] == spin_states,
        "speedup_over_spin": spin_ref / b["seconds"]}
summary["simulation"]["ratio_check_over_quint"] = (
    summary["simulation"]["pasidcheck_check"]["steps_per_s"] /
    summary["simulation"]["quint"]["steps_per_s"])
json.dump(summary, open(f"{out}/peers.json", "w"), indent=2)
print(json.dumps(summary, indent=2))
PY
