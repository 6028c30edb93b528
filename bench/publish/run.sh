#!/usr/bin/env bash
# Benchmark publish: `nx run python:publish` against plain `twine upload` (the pinned twine) of the
# same files, each into a fresh real pypiserver, paired and alternating, for 2 and 50 wheels.
# validate-wheels runs once first (as in CI), so publish reuses the passed report; add --revalidate
# to remove the report before every publish (publish validates, the path without a report).
# usage: bench/publish/run.sh [COUNTS=2,50] [RUNS=3] [--revalidate]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node -r @swc-node/register bench/publish/bench.ts "${1:-2,50}" "${2:-3}" "${@:3}"
