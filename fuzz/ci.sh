#!/usr/bin/env bash
# Hardening CI (issue 10): a short libFuzzer pass of every fuzz target on its stored
# corpus, then the C tests under AddressSanitizer + UBSan (tests/c/asan.sh).
# Run from anywhere; uses $CARGO_TARGET_DIR (default <repo>/target).
#
#   fuzz/ci.sh                   # ~30 s per target
#   FUZZ_SECONDS=600 fuzz/ci.sh  # longer
#   FUZZ_ONLY=1 / ASAN_ONLY=1    # one half only
#   FUZZ_SEED=0                  # libFuzzer picks a random seed (CI uses a fixed one,
#                                # so a clean clone replays the run that was checked)
#
# cargo-fuzz needs nightly -Z flags; on the stable toolchain they are enabled with
# RUSTC_BOOTSTRAP=1 (no other toolchain is installed). Targets are built with
# `-s none` (safe Rust: coverage-guided fuzzing without ASan, with debug assertions
# and overflow checks) and run niced so the machine stays usable.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
seconds=${FUZZ_SECONDS:-30}
targets=(options config_url webhook emulator_upload search_expr delivery_url)
CARGO_FUZZ_VERSION=0.13.2

if [ "${ASAN_ONLY:-0}" != 1 ]; then
    if ! command -v c++ >/dev/null; then
        SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq g++ >/dev/null
    fi
    if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
        cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION" --quiet
    fi
    fuzz_target_dir="$CARGO_TARGET_DIR/fuzz"
    echo "== build fuzz targets (cargo fuzz build -s none -O -a)"
    RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$fuzz_target_dir" \
        nice -n 19 cargo fuzz build -s none -O -a --fuzz-dir fuzz
    bin="$fuzz_target_dir/x86_64-unknown-linux-gnu/release"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    for t in "${targets[@]}"; do
        mkdir -p "$work/$t" "$work/artifacts-$t"
        dict=()
        [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
        echo "== fuzz $t for ${seconds}s on fuzz/corpus/$t"
        # New inputs go to a scratch directory; the stored corpus is only read. The
        # timeout is generous: a legitimately heavy input (a picture tag of 100 000
        # srcset URLs takes 1.6 s instrumented) must not fail CI on a busy machine.
        if ! nice -n 19 "$bin/$t" "$work/$t" "fuzz/corpus/$t" "${dict[@]}" \
            -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 \
            -artifact_prefix="$work/artifacts-$t/" -print_final_stats=1 \
            >"$work/$t.log" 2>&1; then
            tail -n 60 "$work/$t.log"
            echo "fuzz target $t failed; the input is in the log above" >&2
            ls "$work/artifacts-$t" >&2
            for a in "$work/artifacts-$t"/*; do base64 -w0 "$a" >&2; echo >&2; done
            exit 1
        fi
        grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$work/$t.log" | tail -n 2
    done
fi

if [ "${FUZZ_ONLY:-0}" != 1 ]; then
    echo "== C tests under AddressSanitizer + UBSan"
    tests/c/asan.sh
fi
echo "fuzz/ci.sh: all passed"
