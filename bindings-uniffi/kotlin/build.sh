#!/usr/bin/env bash
# Builds the Kotlin/JVM binding and prints its runtime classpath (one line on stdout;
# everything else goes to stderr):
#   * Debian packages: a JRE (default-jdk-headless), JNA (libjna-java), kotlinx-coroutines
#     and atomicfu (libkotlinx-coroutines-java, libkotlinx-atomicfu-java), installed
#     with apt-get when `dpkg -s` says they are missing;
#   * a Kotlin compiler: $KOTLINC, else the npm package kotlin-compiler (2.4.20) under
#     /tmp/cldkit-kotlin (Debian's kotlin 1.3 is too old for uniffi's generated code);
#   * the shared library libcldkit_uniffi.so (cargo, profile $CLDKIT_UNIFFI_PROFILE:
#     dev by default, release for benchmarks);
#   * cldkit.jar (generated cldkit.kt + Values.kt) and cldkit-tests.jar (conformance
#     driver and tests), compiled once per source version under /tmp/cldkit-uniffi-kotlin.
#
# Run java with -Djna.library.path=<the directory of libcldkit_uniffi.so>, printed as the
# second line: `read -r CP LIBDIR < <(bindings-uniffi/kotlin/build.sh)`.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
HERE="$ROOT/bindings-uniffi/kotlin"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PROFILE="${CLDKIT_UNIFFI_PROFILE:-dev}"

need=()
command -v java >/dev/null || need+=(default-jdk-headless)
for p in libjna-java libkotlinx-coroutines-java libkotlinx-atomicfu-java; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

KOTLIN_VERSION=2.4.20
if [ -z "${KOTLINC:-}" ]; then
    KOTLIN_HOME=/tmp/cldkit-kotlin/node_modules/kotlin-compiler
    if [ "$(cat "$KOTLIN_HOME/build.txt" 2>/dev/null)" != "$KOTLIN_VERSION" ]; then
        echo "installing kotlin-compiler@$KOTLIN_VERSION (npm) under /tmp/cldkit-kotlin" >&2
        mkdir -p /tmp/cldkit-kotlin
        (cd /tmp/cldkit-kotlin && npm install --silent --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION" >&2)
    fi
    KOTLINC="$KOTLIN_HOME/bin/kotlinc"
fi
KOTLIN_LIB="$(cd "$(dirname "$(readlink -f "$KOTLINC")")/../lib" && pwd)"

cargo build --quiet -p cldkit-uniffi --lib --profile "$PROFILE" >&2
case "$PROFILE" in dev) LIBDIR="$CARGO_TARGET_DIR/debug" ;; *) LIBDIR="$CARGO_TARGET_DIR/$PROFILE" ;; esac

DEPS=/usr/share/java/jna.jar:/usr/share/java/kotlinx-coroutines-core.jar:/usr/share/java/atomicfu.jar
sources=("$HERE"/src/main/kotlin/io/cldkit/*.kt)
# The marker annotation Debian's kotlinx-coroutines 1.0.1 lacks (see the file).
if ! grep -qa "kotlinx/coroutines/DelicateCoroutinesApi" "$(readlink -f /usr/share/java/kotlinx-coroutines-core.jar)"; then
    sources+=("$HERE"/compat/*.kt)
fi
tests=("$HERE"/conformance/*.kt "$HERE"/test/*.kt)
key="$( (echo "$KOTLIN_VERSION"; cat "${sources[@]}" "${tests[@]}") | sha256sum | cut -c1-16)"
OUT="/tmp/cldkit-uniffi-kotlin/$key"
if [ ! -f "$OUT/cldkit-tests.jar" ]; then
    echo "compiling the Kotlin binding ($OUT)" >&2
    rm -rf "$OUT" && mkdir -p "$OUT/build"
    # kotlinc writes a jar when -d names a *.jar; moved into place once complete.
    "$KOTLINC" -nowarn -module-name cldkit -cp "$DEPS" "${sources[@]}" -d "$OUT/build/cldkit.jar" >&2
    "$KOTLINC" -nowarn -module-name cldkit-tests -cp "$DEPS:$OUT/build/cldkit.jar" "${tests[@]}" \
        -d "$OUT/build/cldkit-tests.jar" >&2
    mv "$OUT/build/cldkit.jar" "$OUT/cldkit.jar"
    mv "$OUT/build/cldkit-tests.jar" "$OUT/cldkit-tests.jar"
    rmdir "$OUT/build"
fi
echo "$OUT/cldkit.jar:$OUT/cldkit-tests.jar:$KOTLIN_LIB/kotlin-stdlib.jar:$KOTLIN_LIB/kotlin-reflect.jar:$DEPS $LIBDIR"
