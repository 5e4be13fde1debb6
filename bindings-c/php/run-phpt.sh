#!/usr/bin/env bash
# Runs bindings-c/php/tests/*.phpt with PHP's run-tests.php, against the extension or FFI.
#   bindings-c/php/run-phpt.sh ext <path/to/cldkit.so> [--valgrind] [NNN_name.phpt ...]
#   bindings-c/php/run-phpt.sh ffi <path/to/libcldkit.so> [--valgrind] [NNN_name.phpt ...]
# Fails unless every selected .phpt file (default: all) passed (none failed, skipped,
# borked or, with --valgrind, leaked). --valgrind runs each test under valgrind
# (run-tests.php -m): any memory error valgrind reports fails the test.
# The HTTP tests run against fresh emulators (tests/c/with-emulators.sh, unless
# CLDKIT_TEST_URL, CLDKIT_TEST_URL_LIMITED and CLDKIT_TEST_URL_SCENARIO are set):
# `cldkit serve --port 0`, one with --hourly-budget 2, one for the call scenario alone;
# the binary is $CLDKIT_BIN, else built with cargo. The catalogue the parity and
# scenario tests read (`cldkit calls --json`) is written to a file beforehand
# (CLDKIT_CALLS_JSON), so that no test runs a child process under valgrind.
set -euo pipefail
mode=${1:?ext|ffi}
lib=${2:?path to the module or library}
shift 2
valgrind=()
if [ "${1:-}" = --valgrind ]; then
    valgrind=(-m)
    shift
fi
here=$(cd "$(dirname "$0")" && pwd)
tests=("$here/tests")
want=$(ls "$here"/tests/*.phpt | wc -l)
if [ $# -gt 0 ]; then
    tests=()
    for t in "$@"; do tests+=("$here/tests/$(basename "$t")"); done
    want=$#
fi
root=$(cd "$here/../.." && pwd)
run_tests=$(ls /usr/lib/php/*/build/run-tests.php | head -n1)
php=$(command -v php)
export NO_INTERACTION=1 TEST_PHP_EXECUTABLE="$php"
log=$(mktemp)
calls=$(mktemp)
trap 'rm -f "$log" "$calls"' EXIT
bin=${CLDKIT_BIN:-}
if [ -z "$bin" ]; then
    (cd "$root" && cargo build -q -p cldkit-cli)
    bin=${CARGO_TARGET_DIR:-$root/target}/debug/cldkit
fi
export CLDKIT_BIN="$bin"
"$bin" calls --json >"$calls"
export CLDKIT_CALLS_JSON="$calls"
# Fresh emulators for the HTTP tests, unless the caller started them.
emulators=("$root/tests/c/with-emulators.sh")
[ -n "${CLDKIT_TEST_URL:-}" ] && [ -n "${CLDKIT_TEST_URL_LIMITED:-}" ] && [ -n "${CLDKIT_TEST_URL_SCENARIO:-}" ] && emulators=()

case "$mode" in
    ext) CLDKIT_IMPL=ext "${emulators[@]}" "$php" "$run_tests" -q "${valgrind[@]}" -p "$php" -n -d "extension=$lib" \
             --show-diff --show-mem "${tests[@]}" >"$log" 2>&1 || true ;;
    ffi) CLDKIT_IMPL=ffi CLDKIT_LIBRARY="$lib" "${emulators[@]}" "$php" "$run_tests" -q "${valgrind[@]}" -p "$php" -n \
             -d extension=ffi -d ffi.enable=1 --show-diff --show-mem "${tests[@]}" >"$log" 2>&1 || true ;;
    *) echo "mode must be ext or ffi" >&2; exit 2 ;;
esac
cat "$log"
label=$mode${valgrind:+, valgrind}
passed=$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$log")
if [ "${passed:-0}" -ne "$want" ]; then
    echo "run-tests.php ($label): ${passed:-0} of $want tests passed" >&2
    exit 1
fi
echo "run-tests.php ($label): all $want tests passed"
