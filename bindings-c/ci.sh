#!/usr/bin/env bash
# CI for the C ABI and PHP: installs what it needs, builds libcldkit, checks the
# generated header, installs into a temporary prefix, runs the C tests under
# valgrind (the HTTP functions against local emulators, `cldkit serve`), builds the
# PHP extension with phpize against libcldkit.a, runs the .phpt tests (extension and
# FFI, also against emulators) with run-tests.php, plainly and under valgrind, and
# the conformance corpus through both. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
corpus="${CLDKIT_SHARED:-$root/../shared}/conformance"
CBINDGEN_VERSION=0.29.4

step() { printf '\n== %s\n' "$*"; }

step "system packages"
need=()
command -v php >/dev/null || need+=(php8.2-cli)
command -v phpize >/dev/null || need+=(php8.2-dev)
command -v valgrind >/dev/null || need+=(valgrind)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v cc >/dev/null || need+=(gcc libc6-dev)
if [ ${#need[@]} -gt 0 ]; then
    SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! cbindgen --version 2>/dev/null | grep -q " $CBINDGEN_VERSION$"; then
    cargo install cbindgen --locked --version "$CBINDGEN_VERSION" --quiet
fi

step "cargo test (cldkit-ffi)"
cargo test -q -p cldkit-ffi

step "emulator (cldkit serve) for the HTTP tests"
cargo build -q -p cldkit-cli
export CLDKIT_BIN="$CARGO_TARGET_DIR/debug/cldkit"

step "header is up to date"
make -s -C bindings-c check-header

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

step "make install PREFIX=$prefix"
make -s -C bindings-c install PREFIX="$prefix" PROFILE=debug

step "C tests under valgrind"
tests/c/run.sh "$prefix"

step "PHP extension (phpize, static libcldkit.a)"
cp -r bindings-c/php/ext "$tmp/ext"
(cd "$tmp/ext" && phpize && ./configure -q --with-cldkit="$prefix" && make -s) >"$tmp/phpize.log" 2>&1 \
    || { cat "$tmp/phpize.log"; exit 1; }
module=$tmp/ext/modules/cldkit.so
echo "built $module ($(du -h "$module" | cut -f1))"

step "phpt tests (run-tests.php): extension, then FFI"
bindings-c/php/run-phpt.sh ext "$module" >"$tmp/phpt.log" || { cat "$tmp/phpt.log"; exit 1; }
tail -n1 "$tmp/phpt.log"
bindings-c/php/run-phpt.sh ffi "$prefix/lib/libcldkit.so" >"$tmp/phpt.log" || { cat "$tmp/phpt.log"; exit 1; }
tail -n1 "$tmp/phpt.log"

# Every .phpt again with each test under valgrind (run-tests.php -m): a memory error
# fails it. Among them the upload progress callables that re-run the constructor,
# destroy the client, hit memory_limit or exit() (009-011, issue 13 finding 1).
step "phpt tests under valgrind: extension, then FFI"
bindings-c/php/run-phpt.sh ext "$module" --valgrind >"$tmp/phpt.log" || { cat "$tmp/phpt.log"; exit 1; }
tail -n1 "$tmp/phpt.log"
bindings-c/php/run-phpt.sh ffi "$prefix/lib/libcldkit.so" --valgrind >"$tmp/phpt.log" || { cat "$tmp/phpt.log"; exit 1; }
tail -n1 "$tmp/phpt.log"

step "conformance through the extension"
cat "$corpus"/*.jsonl | php -n -d "extension=$module" bindings-c/php/conformance.php --profile python > "$tmp/ext.jsonl"
php bindings-c/php/tests/compare_conformance.php "$tmp/ext.jsonl" "$corpus"/*.jsonl

step "conformance through FFI"
cat "$corpus"/*.jsonl | CLDKIT_LIBRARY="$prefix/lib/libcldkit.so" \
    php -n -d extension=ffi -d ffi.enable=1 bindings-c/php/conformance.php --ffi --profile python > "$tmp/ffi.jsonl"
php bindings-c/php/tests/compare_conformance.php "$tmp/ffi.jsonl" "$corpus"/*.jsonl

# The corpus in the node profile (issue 15), scored by the CLI against the npm SDK's
# results (expected_node where present, else expected): every case must pass, as in
# the core (core/tests/conformance_node.rs).
step "conformance in the node profile through the extension"
cat "$corpus"/*.jsonl | php -n -d "extension=$module" bindings-c/php/conformance.php --profile node > "$tmp/ext-node.jsonl"
cat "$corpus"/*.jsonl | "$CLDKIT_BIN" conformance --score --profile node --results "$tmp/ext-node.jsonl"

step "conformance in the node profile through FFI"
cat "$corpus"/*.jsonl | CLDKIT_LIBRARY="$prefix/lib/libcldkit.so" \
    php -n -d extension=ffi -d ffi.enable=1 bindings-c/php/conformance.php --ffi --profile node > "$tmp/ffi-node.jsonl"
cat "$corpus"/*.jsonl | "$CLDKIT_BIN" conformance --score --profile node --results "$tmp/ffi-node.jsonl"

# The corpus in the php profile (issue 16): each binding's result must be the CLI's for
# every case, and the score against the PHP SDK's results (expected_php where present)
# no worse than the core's ratchet, read from core/tests/conformance_php.rs (none left:
# every case must pass).
step "conformance in the php profile: the CLI, the extension and FFI"
php_ratchet=$(sed -n 's/^const MAX_MISMATCHES: usize = \([0-9_]*\);.*/\1/p' core/tests/conformance_php.rs | tr -d _)
cat "$corpus"/*.jsonl | "$CLDKIT_BIN" conformance --profile php > "$tmp/cli-php.jsonl"
cat "$corpus"/*.jsonl | php -n -d "extension=$module" bindings-c/php/conformance.php --profile php > "$tmp/ext-php.jsonl"
cat "$corpus"/*.jsonl | CLDKIT_LIBRARY="$prefix/lib/libcldkit.so" \
    php -n -d extension=ffi -d ffi.enable=1 bindings-c/php/conformance.php --ffi --profile php > "$tmp/ffi-php.jsonl"
php bindings-c/php/tests/compat/same_as_cli.php "$tmp/cli-php.jsonl" "$tmp/ext-php.jsonl" extension
php bindings-c/php/tests/compat/same_as_cli.php "$tmp/cli-php.jsonl" "$tmp/ffi-php.jsonl" FFI
for impl in ext ffi; do
    cat "$corpus"/*.jsonl | "$CLDKIT_BIN" conformance --score --profile php --results "$tmp/$impl-php.jsonl" \
        --max-failures "${php_ratchet:-0}" | tail -n1
done
# The same corpus through the CldKit\Compat drop-ins (Media::fromParams, ImageTag,
# VideoTag, SignatureVerifier, UploadApi's download URLs) as a plugin calls them: the
# CLI's results again (an error where the CLI has one, in PHP's words at typed arguments).
cat "$corpus"/*.jsonl | php -n -d "extension=$module" bindings-c/php/conformance.php --profile php --compat > "$tmp/ext-compat.jsonl"
php bindings-c/php/tests/compat/same_as_cli.php --any-error "$tmp/cli-php.jsonl" "$tmp/ext-compat.jsonl" "CldKit\Compat (extension)"
cat "$corpus"/*.jsonl | CLDKIT_LIBRARY="$prefix/lib/libcldkit.so" \
    php -n -d extension=ffi -d ffi.enable=1 bindings-c/php/conformance.php --ffi --profile php --compat > "$tmp/ffi-compat.jsonl"
php bindings-c/php/tests/compat/same_as_cli.php --any-error "$tmp/cli-php.jsonl" "$tmp/ffi-compat.jsonl" "CldKit\Compat (FFI)"

# Issue 16 item 5: the WordPress-style media handler's cldkit copy (its `use` lines
# swapped from Cloudinary\ to CldKit\Compat\), against the corpus's cloudinary_php
# answers and an emulator, through the extension and through FFI.
step "examples/wordpress-media: the extension, then FFI"
tests/c/with-emulators.sh php -n -d "extension=$module" examples/wordpress-media/test.php >"$tmp/wp.log" \
    || { cat "$tmp/wp.log"; exit 1; }
tail -n1 "$tmp/wp.log"
CLDKIT_LIBRARY="$prefix/lib/libcldkit.so" tests/c/with-emulators.sh \
    php -n -d extension=ffi -d ffi.enable=1 examples/wordpress-media/test.php >"$tmp/wp.log" \
    || { cat "$tmp/wp.log"; exit 1; }
tail -n1 "$tmp/wp.log"

step "bindings-c: all passed"
