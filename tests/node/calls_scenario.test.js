'use strict';
// The call scenario (tests/calls/scenario.json, format in tests/calls/README.md) against
// a fresh emulator, every step through the generated camelCase method of its row: local
// rows return their value, network rows a Promise; Provisioning rows run on an
// `AccountClient` made for the same emulator.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { BINDING, REPO, startEmulator } = require('./helpers');
const { catalogue, camelCase, isNetwork, isAccount } = require('./catalogue');
const cldkit = require(BINDING);

const scenario = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'calls', 'scenario.json'), 'utf8'));
const rows = new Map(catalogue().map((r) => [r.name, r]));

/** The account URL of the emulator's `CLOUDINARY_URL` (see tests/calls/README.md). */
function accountUrl(cloudinaryUrl) {
  const u = new URL(cloudinaryUrl);
  const prefix = u.searchParams.get('upload_prefix');
  return `account://${u.username}:${u.password}@emulator-account?upload_prefix=${encodeURIComponent(prefix)}`;
}

/** `value` with `${var}` in its strings replaced by the saved values. */
function substitute(value, saved) {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) {
      assert.ok(whole[1] in saved, `\${${whole[1]}} was not saved`);
      return saved[whole[1]];
    }
    return value.replace(/\$\{([^}]+)\}/g, (_m, name) => {
      assert.ok(name in saved, `\${${name}} was not saved`);
      return String(saved[name]);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, saved));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, saved)]));
  }
  return value;
}

/** The value at a dotted path (list segments are decimal indexes). */
function at(value, dotted) {
  let v = value;
  for (const seg of dotted.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? v[Number(seg)] : v[seg];
  }
  return v;
}

/** The JSON type name of a value, as `expect_type` names it. */
function typeName(v) {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  if (v !== null && typeof v === 'object') return 'map';
  return v === null ? 'null' : typeof v;
}

/** Runs one step through its generated method; resolves with the result. */
async function run(step, clients, saved) {
  const row = rows.get(step.call);
  assert.ok(row, `${step.call} is not a row of the catalogue`);
  const target = isAccount(row) ? clients.account : clients.client;
  const method = target[camelCase(row.name)];
  assert.equal(typeof method, 'function', `no method ${camelCase(row.name)}`);
  const args = substitute(step.args || {}, saved);
  for (const name of Object.keys(args)) {
    assert.ok(row.params.some((p) => p.name === name), `${name} is not a parameter of ${row.name}`);
  }
  const positional = row.params.map((p) => args[p.name]);
  const options = substitute(step.options || {}, saved);
  if (!isNetwork(row)) return method.call(target, ...positional, options);
  const pending = method.call(target, ...positional, options);
  assert.ok(pending instanceof Promise, `${camelCase(row.name)} returned no Promise`);
  return pending;
}

/** Checks a step's expectations on its result (or failure). */
function check(step, outcome) {
  if (step.fails) {
    assert.ok(outcome.error, `${step.call} succeeded, expected a ${step.fails} error`);
    assert.ok(outcome.error instanceof cldkit.CldkitError, `not a CldkitError: ${outcome.error}`);
    assert.equal(outcome.error.code, step.fails, outcome.error.message);
    return;
  }
  if (outcome.error) throw outcome.error;
  const result = outcome.value;
  if (step.expect_type) assert.equal(typeName(result), step.expect_type, `result type of ${step.call}`);
  for (const [p, want] of Object.entries(step.expect || {})) {
    assert.deepStrictEqual(at(result, p), want, `${step.call}: ${p}`);
  }
  for (const [p, n] of Object.entries(step.expect_len || {})) {
    const v = at(result, p);
    assert.ok(Array.isArray(v), `${step.call}: ${p} is not a list`);
    assert.equal(v.length, n, `${step.call}: length of ${p}`);
  }
}

test('the call scenario through the generated methods, against the emulator', async (t) => {
  assert.equal(scenario.version, 1);
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-scenario-'));
  const emu = await startEmulator(['--data', data]);
  const clients = {
    client: cldkit.Client.fromUrl(emu.url),
    account: new cldkit.AccountClient(accountUrl(emu.url)),
  };
  const saved = {};
  const covered = new Set();
  try {
    for (const [i, step] of scenario.steps.entries()) {
      await t.test(`${i}: ${step.call}`, async () => {
        let outcome;
        try {
          outcome = { value: await run(step, clients, saved) };
        } catch (error) {
          if (error instanceof assert.AssertionError) throw error;
          outcome = { error };
        }
        check(step, outcome);
        covered.add(step.call);
        for (const [name, p] of Object.entries(step.save || {})) {
          const v = at(outcome.value, p);
          assert.notEqual(v, undefined, `${step.call}: nothing at ${p} to save`);
          saved[name] = v;
        }
      });
    }
  } finally {
    emu.stop();
    fs.rmSync(data, { recursive: true, force: true });
  }
  // Every network row ran: the Upload, Admin, Search and Provisioning APIs and sync.
  const missing = [...rows.values()].filter((r) => isNetwork(r) && !covered.has(r.name)).map((r) => r.name);
  assert.deepEqual(missing, [], 'network rows the scenario did not run (or that failed)');
});
