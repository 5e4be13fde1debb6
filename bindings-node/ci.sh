#!/usr/bin/env bash
# Node binding CI: install the npm tooling, build the native module (debug: `npm run
# build:debug`; `npm run build` is the release module a user gets) and the
# emulator (`cldkit serve`, for the upload/Admin API tests), run the node --test suite
# (full conformance corpus, API, uploads and Admin calls against the emulator,
# TypeScript check, npm pack install).
# Run from the repo root. Uses CARGO_TARGET_DIR if set, else target/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CLDKIT_SHARED="${CLDKIT_SHARED:-$ROOT/../shared}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi

cd "$ROOT/bindings-node"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
npm run build:debug

cd "$ROOT"
cargo build -q -p cldkit-cli
export CLDKIT_BIN="$CARGO_TARGET_DIR/debug/cldkit"
cargo fmt -p cldkit-node -- --check
cargo clippy -p cldkit-node --all-targets --no-deps -- -D warnings
cargo test -q -p cldkit-node
# The Express example (examples/express-upload, tests/node/compat_express.test.js).
(cd "$ROOT/examples/express-upload" && npm ci --no-audit --no-fund)
node --test tests/node/

# The corpus in the node profile (issue 15), scored by the CLI against the npm SDK's
# results (expected_node where present, else expected): every case must pass, as in
# the core (core/tests/conformance_node.rs).
node_results="$(mktemp)"
cat "$CLDKIT_SHARED"/conformance/*.jsonl | node bindings-node/conformance.js --profile node > "$node_results"
cat "$CLDKIT_SHARED"/conformance/*.jsonl \
  | "$CLDKIT_BIN" conformance --score --profile node --results "$node_results"
rm -f "$node_results"
