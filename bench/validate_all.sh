#!/usr/bin/env bash
# Exhaustive validation (`prove --engine kcore-bfs --validate`, docs/engines.md) of every row the
# verdict table proves: each row whose kcore-bfs exploration was exhausted in MATRIX.json (the
# default `pasidcheck` run writes out/matrix/matrix.json). Each row's every reachable state and
# every input are compared with kcore's compiled transition, without a state or time limit.
# Writes one line per row to OUT (default out/validate-all.txt) and a summary at the end; exit 4
# at the first mismatch (the witness is in out/validate-all/).
#   bench/validate_all.sh [MATRIX.json] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
matrix=${1:-out/matrix/matrix.json}
out=${2:-out/validate-all.txt}
pc=${PASIDCHECK:-build/cli/pasidcheck}
[ -f "$matrix" ] || { echo "validate_all: no $matrix (run the main job first)" >&2; exit 3; }
mkdir -p out/validate-all
: > "$out"
python3 - "$matrix" <<'PY' > out/validate-all/rows.txt
import json, sys
j = json.load(open(sys.argv[1]))
seen = set()
for r in j["rows"]:
    e = r.get("effort", {})
    row = ("sva" if r["mode"] == "sva" else r["mode"]) + "/" + r["trust"]
    if e.get("kcore") == "exhausted" and (r["variant"], row) not in seen:
        seen.add((r["variant"], row))
        print(r["variant"], row, e["kcore_states"])
PY
start=$(date +%s)
while read -r variant row states; do
  line=$("$pc" prove --engine kcore-bfs --validate --preset "$variant" --rows "$row" \
    --properties no-stale-iotlb --max-states 1000000000 --timeout 1000000 \
    --out out/validate-all 2>&1 | grep '^validate') || { echo "$variant $row: failed" | tee -a "$out"; exit 4; }
  echo "$line" | tee -a "$out"
done < out/validate-all/rows.txt
echo "validate_all: $(wc -l < "$out") rows in $(( $(date +%s) - start )) s" | tee -a "$out"
