#!/usr/bin/env bash
# Runs bindings-c/php/tests/*.phpt with PHP's run-tests.php, against the extension or FFI.
#   bindings-c/php/run-phpt.sh ext <path/to/cldkit.so>
#   bindings-c/php/run-phpt.sh ffi <path/to/libcldkit.so>
# Fails unless every .phpt file passed (none failed, skipped or borked).
set -euo pipefail
mode=${1:?ext|ffi}
lib=${2:?path to the module or library}
here=$(cd "$(dirname "$0")" && pwd)
run_tests=$(ls /usr/lib/php/*/build/run-tests.php | head -n1)
php=$(command -v php)
export NO_INTERACTION=1 TEST_PHP_EXECUTABLE="$php"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
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
