#!/usr/bin/env bash
# Runs bindings-c/php/tests/*.phpt with PHP's run-tests.php, against the extension or FFI.
#   bindings-c/php/run-phpt.sh ext <path/to/cldkit.so>
#   bindings-c/php/run-phpt.sh ffi <path/to/libcldkit.so>
set -euo pipefail
mode=${1:?ext|ffi}
lib=${2:?path to the module or library}
here=$(cd "$(dirname "$0")" && pwd)
run_tests=$(ls /usr/lib/php/*/build/run-tests.php | head -n1)
php=$(command -v php)
export NO_INTERACTION=1 TEST_PHP_EXECUTABLE="$php"
if [ "$mode" = ext ]; then
    CLDKIT_IMPL=ext "$php" "$run_tests" -q -p "$php" -n -d "extension=$lib" --show-diff "$here/tests" | tee /dev/stderr | grep -q "^Tests failed *: *0 " 
else
    CLDKIT_IMPL=ffi CLDKIT_LIBRARY="$lib" "$php" "$run_tests" -q -p "$php" -n -d extension=ffi -d ffi.enable=1 --show-diff "$here/tests" | tee /dev/stderr | grep -q "^Tests failed *: *0 "
fi
