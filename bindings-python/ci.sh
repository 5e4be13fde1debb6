#!/usr/bin/env bash
# Builds and tests the Python package: creates (or reuses) a virtualenv, installs
# ./bindings-python with pip (maturin from PyPI as the build backend, PyO3 from
# crates.io), the test tools, and pycloudinary 1.46.3 (the reference the compat tests
# compare against), then runs the pytest suite in tests/python.
#
# Run from the repository root. Honours CARGO_TARGET_DIR (else target/), CLDKIT_VENV
# (else /tmp/cldkit-venv) and CLDKIT_SHARED (else ../shared).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
VENV="${CLDKIT_VENV:-/tmp/cldkit-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CLDKIT_SHARED="${CLDKIT_SHARED:-$(cd "$ROOT/.." && pwd)/shared}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "pytest>=7" "mypy>=1.8" "cloudinary==1.46.3"
# A real (non-editable) install, exactly as a user gets it.
"$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps ./bindings-python

cd "$ROOT/tests/python"
"$VENV/bin/python" -m pytest -q -p no:cacheprovider .
