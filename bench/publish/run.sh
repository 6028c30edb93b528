#!/usr/bin/env bash
# Benchmark publish: `nx run python:publish` (validate-wheels included, external checks off since
# the wheels are re-tagged copies) against plain `twine upload` (the pinned twine) of the same
# files, each into a fresh real pypiserver, in the same run, for 2 and 50 wheels.
# usage: bench/publish/run.sh [COUNTS=2,50] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node -r @swc-node/register bench/publish/bench.ts "${1:-2,50}" "${2:-3}"
