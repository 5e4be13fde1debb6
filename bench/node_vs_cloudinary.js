#!/usr/bin/env node
'use strict';
/**
 * cldkit vs the cloudinary npm SDK (2.11.0), one interleaved run.
 *
 *   (cd bindings-node && npm install && npm run build)   # the release module users get
 *   node bench/node_vs_cloudinary.js [--rounds 15] [--iters 20000] [--profile node]
 *
 * `--profile node` (or CLDKIT_BENCH_PROFILE=node): cldkit's side is the drop-in
 * `cldkit/compat` (`compat.url`, `compat.utils.api_sign_request`, the `node` profile:
 * the npm SDK's output byte for byte, W3's booleans signed as it signs them).
 *
 * W1: `sample.jpg` {width 300, height 200, crop fill}, vs `cloudinary.url` with
 *     `urlAnalytics: false` (and, for reference, with its default analytics).
 * W2: a four-step chain with a text overlay, signed (`sign_url`).
 * W3: `api_sign_request` over 10 parameters.
 * Outputs are checked identical first; then each workload alternates the two libraries
 * round by round and the median per-call time and the ratio are printed.
 * Also: the time `require('cldkit')` and `require('cloudinary')` add over bare Node.
 */
const path = require('path');
const { execFileSync } = require('child_process');

const BINDING = path.resolve(__dirname, '..', 'bindings-node');
const cldkit = require(BINDING);
const cloudinary = require(require.resolve('cloudinary', { paths: [BINDING] })).v2;

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROUNDS = arg('--rounds', 15);
const ITERS = arg('--iters', 20000);
const profileAt = args.indexOf('--profile');
const PROFILE = profileAt >= 0 ? args[profileAt + 1] : process.env.CLDKIT_BENCH_PROFILE || 'default';
if (PROFILE !== 'default' && PROFILE !== 'node') throw new Error(`--profile: default or node, not ${PROFILE}`);

const CONFIG = { cloud_name: 'demo', api_key: '1234567890', api_secret: 'abcd', secure: true };
cloudinary.config({ ...CONFIG, urlAnalytics: false, analytics: false });
const client = new cldkit.Client({ ...CONFIG, analytics: false });
// The node profile: the drop-in, configured as the SDK is.
const compat = require(path.join(BINDING, 'compat.js')).v2;
compat.config({ ...CONFIG, urlAnalytics: false, analytics: false });
const ours =
  PROFILE === 'node'
    ? { url: (id, o) => compat.url(id, o), sign: (p, s) => compat.utils.api_sign_request(p, s) }
    : { url: (id, o) => client.url(id, o), sign: (p, s) => cldkit.apiSignRequest(p, s) };
console.log(`profile: ${PROFILE}${PROFILE === 'node' ? ' (cldkit/compat)' : ''}`);

const W1 = { width: 300, height: 200, crop: 'fill' };
const W2 = {
  transformation: [
    { width: 500, height: 500, crop: 'fill', gravity: 'face' },
    { overlay: { font_family: 'Arial', font_size: 40, text: 'Hello World' }, gravity: 'south_east', x: 10, y: 10, color: 'white' },
    { effect: 'sepia:50' },
    { quality: 'auto', fetch_format: 'auto' },
  ],
  sign_url: true,
};
const W3 = {
  timestamp: 1700000000,
  public_id: 'folder/sample',
  folder: 'folder',
  tags: 'a,b,c',
  context: 'caption=Hello|alt=World',
  eager: 'c_fill,h_200,w_300|e_sepia',
  overwrite: true,
  invalidate: true,
  notification_url: 'https://example.com/notify',
  upload_preset: 'preset1',
};

