#!/usr/bin/env bash
# Switchover benchmark (a program, not a test): RUNS planned switchovers back and forth on a 1+2 PostgreSQL
# testenv (ENGINE=mariadb for MariaDB): the write unavailability drctl records (demotion of the old primary ->
# first write on the new one, the run's RTO) and the RPO it records (the candidate must reach the demoted
# primary's position before it is promoted: 0 by construction, checked here from the run record).
# Usage: bench/switchover.sh [RUNS]   Writes bench/results/switchover-<engine>-<UTC time>.{json,md}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${1:-10}
engine=${ENGINE:-postgresql}
"$drctl" --version >/dev/null
envdir=$(mktemp -d "${TMPDIR:-/tmp}/drctl-bench.XXXXXX")
trap 'testenv_down' EXIT
"$drctl" testenv up --engine "$engine" --replicas 2 --dir "$envdir/topology" >"$envdir/up.txt" 2>&1 \
  || { cat "$envdir/up.txt" >&2; echo "bench: testenv up failed" >&2; exit 1; }
config=$(sed -n 's/^config: *//p' "$envdir/up.txt")
cluster=$([ "$engine" = postgresql ] && echo testenv-pg || echo testenv-mariadb)
"$drctl" status -c "$config" >/dev/null 2>&1 || true
: >"$envdir/runs.jsonl"
for ((i = 1; i <= runs; i++)); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  rc=0
  "$drctl" switchover "$cluster" --yes -o json -c "$config" >"$envdir/run.json" 2>"$envdir/run.err" || rc=$?
  jq -e . "$envdir/run.json" >/dev/null 2>&1 || { echo '{}' >"$envdir/run.json"; tail -n 5 "$envdir/run.err" >&2; }
  jq -c --argjson i "$i" --argjson rc "$rc" --argjson load "$load" \
    '{run: $i, exit: $rc, load_1m: $load, from: (.record.oldPrimary // null), to: (.record.newPrimary // null),
      unavailability: (.record.rtoMillis // null), rpo: (.record.rpoMillis // null),
      status: (.record.status // null)}' "$envdir/run.json" | tee -a "$envdir/runs.jsonl"
done
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/switchover-$engine-$stamp"
mkdir -p "$root/bench/results"
python3 - "$envdir/runs.jsonl" "$out" "$engine" "$(machine)" <<'PY'
import json, sys, statistics, datetime
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out, engine, machine = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
u = sorted(r["unavailability"] for r in rows if r["unavailability"] is not None)
p95 = u[max(0, min(len(u) - 1, round(0.95 * len(u) + 0.5) - 1))] if u else None
s = {"runs": len(rows), "succeeded": sum(1 for r in rows if r["exit"] == 0),
     "unavailability_ms": None if not u else {"min": u[0], "median": int(statistics.median(u)), "p95": p95, "max": u[-1]},
     "rpo_ms_max": max((r["rpo"] for r in rows if r["rpo"] is not None), default=None),
     "load_1m": [min(r["load_1m"] for r in rows), max(r["load_1m"] for r in rows)] if rows else None}
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
json.dump({"benchmark": "switchover", "engine": engine, "at": now, "machine": machine, "summary": s, "runs": rows},
          open(out + ".json", "w"), indent=2)
w = s["unavailability_ms"]
md = [f"# drctl switchover ({engine}), {now}", "",
      f"`drctl switchover --yes` back and forth on a 1+2 testenv. Machine: {json.dumps(machine)}.", "",
      "| runs | succeeded | write unavailability min / median / p95 / max | RPO recorded (max) | load 1m |",
      "| --- | --- | --- | --- | --- |",
      f"| {s['runs']} | {s['succeeded']} | " + ("—" if not w else f"{w['min']} / {w['median']} / {w['p95']} / {w['max']} ms")
      + f" | {s['rpo_ms_max'] if s['rpo_ms_max'] is not None else '—'} | {s['load_1m'][0]}–{s['load_1m'][1]} |"]
open(out + ".md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
print(f"written: {out}.json, {out}.md")
PY
