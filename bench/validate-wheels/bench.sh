#!/usr/bin/env bash
# validate-wheels as users run it, against the tools it replaces. Fresh processes, median of N (default 5):
#   A. `npx nx run python:validate-wheels --wheelDir=<two-wheel release> --platforms=release
#       --exclude-task-dependencies --skip-nx-cache` (cibuildwheel identifier query, twine, auditwheel
#       included) vs `twine check --strict` + `check-wheel-contents` on the same two files;
#   B. the same nx command (--platforms=linux) on a 200 MB wheel vs `sha256sum` of it.
# Prints the medians and the ratios. Not a test: nothing asserts a time.
# The release is real: markupsafe 3.0.3's cp313 manylinux x86_64 + win_amd64 wheels from PyPI (pip download,
# cached like the tests), validated in a temporary copy of this workspace whose bindings/python pyproject
# names markupsafe 3.0.3 (its [tool.cibuildwheel] selects exactly cp313-manylinux_x86_64 + cp313-win_amd64).
# The 200 MB wheel is the real quiverdb wheel (.nx-wheels/test-fixtures) plus 200 MB of random bytes,
# with RECORD rewritten as a build backend would.
# Usage: bench/validate-wheels/bench.sh [runs]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${1:-5}
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=0
STATE=$ROOT/.nx-wheels/bench-validate
mkdir -p "$STATE"
TOOLS=$ROOT/.nx-wheels/toolchain/bin
[ -x "$TOOLS/twine" ] || { echo "bench: no toolchain at $TOOLS; run: npx nx run python:python-toolchain" >&2; exit 1; }

# check-wheel-contents in a venv of its own (it is not part of the pinned toolchain).
if [ ! -x "$STATE/cwc/bin/check-wheel-contents" ]; then
  python3 -m venv "$STATE/cwc" && "$STATE/cwc/bin/pip" install -q --disable-pip-version-check check-wheel-contents
fi
CWC=$STATE/cwc/bin/check-wheel-contents

# The two-wheel release.
REL=$ROOT/.nx-wheels/test-downloads/markupsafe-3.0.3-cp313
if [ "$(ls "$REL"/*.whl 2>/dev/null | wc -l)" != 2 ]; then
  mkdir -p "$REL"
  for p in manylinux2014_x86_64 win_amd64; do
    python3 -m pip download -q --disable-pip-version-check --only-binary=:all: --no-deps --platform $p --python-version 3.13 --implementation cp --abi cp313 -d "$REL" markupsafe==3.0.3
  done
fi

