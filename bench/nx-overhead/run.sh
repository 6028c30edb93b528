#!/usr/bin/env bash
# What every Nx command pays for our plugin, measured side by side (issue 14). Not a test: nothing
# asserts a time; it prints medians and each ratio with its goal.
#   A. `nx show projects` with @quiver/nx-wheels vs the same workspace with the plugin removed
#      from nx.json (two copies, so neither run invalidates the other's graph cache);
#   B. a cache-hit `nx run python:build-wheels` vs `nx show projects`, and as % of a cold build;
#   C. the native engine cold build through Nx (`--skip-nx-cache`) vs the bare commands
#      (stage the sources, python -m build --wheel, auditwheel repair, fresh venv + pytest);
#   D. `nx run python:publish` of 2 and 50 wheels to a fresh pypiserver vs `twine upload`
#      (bench/publish/run.sh; validate-wheels ran once before, as in CI).
# Pairs alternate which side runs first; medians of RUNS (default 5). COLD_RUNS (default RUNS)
# sets the pairs for C, whose cold builds take minutes each; PUBLISH_RUNS (default 3) for D;
# SKIP=B,C,D skips parts (C needs the build environment B's cold build makes). Prints how the plugin was loaded (the file Node resolves for it) and the
# NX_PERF_LOGGING profile of one `nx show projects`, which says whose time is left.
# Runs in a temporary copy of the workspace (tracked + untracked files; node_modules and the
# toolchain linked; the plugin built to dist/ as tools/ci/npm-ci.mjs does after `npm ci`), with
# the daemon off.
# usage: bench/nx-overhead/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-5}
COLD_RUNS=${COLD_RUNS:-$RUNS}
PUBLISH_RUNS=${PUBLISH_RUNS:-3}
SKIP=${SKIP:-}
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true FORCE_COLOR=0 NX_SKIP_NX_CACHE=
TC=$ROOT/.nx-wheels/toolchain/bin
[ -x "$TC/twine" ] || { echo "bench: no toolchain at $TC; run: npx nx run python:python-toolchain" >&2; exit 1; }

