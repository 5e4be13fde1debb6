'use strict';
// The TypeScript declarations type-check a file that uses the API, under --strict.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { spawnSync } = require('child_process');
const { BINDING } = require('./helpers');

test('tsc --noEmit --strict accepts a file using the API', () => {
  const tsc = path.join(BINDING, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '-p', path.join(__dirname, 'tsconfig.json')], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});

/** tsc's output on `source` (a file importing cldkit) and its exit status. */
function tscOn(source) {
  const fs = require('fs');
  const os = require('os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-ts-'));
  fs.writeFileSync(path.join(dir, 'bad.ts'), source);
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, lib: ['ES2020'], types: [], baseUrl: '.', paths: { cldkit: [path.join(BINDING, 'index.d.ts')] } },
      files: ['bad.ts', path.join(__dirname, 'node-globals.d.ts')],
    }),
  );
  const tsc = path.join(BINDING, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

test('tsc rejects misuses of the generated declarations', () => {
  const r = tscOn(
    [
      'import { Client, AccountClient } from "cldkit";',
      'const c = new Client();',
      'c.imageTag("x", { crop: "bogus" });', // not a crop mode
      'c.url("x", { width: true });', // width is a number or a text
      'c.resourcesByTag(1);', // tag is a text
      'const n: number = c.videoThumbnailUrl("x");', // a URL is a string
      'new AccountClient().users(null, null, null, null, "yes");', // lastLogin is a boolean
      'c.subAccounts();', // a Provisioning row is not a Client method
    ].join('\n'),
  );
  assert.notEqual(r.status, 0);
  for (const line of [3, 4, 5, 6, 7, 8]) assert.match(r.stdout, new RegExp(`bad\\.ts\\(${line},`), r.stdout);
});

test('tsc rejects a misuse (the check can fail)', () => {
  const fs = require('fs');
  const os = require('os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-ts-'));
  fs.writeFileSync(path.join(dir, 'bad.ts'), 'import { Client } from "cldkit";\nconst n: number = new Client().url("x");\n');
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, lib: ['ES2020'], types: [], baseUrl: '.', paths: { cldkit: [path.join(BINDING, 'index.d.ts')] } },
      files: ['bad.ts', path.join(__dirname, 'node-globals.d.ts')],
    }),
  );
  const tsc = path.join(BINDING, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /TS2322/);
});
