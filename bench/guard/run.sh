#!/usr/bin/env bash
# Guard overhead benchmark: see RESULTS.md. Needs the bundles (npm run build).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/guard.js ] || npm run build
node bench/guard/overhead.js 7
