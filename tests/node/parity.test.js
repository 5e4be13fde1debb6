'use strict';
// Parity with the call catalogue (`cldkit calls --json`): every row is a method of
// `Client` (Provisioning rows: of `AccountClient`) named by the rule (camelCase) and
// taking the row's parameters, then `options`, then `{ signal }` for network rows; and
// every row is declared for TypeScript.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { BINDING } = require('./helpers');
const { catalogue, camelCase, isNetwork, isAccount, arity } = require('./catalogue');
const cldkit = require(BINDING);

const rows = catalogue();

test('the catalogue is read from the CLI', () => {
  assert.ok(rows.length >= 150, `only ${rows.length} rows`);
  assert.ok(rows.some((r) => r.name === 'resources_by_tag' && isNetwork(r)));
  assert.ok(rows.some((r) => r.name === 'url' && !isNetwork(r)));
  assert.ok(rows.some(isAccount));
});

test('the method rule', () => {
  assert.equal(camelCase('resources_by_tag'), 'resourcesByTag');
  assert.equal(camelCase('url'), 'url');
  assert.equal(camelCase('update_resources_access_mode_by_ids'), 'updateResourcesAccessModeByIds');
});

test('every row is a method with the camelCase name and the row parameters', () => {
  const problems = [];
  for (const row of rows) {
    const cls = isAccount(row) ? cldkit.AccountClient : cldkit.Client;
    const name = camelCase(row.name);
    const fn = cls.prototype[name];
    if (typeof fn !== 'function') {
      problems.push(`${row.name}: no ${cls.name}.prototype.${name}`);
    } else if (fn.length !== arity(row)) {
      problems.push(`${row.name}: ${cls.name}.${name} takes ${fn.length} parameters, the rule says ${arity(row)}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('no row is a method of the other class', () => {
  for (const row of rows) {
    const other = isAccount(row) ? cldkit.Client : cldkit.AccountClient;
    const name = camelCase(row.name);
    if (name === 'call') continue;
    assert.equal(typeof other.prototype[name], 'undefined', `${row.name} is on ${other.name} too`);
  }
});

test('every row is declared for TypeScript', () => {
  const text = ['calls.d.ts', 'index.d.ts'].map((f) => fs.readFileSync(path.join(BINDING, f), 'utf8')).join('\n');
  const missing = rows.filter((r) => !new RegExp(`^  ${camelCase(r.name)}\\(`, 'm').test(text)).map((r) => r.name);
  assert.deepEqual(missing, []);
});

test('a row method runs the row (local value, network Promise)', async () => {
  const client = new cldkit.Client({ cloud_name: 'demo', api_key: 'k', api_secret: 's', analytics: false });
  assert.equal(
    client.videoThumbnailUrl('dog', { width: 10 }),
    client.callLocal('video_thumbnail_url', { public_id: 'dog' }, { width: 10 }),
  );
  assert.equal(client.videoThumbnailUrl('dog', { width: 10 }), 'https://res.cloudinary.com/demo/video/upload/w_10/dog.jpg');
  // A network method is a Promise even when refused before sending.
  const pending = client.resourcesByTag('kitten', { resource_type: 'image' }, { signal: AbortSignal.abort(new Error('stop')) });
  assert.ok(pending instanceof Promise);
  await assert.rejects(pending, /stop/);
  assert.throws(() => client.callLocal('ping', {}, {}), (e) => e.code === 'invalid_option');
});
