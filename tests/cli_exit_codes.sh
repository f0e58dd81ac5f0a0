#!/usr/bin/env bash
# Exit codes of `pasidcheck replay` (TRACE-FORMAT.md): 0, 1, 3, and bad-input messages.
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # expected-code description command...
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, want $want"; cat "$tmp/out" "$tmp/err"; fail=1
  fi
}
scen="$src/corpora/scenarios/05-kva-fast-module-load-wx.json"
check 0 "trace with met expectation" "$bin" replay -q "$scen"
# Without expect: exit 1 iff a property is violated.
python3 - "$scen" "$tmp/noexpect.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); del t["expect"]; json.dump(t, open(sys.argv[2], "w"))
PY
check 1 "violation without expect" "$bin" replay -q "$tmp/noexpect.json"
python3 - "$scen" "$tmp/wrong.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); t["expect"] = {"verdict": "holds"}; json.dump(t, open(sys.argv[2], "w"))
PY
check 1 "unmet expectation" "$bin" replay -q "$tmp/wrong.json"
echo '{"format": "pasidcheck-trace", "version": 1, "config": {' > "$tmp/trunc.json"
check 3 "truncated JSON" "$bin" replay "$tmp/trunc.json"
grep -q "trunc.json" "$tmp/err" || { echo "FAIL: message does not name the file"; fail=1; }
python3 - "$scen" "$tmp/pre.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); t["steps"].insert(0, {"op": "kfree", "frame": 3, "slot": 0}); json.dump(t, open(sys.argv[2], "w"))
PY
check 3 "precondition failure" "$bin" replay "$tmp/pre.json"
grep -q "steps\[0\]" "$tmp/err" || { echo "FAIL: message does not name the step"; cat "$tmp/err"; fail=1; }
check 3 "unknown property" "$bin" replay --properties no-such-thing "$scen"
check 3 "unknown list" "$bin" list nothing
check 0 "list knobs" "$bin" list knobs
check 0 "explain" "$bin" explain "$scen"
check 0 "itf export" "$bin" replay -q --itf "$tmp/run.itf.json" "$scen"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['states'])==6 and d['states'][0]['#meta']['index']==0" "$tmp/run.itf.json" \
  || { echo "FAIL: ITF output"; fail=1; }
check 0 "json report" "$bin" replay --format json "$scen"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[0]['first_violation_step']==3" "$tmp/out" \
  || { echo "FAIL: JSON report"; fail=1; }
check 0 "corpus gate" "$bin" corpus "$src/corpora" --junit "$tmp/corpus.xml"
python3 -c "import sys, xml.etree.ElementTree as ET; r=ET.parse(sys.argv[1]).getroot(); assert int(r.get('tests'))>60 and r.get('failures')=='0'" "$tmp/corpus.xml" \
  || { echo "FAIL: corpus JUnit"; fail=1; }
