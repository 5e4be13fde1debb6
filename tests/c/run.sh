#!/usr/bin/env bash
# Builds tests/c against an installed libcldkit (pkg-config) and runs it under valgrind.
#   tests/c/run.sh <prefix>      (prefix as given to `make -C bindings-c install PREFIX=...`)
set -euo pipefail
prefix=${1:?usage: tests/c/run.sh <install prefix>}
here=$(cd "$(dirname "$0")" && pwd)
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2046
cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -pedantic -o "$out/test_cldkit" \
    "$here/test_cldkit.c" $(pkg-config --cflags --libs cldkit) -lpthread
# The same program linked statically against libcldkit.a.
# shellcheck disable=SC2046
cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -o "$out/test_cldkit_static" \
    "$here/test_cldkit.c" $(pkg-config --cflags cldkit) "$prefix/lib/libcldkit.a" \
    $(pkg-config --static --libs-only-other --libs-only-l cldkit | sed 's/-lcldkit//')
"$out/test_cldkit_static" >/dev/null
valgrind -q --leak-check=full --error-exitcode=1 "$out/test_cldkit"
