#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (format, lints, unit, doc and
# conformance tests), the differential test against pycloudinary, and each binding's
# and the emulator's own suite (each `ci.sh` installs what it needs).
#
# Usage: ./scripts/test-all.sh            (from anywhere; root needed for apt-get installs)
# Env:   CLDKIT_SHARED  the shared folder (default: ../shared beside the repo)
#        CARGO_TARGET_DIR  one target dir for the whole workspace (default: target/)
set -euo pipefail
cd "$(dirname "$0")/.."
export CLDKIT_SHARED="${CLDKIT_SHARED:-$(cd .. && pwd)/shared}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (core, cli, emulator)"
log="$CARGO_TARGET_DIR/cargo-test.log"
mkdir -p "$CARGO_TARGET_DIR"
if ! cargo test >"$log" 2>&1; then
  tail -120 "$log"
  echo "cargo test failed (full log: $log)"
  exit 1
fi
grep -E '^test result' "$log"
# Per-kind conformance counts (the suites above already ran them; this prints the counts).
cargo test -q -p cldkit --test 'conformance_*' -- --nocapture 2>/dev/null | grep -E '^conformance ' || true

step "rustdoc -D warnings (broken doc links fail)"
RUSTDOCFLAGS="-D warnings" cargo doc -q --workspace --no-deps

step "generated binding surfaces are current (cargo xtask gen --check)"
cargo xtask gen --check

step "the core without its HTTP layer still builds"
cargo check -q -p cldkit --no-default-features

step "differential test against pycloudinary 1.46.3 (unseen cases)"
./scripts/differential.sh

# tests/dist: the release artifacts (scripts/dist.sh), installed with no Rust on PATH.
# A short fuzz pass in CI (long runs: FUZZ_SECONDS=3600 fuzz/ci.sh).
export FUZZ_SECONDS="${FUZZ_SECONDS:-15}"
for suite in emulator bindings-python bindings-node bindings-c bindings-uniffi tests/dist fuzz; do
  if [ -f "$suite/ci.sh" ]; then
    step "$suite/ci.sh"
    start=$(date +%s)
    bash "$suite/ci.sh"
    echo "$suite/ci.sh took $(( $(date +%s) - start ))s"
  fi
done

step "all tests passed"
