#!/usr/bin/env bash
# Builds tests/c against an installed libcldkit (pkg-config) and runs it under valgrind:
# test_cldkit.c (every offline function) and test_api.c (uploads, Upload API calls,
# the Admin API, threads and fork) against two local emulators (`cldkit serve`, one
# with --hourly-budget 2 for rate limits).
#   tests/c/run.sh <prefix>      (prefix as given to `make -C bindings-c install PREFIX=...`)
# The emulator binary is $CLDKIT_BIN, else built with `cargo build -p cldkit-cli`.
set -euo pipefail
prefix=${1:?usage: tests/c/run.sh <install prefix>}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
out=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$out"
}
trap cleanup EXIT
cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror)
for t in test_cldkit test_api; do
    # shellcheck disable=SC2046
    cc "${cflags[@]}" -pedantic -o "$out/$t" "$here/$t.c" $(pkg-config --cflags --libs cldkit) -lpthread
    # The same program linked statically against libcldkit.a (Libs.private of cldkit.pc).
    # shellcheck disable=SC2046
    cc "${cflags[@]}" -o "$out/${t}_static" "$here/$t.c" $(pkg-config --cflags cldkit) "$prefix/lib/libcldkit.a" \
        $(pkg-config --static --libs-only-other --libs-only-l cldkit | sed 's/-lcldkit//')
done

# Emulators: `cldkit serve --port 0` prints CLOUDINARY_URL=... once it listens.
bin=${CLDKIT_BIN:-}
if [ -z "$bin" ]; then
    (cd "$root" && cargo build -q -p cldkit-cli)
    bin=$CARGO_TARGET_DIR/debug/cldkit
fi
start_emulator() { # <name> [flags...]: sets $url
    local name=$1
    shift
    : >"$out/$name.log"
    "$bin" serve --port 0 --data "$out/$name-data" "$@" >"$out/$name.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^CLOUDINARY_URL=//p' "$out/$name.log" | head -n1)
        [ -n "$url" ] && return 0
        sleep 0.1
    done
    cat "$out/$name.log" >&2
    echo "the emulator did not start" >&2
    exit 1
}
run_api() { # <label> <command...>: test_api against fresh emulators
    local label=$1
    shift
    start_emulator "main-$label"
    export CLDKIT_TEST_URL=$url
    start_emulator "limited-$label" --hourly-budget 2
    export CLDKIT_TEST_URL_LIMITED=$url
    mkdir -p "$out/scratch-$label"
    printf '%-30s ' "test_api ($label):"
    "$@" "$out/scratch-$label" | tail -n1
}

printf '%-30s ' 'test_cldkit (static):'
"$out/test_cldkit_static" | tail -n1
printf '%-30s ' 'test_cldkit (valgrind):'
valgrind -q --leak-check=full --error-exitcode=1 "$out/test_cldkit" | tail -n1
run_api static "$out/test_api_static"
# Valgrind logs one file per process: the test's own (its errors fail the run through
# --error-exitcode) and the forked child's, whose leaks are by design (see test_fork)
# but which must show no other memory error.
run_api valgrind valgrind -q --leak-check=full --error-exitcode=99 --suppressions="$here/valgrind.supp" \
    --log-file="$out/valgrind.%p.log" "$out/test_api"
if grep -lE "Invalid (read|write|free)|uninitialised|Mismatched free|overlap|Syscall param" "$out"/valgrind.*.log; then
    cat "$out"/valgrind.*.log >&2
    echo "valgrind found memory errors in test_api" >&2
    exit 1
fi
logs=$(ls "$out"/valgrind.*.log | wc -l)
[ "$logs" -ge 2 ] || { echo "expected valgrind logs of the test and its forked child" >&2; exit 1; }
