#!/usr/bin/env bash
# CI of bindings-uniffi (issue 19): the Ruby, Kotlin and Swift bindings of the engine.
#   1. builds the library (debug) and checks that the committed Kotlin, Swift and Ruby
#      sources are what uniffi-bindgen generates from it (generate.sh --check);
#   2. Ruby (Debian ruby + ruby-ffi, installed when `dpkg -s` says they are missing):
#      the minitest suite (upload to the emulator and list it back, types, errors) and
#      the whole corpus through ruby/conformance.rb, scored by the CLI: no case skipped,
#      none failing;
#   3. Kotlin/JVM (kotlin/build.sh: JNA, kotlinx-coroutines, kotlinc from npm): the
#      tests (the same upload and listing, blocking and suspending) and the whole
#      corpus through kotlin/conformance.sh, scored the same way.
# Swift has no toolchain here: its generated sources are checked in step 1.
#
# Run from anywhere. Honours CARGO_TARGET_DIR (else target/), CLDKIT_SHARED (else
# ../shared) and CLDKIT_UNIFFI_PROFILE (the library's Cargo profile; dev by default).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CLDKIT_SHARED="${CLDKIT_SHARED:-$(cd "$ROOT/.." && pwd)/shared}"
CORPUS="$CLDKIT_SHARED/conformance"
PROFILE="${CLDKIT_UNIFFI_PROFILE:-dev}"
start=$SECONDS

# 1. The generated sources are current (builds the debug library and the bindgen).
bindings-uniffi/generate.sh --check
cargo test --quiet -p cldkit-uniffi --lib
cargo build --quiet -p cldkit-uniffi --lib --profile "$PROFILE"
case "$PROFILE" in dev) LIBDIR="$CARGO_TARGET_DIR/debug" ;; *) LIBDIR="$CARGO_TARGET_DIR/$PROFILE" ;; esac
export CLDKIT_UNIFFI_LIB="$LIBDIR/libcldkit_uniffi.so"
cargo build --quiet -p cldkit-emulator --bin cldkit-emulator
export CLDKIT_EMULATOR="$CARGO_TARGET_DIR/debug/cldkit-emulator"
cargo build --quiet -p cldkit-cli
CLDKIT_BIN="$CARGO_TARGET_DIR/debug/cldkit"

results="$(mktemp /tmp/cldkit-uniffi-results.XXXXXX)"
trap 'rm -f "$results"' EXIT
score() { # profile
    cat "$CORPUS"/*.jsonl | "$CLDKIT_BIN" conformance --score --profile "$1" --results "$results" --show 5
}

# 2. Ruby.
need=()
for p in ruby ruby-ffi; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ "${#need[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
ruby bindings-uniffi/ruby/test/test_cldkit.rb
echo "Ruby: the corpus in the python profile"
cat "$CORPUS"/*.jsonl | ruby bindings-uniffi/ruby/conformance.rb --profile python > "$results"
score python
ruby_done=$SECONDS

# 3. Kotlin/JVM.
read -r KT_CP KT_LIBDIR < <(bindings-uniffi/kotlin/build.sh)
java -Djna.library.path="$KT_LIBDIR" -cp "$KT_CP" io.cldkit.test.EmulatorTestKt
echo "Kotlin: the corpus in the python profile"
cat "$CORPUS"/*.jsonl | bindings-uniffi/kotlin/conformance.sh --profile python > "$results"
score python

echo "bindings-uniffi ci: $((SECONDS - start)) s (Ruby done at $((ruby_done - start)) s)"
