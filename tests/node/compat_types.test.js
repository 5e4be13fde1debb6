'use strict';
// compat.d.ts against the npm SDK's own declarations: one file of app code written for
// `import { v2 as cloudinary } from "cloudinary"` type-checks (--strict) both with
// "cloudinary" resolved to the npm package's types and to cldkit/compat's; a misuse
// fails with compat's (the check can fail).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { BINDING } = require('./helpers');

const TSC = path.join(BINDING, 'node_modules', 'typescript', 'bin', 'tsc');
const SDK_TYPES = path.join(BINDING, 'node_modules', 'cloudinary', 'types', 'index.d.ts');
const skip = fs.existsSync(TSC) && fs.existsSync(SDK_TYPES) ? false : 'typescript or cloudinary not installed (npm ci)';

/** Runs tsc on `files` with "cloudinary" mapped to `types`; returns its result. */
function check(files, types, extra = '') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-compat-ts-'));
  try {
    // The few Node names the code and the npm SDK's declarations use (no @types/node).
    fs.writeFileSync(
      path.join(dir, 'globals.d.ts'),
      `interface Buffer extends Uint8Array {}
declare const Buffer: { from(text: string): Buffer };
declare const console: { log(...args: unknown[]): void };
declare module "stream" { export class Transform { write(c: any, cb?: any): boolean; end(c?: any, cb?: any): this; } }
${extra}`,
    );
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2020',
          lib: ['ES2020'],
          module: 'commonjs',
          moduleResolution: 'node',
          types: [],
          baseUrl: '.',
          paths: { cloudinary: [types] },
        },
        files: [...files, path.join(dir, 'globals.d.ts')],
      }),
    );
    return spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const APP = path.join(__dirname, 'compat-types-check.ts');

test('app code for the npm SDK type-checks with its own declarations', { skip }, () => {
  const r = check([APP], SDK_TYPES);
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});

test('the same app code type-checks with compat.d.ts', { skip }, () => {
  const r = check([APP], path.join(BINDING, 'compat.d.ts'));
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});

test('compat.d.ts rejects a misuse', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-compat-bad-'));
  const bad = path.join(dir, 'bad.ts');
  fs.writeFileSync(bad, 'import { v2 as c } from "cloudinary";\nconst n: number = c.url("x");\nconsole.log(n);\n');
  try {
    const r = check([bad], path.join(BINDING, 'compat.d.ts'));
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /TS2322/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
