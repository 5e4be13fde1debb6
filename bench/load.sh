#!/usr/bin/env bash
# Load test (issue 10): 200 concurrent uploads through cldkit's HTTP client against
# the emulator (in process, loopback only) for 60 s, then an Admin API listing that
# must hold every acknowledged asset exactly once with the bytes sent (md5/size).
# Prints throughput, latency percentiles and the lost/duplicated/altered counts;
# exits non-zero on any discrepancy, failed upload or wrong answer.
#
#   bench/load.sh [SECONDS] [CONCURRENCY] [MAX_BYTES]    (defaults 60 200 16384)
#
# Release build of bench/load (its own Cargo workspace) in $CARGO_TARGET_DIR/load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
target="$CARGO_TARGET_DIR/load"
CARGO_TARGET_DIR="$target" cargo build -q --release --manifest-path "$root/bench/load/Cargo.toml"
exec "$target/release/cldkit-load" "${1:-60}" "${2:-200}" "${3:-16384}"
