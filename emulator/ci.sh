#!/usr/bin/env bash
# Emulator tests: Rust unit and integration tests (in-process server, kill/restart),
# then the official Python and Node SDK fidelity tests. Run from the repository root.
set -euo pipefail
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo test -p cldkit-emulator
cargo build -p cldkit-emulator --bin cldkit-emulator
bash tests/emulator/run_fidelity.sh "$CARGO_TARGET_DIR/debug/cldkit-emulator"
bash tests/emulator/run_fidelity_node.sh "$CARGO_TARGET_DIR/debug/cldkit-emulator"
