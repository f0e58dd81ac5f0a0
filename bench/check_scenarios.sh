#!/usr/bin/env bash
# Runs `pasidcheck check` from scratch on each SCENARIOS.md entry in its named variant and in its
# mitigated variant, with a fixed seed and a 60 s budget each, and prints a markdown table: time to
# find, runs, RapidCheck-shrunk and final length, and the hand-written trace's length for comparison.
# Usage: bench/check_scenarios.sh [build/cli/pasidcheck] [seed] [budget]
set -uo pipefail
bin=${1:-build/cli/pasidcheck}
seed=${2:-1}
budget=${3:-60}
out=$(mktemp -d)
# id | property | variant args | mitigated variant args | hand-written trace
rows=(
  "01|untrusted-confined|--preset linux-6.12 --knob ats=all|--preset linux-6.12|01-thunderclap-ats-bypass"
  "02|untrusted-confined|--preset linux-6.12 --knob bounce_untrusted=off|--preset linux-6.12|02-thunderclap-subpage"
  "03|no-dma-to-freed|--preset linux-6.12 --knob iova_flush=lazy|--preset linux-6.12 --knob iova_flush=strict|03-lazy-flush-window"
  "04|no-stale-iotlb|--preset linux-6.12|--preset linux-fixed|04-sva-stale-psc"
  "05|no-wx-dma|--preset proposal-2021|--preset proposal-2021 --knob kpt_notifier=cpa,alias|05-kva-fast-module-load-wx"
  "06|no-stale-iotlb|--preset proposal-2021 --knob debug_pagealloc=on|--preset proposal-2021 --knob debug_pagealloc=on --knob kpt_notifier=pagealloc|06-debug-pagealloc-defeated"
  "07|untrusted-confined|--preset legacy-2021|--preset revamp|07-legacy-2021-kernel-exposed"
  "08|untrusted-confined|--preset linux-6.12 --knob bypass_for=all|--preset linux-6.12|08-bypass-untrusted"
  "09|iopf-integrity|--preset linux-6.12 --knob teardown=no_drain|--preset linux-6.12|09-prq-across-teardown"
  "10|untrusted-confined|--preset proposal-2021|--preset proposal-2021 --knob kva_page_aligned_untrusted=on|10-kva-strict-subpage"
)
src=$(cd "$(dirname "$0")/.." && pwd)
echo "| # | property | variant | found in | runs | RC-shrunk | final | hand-written | mitigated variant | mitigated result |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for row in "${rows[@]}"; do
  IFS='|' read -r id prop variant mitigated hand <<<"$row"
  # shellcheck disable=SC2086
  "$bin" check $variant --properties "$prop" --seed "$seed" --time-budget "$budget" --out "$out/v$id" \
    --report "$out/v$id.json" -q >/dev/null 2>&1
  # shellcheck disable=SC2086
  "$bin" check $mitigated --properties "$prop" --seed "$seed" --time-budget "$budget" --out "$out/m$id" \
    --report "$out/m$id.json" -q >/dev/null 2>&1
  hand_len=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print(t['expect']['step']+1)" "$src/corpora/scenarios/$hand.json")
  python3 - "$out/v$id.json" "$out/m$id.json" "$id" "$prop" "$variant" "$mitigated" "$hand_len" <<'PY'
import json, sys
v, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
_, _, _, id_, prop, variant, mitigated, hand = sys.argv
found = f"{v['seconds']:.3f} s" if v["found"] else "not found"
length = f"{v['length']} (violation at {v['violation_step']})" if v["found"] else "-"
mres = f"found after {m['seconds']:.2f} s: see note" if m["found"] else f"nothing in {m['runs']} runs"
print(f"| {id_} | {prop} | `{variant}` | {found} | {v['runs']} | {v.get('rapidcheck_length','-')} | {length} | {hand} steps to violation | `{mitigated}` | {mres} |")
PY
done
echo
echo "traces and reports: $out"
