#!/usr/bin/env bash
# Webview rendering benchmark: bundle size, flame graph at 100k frames, a million-row table.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b test
node bench/webview/bench.mjs
