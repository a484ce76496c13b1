#!/usr/bin/env bash
# Safety rule 1 on a busy host (a program, not a test): with BURNERS CPU-burning processes on the machine,
# runs `drctl status` RUNS times in a row against a 1+2 PostgreSQL testenv and prints how many reported the
# cluster healthy (exit 0). A slow drctl must never look like a dead database: the expected count is RUNS.
# Writes bench/results/busy-host-<UTC time>.{json,md}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${1:-50}
burners=${2:-4}
"$drctl" --version >/dev/null   # builds the jar and the start-up cache if needed
testenv_up
burner_pids=()
stop_burners() { for p in "${burner_pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap 'stop_burners; testenv_down' EXIT
for ((b = 0; b < burners; b++)); do
  ( while :; do :; done ) &
  burner_pids+=($!)
done
healthy=0 notes=0 times=()
failures="$envdir/failures.txt"; : >"$failures"
for ((i = 1; i <= runs; i++)); do
  t=$(now_ms)
  if "$drctl" status -c "$config" >"$envdir/out.txt" 2>"$envdir/err.txt"; then
    healthy=$((healthy + 1))
  else
    { echo "--- run $i (exit $?)"; cat "$envdir/out.txt" "$envdir/err.txt"; } >>"$failures"
  fi
  times+=($(( $(now_ms) - t )))
  if grep -q 'drctl was stalled' "$envdir/err.txt"; then
    notes=$((notes + 1)); echo "run $i: $(grep 'drctl was stalled' "$envdir/err.txt" | head -1)"
  fi
done
load=$(cut -d' ' -f1 /proc/loadavg)
stop_burners
med=$(printf '%s\n' "${times[@]}" | median)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/busy-host-$stamp"
mkdir -p "$root/bench/results"
cat >"$out.json" <<JSON
{
  "benchmark": "busy-host",
  "at": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "burners": $burners,
  "runs": $runs,
  "healthy": $healthy,
  "rounds_repeated_after_a_stall": $notes,
  "status_median_ms": $med,
  "load_1m_at_end": $load,
  "machine": $(machine)
}
JSON
cat >"$out.md" <<MD
# drctl status on a busy host, $(date -u +%Y-%m-%dT%H:%M:%SZ)

$burners CPU burners on $(nproc) CPUs (1-min load at the end: $load), 1+2 PostgreSQL testenv.

**$healthy of $runs** \`drctl status\` runs reported the cluster healthy; $notes run(s) repeated a round after
measuring a stall of drctl itself. Median wall time per run: $med ms.
MD
[ -s "$failures" ] && { echo "failed runs:"; cat "$failures"; } | tee -a "$out.md"
cat "$out.md"
echo "healthy: $healthy/$runs"
echo "written: $out.json, $out.md"
