'use strict';
// The public API beyond the corpus: constructors, profiles, floats, errors, Buffers,
// panics, key order and secrets.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { BINDING } = require('./helpers');
const cldkit = require(BINDING);
const native = require(path.join(BINDING, 'native.js'));

const { Client, CldkitError, InvalidOptionError, ConfigError, SignatureError, InternalError } = cldkit;
const demo = () => new Client({ cloud_name: 'demo', api_key: '1234', api_secret: 'abcd', analytics: false });

test('url with the SDK option names', () => {
  assert.equal(
    demo().url('sample.jpg', { width: 300, height: 200, crop: 'fill' }),
    'https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg',
  );
});

test('fromUrl, fromEnv and the profile option', () => {
  const c = Client.fromUrl('cloudinary://1234:abcd@demo', { profile: 'python' });
  assert.equal(c.profile, 'python');
  assert.equal(c.url('x', { analytics: false }), 'http://res.cloudinary.com/demo/image/upload/x');
  assert.equal(c.withProfile('default').url('x', { analytics: false }), 'https://res.cloudinary.com/demo/image/upload/x');
  assert.equal(new Client({ cloud_name: 'demo', profile: 'python' }).profile, 'python');
  const saved = process.env.CLOUDINARY_URL;
  process.env.CLOUDINARY_URL = 'cloudinary://k:s@fromenv';
  try {
    assert.match(Client.fromEnv().url('x'), /\/fromenv\/image\/upload\/x/);
  } finally {
    if (saved === undefined) delete process.env.CLOUDINARY_URL;
    else process.env.CLOUDINARY_URL = saved;
  }
  assert.throws(() => new Client({}, { profile: 'ruby' }), ConfigError);
  assert.throws(() => Client.fromUrl('http://k:s@x'), (e) => e instanceof ConfigError && e.code === 'config');
});

test('whole numbers render as integers; float() renders like Python', () => {
  const c = demo();
  assert.match(c.url('x', { dpr: 2 }), /\/dpr_2\/x$/);
  assert.match(c.url('x', { dpr: cldkit.float(2) }), /\/dpr_2\.0\/x$/);
  assert.match(c.url('x', { dpr: 1.5 }), /\/dpr_1\.5\/x$/);
  assert.match(c.url('x', { transformation: [{ zoom: cldkit.float(1) }] }), /\/z_1\.0\/x$/);
  assert.ok(cldkit.isFloat(cldkit.float(3)));
  assert.equal(+cldkit.float(3), 3);
  assert.equal(JSON.stringify({ a: cldkit.float(2) }), '{"a":2}');
  assert.throws(() => cldkit.float({}), InvalidOptionError);
  assert.match(c.url('x', { width: 10n }), /\/w_10\/x$/);
});

test('errors are CldkitError subclasses with stable codes', () => {
  const c = demo();
  assert.throws(
    () => c.url('x', { radius: [1, 2, 3, 4, 5] }),
    (e) => e instanceof InvalidOptionError && e instanceof CldkitError && e instanceof Error &&
      e.code === 'invalid_option' && e.option === 'radius',
  );
  assert.throws(() => cldkit.apiSignRequest({ a: 1 }, 'abcd', 'md5'), (e) => e instanceof SignatureError && e.code === 'signature');
  assert.throws(() => cldkit.apiSignRequest({ a: 1 }, ''), SignatureError);
  assert.throws(() => c.url('x', { width: () => 1 }), (e) => e.code === 'invalid_option' && e.option === 'width');
  assert.throws(() => c.url('x', { width: Symbol('w') }), InvalidOptionError);
  assert.throws(() => c.url('x', { width: 2n ** 70n }), InvalidOptionError);
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => c.url('x', { transformation: cyclic }), InvalidOptionError);
  assert.throws(() => c.url('x', 'not an object'), InvalidOptionError);
  assert.throws(() => c.withClock('soon'), InvalidOptionError);
});

test('a Rust panic becomes an InternalError, and the process goes on', () => {
  assert.throws(() => native.debugPanic(), (e) => e instanceof InternalError && e.code === 'internal');
  assert.equal(demo().url('x'), 'https://res.cloudinary.com/demo/image/upload/x');
});

test('secrets never appear in error messages', () => {
  const secret = 'TOPSECRETvalue123';
  const c = new Client({ cloud_name: 'demo', api_key: 'k', api_secret: secret, signature_algorithm: 'md5' });
  for (const call of [
    () => c.signRequest({ a: 1 }),
    () => c.verifyApiResponse('x', 1, 'y'),
    () => c.url('x', { sign_url: true, signature_algorithm: 'bad' }),
  ]) {
    try {
      call();
    } catch (e) {
      assert.ok(!String(e.message).includes(secret) && !String(e.stack).includes(secret));
    }
  }
});

