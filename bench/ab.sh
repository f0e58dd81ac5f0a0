#!/usr/bin/env bash
# Compares Google Benchmark binaries on a noisy machine: runs each binary in turn, ROUNDS times,
# and prints per binary the sorted items/s (thousands) of the first benchmark matching FILTER.
# Alternating within one run is what makes the ratios comparable (docs/performance.md).
#   bench/ab.sh 'incremental_verdicts/config:2$' 5 /tmp/bench_old build/bench/pasidcheck_bench
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 FILTER ROUNDS BINARY..." >&2; exit 3; }
filter=$1
rounds=$2
shift 2
for _ in $(seq "$rounds"); do
  for b in "$@"; do
    v=$("$b" --benchmark_filter="$filter" --benchmark_min_time=0.5 --benchmark_format=json \
      2>/dev/null | python3 -c \
      "import json,sys; print(round(json.load(sys.stdin)['benchmarks'][0]['items_per_second']/1000,1))")
    echo "$b $v"
  done
done | sort -k1,1 -k2,2n | awk '{a[$1] = a[$1] " " $2} END {for (k in a) print k ":" a[k]}'
