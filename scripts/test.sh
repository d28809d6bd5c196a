#!/usr/bin/env bash
# The whole test suite, as README.md and CI run it: type-check, bundle, lint, then every layer.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run compile
npm run build
npm run lint
npm run test:unit
npm run test:integration
npm run test:webview
npm run test:e2e
