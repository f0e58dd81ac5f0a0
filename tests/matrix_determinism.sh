#!/usr/bin/env bash
# A verdict is a promise (issue 22): the same commit and budgets give byte-identical verdicts.json
# with one thread on an idle machine, two threads on a machine whose cores are kept busy, and as
# three shards merged; a run cut by a tiny --time-cap shows "?" where it was cut, never another
# claim.
set -u
bin=$1
tmp=$(mktemp -d)
hogs=()
trap 'kill "${hogs[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
args=(matrix --presets revamp-no-ptfree,linux-6.12 --states "${STATES:-20000}" --kcore-states 30000 --runs 300 -q)
fail=0
"$bin" "${args[@]}" --jobs 1 --out "$tmp/quiet" >/dev/null || { echo "FAIL: quiet run"; exit 1; }
for _ in 1 2 3; do (while :; do :; done) & hogs+=($!); done
"$bin" "${args[@]}" --jobs 2 --out "$tmp/busy" >/dev/null || { echo "FAIL: busy run"; exit 1; }
kill "${hogs[@]}" 2>/dev/null
cmp "$tmp/quiet/verdicts.json" "$tmp/busy/verdicts.json" \
  || { echo "FAIL: verdicts differ between a quiet 1-thread run and a loaded 2-thread run"; diff "$tmp/quiet/verdicts.json" "$tmp/busy/verdicts.json" | head -20; fail=1; }
for k in 1 2 3; do
  "$bin" "${args[@]}" --shard "$k/3" --out "$tmp/s$k" >/dev/null || { echo "FAIL: shard $k"; exit 1; }
done
"$bin" matrix merge "$tmp/s1" "$tmp/s2" "$tmp/s3" --out "$tmp/merged" >/dev/null \
  || { echo "FAIL: merge"; exit 1; }
cmp "$tmp/quiet/verdicts.json" "$tmp/merged/verdicts.json" \
  || { echo "FAIL: three shards merged differ from the whole table"; diff "$tmp/quiet/verdicts.json" "$tmp/merged/verdicts.json" | head -20; fail=1; }
"$bin" "${args[@]}" --time-cap 0.001 --out "$tmp/capped" >/dev/null || { echo "FAIL: capped run"; exit 1; }
python3 - "$tmp/quiet/verdicts.json" "$tmp/capped/verdicts.json" <<'PY' || fail=1
import json, sys
full, cut = (json.load(open(f)) for f in sys.argv[1:3])
same = unknown = 0
for a, b in zip(full["rows"], cut["rows"]):
    for p, c in b["cells"].items():
        if c["verdict"] == "unknown":
            unknown += 1
            assert "cap" in c.get("why", ""), c
        else:
            assert c == a["cells"][p], (a["variant"], a["mode"], a["trust"], p, a["cells"][p], c)
            same += 1
assert unknown > 0, "a 1 ms cap cut nothing"
print(f"capped run: {same} cells as the full run, {unknown} '?'")
PY
[ $fail -eq 0 ] && echo "matrix verdicts identical: 1 thread quiet, 2 threads loaded, 3 shards merged"
exit $fail
