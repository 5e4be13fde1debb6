#!/usr/bin/env bash
# Builds tests/c against an installed libcldkit (pkg-config) and runs it under valgrind:
# test_cldkit.c (every offline function) and test_api.c (uploads, Upload API calls,
# the Admin API, threads and fork) against two local emulators (`cldkit serve`, one
# with --hourly-budget 2 for rate limits).
#   tests/c/run.sh <prefix>      (prefix as given to `make -C bindings-c install PREFIX=...`)
# The emulator binary is $CLDKIT_BIN, else built with `cargo build -p cldkit-cli`.
# (tests/c/asan.sh, another script, runs the offline tests under sanitizers.)
set -euo pipefail
prefix=${1:?usage: tests/c/run.sh <install prefix>}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror)
for t in test_cldkit test_api; do
    # shellcheck disable=SC2046
    cc "${cflags[@]}" -pedantic -o "$out/$t" "$here/$t.c" $(pkg-config --cflags --libs cldkit) -lpthread
    # The same program linked statically against libcldkit.a (Libs.private of cldkit.pc).
    # shellcheck disable=SC2046
    cc "${cflags[@]}" -o "$out/${t}_static" "$here/$t.c" $(pkg-config --cflags cldkit) "$prefix/lib/libcldkit.a" \
        $(pkg-config --static --libs-only-other --libs-only-l cldkit | sed 's/-lcldkit//')
done

# The HTTP tests run against fresh emulators (tests/c/with-emulators.sh); build the
# emulator once here.
if [ -z "${CLDKIT_BIN:-}" ]; then
    (cd "$root" && cargo build -q -p cldkit-cli)
    export CLDKIT_BIN=$CARGO_TARGET_DIR/debug/cldkit
fi
run_api() { # <label> <command...>: test_api against fresh emulators
    local label=$1
    shift
    mkdir -p "$out/scratch-$label"
    printf '%-30s ' "test_api ($label):"
    "$here/with-emulators.sh" "$@" "$out/scratch-$label" | tail -n1
}

printf '%-30s ' 'test_cldkit (static):'
"$out/test_cldkit_static" | tail -n1
printf '%-30s ' 'test_cldkit (valgrind):'
valgrind -q --leak-check=full --error-exitcode=1 "$out/test_cldkit" | tail -n1
run_api static "$out/test_api_static"
# Valgrind logs one file per process: the test's own (its errors fail the run through
# --error-exitcode) and the forked child's, whose leaks are by design (see test_fork)
# but which must show no other memory error.
if ! run_api valgrind valgrind -q --leak-check=full --error-exitcode=99 --suppressions="$here/valgrind.supp" \
    --log-file="$out/valgrind.%p.log" "$out/test_api"; then
    cat "$out"/valgrind.*.log >&2
    exit 1
fi
if grep -lE "Invalid (read|write|free)|uninitialised|Mismatched free|overlap|Syscall param" "$out"/valgrind.*.log; then
    cat "$out"/valgrind.*.log >&2
    echo "valgrind found memory errors in test_api" >&2
    exit 1
fi
logs=$(ls "$out"/valgrind.*.log | wc -l)
[ "$logs" -ge 2 ] || { echo "expected valgrind logs of the test and its forked child" >&2; exit 1; }
