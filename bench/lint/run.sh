#!/usr/bin/env bash
# Lint benchmark (see bench.mjs): heapscope lint vs ESLint + eslint-plugin-listeners, and edit latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b language-server || echo "bench: type errors above; benchmarking the emitted JS anyway" >&2
mkdir -p bench/work
npx esbuild language-server/server.ts --bundle --platform=node --target=node20 --outfile=bench/work/server.js --log-level=warning
node bench/lint/bench.mjs "$@"
