#!/usr/bin/env bash
# Snapshot engine benchmark: heapscope analyze vs memlab, @vscode/v8-heap-parser, DevTools' worker
# code and a byte scan. Builds the CLI and the DevTools oracle, then measures and writes
# bench/snapshot/RESULTS.md. Arguments go to bench.mjs: [--sizes small,medium,large,huge] [--profile]
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run --silent build >/dev/null
# Other parts may have transient type errors; tsc -b still emits the oracle, which is all we need.
npx tsc -b test >/dev/null || true
test -f out/test/oracle/cli.js || { echo "out/test/oracle/cli.js was not built" >&2; exit 1; }
node bench/snapshot/bench.mjs "$@"