# A temporary copy of the workspace (tracked + untracked, not ignored), node_modules and the toolchain linked.
WS=$(mktemp -d /tmp/quiver-bench-vw-XXXXXX)
trap 'rm -rf "$WS"' EXIT
(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$WS" 2>/dev/null || true)
# node_modules: each package linked, except the workspace's own (@quiver/*), which point into the copy as npm workspaces do.
mkdir -p "$WS/node_modules/@quiver"
for e in "$ROOT"/node_modules/* "$ROOT"/node_modules/.bin; do [ "$(basename "$e")" = "@quiver" ] || ln -s "$e" "$WS/node_modules/$(basename "$e")"; done
for e in "$ROOT"/node_modules/@*; do [ "$(basename "$e")" = "@quiver" ] || { rm -f "$WS/node_modules/$(basename "$e")"; ln -s "$e" "$WS/node_modules/$(basename "$e")"; }; done
for pkg in "$ROOT"/node_modules/@quiver/*; do ln -s "../../tools/$(basename "$pkg")" "$WS/node_modules/@quiver/$(basename "$pkg")"; done
[ -d "$ROOT/tools/nx-wheels/node_modules" ] && ln -s "$ROOT/tools/nx-wheels/node_modules" "$WS/tools/nx-wheels/node_modules"
mkdir -p "$WS/.nx-wheels" && ln -s "$ROOT/.nx-wheels/toolchain" "$WS/.nx-wheels/toolchain"
(cd "$WS" && git init -q -b main && git add -A && git -c user.name=bench -c user.email=bench@quiver.invalid commit -q -m bench)
# The plugin compiled to dist/ as tools/ci/npm-ci.mjs does after `npm ci` (what users get after the
# README's set-up); without it the loader would load the TypeScript sources through swc.
(cd "$WS" && node tools/nx-wheels/build.js >/dev/null)
echo "plugin: $(cd "$WS" && NX_WHEELS_DEBUG=1 node -e "require('@quiver/nx-wheels')" 2>&1 | grep -m1 '^nx-wheels:' || echo 'loader said nothing')"
PY=$WS/bindings/python/pyproject.toml
sed -i -e 's/^name = "quiverdb"/name = "markupsafe"/' -e 's/^version = "[^"]*"/version = "3.0.3"/' "$PY"
TWO=$WS/two-wheels && mkdir -p "$TWO" && cp "$REL"/*.whl "$TWO/"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # name, command...
  local name=$1; shift; local t=()
  for _ in $(seq "$RUNS"); do
    local s; s=$(now); "$@" >/dev/null 2>&1 || { echo "bench: '$name' failed:" >&2; "$@" >&2 || true; exit 1; }; t+=("$(echo "$(now) - $s" | bc)")
  done
  printf '%s\n' "${t[@]}" | median
}

NX=("$WS/node_modules/.bin/nx" run python:validate-wheels --exclude-task-dependencies --skip-nx-cache --outputStyle=stream)
cd "$WS"
A_NX=$(timeit nx "${NX[@]}" --wheelDir="$TWO" --platforms=release)
A_REF=$(timeit twine+cwc bash -c "'$TOOLS/twine' check --strict '$TWO'/*.whl && '$CWC' '$TWO'")

# The 200 MB wheel.
BIG=$STATE/big && mkdir -p "$BIG"
if [ ! -f "$BIG/.ready" ]; then
  rm -f "$BIG"/*.whl
  python3 - "$ROOT/.nx-wheels/test-fixtures/real-wheel" "$BIG" <<'PY'
import base64, hashlib, os, sys, zipfile
src_dir, out_dir = sys.argv[1], sys.argv[2]
src = sorted(f for f in os.listdir(src_dir) if f.endswith('.whl'))[0]
zin = zipfile.ZipFile(os.path.join(src_dir, src))
zout = zipfile.ZipFile(os.path.join(out_dir, src), 'w', zipfile.ZIP_DEFLATED)
rows, record = [], None
def h(b): return 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b'=').decode()
for i in zin.infolist():
    if i.filename.endswith('.dist-info/RECORD'): record = i.filename; continue
    if i.is_dir(): continue
    b = zin.read(i); zout.writestr(i, b); rows.append(f'{i.filename},{h(b)},{len(b)}')
big = os.urandom(200 * 1024 * 1024)
zout.writestr('quiverdb/data/blob.bin', big); rows.append(f'quiverdb/data/blob.bin,{h(big)},{len(big)}')
rows.append(f'{record},,'); zout.writestr(record, '\n'.join(rows) + '\n'); zout.close()
PY
  touch "$BIG/.ready"
fi
sed -i -e 's/^name = "markupsafe"/name = "quiverdb"/' -e 's/^version = "3.0.3"/version = "0.1.0"/' "$PY"
BIGDIR=$WS/big && mkdir -p "$BIGDIR" && cp "$BIG"/*.whl "$BIGDIR/"
B_NX=$(timeit nx-200MB "${NX[@]}" --wheelDir="$BIGDIR" --platforms=linux --maxSize=1000000000)
B_NX_NOEXT=$(timeit nx-200MB-noext "${NX[@]}" --wheelDir="$BIGDIR" --platforms=linux --maxSize=1000000000 --externalChecks=false)
B_SHA=$(timeit sha256sum sha256sum "$BIGDIR"/*.whl)

ratio() { echo "scale=2; $1 / $2" | bc; }
echo "validate-wheels bench (median of $RUNS fresh runs, seconds)"
echo "two-wheel release (markupsafe 3.0.3 cp313 manylinux_x86_64 + win_amd64):"
echo "  nx run python:validate-wheels --platforms=release : $A_NX"
echo "  twine check --strict + check-wheel-contents       : $A_REF"
echo "  ratio (goal <= 1.0)                               : $(ratio "$A_NX" "$A_REF")"
echo "200 MB wheel ($(du -m "$BIGDIR"/*.whl | cut -f1) MB):"
echo "  nx run python:validate-wheels (twine, auditwheel) : $B_NX"
echo "  nx run ... --externalChecks=false                 : $B_NX_NOEXT"
echo "  sha256sum                                         : $B_SHA"
echo "  ratio (goal <= 1.5), as users run it              : $(ratio "$B_NX" "$B_SHA")"
echo "  ratio without external checks                     : $(ratio "$B_NX_NOEXT" "$B_SHA")"