test('signing and verification', () => {
  const c = demo().withClock(1700000000);
  const params = { timestamp: 1700000000, public_id: 'sample' };
  const sig = c.signRequest(params);
  assert.equal(sig, cldkit.apiSignRequest(params, 'abcd'));
  assert.match(sig, /^[0-9a-f]{40}$/);
  assert.equal(cldkit.apiSignRequest(params, 'abcd', 'sha256').length, 64);
  assert.equal(c.explainSignature(params).stringToSign, 'public_id=sample&timestamp=1700000000');
  const body = '{"public_id":"sample"}';
  const crypto = require('crypto');
  const good = crypto.createHash('sha1').update(body + '1700000000' + 'abcd').digest('hex');
  assert.equal(c.verifyNotification(body, 1700000000, good), true);
  assert.equal(c.verifyNotification(Buffer.from(body), '1700000000', good), true);
  assert.equal(c.verifyNotification(body, 1700000000, good.replace(/.$/, '0')), false);
  assert.equal(c.withClock(1700000000 + 7201).verifyNotification(body, 1700000000, good), false);
  assert.equal(c.withClock(1700000000 + 7201).verifyNotification(body, 1700000000, good, 10000), true);
  assert.throws(() => c.verifyNotification(Buffer.from([0xff]), 1700000000, good), InvalidOptionError);
  assert.throws(() => c.verifyNotification(42, 1700000000, good), InvalidOptionError);
  const v = cldkit.apiSignRequest({ public_id: 'sample', version: 1312461204 }, 'abcd', 'sha1', 1);
  assert.equal(c.verifyApiResponse('sample', 1312461204, v), true);
});

