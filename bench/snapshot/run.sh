#!/usr/bin/env bash
# Snapshot engine benchmark: heapscope analyze vs memlab, @vscode/v8-heap-parser, DevTools' worker
# code and a byte scan. Builds the CLI and the DevTools oracle, then measures and writes
# bench/snapshot/RESULTS.md. Arguments go to bench.mjs: [--sizes small,medium,large,huge,xl] [--profile]
# [--out FILE.md]. The ~2 GB run: bash bench/snapshot/run.sh --sizes xl --out bench/snapshot/RESULTS-xl.md
set -euo pipefail
cd "$(dirname "$0")/../.."
build_log=$(npm run --silent build 2>&1) || { echo "$build_log" >&2; exit 1; }
# Other parts may have transient type errors; tsc -b still emits the oracle, which is all we need.
npx tsc -b test >/dev/null || true
test -f out/test/oracle/cli.js || { echo "out/test/oracle/cli.js was not built" >&2; exit 1; }
node bench/snapshot/bench.mjs "$@"
