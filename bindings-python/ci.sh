#!/usr/bin/env bash
# Builds and tests the Python package: creates (or reuses) a virtualenv, installs
# ./bindings-python with pip (maturin from PyPI as the build backend, PyO3 from
# crates.io), the test tools, and pycloudinary 1.46.3 (the reference the compat tests
# compare against), builds the local Cloudinary emulator the HTTP tests talk to, then
# runs the pytest suite in tests/python.
#
# Run from the repository root. Honours CARGO_TARGET_DIR (else target/), CLDKIT_VENV
# (else /tmp/cldkit-venv), CLDKIT_SHARED (else ../shared) and CLDKIT_PY_PROFILE (the
# Cargo profile of the extension: `dev` by default, which shares the emulator's
# build of the core and keeps this script fast; `release` for benchmarks).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
VENV="${CLDKIT_VENV:-/tmp/cldkit-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CLDKIT_SHARED="${CLDKIT_SHARED:-$(cd "$ROOT/.." && pwd)/shared}"
PYTHON="${PYTHON:-python3}"
PROFILE="${CLDKIT_PY_PROFILE:-dev}"

# The emulator (debug build) for tests/python/test_http.py.
cargo build --quiet -p cldkit-emulator --bin cldkit-emulator
export CLDKIT_EMULATOR="$CARGO_TARGET_DIR/debug/cldkit-emulator"
# The CLI scores the node-profile corpus run below and prints the call catalogue.
cargo build --quiet -p cldkit-cli
# tests/python/test_calls_parity.py reads its catalogue (`cldkit calls --json`).
export CLDKIT_BIN="$CARGO_TARGET_DIR/debug/cldkit"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "pytest>=7" "mypy>=1.8" "cloudinary==1.46.3"
# A real (non-editable) install, exactly as a user gets it (in the chosen profile).
MATURIN_PEP517_ARGS="--profile $PROFILE" \
    "$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps ./bindings-python

cd "$ROOT/tests/python"
"$VENV/bin/python" -m pytest -q -p no:cacheprovider .

# The corpus in the node profile (issue 15), scored by the CLI against the npm SDK's
# results (expected_node where present, else expected): every case must pass, as in
# the core (core/tests/conformance_node.rs).
cd "$ROOT"
py_results="$(mktemp)"
cat "$CLDKIT_SHARED"/conformance/*.jsonl | "$VENV/bin/python" -m cldkit.conformance --profile node > "$py_results"
cat "$CLDKIT_SHARED"/conformance/*.jsonl \
    | "$CLDKIT_BIN" conformance --score --profile node --results "$py_results"
rm -f "$py_results"
