#!/usr/bin/env bash
# Wall time of one full `.ci/run` (the README's test command) from a clean clone, per Nx target
# (issue 24). Not a test: it prints the figures and the goals (< 15 min warm, < 25 min cold).
#   bench/ci-time.sh            warm: the per-machine caches (npm, pip, zig, wine prefix, container
#                               image, all outside the clone) are used as they are
#   COLD=1 bench/ci-time.sh     cold: HOME-level caches point at an empty directory (npm, pip,
#                               XDG cache: zig, CPython, wine prefix) and the test container image is
#                               removed first, so everything is fetched and built again
# Nx's own cache (~/.nx, shared by every clone) is skipped (NX_SKIP_NX_CACHE) so every task runs.
# Per-task durations come from Nx's NX_PROFILE trace (one "X" event per task); per spec file from
# the Jest timing reporter (QUIVER_TEST_TIMINGS, tools/nx-wheels/test/helpers/timing-reporter.js).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/quiver-ci-time-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
git clone -q "$ROOT" "$WORK/clone"
export NX_SKIP_NX_CACHE=true NX_PROFILE="$WORK/profile.json" QUIVER_TEST_TIMINGS="$WORK/timings"
if [ "${COLD:-}" = 1 ]; then
  mkdir -p "$WORK/cache"
  export XDG_CACHE_HOME="$WORK/cache" npm_config_cache="$WORK/cache/npm" PIP_CACHE_DIR="$WORK/cache/pip"
  podman images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep '^localhost/nx-wheels-test-' | xargs -r podman rmi -f >/dev/null || true
fi
start=$(date +%s.%N)
set +e
(cd "$WORK/clone" && bash .ci/run) > "$WORK/ci.log" 2>&1
rc=$?
set -e
wall=$(python3 -c "print($(date +%s.%N) - $start)")
cp "$WORK/ci.log" /tmp/quiver-ci-time-last.log
python3 - "$NX_PROFILE" "$wall" "$rc" "${COLD:-0}" "$QUIVER_TEST_TIMINGS/timings.tsv" <<'PY'
import json, sys
prof, wall, rc, cold = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == '1'
try:
    ev = json.load(open(prof))
except OSError:
    ev = []
ev = ev if isinstance(ev, list) else ev.get('traceEvents', [])
tasks = [(e['dur'] / 1e6, e['name'], e.get('args', {}).get('status', '?')) for e in ev if e.get('ph') == 'X']
print(f".ci/run from a clean clone ({'cold' if cold else 'warm'} caches), exit {rc}")
for dur, name, status in sorted(tasks, reverse=True):
    print(f"  {name:32s} {dur / 60:6.1f} min  {status}")
print(f"  {'setup + Nx outside tasks':32s} {(wall - sum(t[0] for t in tasks)) / 60:6.1f} min")
goal = 25 if cold else 15
print(f"  {'total wall':32s} {wall / 60:6.1f} min  goal < {goal} min: {'met' if wall / 60 < goal else 'MISSED'}")
try:
    specs = sorted((float(l.split('\t')[0]), l.split('\t')[2].strip()) for l in open(sys.argv[5]))
except OSError:
    specs = []
if specs:
    print(f"slowest spec files (of {len(specs)}):")
    for sec, path in specs[::-1][:12]:
        print(f"  {path:60s} {sec / 60:6.1f} min")
print("  (log: /tmp/quiver-ci-time-last.log)")
PY
exit "$rc"