test('upload requests, downloads and tags', () => {
  const c = demo().withClock(1700000000);
  const req = c.uploadForm('https://example.com/a.jpg', { public_id: 'a', tags: ['x', 'y'] });
  assert.equal(req.url, 'https://api.cloudinary.com/v1_1/demo/image/upload');
  const names = req.fields.map(([k]) => k);
  assert.ok(names.includes('signature') && names.includes('timestamp') && names.includes('file'));
  assert.deepEqual(c.uploadParams({ tags: ['x', 'y'], overwrite: true }), { overwrite: '1', timestamp: '1700000000', tags: 'x,y' });
  assert.match(c.privateDownloadUrl('a', 'jpg'), /^https:\/\/api\.cloudinary\.com\/v1_1\/demo\/image\/download\?/);
  assert.match(c.imageTag('sample', { width: 100 }), /^<img /);
  assert.match(c.videoTag('dog'), /^<video /);
  assert.match(c.authToken({ key: '00112233FF99', duration: 300, acl: '/image/*' }), /^__cld_token__=/);
  assert.equal(c.apiUrl('upload'), 'https://api.cloudinary.com/v1_1/demo/image/upload');
  assert.deepEqual(cldkit.parseConfigUrl('cloudinary://k:s@demo?a[b]=1').a, { b: '1' });
  assert.match(c.userAgent(), /cldkit\//);
});

test('option objects keep their key order', () => {
  // A transformation's keys are sorted by the rules; `transformation` lists keep order.
  const c = demo();
  const url = c.url('x', { transformation: [{ effect: 'sepia' }, { width: 10 }] });
  assert.match(url, /\/e_sepia\/w_10\/x$/);
  const args = cldkit.parseConfigUrl('cloudinary://k:s@demo?z=1&y=2');
  assert.deepEqual(Object.keys(args).slice(-2), ['z', 'y']);
});

test('ESM import works', async () => {
  const esm = await import(path.join(BINDING, 'index.mjs'));
  assert.equal(esm.Client, cldkit.Client);
  assert.equal(esm.default.float, cldkit.float);
  const compat = await import(path.join(BINDING, 'compat.mjs'));
  assert.equal(typeof compat.v2.url, 'function');
});

test('the fast path of url and apiSignRequest gives what the ordinary path gives', () => {
  const fastpath = require(path.join(BINDING, 'fastpath.js'));
  const c = new Client({ cloud_name: 'demo', api_key: '1234', api_secret: 'abcd' });
  const inherited = Object.create({ width: 77 });
  inherited.crop = 'fill';
  const nullProto = Object.assign(Object.create(null), { width: 5, height: 6 });
  let reads = 0;
  const getter = { get width() { reads++; return 40; } };
  const cases = [
    { width: 300, height: 200, crop: 'fill' },
    { width: -0, height: 0.5, dpr: 1e21, x: 2 ** 53 + 2, y: -(2 ** 53), zoom: NaN, radius: Infinity },
    { overlay: { font_family: 'Arial', font_size: 40, text: 'H\u00e9llo \ud83d\ude00 \ud800 lone' }, angle: -45 },
    { transformation: [{ width: 500, crop: 'fill', gravity: 'face' }, { effect: 'sepia:50' }, [], {}], sign_url: true },
    { dpr: cldkit.float(2), transformation: [{ zoom: cldkit.float(1.5) }] },
    { dpr: { __cldkit_float__: 3 } },
    { dpr: { __cldkit_float__: 3, extra: 1 } },
    { width: 10n },
    { width: undefined, height: null, flags: [true, false, null, undefined], secure: false },
    { effect: Buffer.from('sepia') },
    inherited,
    nullProto,
    getter,
    { 2: 'a', 1: 'b', z: 'c', a: 'd' },
    { width: () => 1 },
    { radius: [1, 2, 3, 4, 5] },
    { width: '' },
    { 'k\u00e9y': 'v', '': 'empty' },
    // Signing-shaped values: lists joined, `&` escaped, empty and zero values left out,
    // integers beyond 15 digits, negative numbers.
    { tags: ['a', 'b&c'], context: 'x=1&y=2', public_id: '', n: 1234567890123456, m: -42, z: 0 },
    { eager: 'c_fill,w_1|e_sepia', overwrite: true, invalidate: false, folder: 'f\u00fc' },
  ];
  const outcome = (fn) => {
    try {
      return { ok: fn() };
    } catch (e) {
      return { error: `${e.constructor.name} ${e.code} ${e.option} ${e.message}` };
    }
  };
  let fast = 0;
  for (const opts of cases) {
    if (fastpath.encode(opts) !== null) fast++;
    for (const src of ['sample.jpg', 'folder/\u00fc.png', '', null]) {
      assert.deepEqual(outcome(() => c.url(src, opts)), outcome(() => c._urlNative(src, opts)), JSON.stringify(String(src)));
    }
    const params = { timestamp: 1700000000, ...opts };
    assert.deepEqual(
      outcome(() => cldkit.apiSignRequest(params, 'abcd', 'sha256')),
      outcome(() => native.apiSignRequestNative(params, 'abcd', 'sha256')),
    );
  }
  assert.ok(fast >= 10, `${fast} cases took the fast path`);
  assert.equal(fastpath.encode({ width: 10n }), null);
  assert.equal(fastpath.encode({ effect: Buffer.from('x') }), null);
  // a getter is read once per call on either path
  reads = 0;
  c.url('x', getter);
  assert.equal(reads, 1);
  c._urlNative('x', getter);
  assert.equal(reads, 2);
  // The flat path (at most six string/number entries as arguments) and its hand-over
  // to the encoding: at six and seven entries, a nested value after flat ones, a
  // getter before and after the hand-over, a float marker key, and `url` called from
  // a getter of the options being read.
  const nodeClient = new Client({ cloud_name: 'demo', api_key: '1234', api_secret: 'abcd' }, { profile: 'node' });
  let late = 0;
  const lateGetter = { width: 10, crop: 'fill', get height() { late++; return 20; }, transformation: [{ angle: 5 }], get x() { late++; return 3; } };
  let inner = null;
  const reentrant = { width: 1, get height() { inner = c.url('inner', { width: 7, crop: 'scale' }); return 2; }, crop: 'fit' };
  const flatCases = [
    { a: 1, b: 2, c: 3, d: 4, e: 5, f: 'six' },
    { width: 1, height: 2, crop: 'fill', gravity: 'face', quality: 'auto', fetch_format: 'auto', x: 7 },
    { width: 100, crop: 'fill', overlay: { public_id: 'logo' }, gravity: 'north', y: -2.5 },
    { width: 1.5, height: 1e21, quality: 2 ** 53 + 2, effect: 'H\u00e9llo \ud83d\ude00 \ud800', crop: '' },
    { __cldkit_float__: 2 },
    { width: 100, __cldkit_float__: 2 },
    lateGetter,
    reentrant,
  ];
  for (const client of [c, nodeClient]) {
    for (const opts of flatCases) {
      assert.deepEqual(outcome(() => client.url('sample.jpg', opts)), outcome(() => client._urlNative('sample.jpg', opts)), JSON.stringify(opts));
    }
  }
  late = 0;
  c.url('x', lateGetter);
  assert.equal(late, 2, 'each getter read once across the hand-over to the encoding');
  inner = null;
  assert.equal(c.url('outer', reentrant), c._urlNative('outer', reentrant));
  assert.equal(inner, c._urlNative('inner', { width: 7, crop: 'scale' }));
  let deep = { width: 1 };
  for (let i = 0; i < 70; i++) deep = { transformation: deep };
  assert.equal(fastpath.encode(deep), null);
  assert.deepEqual(outcome(() => c.url('x', deep)), outcome(() => c._urlNative('x', deep)));
});
