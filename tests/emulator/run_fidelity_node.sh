#!/usr/bin/env bash
# Runs the official Node SDK (cloudinary@2.11.0, installed into a cache directory under
# the Cargo target dir) unchanged against the emulator binary, started with --port 0 and
# a fresh --data directory. Usage: tests/emulator/run_fidelity_node.sh [EMULATOR_BINARY]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
BIN="${1:-$TARGET/debug/cldkit-emulator}"
SDK_VERSION=2.11.0
SDK_DIR="${FIDELITY_NODE_DIR:-$TARGET/emulator-fidelity-node}"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
installed() {
  node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
    "$SDK_DIR/node_modules/cloudinary/package.json" "$SDK_VERSION" 2>/dev/null
}
if ! installed; then
  mkdir -p "$SDK_DIR"
  npm install --prefix "$SDK_DIR" --no-audit --no-fund --no-save --loglevel=error \
    "cloudinary@$SDK_VERSION" >/dev/null
  installed || { echo "cloudinary@$SDK_VERSION did not install into $SDK_DIR"; exit 1; }
fi
DATA="$(mktemp -d)"
OUT="$(mktemp)"
"$BIN" --port 0 --data "$DATA" > "$OUT" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$OUT" "$DATA"' EXIT
for _ in $(seq 1 100); do
  grep -q '^CLOUDINARY_URL=' "$OUT" && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
URL="$(grep -m1 '^CLOUDINARY_URL=' "$OUT" | cut -d= -f2-)"
[ -n "$URL" ] || { echo "emulator did not start:"; cat "$OUT"; exit 1; }
status=0
NODE_PATH="$SDK_DIR/node_modules" node "$ROOT/tests/emulator/fidelity.js" "$URL" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- emulator output"
  tail -n 50 "$OUT"
fi
exit "$status"
