#!/usr/bin/env bash
# Chunked-upload benchmark of the emulator: a 1 GiB file in 20 MB chunks on loopback.
# Prints the throughput and the emulator's peak RSS (targets: >= 200 MB/s, <= 64 MiB).
# Usage: bench/emulator_upload.sh [SIZE_MIB]   (release build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SIZE_MIB="${1:-1024}"
cargo build --release -q -p cldkit-emulator --bin cldkit-emulator --example upload_bench
BIN="$CARGO_TARGET_DIR/release/cldkit-emulator"
CLIENT="$CARGO_TARGET_DIR/release/examples/upload_bench"
WORK="$(mktemp -d)"
trap 'kill "${PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/input.bin"
"$BIN" --data "$WORK/data" > "$WORK/out" 2>&1 &
PID=$!
for _ in $(seq 1 100); do grep -q '^CLOUDINARY_URL=' "$WORK/out" && break; sleep 0.1; done
URL="$(grep -m1 '^CLOUDINARY_URL=' "$WORK/out" | cut -d= -f2-)"
"$CLIENT" "$URL" "$WORK/input.bin" 20000000
echo "expected md5 $(md5sum "$WORK/input.bin" | cut -d' ' -f1)"
echo "emulator peak RSS: $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$PID/status")"
