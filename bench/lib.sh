# Shared by the bench scripts: a 1+2 testenv in a temporary directory, torn down on exit.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
drctl="$root/drctl"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
testenv_up() {
  envdir=$(mktemp -d "${TMPDIR:-/tmp}/drctl-bench.XXXXXX")
  trap 'testenv_down' EXIT
  "$drctl" testenv up --engine postgresql --replicas 2 --dir "$envdir/topology" >"$envdir/up.txt" 2>&1 \
    || { cat "$envdir/up.txt" >&2; echo "bench: testenv up failed" >&2; exit 1; }
  config=$(sed -n 's/^config: *//p' "$envdir/up.txt")
  [ -f "$config" ] || { cat "$envdir/up.txt" >&2; echo "bench: no config file from testenv up" >&2; exit 1; }
}
testenv_down() {
  [ -n "${envdir:-}" ] || return 0
  "$drctl" testenv down --dir "$envdir/topology" >/dev/null 2>&1 || true
  rm -rf "$envdir"
}
machine() {
  printf '{"cpus": %s, "load_1m": %s, "jdk": "%s"}' "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" \
    "$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$("$root/bin/java-home")/release")"
}
