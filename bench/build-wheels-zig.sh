#!/usr/bin/env bash
# Benchmark of the native engine's zig route (build-wheels --manylinux=2_28) against the host
# compiler (--manylinux=host), printed as ratios measured side by side in one run (never a test).
#  1. zig cold: an empty zig cache (.nx-wheels/zig-cache), so zig first compiles the glibc 2.28
#     stubs, libc++ and libc++abi for the target, then the project
#  2. zig cached vs host, alternating ROUNDS (default 2) times: `--skip-nx-cache` builds (build,
#     auditwheel repair, full pytest suite in a fresh venv), so only the compiler differs
# The pinned ziglang venv (.nx-wheels/zig) is shared with the workspace; its one-time install
# (~50 MB from PyPI) is not part of these figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-2}
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true FORCE_COLOR=0

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.1f}')" "$@"; }

cd "$ROOT"
npx nx run python:python-toolchain >/dev/null
WS=$(mktemp -d /tmp/quiver-bench-zig-XXXX)
trap 'rm -rf "$WS"' EXIT
git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$WS"/
mkdir -p "$WS/node_modules/@quiver" "$WS/.nx-wheels" "$ROOT/.nx-wheels/zig"
for e in $(ls -A node_modules); do [ "$e" = "@quiver" ] || ln -s "$ROOT/node_modules/$e" "$WS/node_modules/$e"; done
for p in $(ls node_modules/@quiver); do
  ln -s "../../tools/$p" "$WS/node_modules/@quiver/$p"
  [ -d "tools/$p/node_modules" ] && ln -s "$ROOT/tools/$p/node_modules" "$WS/tools/$p/node_modules"
done
for d in toolchain build-env zig; do [ -d "$ROOT/.nx-wheels/$d" ] && ln -s "$ROOT/.nx-wheels/$d" "$WS/.nx-wheels/$d"; done
cd "$WS" && git init -q -b main && git add -A && git -c user.name=b -c user.email=b@b commit -qm bench

build() { # $1 = manylinux value, $2 = log; prints seconds
  local t0 t1; t0=$(now)
  npx nx run python:build-wheels --manylinux="$1" --skip-nx-cache >"$2" 2>&1 || { echo "build --manylinux=$1 failed, see $2" >&2; exit 1; }
  t1=$(now); secs "$t0" "$t1"
}

echo "== 1. zig cold (empty .nx-wheels/zig-cache in the bench workspace)"
rm -rf .nx-wheels/zig-cache
cold=$(build 2_28 /tmp/quiver-bench-zig-cold.log)
echo "zig cold: ${cold} s"

echo "== 2. zig cached vs host compiler, alternating, $ROUNDS round(s)"
host=(); zig=()
for i in $(seq "$ROUNDS"); do
  host+=("$(build host /tmp/quiver-bench-zig-host.log)")
  zig+=("$(build 2_28 /tmp/quiver-bench-zig-cached.log)")
  echo "round $i: host ${host[-1]} s, zig cached ${zig[-1]} s"
done
h=$(median "${host[@]}"); z=$(median "${zig[@]}")
grep -o 'quiverdb-[^ ]*manylinux_2_28_x86_64.whl' /tmp/quiver-bench-zig-cached.log | head -1
grep -o 'quiverdb-[^ ]*manylinux_2_[0-9]*_x86_64.whl' /tmp/quiver-bench-zig-host.log | head -1
echo "median host: ${h} s; median zig cached: ${z} s; zig cold: ${cold} s"
python3 -c "print(f'zig cached / host = {$z / $h:.2f}x   zig cold / host = {$cold / $h:.2f}x   zig cold / zig cached = {$cold / $z:.2f}x')"
