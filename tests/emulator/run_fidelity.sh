#!/usr/bin/env bash
# Runs the official Python SDK (cloudinary==1.46.3, in a venv) unchanged against the
# emulator binary. Usage: tests/emulator/run_fidelity.sh [EMULATOR_BINARY]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${1:-$TARGET/debug/cldkit-emulator}"
VENV="${FIDELITY_VENV:-$TARGET/emulator-fidelity-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import cloudinary, sys; sys.exit(cloudinary.VERSION != "1.46.3")' 2>/dev/null; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'cloudinary==1.46.3'
fi
OUT="$(mktemp)"
"$BIN" > "$OUT" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; rm -f "$OUT"' EXIT
for _ in $(seq 1 100); do
  grep -q '^CLOUDINARY_URL=' "$OUT" && break
  sleep 0.1
done
URL="$(grep -m1 '^CLOUDINARY_URL=' "$OUT" | cut -d= -f2-)"
[ -n "$URL" ] || { echo "emulator did not start:"; cat "$OUT"; exit 1; }
"$VENV/bin/python" "$ROOT/tests/emulator/fidelity.py" "$URL"
