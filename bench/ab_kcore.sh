#!/usr/bin/env bash
# kcore-bfs before/after, alternated in one run (docs/performance.md, "Speed, round 3"): each
# binary in turn explores the peers' core (revamp kva/both, no-stale-iotlb) with --jobs 1 and 2,
# ROUNDS times; prints one line per run (binary, jobs, seconds, states) on stderr and the medians
# on stdout (stderr through a pipe, not a reopened /dev/stderr: redirected to the same file as
# stdout, that overwrote it).
#   bench/ab_kcore.sh 3 /tmp/old/build/cli/pasidcheck build/cli/pasidcheck
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 ROUNDS BINARY..." >&2; exit 3; }
rounds=$1
[[ $rounds =~ ^[1-9][0-9]{0,2}$ ]] || { echo "$0: ROUNDS must be 1..999, not '$rounds'" >&2; exit 3; }
shift
for _ in $(seq "$rounds"); do
  for jobs in 1 2; do
    for b in "$@"; do
      "$b" prove --engine kcore-bfs --jobs "$jobs" --preset revamp --rows kva/both \
        --properties no-stale-iotlb --timeout 3000 --max-states 10000000 |
        sed -n 's/.*\[\([0-9.]*\) s, \([0-9]*\) states.*/\1 \2/p' |
        { read -r s n; echo "$b jobs=$jobs $s s $n states"; }
    done
  done
done | awk '{print; print | "cat >&2"}' | sort -k1,2 -k3,3n |
  awk '{k = $1 " " $2; v[k] = v[k] " " $3; c[k]++}
       END {for (k in v) {split(substr(v[k], 2), a, " "); print "median", k, a[int((c[k] + 1) / 2)], "s"}}' |
  sort
