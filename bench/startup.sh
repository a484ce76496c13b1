#!/usr/bin/env bash
# Start-up benchmark (a program, not a test): median wall time of `drctl --version` and `drctl status` on a
# 1+2 PostgreSQL testenv, each run a cold JVM through the ./drctl launcher, over N runs. Prints the figures and
# writes them to bench/results/startup-<UTC time>.{json,md}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${1:-20}
"$drctl" --version >/dev/null   # builds the jar and --version's start-up cache if needed: not counted
testenv_up                      # its first command builds the other commands' start-up cache: not counted
"$drctl" status -c "$config" >/dev/null 2>&1 || true   # the topology's first answers: not counted
load_before=$(cut -d' ' -f1 /proc/loadavg)
version=() status=() version_cpu=() status_cpu=() status_failed=0
# CPU time (user + system, the launcher included) beside wall time: on a shared machine wall time mostly
# measures the other tenants, CPU time what drctl itself costs.
cpu_ms() { [ -s "$envdir/cpu.txt" ] && tail -n1 "$envdir/cpu.txt" | awk '{printf "%d\n", ($1 + $2) * 1000}' || echo 0; }
timed() { if [ -x /usr/bin/time ]; then /usr/bin/time -f '%U %S' -o "$envdir/cpu.txt" "$@"; else : >"$envdir/cpu.txt"; "$@"; fi; }
for ((i = 0; i < runs; i++)); do
  t=$(now_ms); timed "$drctl" --version >/dev/null; version+=($(( $(now_ms) - t ))); version_cpu+=($(cpu_ms))
  t=$(now_ms); timed "$drctl" status -c "$config" >/dev/null 2>&1 || status_failed=$((status_failed + 1))
  status+=($(( $(now_ms) - t ))); status_cpu+=($(cpu_ms))
done
stats() { printf '%s\n' "$@" | median; }
minmax() { printf '%s\n' "$@" | sort -n | sed -n '1p;$p' | paste -sd' '; }
v_med=$(stats "${version[@]}"); s_med=$(stats "${status[@]}")
v_cpu=$(stats "${version_cpu[@]}"); s_cpu=$(stats "${status_cpu[@]}")
read -r v_min v_max <<<"$(minmax "${version[@]}")"; read -r s_min s_max <<<"$(minmax "${status[@]}")"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/startup-$stamp"
mkdir -p "$root/bench/results"
machine_json=$(machine)
cat >"$out.json" <<JSON
{
  "benchmark": "startup",
  "at": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "runs": $runs,
  "machine": $machine_json,
  "load_1m_before": $load_before,
  "load_1m_after": $(cut -d' ' -f1 /proc/loadavg),
  "version_ms": {"median": $v_med, "min": $v_min, "max": $v_max, "target": 400, "cpu_median": $v_cpu},
  "status_ms": {"median": $s_med, "min": $s_min, "max": $s_max, "target": 800, "cpu_median": $s_cpu,
                "runs_not_healthy": $status_failed},
  "jar_bytes": $(stat -c %s "$root/cli/target/drctl.jar")
}
JSON
cat >"$out.md" <<MD
# drctl start-up, $(date -u +%Y-%m-%dT%H:%M:%SZ)

$runs cold-JVM runs each through \`./drctl\` (start-up cache in use when built); status against a 1+2 PostgreSQL
testenv. Machine: $machine_json; 1-min load $load_before before, $(cut -d' ' -f1 /proc/loadavg) after.

| command | median wall | min | max | median CPU (user+sys) | target wall (idle 2-core) |
| --- | --- | --- | --- | --- | --- |
| \`drctl --version\` | ${v_med} ms | ${v_min} ms | ${v_max} ms | ${v_cpu} ms | ≤ 400 ms |
| \`drctl status\` | ${s_med} ms | ${s_min} ms | ${s_max} ms | ${s_cpu} ms | ≤ 800 ms |

status runs not healthy (exit ≠ 0): $status_failed of $runs. Jar: $(stat -c %s "$root/cli/target/drctl.jar") bytes.
MD
cat "$out.md"
echo "written: $out.json, $out.md"
