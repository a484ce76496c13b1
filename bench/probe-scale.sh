#!/usr/bin/env bash
# Probe scale (a program, not a test): the real daemon (probe scheduler, probes, detector, stored views) watching
# NODES node entries at a 1 s interval, in clusters of a primary and two replicas, each entry on its own loopback
# address 127.0.x.y reaching one of three real servers (a testenv primary and two replicas listening on those
# addresses too). CPU share of one core, heap, probe latency p50/p99, late and missed rounds, failed probes.
# Usage: bench/probe-scale.sh [NODES=1000] [SECONDS=60] [ENGINE=mariadb]
#   HEAP=-Xmx256m to hold the JVM to a heap bound as well (default: the launcher's, i.e. the JVM's default);
#   JAVA_OPTS=… for more JVM options (e.g. a flight recording); PROBES_ONLY=1 for the probe path alone (scheduler and
#   probes, without the detector and the state store), to split the daemon's cost.
# Runs in a JVM of its own with the launcher's flags (serial GC, 512 KB stacks, C1), on the shipped jar's classes.
# Writes bench/results/probe-scale-<NODES>-<UTC time>.{json,md}; the daemon's log goes to bench/results/…log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
nodes=${1:-1000}
seconds=${2:-60}
engine=${3:-mariadb}
"$drctl" --version >/dev/null   # builds the jar if needed: not counted
# the benchmark class lives in cli's test sources (never in the shipped jar): compile them when missing or older
classes="$root/cli/target/test-classes/dev/drctl/cli/daemon/ProbeScaleBenchmark.class"
if [ ! -f "$classes" ] || [ "$root/cli/src/test/java/dev/drctl/cli/daemon/ProbeScaleBenchmark.java" -nt "$classes" ]; then
  # Maven on a new JDK warns about its own use of sun.misc.Unsafe; that noise is not ours to show
  if ! (cd "$root" && JAVA_HOME=$("$root/bin/java-home") ./mvnw -q -B -o -pl cli -am test-compile 2>&1 \
      | grep -v '^WARNING: ' >&2; exit "${PIPESTATUS[0]}"); then
    echo "probe-scale: build failed" >&2; exit 1
  fi
fi
java="$("$root/bin/java-home")/bin/java"
# the launcher's flags (see ./drctl), so heap and collector are the daemon's
flags=(-XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1)
mkdir -p "$root/bench/results"
log="$root/bench/results/probe-scale-$nodes-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "probe-scale: $nodes nodes, $seconds s, $engine; daemon log: $log"
"$java" "${flags[@]}" ${HEAP:-} ${JAVA_OPTS:-} ${PROBES_ONLY:+-Dprobes.only=true} -cp "$root/cli/target/test-classes:$root/cli/target/drctl.jar" \
  dev.drctl.cli.daemon.ProbeScaleBenchmark "$nodes" "$seconds" "$engine" "$root/bench/results" 2>"$log"