const workloads = [
  {
    name: 'W1 url (urlAnalytics: false)',
    target: 5,
    ours: () => ours.url('sample.jpg', W1),
    theirs: () => cloudinary.url('sample.jpg', W1),
  },
  {
    name: 'W2 chain + overlay + sign_url',
    target: 5,
    ours: () => ours.url('sample.jpg', W2),
    theirs: () => cloudinary.url('sample.jpg', W2),
  },
  {
    name: 'W3 api_sign_request, 10 params',
    target: 1.5,
    ours: () => ours.sign(W3, 'abcd'),
    theirs: () => cloudinary.utils.api_sign_request(W3, 'abcd'),
  },
];

// W1 against the SDK's default (analytics on): its URLs carry `_a`, so only timing.
const defaultAnalytics = {
  name: 'W1 url (SDK default analytics, for reference)',
  target: null,
  ours: () => ours.url('sample.jpg', W1),
  theirs: () => cloudinary.url('sample.jpg', { ...W1, urlAnalytics: true }),
};

function perCallNs(fn) {
  const t0 = process.hrtime.bigint();
  let sink;
  for (let i = 0; i < ITERS; i++) sink = fn();
  const t1 = process.hrtime.bigint();
  if (sink === undefined) throw new Error('no result');
  return Number(t1 - t0) / ITERS;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

let failed = false;
for (const w of workloads) {
  const a = w.ours();
  const b = w.theirs();
  if (a !== b) {
    console.error(`${w.name}: outputs differ\n  cldkit     ${a}\n  cloudinary ${b}`);
    failed = true;
  } else {
    console.log(`${w.name}: identical output ${a}`);
  }
}
if (failed) process.exit(1);

const all = [...workloads, defaultAnalytics];
const times = new Map(all.map((w) => [w.name, { ours: [], theirs: [] }]));
for (const w of all) {
  // Warm-up both.
  perCallNs(w.ours);
  perCallNs(w.theirs);
}
for (let r = 0; r < ROUNDS; r++) {
  for (const w of all) {
    const t = times.get(w.name);
    if (r % 2 === 0) {
      t.ours.push(perCallNs(w.ours));
      t.theirs.push(perCallNs(w.theirs));
    } else {
      t.theirs.push(perCallNs(w.theirs));
      t.ours.push(perCallNs(w.ours));
    }
  }
}

console.log(`\n${ROUNDS} interleaved rounds x ${ITERS} calls, median ns per call (node ${process.version})`);
for (const w of all) {
  const t = times.get(w.name);
  const ours = median(t.ours);
  const theirs = median(t.theirs);
  const ratio = theirs / ours;
  const verdict = w.target == null ? '' : ratio >= w.target ? `  (target ${w.target}x: met)` : `  (target ${w.target}x: NOT met)`;
  if (w.target != null && ratio < w.target) failed = true;
  console.log(`${w.name.padEnd(48)} cldkit ${ours.toFixed(0).padStart(6)} ns   cloudinary ${theirs.toFixed(0).padStart(6)} ns   ${ratio.toFixed(2)}x faster${verdict}`);
}

function loadMs(code) {
  const samples = [];
  for (let i = 0; i < 15; i++) {
    const out = execFileSync(process.execPath, ['-e', `const t=process.hrtime.bigint();${code};console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: 'utf8' });
    samples.push(Number(out));
  }
  return median(samples);
}
function processMs(code) {
  const samples = [];
  for (let i = 0; i < 15; i++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', code]);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}
const bare = processMs('');
const withCldkit = processMs(`require(${JSON.stringify(BINDING)})`);
const withSdk = processMs(`require(${JSON.stringify(require.resolve('cloudinary', { paths: [BINDING] }))})`);
console.log(`\nrequire time (median of 15 processes): bare node ${bare.toFixed(1)} ms; require('cldkit') +${(withCldkit - bare).toFixed(1)} ms (in-process ${loadMs(`require(${JSON.stringify(BINDING)})`).toFixed(1)} ms); require('cloudinary') +${(withSdk - bare).toFixed(1)} ms`);
if (withCldkit - bare > 30) {
  console.log('require target (<= 30 ms): NOT met');
  failed = true;
}
process.exit(failed ? 1 : 0);
