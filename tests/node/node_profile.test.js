'use strict';
// The node profile through the binding's own entry points: parseConfigUrl with a
// profile (against the corpus's npm SDK answers), the `profile` getter, and the
// runtime version (`tech_version`) a node-profile client reports in its `_a` token
// (against the npm SDK's own URL in this same Node.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { BINDING, CORPUS } = require('./helpers');

const cldkit = require(BINDING);

function configParseCases() {
  const cases = [];
  for (const f of fs.readdirSync(CORPUS).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of fs.readFileSync(path.join(CORPUS, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const c = JSON.parse(line);
      if (c.kind === 'config_parse') cases.push(c);
    }
  }
  return cases;
}

function parsed(url, env, profile) {
  try {
    return { config: cldkit.parseConfigUrl(url, env, profile) };
  } catch (e) {
    if (e instanceof cldkit.CldkitError) return { error: e.code };
    throw e;
  }
}

function same(expected, got) {
  if ('error' in expected) return 'error' in got;
  return JSON.stringify(got) === JSON.stringify(expected);
}

test('parseConfigUrl(url, kind, "node") gives the npm SDK answers of the corpus', () => {
  const cases = configParseCases();
  assert.ok(cases.some((c) => c.expected_node), 'the corpus has node-specific config_parse cases');
  const bad = [];
  for (const c of cases) {
    const expected = c.expected_node || c.expected;
    const got = parsed(c.input.url, c.input.env, 'node');
    if (!same(expected, got)) bad.push(`${c.id}: ${JSON.stringify(got)}`);
  }
  assert.deepEqual(bad, []);
});

test('parseConfigUrl keeps its old forms (default profile) and refuses a bad profile', () => {
  const c = configParseCases().find((x) => x.expected_node && !('error' in x.expected));
  assert.ok(c);
  const env = c.input.env;
  assert.deepEqual(parsed(c.input.url, env), c.expected);
  assert.deepEqual(parsed(c.input.url, env, null), c.expected);
  assert.deepEqual(parsed(c.input.url, env, 'default'), c.expected);
  if (env === 'CLOUDINARY_URL') assert.deepEqual(parsed(c.input.url), c.expected);
  assert.throws(() => cldkit.parseConfigUrl(c.input.url, env, 'ruby'), cldkit.ConfigError);
  assert.throws(() => cldkit.parseConfigUrl(c.input.url, env, 3), cldkit.ConfigError);
});

test('the profile getter names the node profile', () => {
  assert.equal(new cldkit.Client({ cloud_name: 'demo' }, { profile: 'node' }).profile, 'node');
  assert.equal(new cldkit.Client({ cloud_name: 'demo', profile: 'node' }).profile, 'node');
  assert.equal(cldkit.Client.fromUrl('cloudinary://k:s@demo', { profile: 'node' }).profile, 'node');
  const d = new cldkit.Client({ cloud_name: 'demo' });
  assert.equal(d.profile, 'default');
  assert.equal(d.withProfile('node').profile, 'node');
  assert.equal(d.withProfile('python').profile, 'python');
});

function analytics(url) {
  return new URL(url).searchParams.get('_a');
}

test("a node-profile client's _a token carries the running Node.js, as the npm SDK's", () => {
  const npm = require(path.join(BINDING, 'node_modules', 'cloudinary')).v2;
  const want = analytics(npm.url('sample', { cloud_name: 'demo' }));
  assert.ok(want, 'the npm SDK appends _a');
  for (const client of [
    new cldkit.Client({ cloud_name: 'demo' }, { profile: 'node' }),
    cldkit.Client.fromUrl('cloudinary://k:s@demo', { profile: 'node' }),
    new cldkit.Client({ cloud_name: 'demo' }).withProfile('node'),
    new cldkit.Client({ cloud_name: 'demo' }, { profile: 'python' }).withClock(5).withProfile('node'),
  ]) {
    assert.equal(analytics(client.url('sample')), want);
  }
  // A tech_version setting wins, as the npm SDK's techVersion option does.
  const pinned = new cldkit.Client({ cloud_name: 'demo', tech_version: '12.0.0' }, { profile: 'node' });
  const npmPinned = analytics(npm.url('sample', { cloud_name: 'demo', techVersion: '12.0.0' }));
  assert.notEqual(npmPinned, want);
  assert.equal(analytics(pinned.url('sample')), npmPinned);
});
