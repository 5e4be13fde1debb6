#!/usr/bin/env bash
# Conformance driver of the Kotlin binding:
#   bindings-uniffi/kotlin/conformance.sh [--profile python|node|default] < cases.jsonl
# Builds what it needs (see build.sh; build output on stderr), then reads corpus cases
# (JSON Lines) on stdin and writes one {"id", "result"} line per case on stdout, every
# case run through the Kotlin API (conformance/Main.kt).
set -euo pipefail
read -r CP LIBDIR < <("$(dirname "$0")/build.sh")
exec java -Djna.library.path="$LIBDIR" -cp "$CP" io.cldkit.conformance.MainKt "$@"