mkdir -p "$tmp/bad"; cp "$tmp/wrong.json" "$tmp/bad/"
check 1 "corpus with an unmet expectation" "$bin" corpus "$tmp/bad"
cp "$tmp/noexpect.json" "$tmp/bad/"
check 3 "corpus with a trace that states no verdict" "$bin" corpus "$tmp/bad"
check 3 "check: unknown knob" "$bin" check --preset revamp --knob teleport=on
check 3 "check: unknown preset" "$bin" check --preset linux-9
check 3 "check: absurd bound" "$bin" check --bound frames=2147483647
check 3 "check: unknown property" "$bin" check --properties no-such
check 1 "check finds scenario 2" "$bin" check --preset linux-6.12 --knob bounce_untrusted=off --properties untrusted-confined --out "$tmp/chk" -q
ls "$tmp/chk"/*.json >/dev/null 2>&1 || { echo "FAIL: check wrote no trace"; fail=1; }
check 0 "check's trace replays" "$bin" replay -q $(ls "$tmp"/chk/*.json | grep -v "\.itf\.json$")
check 0 "check finds nothing in a mitigated variant" "$bin" check --preset linux-6.12 --properties untrusted-confined --time-budget 2 -q
check 1 "prove finds a shortest violation" "$bin" prove --preset legacy-2021 --depth 2 --properties untrusted-confined --out "$tmp/prv"
check 2 "prove holds only up to the bound" "$bin" prove --preset revamp --depth 2 --properties trust-gating --out "$tmp/prv"
check 3 "prove: unknown engine" "$bin" prove --engine cbmc
check 3 "prove: unknown property" "$bin" prove --engine bmc --properties iopf
check 3 "prove: unknown row" "$bin" prove --engine bmc --rows sva/both
check 1 "prove: no drain leaves a page request behind (sva row)" "$bin" prove --engine bmc \
  --preset revamp-no-drain --rows sva/trusted --properties iopf-integrity --depth 5 --out "$tmp/prv"
check 3 "prove: --bound with a Z3 engine" "$bin" prove --engine bmc --bound frames=8
check 3 "prove: kcore size out of range" "$bin" prove --engine bmc --kcore-frames 9
check 3 "prove: kcore devices out of range" "$bin" prove --engine bmc --kcore-devices 5
grep -q "2..4 devices, not 5" "$tmp/err" || { echo "FAIL: --kcore-devices message"; cat "$tmp/err"; fail=1; }
check 3 "prove: kcore slots out of range" "$bin" prove --engine bmc --kcore-slots 3
grep -q "1..2 slots per frame, not 3" "$tmp/err" || { echo "FAIL: --kcore-slots message"; cat "$tmp/err"; fail=1; }
check 1 "prove: no bounce buffer exposes the rest of the page (2 slots)" "$bin" prove --engine bmc \
  --kcore-slots 2 --preset revamp-no-bounce --rows iova/untrusted --properties untrusted-confined \
  --depth 3 --out "$tmp/prvs"
grep -q "violated, 2 steps" "$tmp/out" || { echo "FAIL: 2-slot counterexample"; cat "$tmp/out"; fail=1; }
check 1 "prove: tbt1's mirror drifts too (4 devices, kva/untrusted)" "$bin" prove --engine bmc \
  --kcore-devices 4 --preset revamp-no-cpa --rows kva/untrusted --properties kva-mirror-exact \
  --depth 4 --out "$tmp/prvd"
grep -q "violated, 4 steps" "$tmp/out" || { echo "FAIL: 4-device counterexample"; cat "$tmp/out"; fail=1; }
check 1 "prove: free-first teardown leaves a cached PASID (4 frames)" "$bin" prove --engine bmc \
  --kcore-frames 4 --preset revamp-free-first --rows kva/trusted --properties pasid-lifecycle \
  --depth 4 --out "$tmp/prv4"
check 1 "prove --format grid: one line per variant" "$bin" prove --engine kcore-bfs \
  --variants revamp,revamp-no-cpa --rows kva/untrusted,bypass/trusted \
  --properties no-stale-iotlb,pt-integrity,kva-mirror-exact --format grid --out "$tmp/grid"
grep -qF "| revamp | proved | **X** bT2 | proved |" "$tmp/out" &&
  grep -qF "| revamp-no-cpa | proved | **X** bT2 | **X** kU4 |" "$tmp/out" ||
  { echo "FAIL: grid cells"; cat "$tmp/out"; fail=1; }
check 3 "prove: unknown format" "$bin" prove --engine bmc --format html
check 3 "bench: unknown section" "$bin" bench --sections bogus
check 1 "prove: DEBUG_PAGEALLOC without its notifier event" "$bin" prove --engine bmc \
  --preset revamp-no-pagealloc --knob debug_pagealloc=on --rows kva/trusted \
  --properties no-stale-iotlb --depth 6 --out "$tmp/prvpa"
grep -q "violated, 5 steps" "$tmp/out" || { echo "FAIL: pagealloc counterexample length"; cat "$tmp/out"; fail=1; }
check 1 "prove: bmc finds the knock-out's counterexample" "$bin" prove --engine bmc --preset revamp-no-cpa --rows kva/trusted --properties no-wx-dma --out "$tmp/prv"
grep -q "violated, 4 steps" "$tmp/out" || { echo "FAIL: bmc counterexample length"; cat "$tmp/out"; fail=1; }
"$bin" replay -q "$tmp/prv/revamp-no-cpa-kva-trusted-no-wx-dma-bmc.json" >/dev/null 2>&1 || { echo "FAIL: bmc witness does not replay"; fail=1; }
check 0 "prove: spacer proves revamp no-stale-iotlb, invariant re-checked" "$bin" prove --engine spacer --preset revamp --rows kva/trusted --properties no-stale-iotlb --check-proofs --timeout 300
grep -q "re-checked by a fresh solver: ok" "$tmp/out" || { echo "FAIL: no proof re-check"; cat "$tmp/out"; fail=1; }
check 2 "prove: bmc holds only to its depth" "$bin" prove --engine bmc --preset revamp --properties no-stale-iotlb --depth 3
# --- A CI gate's answers (issue 21): exit-code precedence, validated options, bounded reads,
# outputs checked before work and written atomically.
check 1 "prove: a violation is exit 1 even when other cells are bounded" "$bin" prove \
  --preset proposal-2021 --depth 2 --timeout 30 --out "$tmp/prec"
check 3 "prove: --engine names no engine" "$bin" prove --engine ""
check 3 "prove: --engine ," "$bin" prove --engine ","
check 3 "prove: --variants with --preset" "$bin" prove --engine bmc --variants revamp --preset revamp
mkdir -p "$tmp/empty" "$tmp/nojson"
check 3 "corpus: an empty folder checks nothing" "$bin" corpus "$tmp/empty"
check 0 "corpus: --allow-empty" "$bin" corpus "$tmp/empty" --allow-empty
echo '{}' > "$tmp/nojson/notes.txt"
check 3 "corpus: a folder without traces" "$bin" corpus "$tmp/nojson"
sed 's/"pasidcheck-trace"/"pasidcheck-trcae"/' "$scen" > "$tmp/nojson/typo.json"
check 3 "corpus: a misspelled format is bad input, not a skip" "$bin" corpus "$tmp/nojson"
check 3 "minimize: unknown property" "$bin" minimize --properties zz "$scen"
for bad in "check --max-steps -5" "check --max-steps -1" "check --seed -1" "check --runs 0" \
  "check --time-budget nan" "prove --depth -1" "prove --timeout nan" "prove --max-states 0" \
  "matrix --states 0" "matrix --time-cap nan" "matrix --kcore-states -1" "matrix --runs 1e3" \
  "matrix --shard 3/2" "matrix --shard 0/2" "matrix --shard 1/x" "matrix --shard 1/2/3" \
  "matrix --engines spin" "matrix --focus nosuch" "matrix --focus-kcore-states 0" "matrix --jobs 0" "matrix --jobs 1000" \
  "bench --seconds nan" "bench --seconds 1e12" "check --bound frames=8.5" \
  "check --bound frames=8x" "check --bound frames=0x10" "check --seed 18446744073709551616"; do
  # shellcheck disable=SC2086
  check 3 "option out of range: $bad" "$bin" $bad
done
check 3 "check: --config with --preset" "$bin" check --config "$scen" --preset revamp
check 3 "replay: a device file" timeout 20 "$bin" replay /dev/zero
grep -q "not a regular file" "$tmp/err" || { echo "FAIL: /dev/zero message"; cat "$tmp/err"; fail=1; }
mkfifo "$tmp/fifo"
check 3 "replay: a FIFO does not hang" timeout 20 "$bin" replay "$tmp/fifo"
check 3 "corpus: a FIFO does not hang" timeout 20 "$bin" corpus "$tmp/fifo"
check 3 "minimize: a FIFO does not hang" timeout 20 "$bin" minimize "$tmp/fifo"
check 3 "check: --config /dev/zero" timeout 20 "$bin" check --config /dev/zero
ln -s "$tmp/loop" "$tmp/loop"
check 3 "replay: a symlink loop" "$bin" replay "$tmp/loop"
grep -q "symbolic link loop" "$tmp/err" || { echo "FAIL: symlink loop message"; cat "$tmp/err"; fail=1; }
sed 's/"pasid": 1,/"pasid": 1e400,/' "$scen" > "$tmp/big.json"
check 3 "replay: a number that overflows" "$bin" replay "$tmp/big.json"
check 3 "corpus: unwritable --junit, before any work" "$bin" corpus "$src/corpora" --junit /nonexistent/x.xml
check 3 "minimize: unwritable -o" "$bin" minimize -o /nonexistent/dir/x.json "$scen"
check 3 "replay: unwritable --itf" "$bin" replay --itf /nonexistent/x.itf.json "$scen"
check 3 "check: unwritable --out" "$bin" check --out /proc/nope -q
check 3 "prove: unwritable --report" "$bin" prove --engine bmc --rows kva/trusted --report /nonexistent/r.json
if [ -w /dev/full ]; then
  check 4 "a write error on stdout" sh -c "\"$bin\" list knobs > /dev/full"
fi
check 3 "prove: --check-proofs without spacer" "$bin" prove --engine bmc --check-proofs
check 3 "prove: --jobs without kcore-bfs" "$bin" prove --engine bmc --jobs 2
check 3 "prove: --report with the full-model explorer" "$bin" prove --report "$tmp/r.json"
check 0 "--version" "$bin" --version
grep -qE "^pasidcheck [0-9.]+ \(commit ([0-9a-f]+|unknown)\), Z3 [0-9.]+, RapidCheck " "$tmp/out" ||
  { echo "FAIL: --version"; cat "$tmp/out"; fail=1; }
# Resources: a memory cap stops the explorer cleanly (exit 2, says why); a huge config honours its
# time budget instead of running out of memory.
check 2 "prove: --max-memory stops the explorer" "$bin" prove --preset revamp --depth 6 \
  --timeout 60 --max-memory 16 --properties no-stale-iotlb --out "$tmp/mem"
grep -q "memory cap" "$tmp/out" || { echo "FAIL: memory cap message"; cat "$tmp/out"; fail=1; }
check 2 "prove: 16384 frames stop at the time budget" timeout 120 "$bin" prove --preset revamp \
  --bound frames=16384 --depth 3 --timeout 2 --properties no-stale-iotlb --out "$tmp/big"
check 3 "prove: --max-memory out of range" "$bin" prove --max-memory 1
# Outputs are replaced atomically: no temporary file is left beside them.
check 1 "minimize: atomic output (still violating: exit 1)" "$bin" minimize -o "$tmp/min.json" "$src/corpora/rules/rule-30-did-reuse.violated.json"
ls -a "$tmp" | grep -q '^\.min\.json\.' && { echo "FAIL: a temporary file was left"; fail=1; }
# The HTML report: bad input is exit 3 before any work, naming the file and the JSON path.
check 3 "report: no such folder" "$bin" report "$tmp/no-such-run"
grep -q "matrix.json" "$tmp/err" || { echo "FAIL: report message does not name matrix.json"; cat "$tmp/err"; fail=1; }
mkdir -p "$tmp/badrun" && echo '{"format": "pasidcheck-matrix", "version": 1, "properties": ["no-wx-dma"], "rows": [{"variant": "revamp"}]}' > "$tmp/badrun/matrix.json"
check 3 "report: a malformed matrix.json" "$bin" report "$tmp/badrun"
grep -q 'rows\[0\]' "$tmp/err" || { echo "FAIL: report message does not name the JSON path"; cat "$tmp/err"; fail=1; }
# matrix merge: the parts must be the shards of one split, each once, with the same budgets.
"$bin" matrix --presets revamp-no-ptfree --engines explicit,check --states 2000 --runs 50 \
  --shard 1/2 --out "$tmp/s1" -q >/dev/null 2>&1
"$bin" matrix --presets revamp-no-ptfree --engines explicit,check --states 2000 --runs 50 \
  --shard 2/2 --out "$tmp/s2" -q >/dev/null 2>&1
"$bin" matrix --presets revamp-no-ptfree --engines explicit,check --states 3000 --runs 50 \
  --shard 2/2 --out "$tmp/s2b" -q >/dev/null 2>&1
check 0 "matrix merge: both shards" "$bin" matrix merge "$tmp/s1" "$tmp/s2" --out "$tmp/merged"
check 3 "matrix merge: a shard missing" "$bin" matrix merge "$tmp/s1" --out "$tmp/merged1"
check 3 "matrix merge: a shard twice" "$bin" matrix merge "$tmp/s1" "$tmp/s1" --out "$tmp/merged2"
check 3 "matrix merge: other budgets" "$bin" matrix merge "$tmp/s1" "$tmp/s2b" --out "$tmp/merged3"
check 3 "matrix merge: no table" "$bin" matrix merge "$tmp/empty" --out "$tmp/merged4"
check 3 "prove --validate on the full model (it checks kcore)" "$bin" prove --validate --preset revamp
check 3 "matrix merge: into one of its parts" "$bin" matrix merge "$tmp/s1" "$tmp/s2" --out "$tmp/s1"
[ -f "$tmp/s1/matrix.json" ] || { echo "FAIL: merge into a part cleared it"; fail=1; }
check 3 "report: unwritable --output" "$bin" report "$tmp/badrun" -o /nonexistent/x.html
check 3 "replay --html: one trace only" "$bin" replay --html "$tmp/x.html" "$scen" "$scen"
check 3 "replay --html: unwritable" "$bin" replay --html /nonexistent/x.html "$scen"
check 3 "import ftrace: a FIFO does not hang" timeout 20 "$bin" import ftrace "$tmp/fifo" -o "$tmp/imp.json"
check 3 "import ftrace: no such recording" "$bin" import ftrace "$tmp/none.txt"
printf '# pasidcheck recording: mode lazy\nnot an event\n' > "$tmp/bad.txt"
check 3 "import ftrace: a malformed line" "$bin" import ftrace "$tmp/bad.txt" -o "$tmp/imp.json"
grep -q "line 2" "$tmp/err" || { echo "FAIL: import does not name the line"; cat "$tmp/err"; fail=1; }
check 3 "import ftrace: an unknown mode" "$bin" import ftrace "$src/corpora/real/lazy.txt" --mode eager -o "$tmp/imp.json"
check 3 "import ftrace: unwritable output" "$bin" import ftrace "$src/corpora/real/lazy.txt" -o /nonexistent/x.json
check 3 "import: no source kind" "$bin" import
cat > "$tmp/depart.txt" <<'REC'
# pasidcheck recording: mode strict
  kworker-37 [000] d..1. 2.0: map: IOMMU: iova=0x00000000ffff3000 - 0x00000000ffff4000 paddr=0x000000001b810000 size=4096
  dd-96 [000] ..... 2.1: mm_page_free: page=0000000000000000 pfn=0x1b810 order=0
REC
check 1 "import ftrace: the model refuses a free of a mapped page (a departure)" "$bin" import ftrace "$tmp/depart.txt" -o "$tmp/depart.json"
grep -q "DEPARTURE line 3" "$tmp/out" || { echo "FAIL: the departure does not name its line"; cat "$tmp/out"; fail=1; }
check 3 "check: a malformed --reproduce" "$bin" check --preset revamp --reproduce 7
check 0 "import ftrace: the strict recording" "$bin" import ftrace -q "$src/corpora/real/strict.txt" -o "$tmp/strict.json"
cmp -s "$tmp/strict.json" "$src/corpora/real/strict.json" || { echo "FAIL: import differs from corpora/real/strict.json"; fail=1; }
check 0 "replay --html of a trace that holds" "$bin" replay -q --html "$tmp/held.html" "$src/corpora/scenarios/04-sva-stale-psc.mitigated.json"
grep -q 'id="pasidcheck-data"' "$tmp/held.html" || { echo "FAIL: replay --html wrote no page"; fail=1; }
# SIGINT/SIGTERM: stop at the next step boundary, write what is complete marked incomplete, and
# exit 2 (1 if a violation was already found), within seconds; never a half-written output.
interrupt() {  # signal expected-code description command...
  local sig=$1 want=$2 what=$3; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err" &
  local pid=$! t0=$SECONDS
  sleep 2
  kill -"$sig" "$pid"
  wait "$pid"
  local got=$?
  if [ "$got" -ne "$want" ] || [ $((SECONDS - t0)) -gt 15 ]; then
    echo "FAIL: $what: exit $got (want $want) after $((SECONDS - t0)) s"; cat "$tmp/out" "$tmp/err"; fail=1
  fi
  grep -q "interrupted" "$tmp/err" || { echo "FAIL: $what: no interrupted message"; cat "$tmp/err"; fail=1; }
}
interrupt TERM 2 "matrix stopped by SIGTERM" "$bin" matrix --presets revamp,linux-6.12 --time-cap 60 --out "$tmp/mx" -q
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['incomplete'] is True" "$tmp/mx/matrix.json" \
  || { echo "FAIL: matrix.json not marked incomplete"; fail=1; }
interrupt INT 2 "prove (bmc) stopped by SIGINT" "$bin" prove --engine bmc --preset revamp --rows all --depth 60 --timeout 120 --report "$tmp/int.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d and any(r['interrupted'] for r in d)" "$tmp/int.json" \
  || { echo "FAIL: prove report not marked interrupted"; fail=1; }
grep -q "^INCOMPLETE" "$tmp/out" || { echo "FAIL: prove: no INCOMPLETE line"; fail=1; }
interrupt INT 2 "prove (spacer, child process) stopped by SIGINT" "$bin" prove --engine spacer --preset revamp --rows kva/untrusted --timeout 120
interrupt TERM 2 "check stopped by SIGTERM" "$bin" check --preset revamp --properties pasid-lifecycle --runs 1000000000 --time-budget 120 --report "$tmp/chk.json" -q
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['incomplete'] is True and not d['found']" "$tmp/chk.json" \
  || { echo "FAIL: check report not marked incomplete"; fail=1; }
interrupt INT 1 "prove (explicit) keeps exit 1 for a violation found before SIGINT" "$bin" prove --preset revamp --bound frames=8 --depth 30 --timeout 120 --out "$tmp/pv"
exit $fail
