#!/usr/bin/env bash
# bench/ab.sh for the CLI: runs `BINARY bench --sections SECTIONS --seconds S` for each binary in
# turn, ROUNDS times, and prints per binary and figure the sorted values, so that before/after
# ratios come from one alternated run on this noisy machine (docs/performance.md).
#   bench/ab_cli.sh model,explicit 1 3 /tmp/old/pasidcheck build/cli/pasidcheck
# The figures: check and model steps/s (small config), explicit states/s (full model, depth 4,
# and kcore revamp kva/trusted).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 SECTIONS SECONDS ROUNDS BINARY..." >&2; exit 3; }
sections=$1
seconds=$2
rounds=$3
shift 3
for _ in $(seq "$rounds"); do
  for b in "$@"; do
    "$b" bench --sections "$sections" --seconds "$seconds" | python3 -c '
import json, sys
b = sys.argv[1]
j = json.load(sys.stdin)
for c in j.get("configs", [])[:1]:
    for k in ("check_steps_per_s", "model_steps_per_s_all_properties"):
        print(b, k, round(c[k] / 1000, 1))
for e in j.get("explicit", [])[:2]:
    name = "explicit_kcore" if e["kcore"] else "explicit_full"
    print(b, name + "_states_per_s", round(e["states_per_s"] / 1000, 1))
    print(b, name + "_bytes_per_state_key", e["bytes_per_state_key"])
' "$b"
  done
done | sort -k2,2 -k1,1 -k3,3n |
  awk '{k = $2 " " $1; if (!(k in a)) order[n++] = k; a[k] = a[k] " " $3}
       END {for (i = 0; i < n; i++) print order[i] ":" a[order[i]]}'
