#!/usr/bin/env bash
# The C tests under AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer),
# built with clang against libcldkit.a: tests/c/test_cldkit.c (every offline function,
# error paths, NULL pointers, invalid UTF-8, threads), tests/c/test_threads.c (8
# threads mixing successful calls, error paths and client create/free) and
# tests/c/test_api.c (uploads, Upload/Admin API, threads, fork) against fresh local
# emulators (tests/c/with-emulators.sh; the emulator is $CLDKIT_BIN or built).
#
#   tests/c/asan.sh [<prefix>]
#
# <prefix> is an install prefix from `make -C bindings-c install PREFIX=... PROFILE=debug`;
# without it the library is built and installed into a temporary prefix.
# Options (environment):
#   ASAN_RUST=1     also instrument the Rust side (cldkit-ffi built with
#                   -Zsanitizer=address through RUSTC_BOOTSTRAP=1 on stable Rust)
#   VALGRIND_PHP=1  also run the PHP extension's .phpt tests under valgrind
#                   (run-tests.php -m; needs phpize and php-dev)
# The valgrind run of the C tests stays in tests/c/run.sh (bindings-c/ci.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.asan-x86_64.a >/dev/null 2>&1; then
    SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
prefix=${1:-}
if [ -z "$prefix" ]; then
    prefix=$out/prefix
    make -s -C "$root/bindings-c" install PREFIX="$prefix" PROFILE=debug >/dev/null
fi
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
native=$(pkg-config --static --libs-only-other --libs-only-l cldkit | sed 's/-lcldkit//')
if [ -z "${CLDKIT_BIN:-}" ]; then
    (cd "$root" && cargo build -q -p cldkit-cli)
    export CLDKIT_BIN=$CARGO_TARGET_DIR/debug/cldkit
fi
cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer
        -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_c() { # <label> <libcldkit.a>
    local label=$1 lib=$2
    for t in test_cldkit test_threads test_api; do
        # shellcheck disable=SC2086
        clang "${cflags[@]}" -I"$prefix/include" -o "$out/$t" "$here/$t.c" "$lib" $native -lpthread
        printf '%-36s ' "$t ($label):"
        if [ "$t" = test_api ]; then
            mkdir -p "$out/scratch"
            # The forked child of test_fork exits with _exit(): its leaks are by design.
            "$here/with-emulators.sh" "$out/$t" "$out/scratch" | tail -n1
        else
            "$out/$t" | tail -n1
        fi
    done
}

run_c "ASan+UBSan, C side" "$prefix/lib/libcldkit.a"

if [ "${ASAN_RUST:-0}" = 1 ]; then
    # The Rust side instrumented too: stable rustc accepts -Z flags with RUSTC_BOOTSTRAP=1.
    rust_target="$CARGO_TARGET_DIR/asan"
    (cd "$root" && RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zsanitizer=address -Cforce-frame-pointers=yes" \
        CARGO_TARGET_DIR="$rust_target" cargo build -q -p cldkit-ffi --target x86_64-unknown-linux-gnu)
    run_c "ASan+UBSan, C and Rust" "$rust_target/x86_64-unknown-linux-gnu/debug/libcldkit_ffi.a"
fi

if [ "${VALGRIND_PHP:-0}" = 1 ]; then
    cp -r "$root/bindings-c/php/ext" "$out/ext"
    (cd "$out/ext" && phpize && ./configure -q --with-cldkit="$prefix" && make -s) >"$out/phpize.log" 2>&1 \
        || { cat "$out/phpize.log"; exit 1; }
    run_tests=$(ls /usr/lib/php/*/build/run-tests.php | head -n1)
    php=$(command -v php)
    log=$out/phpt-valgrind.log
    # The API tests need emulators (tests/c/with-emulators.sh sets CLDKIT_TEST_URL*).
    "$here/with-emulators.sh" env USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 NO_INTERACTION=1 \
        TEST_PHP_EXECUTABLE="$php" CLDKIT_IMPL=ext \
        "$php" "$run_tests" -q -m -p "$php" -n -d "extension=$out/ext/modules/cldkit.so" \
        "$root/bindings-c/php/tests" >"$log" 2>&1 || true
    want=$(ls "$root"/bindings-c/php/tests/*.phpt | wc -l)
    passed=$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$log")
    if [ "${passed:-0}" -ne "$want" ] || grep -q "LEAK\|^FAIL" "$log"; then
        cat "$log"
        echo "PHP .phpt under valgrind: ${passed:-0} of $want passed" >&2
        exit 1
    fi
    echo "PHP .phpt under valgrind (extension): all $want passed, no leaks"
fi
echo "tests/c/asan.sh: all clean"
