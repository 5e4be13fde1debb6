'use strict';
// The call catalogue as the CLI prints it (`cldkit calls --json`), and the Node method
// rule: the row's camelCase name; its parameters, then `options`, then `{ signal }` for
// network rows. Shared by the parity test and the scenario runner.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { REPO } = require('./helpers');

/** The CLI binary (built by ci.sh; override with CLDKIT_BIN). */
function cliBinary() {
  const targetDir = process.env.CARGO_TARGET_DIR || path.join(REPO, 'target');
  const bin = process.env.CLDKIT_BIN || path.join(targetDir, 'debug', 'cldkit');
  if (!fs.existsSync(bin)) {
    throw new Error(`no CLI binary at ${bin}: run \`cargo build -p cldkit-cli\` (ci.sh does)`);
  }
  return bin;
}

let cached = null;

/** The rows of `cldkit calls --json`. */
function catalogue() {
  if (cached) return cached;
  const out = execFileSync(cliBinary(), ['calls', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const doc = JSON.parse(out);
  if (doc.version !== 1 || !Array.isArray(doc.calls)) throw new Error('unexpected catalogue format');
  cached = doc.calls;
  return cached;
}

/** `resources_by_tag` → `resourcesByTag`. */
function camelCase(snake) {
  return snake.replace(/_+([a-z0-9])/g, (_m, c, offset) => (offset === 0 ? c : c.toUpperCase()));
}

/** Whether a row goes over the network (`network` when printed, else an `http` entry). */
function isNetwork(row) {
  return typeof row.network === 'boolean' ? row.network : row.http != null;
}

/** Whether a row is a method of `AccountClient` (the Provisioning API). */
function isAccount(row) {
  return row.family === 'provisioning';
}

/** How many parameters the row's method declares: its parameters, `options`, `{ signal }`. */
function arity(row) {
  return row.params.length + 1 + (isNetwork(row) ? 1 : 0);
}

module.exports = { catalogue, camelCase, isNetwork, isAccount, arity, cliBinary };
