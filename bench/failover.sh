#!/usr/bin/env bash
# Unplanned-failover benchmark (a program, not a test): RUNS runs of `drctl demo` (a fresh local 1+2 topology, the
# daemon in auto mode, a writer inserting every 50 ms on a fresh connection, kill -9 of the primary) per engine and
# per policy; detection, decision, promotion, DNS and first-write RTO min/median/p95/max, RPO by acknowledged ids.
# With FAILURE=blip or FAILURE=partition-drctl it counts false failovers instead (must be 0).
# Usage: bench/failover.sh [RUNS] [ENGINES] [POLICIES]   e.g. bench/failover.sh 10 "postgresql mariadb" "default fast"
# Writes bench/results/failover-<failure>-<UTC time>.{json,md}; every run records the machine's load beside it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${1:-10}
engines=${2:-postgresql mariadb}
policies=${3:-default fast}
failure=${FAILURE:-kill-primary}
sync=${SYNC:-}      # SYNC=1: synchronous replication (testenv's --sync): RPO must be 0 in every run
mode=$([ -n "$sync" ] && echo sync || echo async)
seconds=${SECONDS_OF_WRITES:-12}
"$drctl" --version >/dev/null   # builds the jar if needed: not counted
work=$(mktemp -d "${TMPDIR:-/tmp}/drctl-bench-failover.XXXXXX")
trap 'rm -rf "$work"' EXIT
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/failover-$failure-$mode-$stamp"
mkdir -p "$root/bench/results"
: >"$work/runs.jsonl"
for engine in $engines; do
  for policy in $policies; do
    for ((i = 1; i <= runs; i++)); do
      load=$(cut -d' ' -f1 /proc/loadavg)
      rc=0
      "$drctl" demo --engine "$engine" --policy "$policy" --failure "$failure" --seconds "$seconds" -o json ${sync:+--sync} \
        --dir "$work/$engine-$policy-$i" >"$work/run.json" 2>"$work/run.err" || rc=$?
      if ! jq -e . "$work/run.json" >/dev/null 2>&1; then
        echo "{}" >"$work/run.json"
        tail -n 5 "$work/run.err" >&2
      fi
      jq -c --arg e "$engine" --arg p "$policy" --argjson i "$i" --argjson rc "$rc" --argjson load "$load" \
        --arg after "$(cut -d' ' -f1 /proc/loadavg)" \
        '{engine: $e, policy: $p, run: $i, exit: $rc, load_1m_before: $load, load_1m_after: ($after | tonumber),
          passed: (.passed // false), promotions: (.promotions // null), rto: (.rtoMillis // null),
          detection: (.split.detectionMillis // null), decision: (.split.decisionMillis // null),
          promotion: (.split.promotionMillis // null), dns: (.split.dnsMillis // null),
          firstWrite: (.split.firstWriteMillis // null), rpo: (.rpoMillis // null),
          lost: (.lostWrites // null), acknowledged: (.acknowledgedWrites // null)}' "$work/run.json" \
        | tee -a "$work/runs.jsonl"
      rm -rf "$work/$engine-$policy-$i"
    done
  done
done
python3 - "$work/runs.jsonl" "$out" "$failure" "$(machine)" "$mode" <<'PY'
import json, sys, statistics, datetime
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out, failure, machine, mode = sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), sys.argv[5]
def pct(v, p):
    v = sorted(v); k = max(0, min(len(v) - 1, round(p / 100 * len(v) + 0.5) - 1)); return v[k]
def stats(v):
    v = [x for x in v if x is not None]
    return None if not v else {"n": len(v), "min": min(v), "median": int(statistics.median(v)), "p95": pct(v, 95), "max": max(v)}
groups = {}
for r in rows:
    groups.setdefault((r["engine"], r["policy"]), []).append(r)
summary = []
for (e, p), rs in groups.items():
    s = {"engine": e, "policy": p, "runs": len(rs), "passed": sum(1 for r in rs if r["passed"]),
         "failovers": sum((r["promotions"] or 0) for r in rs),
         "load_1m": [min(min(r["load_1m_before"], r["load_1m_after"]) for r in rs),
                     max(max(r["load_1m_before"], r["load_1m_after"]) for r in rs)]}
    for f in ["detection", "decision", "promotion", "dns", "firstWrite", "rto", "rpo", "lost"]:
        s[f] = stats([r[f] for r in rs])
    s["runs_with_loss"] = sum(1 for r in rs if (r["lost"] or 0) > 0)
    summary.append(s)
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
json.dump({"benchmark": "failover", "failure": failure, "replication": mode, "at": now, "machine": machine, "summary": summary, "runs": rows},
          open(out + ".json", "w"), indent=2)
def cell(s):
    return "—" if s is None else f"{s['min']} / {s['median']} / {s['p95']} / {s['max']}"
lines = [f"# drctl unplanned failover ({failure}, {mode} replication), {now}", "",
         f"`drctl demo --failure {failure}{' --sync' if mode == 'sync' else ''}` per run: fresh local 1+2 topology, daemon in auto mode, writer every 50 ms. "
         f"Machine: {json.dumps(machine)}. Figures in ms after the injection, min / median / p95 / max.", ""]
if failure == "kill-primary":
    lines += ["| engine | policy | runs | passed | detection | decision | promotion | DNS | first write (RTO) | RPO | runs losing writes | load 1m |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in summary:
        lines.append(f"| {s['engine']} | {s['policy']} | {s['runs']} | {s['passed']} | {cell(s['detection'])} | {cell(s['decision'])} | "
                     f"{cell(s['promotion'])} | {cell(s['dns'])} | {cell(s['firstWrite'])} | {cell(s['rpo'])} | {s['runs_with_loss']} | {s['load_1m'][0]}–{s['load_1m'][1]} |")
else:
    lines += ["| engine | policy | runs | failovers (must be 0) | passed | load 1m |", "| --- | --- | --- | --- | --- | --- |"]
    for s in summary:
        lines.append(f"| {s['engine']} | {s['policy']} | {s['runs']} | {s['failovers']} | {s['passed']} | {s['load_1m'][0]}–{s['load_1m'][1]} |")
open(out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
print(f"written: {out}.json, {out}.md")
PY
