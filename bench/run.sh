#!/usr/bin/env bash
# `npm run bench`: every benchmark, one line each. Each writes its RESULTS.md beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/snapshot/run.sh
bash bench/guard/run.sh
bash bench/lint/run.sh
bash bench/watch-overhead/run.sh
bash bench/webview/run.sh
