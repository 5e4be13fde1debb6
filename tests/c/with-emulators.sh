#!/usr/bin/env bash
# Runs a command against two fresh local emulators (`cldkit serve --port 0`):
#   CLDKIT_TEST_URL          a CLOUDINARY_URL of an ordinary one
#   CLDKIT_TEST_URL_LIMITED  one with --hourly-budget 2 (the third Admin call is a 420)
#   CLDKIT_TEST_URL_SCENARIO one for the call scenario alone (tests/calls/scenario.json:
#                            fixed names, so nothing else may touch it)
# and stops them afterwards; exits with the command's status.
#   tests/c/with-emulators.sh <command> [args...]
# The emulator binary is $CLDKIT_BIN, else built with `cargo build -p cldkit-cli`
# (CARGO_TARGET_DIR is honoured). Used by tests/c/run.sh and bindings-c/php/run-phpt.sh.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 <command> [args...]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

bin=${CLDKIT_BIN:-}
if [ -z "$bin" ]; then
    (cd "$root" && cargo build -q -p cldkit-cli)
    bin=${CARGO_TARGET_DIR:-$root/target}/debug/cldkit
fi

url=""
start_emulator() { # <name> [flags...]: sets $url
    local name=$1
    shift
    : >"$tmp/$name.log"
    "$bin" serve --port 0 --data "$tmp/$name-data" "$@" >"$tmp/$name.log" 2>&1 &
    pids+=($!)
    url=""
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^CLOUDINARY_URL=//p' "$tmp/$name.log" | head -n1)
        [ -n "$url" ] && return 0
        sleep 0.1
    done
    cat "$tmp/$name.log" >&2
    echo "the emulator ($name) did not start" >&2
    exit 1
}
start_emulator main
export CLDKIT_TEST_URL=$url
start_emulator limited --hourly-budget 2
export CLDKIT_TEST_URL_LIMITED=$url
start_emulator scenario
export CLDKIT_TEST_URL_SCENARIO=$url
"$@"
