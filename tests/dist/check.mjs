// Checks the installed npm packages from an ES module (run by tests/dist/ci.sh after
// check.cjs, same environment): a URL, an upload, and the conformance sample through the
// exported `runCase`; writes the results to CLDKIT_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import cldkit, { Client, CldkitError, engineVersion } from 'cldkit';
import { v2 } from 'cldkit/compat';
import conformance from 'cldkit/conformance';
import { roundTrip } from './roundtrip.cjs';

const ok = (what) => console.log(`node (ESM): ok  ${what}`);
assert.equal(engineVersion, process.env.CLDKIT_VERSION);
assert.equal(cldkit.Client, Client);
assert.equal(typeof CldkitError, 'function');
const url = new Client({ cloud_name: 'demo', analytics: false }).url('sample.jpg', { width: 300, height: 200, crop: 'fill' });
assert.equal(url, 'https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg');
assert.equal(typeof v2.url, 'function');
ok(`import { Client } from 'cldkit' ${engineVersion}: url ${url}`);

const n = await roundTrip(Client, 'dist-check-esm.bin');
ok(`upload of ${n} bytes to the emulator, read back (Admin API, delivery)`);

// The sample through `runCase`, cases read losslessly like the driver does (2.0 stays a float).
const pkgDir = path.dirname(createRequire(import.meta.url).resolve('cldkit/package.json'));
const { parse } = (await import(pathToFileURL(path.join(pkgDir, 'lossless-json.js')).href)).default;
const lines = fs.readFileSync(process.env.CLDKIT_SAMPLE, 'utf8').split('\n').filter((l) => l.trim());
const out = lines.map((line) => {
  const c = parse(line);
  const result = conformance.runCase(c, 'python');
  return JSON.stringify({ id: c.id, result }, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
});
fs.writeFileSync(process.env.CLDKIT_RESULTS, out.join('\n') + '\n');
ok(`runCase from 'cldkit/conformance' ran ${lines.length} sample cases`);
