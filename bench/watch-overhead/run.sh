#!/usr/bin/env bash
# Overhead of `heapscope watch` at 1 Hz on a busy HTTP target; see RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
node bench/watch-overhead/run.js "$@"