copy_ws() { # -> path of a fresh copy
  local ws; ws=$(mktemp -d /tmp/quiver-bench-nxo-XXXXXX)
  (cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$ws" 2>/dev/null || true)
  mkdir -p "$ws/node_modules/@quiver" "$ws/.nx-wheels"
  for e in $(ls -A "$ROOT/node_modules"); do [ "$e" = "@quiver" ] || ln -s "$ROOT/node_modules/$e" "$ws/node_modules/$e"; done
  for p in $(ls "$ROOT/node_modules/@quiver"); do
    ln -s "../../tools/$p" "$ws/node_modules/@quiver/$p"
    [ -d "$ROOT/tools/$p/node_modules" ] && ln -s "$ROOT/tools/$p/node_modules" "$ws/tools/$p/node_modules"
  done
  # What an install does after `npm ci` (tools/ci/npm-ci.mjs): build the plugin to dist/.
  [ -f "$ws/tools/nx-wheels/build.js" ] && (cd "$ws" && node tools/nx-wheels/build.js >/dev/null)
  ln -s "$ROOT/.nx-wheels/toolchain" "$ws/.nx-wheels/toolchain"
  [ -d "$ROOT/.nx-wheels/build-env" ] && ln -s "$ROOT/.nx-wheels/build-env" "$ws/.nx-wheels/build-env"
  (cd "$ws" && git init -q -b main && git add -A && git -c user.name=bench -c user.email=bench@quiver.invalid commit -q -m bench)
  echo "$ws"
}

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
verdict() { python3 -c "print('met' if $1 <= $2 else 'MISSED')"; }
run_quiet() { local s; s=$(now); "$@" >/tmp/quiver-bench-nxo-last.log 2>&1 || { echo "bench: failed: $*" >&2; tail -30 /tmp/quiver-bench-nxo-last.log >&2; exit 1; }; python3 -c "print($(now) - $s)"; }
# pair NAME_A NAME_B N -- runs cmd_a / cmd_b (functions) N times alternating; sets MED_A MED_B, prints runs.
pair() {
  local fa=$1 fb=$2 n=$3 ta=() tb=()
  for i in $(seq "$n"); do
    if [ $((i % 2)) = 1 ]; then ta+=("$($fa)"); tb+=("$($fb)"); else tb+=("$($fb)"); ta+=("$($fa)"); fi
  done
  MED_A=$(printf '%s\n' "${ta[@]}" | median); MED_B=$(printf '%s\n' "${tb[@]}" | median)
  echo "   runs $fa: $(printf '%.2f ' "${ta[@]}")s; $fb: $(printf '%.2f ' "${tb[@]}")s"
}

WS=$(copy_ws); WS0=$(copy_ws)
trap 'rm -rf "$WS" "$WS0"' EXIT
# The no-plugin copy: our entry removed from nx.json (string or { plugin, options }).
node -e '
const f=process.argv[1], j=JSON.parse(require("fs").readFileSync(f,"utf8"));
j.plugins=(j.plugins||[]).filter((p)=>!String(typeof p==="string"?p:p.plugin).includes("nx-wheels"));
require("fs").writeFileSync(f, JSON.stringify(j,null,2)+"\n");' "$WS0/nx.json"
NX="$WS/node_modules/.bin/nx"

echo "== how the plugin is loaded"
(cd "$WS" && node -e '
const j=require("./nx.json"); const e=(j.plugins||[]).find((p)=>String(typeof p==="string"?p:p.plugin).includes("nx-wheels"));
const name=typeof e==="string"?e:e.plugin;
let file; try { file=require.resolve(name.startsWith(".")?require("path").resolve(name):name); } catch (x) { file="(not resolvable by Node: "+x.code+")"; }
console.log("   nx.json names: "+name+"; Node resolves it to: "+require("path").relative(process.cwd(), file));
console.log("   => "+(/\.ts$/.test(file)?"TypeScript source (transpiled at load by Nx'"'"'s TS loader)":"JavaScript"));')
(cd "$WS" && NX_WHEELS_DEBUG=1 "$NX" show projects 2>&1 >/dev/null | grep -E "^nx-wheels:" | sort -u | sed 's/^/   loader: /' | head -3) || true
(cd "$WS" && NX_PERF_LOGGING=true "$NX" show projects 2>&1 | grep -E "Load Nx Plugin: .*nx-wheels|createNodes:.*nx-wheels|createDependencies:.*nx-wheels" | sed 's/^/   perf: /' | head -6) || true

echo; echo "== A. nx show projects: with our plugin vs without it (median of $RUNS, alternating)"
(cd "$WS" && "$NX" show projects >/dev/null) && (cd "$WS0" && "$WS0/node_modules/.bin/nx" show projects >/dev/null)  # warm both graph caches
with_plugin() { cd "$WS" && run_quiet "$NX" show projects; }
without_plugin() { cd "$WS0" && run_quiet "$WS0/node_modules/.bin/nx" show projects; }
pair with_plugin without_plugin "$RUNS"
A=$(ratio "$MED_A" "$MED_B"); SHOW=$MED_A
printf '   with plugin %.2f s, without %.2f s: ratio %sx  [goal <= 1.25x: %s]\n' "$MED_A" "$MED_B" "$A" "$(verdict "$A" 1.25)"

if [[ ",$SKIP," != *",B,"* ]]; then
echo; echo "== B. cache-hit nx run python:build-wheels vs nx show projects (median of $RUNS, alternating)"
cd "$WS"
rm -rf .nx/cache
COLD=$(run_quiet "$NX" run python:build-wheels)
printf '   cold build (empty Nx cache, through Nx): %.1f s\n' "$COLD"
replay() { cd "$WS" && run_quiet "$NX" run python:build-wheels; grep -q "local cache\|existing outputs match the cache" /tmp/quiver-bench-nxo-last.log || { echo "bench: replay was not a cache hit" >&2; exit 1; }; }
show() { cd "$WS" && run_quiet "$NX" show projects; }
pair replay show "$RUNS"
B=$(ratio "$MED_A" "$MED_B"); PCT=$(python3 -c "print(f'{$MED_A / $COLD * 100:.1f}')")
printf '   replay %.2f s, show projects %.2f s: ratio %sx  [goal <= 1.15x: %s]\n' "$MED_A" "$MED_B" "$B" "$(verdict "$B" 1.15)"
printf '   replay / cold build = %s%%  [goal <= 3%%: %s]\n' "$PCT" "$(verdict "$PCT" 3)"
(cd "$WS" && NX_PERF_LOGGING=true "$NX" run python:build-wheels 2>&1 | grep "Time taken for" | sed -E "s/.*Time taken for '(.*)' ([0-9.]+)ms.*/\2 \1/" | sort -rn | head -8 | awk '{ms=$1; $1=""; printf "   perf (replay): %8.1f ms %s\n", ms, $0}') || true
fi

if [[ ",$SKIP," != *",C,"* ]]; then
  echo; echo "== C. native engine cold build through Nx vs the bare commands (median of $COLD_RUNS, alternating)"
  BENV=$(ls -d "$WS"/.nx-wheels/build-env/cp313)
  PY313=$("$BENV/bin/python" -c 'import sys; print(sys._base_executable)')
  through_nx() { cd "$WS" && run_quiet "$NX" run python:build-wheels --skip-nx-cache; }
  # shellcheck source=bench/lib/native-direct.sh
  source "$ROOT/bench/lib/native-direct.sh"
  bare_direct() {
    cd "$WS"
    local s; s=$(now)
    native_direct_build
    python3 -c "print($(now) - $s)"
  }
  pair through_nx bare_direct "$COLD_RUNS"
  C=$(ratio "$MED_A" "$MED_B")
  printf '   through Nx %.1f s, bare %.1f s: ratio %sx  [goal <= 1.05x: %s]\n' "$MED_A" "$MED_B" "$C" "$(verdict "$C" 1.05)"
fi

if [[ ",$SKIP," != *",D,"* ]]; then
  echo; echo "== D. nx run python:publish vs twine upload (bench/publish/run.sh 2,50 $PUBLISH_RUNS)"
  bash "$ROOT/bench/publish/run.sh" 2,50 "$PUBLISH_RUNS" | sed 's/^/   /'
fi

echo; echo "== profile of one nx show projects (NX_PERF_LOGGING; whose time is left)"
(cd "$WS" && NX_PERF_LOGGING=true "$NX" show projects 2>&1 | grep "Time taken for" | sed -E "s/.*Time taken for '(.*)' ([0-9.]+)ms.*/\2 \1/" | sort -rn | head -12 | awk '{ms=$1; $1=""; printf "   %8.1f ms %s\n", ms, $0}') || true
echo "   (whole command: $(cd "$WS" && run_quiet "$NX" show projects | xargs printf '%.2f') s)"
echo "   the same without our plugin (Nx's floor):"
(cd "$WS0" && NX_PERF_LOGGING=true "$WS0/node_modules/.bin/nx" show projects 2>&1 | grep "Time taken for" | sed -E "s/.*Time taken for '(.*)' ([0-9.]+)ms.*/\2 \1/" | sort -rn | head -6 | awk '{ms=$1; $1=""; printf "   %8.1f ms %s\n", ms, $0}') || true
