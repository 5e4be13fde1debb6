#!/usr/bin/env bash
# Runs bindings-c/php/tests/*.phpt with PHP's run-tests.php, against the extension or FFI.
#   bindings-c/php/run-phpt.sh ext <path/to/cldkit.so>
#   bindings-c/php/run-phpt.sh ffi <path/to/libcldkit.so>
# Fails unless every .phpt file passed (none failed, skipped or borked).
# The HTTP tests run against two fresh emulators (`cldkit serve --port 0`, one with
# --hourly-budget 2): the binary is $CLDKIT_BIN, else built with cargo.
set -euo pipefail
mode=${1:?ext|ffi}
lib=${2:?path to the module or library}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
run_tests=$(ls /usr/lib/php/*/build/run-tests.php | head -n1)
php=$(command -v php)
export NO_INTERACTION=1 TEST_PHP_EXECUTABLE="$php"
tmp=$(mktemp -d)
log=$tmp/run-tests.log
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

bin=${CLDKIT_BIN:-}
if [ -z "$bin" ]; then
    (cd "$root" && cargo build -q -p cldkit-cli)
    bin=${CARGO_TARGET_DIR:-$root/target}/debug/cldkit
fi
start_emulator() { # <name> [flags...]: prints the CLOUDINARY_URL
    local name=$1 url=""
    shift
    : >"$tmp/$name.log"
    "$bin" serve --port 0 --data "$tmp/$name-data" "$@" >"$tmp/$name.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^CLOUDINARY_URL=//p' "$tmp/$name.log" | head -n1)
        [ -n "$url" ] && break
        sleep 0.1
    done
    [ -n "$url" ] || { cat "$tmp/$name.log" >&2; echo "the emulator did not start" >&2; exit 1; }
    echo "$url"
}
# Command substitution would lose the pids: start in this shell, read the URL after.
start_emulator main >"$tmp/main.url"
start_emulator limited --hourly-budget 2 >"$tmp/limited.url"
export CLDKIT_TEST_URL CLDKIT_TEST_URL_LIMITED
CLDKIT_TEST_URL=$(cat "$tmp/main.url")
CLDKIT_TEST_URL_LIMITED=$(cat "$tmp/limited.url")

case "$mode" in
    ext) CLDKIT_IMPL=ext "$php" "$run_tests" -q -p "$php" -n -d "extension=$lib" --show-diff "$here/tests" >"$log" 2>&1 || true ;;
    ffi) CLDKIT_IMPL=ffi CLDKIT_LIBRARY="$lib" "$php" "$run_tests" -q -p "$php" -n -d extension=ffi -d ffi.enable=1 \
             --show-diff "$here/tests" >"$log" 2>&1 || true ;;
    *) echo "mode must be ext or ffi" >&2; exit 2 ;;
esac
cat "$log"
want=$(ls "$here"/tests/*.phpt | wc -l)
passed=$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$log")
if [ "${passed:-0}" -ne "$want" ]; then
    echo "run-tests.php ($mode): ${passed:-0} of $want tests passed" >&2
    exit 1
fi
echo "run-tests.php ($mode): all $want tests passed"
