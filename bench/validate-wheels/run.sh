#!/usr/bin/env bash
# Benchmark validate-wheels against `twine check` + `check-wheel-contents` (pinned, from PyPI) and
# `sha256sum` (the physical floor for hashing the same bytes), on the same files in the same run.
# Two wheelhouses: the real quiverdb wheel, and a synthetic one of about TOTAL_MB made from it.
# usage: bench/validate-wheels/run.sh [TOTAL_MB=200] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
WS=$PWD
TOTAL_MB=${1:-200}
RUNS=${2:-3}
PY=${PYTHON:-python3}
STATE=$WS/.nx-wheels/bench
VENV=$STATE/venv
mkdir -p "$STATE"
if [ ! -x "$VENV/bin/check-wheel-contents" ]; then
  echo "[bench] installing twine==7.0.0 check-wheel-contents==0.6.3 into $VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check twine==7.0.0 check-wheel-contents==0.6.3
fi
REAL=$(node -r @swc-node/register -e "process.stdout.write(require('./tools/nx-wheels/test/validate-wheels/fixtures').realWheel())")
echo "[bench] real wheel: $REAL"
rm -rf "$STATE/real" "$STATE/synthetic"
mkdir -p "$STATE/real"
cp "$REAL" "$STATE/real/"
PLAT=$(basename "$REAL" .whl | awk -F- '{print $NF}')
"$PY" bench/validate-wheels/make-wheels.py "$REAL" "$STATE/synthetic" 4 "$(echo "$TOTAL_MB / 4" | bc -l)" > /dev/null
libc_id() { case "$1" in manylinux*) echo manylinux;; musllinux*) echo musllinux;; esac; }
ARCH=${PLAT##*_}; ARCH=$(echo "$PLAT" | sed -E 's/^(many|musl)linux(_[0-9]+_[0-9]+|1|2010|2014)_//')
ID() { echo "$1-$(libc_id "$PLAT")_$ARCH"; }
REAL_IDS=$(ID cp313)
SYN_IDS=$(ID cp313),$(ID cp312),$(ID cp311),$(ID cp310)

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_cmd <name> <cmd...>: prints milliseconds of the median of RUNS runs (exit code ignored)
time_cmd() {
  local ts=()
  for _ in $(seq "$RUNS"); do
    local t0; t0=$(now)
    "$@" > /dev/null 2>&1 || true
    ts+=($(( ($(now) - t0) / 1000000 )))
  done
  printf '%s\n' "${ts[@]}" | median
}

bench() {
  local label=$1 dir=$2 ids=$3
  local wheels size
  wheels=("$dir"/*.whl)
  size=$(du -cb "${wheels[@]}" | tail -1 | cut -f1)
  # Warm the page cache so every tool reads the same cached bytes.
  cat "${wheels[@]}" > /dev/null
  local check; check=$(node -r @swc-node/register bench/validate-wheels/validate.ts "$dir" "$ids")
  local ours twine cwc sums inproc
  ours=$(time_cmd node -r @swc-node/register bench/validate-wheels/validate.ts "$dir" "$ids")
  inproc=$(for _ in $(seq "$RUNS"); do node -r @swc-node/register bench/validate-wheels/validate.ts "$dir" "$ids" | sed -E 's/.*"ms":([0-9]+).*/\1/'; done | median)
  twine=$(time_cmd "$VENV/bin/twine" check "${wheels[@]}")
  cwc=$(time_cmd "$VENV/bin/check-wheel-contents" "${wheels[@]}")
  sums=$(time_cmd sha256sum "${wheels[@]}")
  local pair=$((twine + cwc))
  echo
  echo "== $label: ${#wheels[@]} wheel(s), $((size / 1048576)) MiB ($size bytes); median of $RUNS runs; host $(nproc) cores"
  echo "   validate-wheels result: $check"
  printf '   %-52s %8s ms\n' "validate-wheels (node process, all RECORD hashes)" "$ours"
  printf '   %-52s %8s ms\n' "validate-wheels (in-process, excl. node startup)" "$inproc"
  printf '   %-52s %8s ms\n' "twine check" "$twine"
  printf '   %-52s %8s ms\n' "check-wheel-contents" "$cwc"
  printf '   %-52s %8s ms\n' "twine check + check-wheel-contents" "$pair"
  printf '   %-52s %8s ms\n' "sha256sum (floor)" "$sums"
  awk -v o="$ours" -v i="$inproc" -v p="$pair" -v s="$sums" 'BEGIN {
    printf "   speed-up vs twine+check-wheel-contents: %.2fx (process), %.2fx (in-process)   [goal >= 3x]\n", p / o, p / i;
    printf "   ratio to sha256sum:                     %.2fx (process), %.2fx (in-process)   [goal <= 2x]\n", o / s, i / s }'
}

bench "real quiverdb wheelhouse" "$STATE/real" "$REAL_IDS"
bench "synthetic ${TOTAL_MB} MB wheelhouse" "$STATE/synthetic" "$SYN_IDS"
