'use strict';
// Runs every public conformance case of every kind through `conformance.js` (the public
// JS API only) and fails on any mismatch; an expected error is matched by any error.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { BINDING, CORPUS } = require('./helpers');

const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.jsonl')).sort();

function runDriver(input, profileArgs) {
  const r = spawnSync(process.execPath, [path.join(BINDING, 'conformance.js'), ...profileArgs], {
    input,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `conformance.js failed: ${r.stderr}`);
  const out = new Map();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const { id, result } = JSON.parse(line);
    out.set(id, result);
  }
  return out;
}

function matches(expected, result) {
  if (expected && Object.prototype.hasOwnProperty.call(expected, 'error')) {
    return result && Object.prototype.hasOwnProperty.call(result, 'error');
  }
  try {
    assert.deepStrictEqual(result, expected);
    return true;
  } catch {
    return false;
  }
}

test('the corpus is there', () => {
  assert.ok(files.length >= 20, `expected the corpus in ${CORPUS}`);
});

const all = files.map((f) => fs.readFileSync(path.join(CORPUS, f), 'utf8')).join('\n');
const cases = all
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const python = runDriver(all, ['--profile', 'python']);

for (const file of files) {
  const kind = file.replace(/\.jsonl$/, '');
  test(`conformance (python profile): ${kind}`, () => {
    const mine = cases.filter((c) => c.kind === kind);
    assert.ok(mine.length > 0);
    const failures = [];
    for (const c of mine) {
      const result = python.get(c.id);
      if (!matches(c.expected, result)) {
        failures.push(`${c.id}\n  expected ${JSON.stringify(c.expected)}\n  got      ${JSON.stringify(result)}`);
      }
    }
    assert.equal(failures.length, 0, `${failures.length}/${mine.length} mismatches:\n${failures.slice(0, 5).join('\n')}`);
  });
}

test('the default profile runs every case without a crash or an unsupported kind', () => {
  const results = runDriver(all, []);
  assert.equal(results.size, cases.length);
  const bad = [...results].filter(([, r]) => 'crash' in r || 'unsupported' in r);
  assert.deepEqual(bad.slice(0, 5), []);
});
