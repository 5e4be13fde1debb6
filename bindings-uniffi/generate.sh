#!/usr/bin/env bash
# Regenerates the Kotlin, Swift and Ruby sources of bindings-uniffi from the debug
# build of the library (uniffi-bindgen reads the metadata the proc-macros embed in it),
# or with --check compares them with the committed ones and fails on any difference.
#
# Run from anywhere. Honours CARGO_TARGET_DIR (else target/ at the repository root).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
HERE="$ROOT/bindings-uniffi"
check=0
[ "${1:-}" = "--check" ] && check=1

cargo build --quiet -p cldkit-uniffi --lib --bin uniffi-bindgen
LIB="$CARGO_TARGET_DIR/debug/libcldkit_uniffi.so"
BINDGEN="$CARGO_TARGET_DIR/debug/uniffi-bindgen"

out="$(mktemp -d /tmp/cldkit-uniffi-gen.XXXXXX)"
trap 'rm -rf "$out"' EXIT
for lang in kotlin swift ruby; do
    # --no-format: no ktlint/swiftformat here, and the output must not depend on them.
    (cd "$HERE" && "$BINDGEN" generate --no-format --language "$lang" --out-dir "$out/$lang" "$LIB" >/dev/null)
done

# Generated file -> committed path (relative to bindings-uniffi/).
pairs=(
    "kotlin/io/cldkit/cldkit.kt:kotlin/src/main/kotlin/io/cldkit/cldkit.kt"
    "swift/Cldkit.swift:swift/Sources/Cldkit/Cldkit.swift"
    "swift/cldkit_uniffiFFI.h:swift/Sources/cldkit_uniffiFFI/include/cldkit_uniffiFFI.h"
    "swift/cldkit_uniffiFFI.modulemap:swift/Sources/cldkit_uniffiFFI/include/module.modulemap"
    "ruby/cldkit.rb:ruby/lib/cldkit/cldkit_uniffi.rb"
)
stale=0
for pair in "${pairs[@]}"; do
    src="$out/${pair%%:*}"
    dst="$HERE/${pair#*:}"
    if [ "$check" = 1 ]; then
        if ! diff -q "$src" "$dst" >/dev/null 2>&1; then
            echo "stale generated source: bindings-uniffi/${pair#*:} (run bindings-uniffi/generate.sh)" >&2
            diff -u "$dst" "$src" | head -20 >&2 || true
            stale=1
        fi
    else
        mkdir -p "$(dirname "$dst")"
        cp "$src" "$dst"
    fi
done
if [ "$check" = 1 ]; then
    [ "$stale" = 0 ] || exit 1
    echo "generated Kotlin, Swift and Ruby sources are current"
fi
