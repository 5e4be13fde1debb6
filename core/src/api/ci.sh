#!/usr/bin/env bash
# CI for the HTTP layer (issue 9): unit tests of core/src/api and the emulator-backed
# integration tests core/tests/api_*.rs. Run from the repository root.
# CLDKIT_BIG_UPLOAD_MB sets the size of the fault-injected chunked upload (default 300).
set -euo pipefail
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo test -p cldkit --lib api::
cargo test -p cldkit --test api_upload --test api_admin --test api_faults --test api_limits
# The core without the HTTP layer still builds.
cargo check -p cldkit --no-default-features
