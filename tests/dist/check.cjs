'use strict';
// Checks the installed npm packages from CommonJS (run by tests/dist/ci.sh in an empty
// project where only the two packed tarballs were installed). Env: CLDKIT_VERSION,
// CLDKIT_NAPI_PLATFORM (e.g. linux-x64-gnu), CLOUDINARY_URL (a local emulator),
// CLDKIT_SAMPLE (conformance cases); writes the driver's results to CLDKIT_RESULTS.
const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { roundTrip } = require('./roundtrip.cjs');

const version = process.env.CLDKIT_VERSION;
const platformPackage = `cldkit-${process.env.CLDKIT_NAPI_PLATFORM}`;
const ok = (what) => console.log(`node (CommonJS): ok  ${what}`);

const cldkit = require('cldkit');
const { Client } = cldkit;

// The installed package at the release version, its engine from the platform package.
const main = path.dirname(require.resolve('cldkit/package.json'));
assert.equal(main, path.join(__dirname, 'node_modules', 'cldkit'));
const pkg = require('cldkit/package.json');
assert.equal(pkg.version, version);
assert.equal(cldkit.engineVersion, version);
assert.deepEqual(fs.readdirSync(main).filter((f) => f.endsWith('.node')), [], 'a .node file in the main package');
assert.equal(pkg.optionalDependencies[platformPackage], version);
assert.equal(Object.keys(pkg.optionalDependencies).length, 7);
for (const [name, v] of Object.entries(pkg.optionalDependencies)) assert.equal(v, version, name);
const loaded = Object.keys(require.cache).filter((f) => f.endsWith('.node'));
assert.deepEqual(loaded, [
  path.join(__dirname, 'node_modules', platformPackage, `cldkit.${process.env.CLDKIT_NAPI_PLATFORM}.node`),
]);
assert.equal(require(`${platformPackage}/package.json`).version, version);
ok(`require('cldkit') ${pkg.version}, engine from ${path.relative(__dirname, loaded[0])}`);

// A URL (no network), and the compat entry point.
const url = new Client({ cloud_name: 'demo', analytics: false }).url('sample.jpg', { width: 300, height: 200, crop: 'fill' });
assert.equal(url, 'https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg');
assert.equal(typeof require('cldkit/compat').v2.utils.api_sign_request, 'function');
ok(`url ${url}`);

(async () => {
  const n = await roundTrip(Client, 'dist-check-cjs.bin');
  ok(`upload of ${n} bytes to the emulator, read back (Admin API, delivery)`);

  // The conformance driver that ships in the package, as a program.
  const r = spawnSync(process.execPath, [require.resolve('cldkit/conformance'), '--profile', 'python'], {
    input: fs.readFileSync(process.env.CLDKIT_SAMPLE),
    maxBuffer: 1 << 28,
  });
  assert.equal(r.status, 0, String(r.stderr));
  fs.writeFileSync(process.env.CLDKIT_RESULTS, r.stdout);
  ok('node node_modules/cldkit/conformance.js ran the sample');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
