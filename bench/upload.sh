#!/usr/bin/env bash
# Upload benchmark (not a test): a 1 GiB file through `cldkit upload` to the local
# emulator, beside pycloudinary's upload_large to the same emulator in the same run.
# Reports throughput and each client's peak RSS (and the CLI's idle RSS: a 1-byte upload).
# Targets (issue 9): peak RSS <= idle + 32 MiB, >= 200 MB/s on loopback, faster than
# pycloudinary.
#
# Usage: bench/upload.sh [SIZE_MIB] [CHUNK_BYTES]   (release build; defaults 1024, 20000000)
# Env: CLDKIT_BIN=path to a cldkit binary with the `upload` command (default: build it);
#      PARALLEL=N chunks in flight (default 1, as the SDKs); SKIP_PY=1 skips pycloudinary.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SIZE_MIB="${1:-1024}"
CHUNK="${2:-20000000}"
PARALLEL="${PARALLEL:-1}"

cargo build --release -q -p cldkit-emulator --bin cldkit-emulator
EMU="$CARGO_TARGET_DIR/release/cldkit-emulator"
if [ -z "${CLDKIT_BIN:-}" ]; then
  cargo build --release -q -p cldkit-cli --bin cldkit
  CLDKIT_BIN="$CARGO_TARGET_DIR/release/cldkit"
fi
if ! "$CLDKIT_BIN" upload --help >/dev/null 2>&1; then
  echo "$CLDKIT_BIN has no 'upload' command yet (cli/src/upload.rs not wired)" >&2
  exit 1
fi

WORK="$(mktemp -d)"
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
echo "generating ${SIZE_MIB} MiB..."
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/input.bin"
head -c 1 /dev/urandom > "$WORK/one.bin"
MD5="$(md5sum "$WORK/input.bin" | cut -d' ' -f1)"
BYTES="$((SIZE_MIB * 1024 * 1024))"

"$EMU" --data "$WORK/data" --hourly-budget 1000000 > "$WORK/emu.out" 2>&1 &
PID=$!
for _ in $(seq 1 100); do grep -q 'cloudinary://' "$WORK/emu.out" && break; sleep 0.1; done
export CLOUDINARY_URL="$(grep -o -m1 'cloudinary://[^ ]*' "$WORK/emu.out")"

# run NAME CMD...: prints "NAME seconds peak_rss_kib" and checks the etag.
run() {
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/$name.rss" "$@" > "$WORK/$name.json"
  t1=$(date +%s.%N)
  local etag
  etag="$(grep -o '"etag": *"[0-9a-f]*"' "$WORK/$name.json" | grep -o '[0-9a-f]\{32\}' || true)"
  echo "$name $(echo "$t1 - $t0" | bc -l) $(cat "$WORK/$name.rss") $etag"
}

IDLE="$(run idle "$CLDKIT_BIN" upload "$WORK/one.bin" --opt resource_type=raw | awk '{print $3}')"
CLD="$(run cldkit "$CLDKIT_BIN" upload "$WORK/input.bin" --chunk-size "$CHUNK" --parallel "$PARALLEL" \
  --opt resource_type=raw --opt public_id=bench_cldkit.bin)"
report() {
  local line="$1" label="$2"
  local secs rss etag
  secs="$(echo "$line" | awk '{print $2}')"; rss="$(echo "$line" | awk '{print $3}')"
  etag="$(echo "$line" | awk '{print $4}')"
  printf '%-14s %7.2f s  %8.1f MB/s  peak RSS %7.1f MiB  etag %s\n' "$label" "$secs" \
    "$(echo "$BYTES / $secs / 1000000" | bc -l)" "$(echo "$rss / 1024" | bc -l)" \
    "$([ "$etag" = "$MD5" ] && echo ok || echo "MISMATCH ($etag)")"
}
echo "file: ${SIZE_MIB} MiB, chunk ${CHUNK} B, parallel ${PARALLEL}, md5 ${MD5}"
printf 'cldkit idle RSS (1-byte upload): %.1f MiB\n' "$(echo "$IDLE / 1024" | bc -l)"
report "$CLD" "cldkit"
CLD_RSS="$(echo "$CLD" | awk '{print $3}')"
printf 'cldkit peak above idle: %.1f MiB (target <= 32)\n' "$(echo "($CLD_RSS - $IDLE) / 1024" | bc -l)"

if [ -z "${SKIP_PY:-}" ]; then
  cat > "$WORK/py_upload.py" <<'EOF'
import json, sys
import cloudinary, cloudinary.uploader
r = cloudinary.uploader.upload_large(sys.argv[1], resource_type="raw",
                                     public_id="bench_py.bin", chunk_size=int(sys.argv[2]))
print(json.dumps(r, indent=2))
EOF
  PY="$(run pycloudinary python3 "$WORK/py_upload.py" "$WORK/input.bin" "$CHUNK")"
  report "$PY" "pycloudinary"
fi
