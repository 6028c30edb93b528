#!/usr/bin/env bash
# Benchmark of build-wheels, printed as ratios measured side by side in one run (never a test).
#  1. cold build (empty Nx cache) vs cache replay of `nx run python:build-wheels`
#  2. the native engine through Nx (`--skip-nx-cache`) vs the same commands run directly:
#     stage the git-tracked files of bindings/python and libs/quiver (as build-wheels does),
#     python3.13 -m build --wheel, auditwheel repair, fresh venv + pip install + pytest
# Runs in a temporary copy of the workspace; ROUNDS (default 2) alternates Nx and direct runs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-2}
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true FORCE_COLOR=0

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }

cd "$ROOT"
npx nx run python:python-toolchain >/dev/null
WS=$(mktemp -d /tmp/quiver-bench-XXXX)
trap 'rm -rf "$WS"' EXIT
git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$WS"/
mkdir -p "$WS/node_modules/@quiver" "$WS/.nx-wheels"
for e in $(ls -A node_modules); do [ "$e" = "@quiver" ] || ln -s "$ROOT/node_modules/$e" "$WS/node_modules/$e"; done
for p in $(ls node_modules/@quiver); do
  ln -s "../../tools/$p" "$WS/node_modules/@quiver/$p"
  [ -d "tools/$p/node_modules" ] && ln -s "$ROOT/tools/$p/node_modules" "$WS/tools/$p/node_modules"
done
ln -s "$ROOT/.nx-wheels/toolchain" "$WS/.nx-wheels/toolchain"
[ -d "$ROOT/.nx-wheels/build-env" ] && ln -s "$ROOT/.nx-wheels/build-env" "$WS/.nx-wheels/build-env"
cd "$WS" && git init -q -b main && git add -A && git -c user.name=b -c user.email=b@b commit -qm bench

echo "== 1. cold build vs cache replay (nx run python:build-wheels)"
rm -rf .nx/cache
t0=$(now); npx nx run python:build-wheels >/tmp/quiver-bench-cold.log 2>&1; t1=$(now)
npx nx run python:build-wheels >/tmp/quiver-bench-replay.log 2>&1; t2=$(now)
grep -q "local cache\|existing outputs match the cache" /tmp/quiver-bench-replay.log || { echo "replay was not a cache hit"; exit 1; }
cold=$(secs "$t0" "$t1"); replay=$(secs "$t1" "$t2")
echo "cold build:   ${cold} s"
echo "cache replay: ${replay} s"
python3 -c "print(f'replay / cold = {$replay / $cold * 100:.1f}%  (goal <= 3%)')"

echo "== 2. native engine through Nx vs the same commands run directly (best of $ROUNDS)"
TC="$ROOT/.nx-wheels/toolchain/bin"
BENV=$(ls -d "$WS"/.nx-wheels/build-env/cp313)  # the cold build made it if the workspace had none
PY313=$("$BENV/bin/python" -c 'import sys; print(sys._base_executable)')
# shellcheck source=bench/lib/native-direct.sh
source "$ROOT/bench/lib/native-direct.sh"
direct() { native_direct_build; }
best_nx=999999; best_direct=999999
for i in $(seq "$ROUNDS"); do
  t0=$(now); npx nx run python:build-wheels --skip-nx-cache >/dev/null 2>&1; t1=$(now)
  direct; t2=$(now)
  a=$(secs "$t0" "$t1"); b=$(secs "$t1" "$t2")
  echo "round $i: nx ${a} s, direct ${b} s"
  best_nx=$(python3 -c "print(min($best_nx, $a))"); best_direct=$(python3 -c "print(min($best_direct, $b))")
done
python3 -c "print(f'nx / direct = {$best_nx / $best_direct:.2f}x  (best {$best_nx:.1f} s vs {$best_direct:.1f} s; goal <= 1.05x, issue 14)')"
