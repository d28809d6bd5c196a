#!/usr/bin/env bash
# Makes sure Debian's chromium (and a font so text renders) is installed, for the webview and
# end-to-end tests. Idempotent: a no-op when chromium is already there. Playwright's own browser
# download cannot reach its servers here, so the tests drive this system browser instead.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
# Two test layers may call this at once; the lock keeps apt from fighting itself.
exec 9>/tmp/heapscope-ensure-chromium.lock
flock 9
if ! command -v chromium >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
fi
command -v chromium >/dev/null 2>&1 || { echo "ensure-chromium: chromium is still missing after apt-get install" >&2; exit 1; }
