'use strict';
// cldkit/compat's local calls (URLs, tags, signatures, download URLs, config()) against
// the npm SDK itself (cloudinary 2.11.0, a devDependency of bindings-node), called with
// the same arguments in this process: the results must be the same text, and the
// caller's options object must be left as the SDK leaves it.
const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { BINDING } = require('./helpers');

const CONFIG = { cloud_name: 'demo', api_key: '1234567890', api_secret: 'abcd' };
const ENV_URL = 'cloudinary://1234567890:abcd@demo?secure=true';

function loadSdk() {
  try {
    return require(require.resolve('cloudinary', { paths: [BINDING] }));
  } catch {
    return null;
  }
}

// Both read CLOUDINARY_URL on their first config(): give them the same one.
process.env.CLOUDINARY_URL = ENV_URL;
delete process.env.CLOUDINARY_ACCOUNT_URL;
const sdkModule = loadSdk();
const skip = sdkModule ? false : 'the cloudinary npm package is not installed (npm ci in bindings-node)';
const compat = require(path.join(BINDING, 'compat.js'));

let npm;
let ours;

before(() => {
  if (skip) return;
  npm = sdkModule.v2;
  ours = compat.v2;
});

/** Runs `fn(lib)` on both and expects the same result or the same error message. */
function same(fn) {
  const run = (lib) => {
    try {
      return { value: fn(lib) };
    } catch (e) {
      return { error: String(e && e.message) };
    }
  };
  const theirs = run(npm);
  const mine = run(ours);
  if ('error' in theirs) {
    assert.ok('error' in mine, `the SDK throws (${theirs.error}), compat returned ${JSON.stringify(mine.value)}`);
  } else {
    assert.deepEqual(mine, theirs);
  }
  return theirs.value;
}

/** A deterministic `pick(list)` (a linear congruential generator from `seed`). */
function picker(seed) {
  return (xs) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return xs[seed % xs.length];
  };
}

describe('config()', { skip }, () => {
  test('loads CLOUDINARY_URL as the SDK does, and reloads with config(true)', () => {
    assert.deepEqual({ ...ours.config() }, { ...npm.config() });
    assert.equal(ours.config('cloud_name'), 'demo');
    ours.config('cloud_name', 'other');
    assert.equal(ours.config().cloud_name, 'other');
    assert.match(ours.url('x'), /\/other\//);
    ours.config(true);
    assert.equal(ours.config('cloud_name'), 'demo');
  });

  test('config({...}) merges, a direct write to the settings object is seen by the next call', () => {
    ours.config(CONFIG);
    npm.config(CONFIG);
    ours.config().secure_distribution = 'cdn.example.com';
    ours.config().private_cdn = true;
    npm.config().secure_distribution = 'cdn.example.com';
    npm.config().private_cdn = true;
    same((l) => l.url('sample.jpg', { width: 10 }));
    delete ours.config().secure_distribution;
    delete npm.config().secure_distribution;
    ours.config({ private_cdn: false });
    npm.config({ private_cdn: false });
    same((l) => l.url('sample.jpg', { width: 10 }));
  });

  test('options of a call override the settings', () => {
    same((l) => l.url('sample.jpg', { cloud_name: 'elsewhere', secure: false, width: 5 }));
    same((l) => l.utils.private_download_url('x', 'png', { timestamp: 100, api_key: 'k2', api_secret: 's2' }));
  });
});

describe('URLs and tags', { skip }, () => {
  const cases = [
    ['sample.jpg', { width: 300, height: 200, crop: 'fill' }],
    ['sample', { transformation: [{ width: 100, crop: 'scale' }, { effect: 'sepia' }], format: 'png', sign_url: true }],
    ['https://example.com/a b.jpg', { type: 'fetch', width: 0.5, quality: 'auto' }],
    ['folder/pic', { overlay: { font_family: 'Arial', font_size: 20, text: 'Hi, there' }, secure: false }],
    ['dog', { resource_type: 'video', start_offset: 1.5, end_offset: '3', version: 123 }],
    ['sample.jpg', { width: 100, alt: 'A "quoted" alt', html_width: 50, responsive: true, client_hints: false }],
  ];

  test('url, image, video, picture and source give the SDK text', () => {
    for (const [id, options] of cases) {
      same((l) => l.url(id, { ...options }));
      same((l) => l.image(id, { ...options }));
      same((l) => l.video(id.replace(/\.jpg$/, ''), { ...options }));
      same((l) => l.source(id, { ...options }));
      same((l) =>
        l.picture(id, {
          ...options,
          sources: [{ min_width: 1600, transformation: { crop: 'fill', width: 800 } }, { max_width: 500 }],
        }),
      );
      same((l) => l.utils.video_url(id, { ...options }));
      same((l) => l.utils.video_thumbnail_url(id, { ...options }));
    }
  });

  test('utils.url deletes the consumed keys from the options, url and image leave them', () => {
    for (const [id, options] of cases) {
      const a = { ...options };
      const b = { ...options };
      assert.equal(ours.utils.url(id, a), npm.utils.url(id, b));
      assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${id} ${JSON.stringify(options)}`);
      const c = { ...options };
      ours.url(id, c);
      assert.deepEqual(c, options);
      ours.image(id, c);
      assert.deepEqual(c, options);
    }
  });

  test('a falsy public id, an empty options object, no options', () => {
    same((l) => l.url('sample'));
    same((l) => l.image('sample'));
    same((l) => l.video('sample'));
    same((l) => l.utils.url('sample'));
  });
});

describe('plain transformations', { skip }, () => {
  test('generated plain option maps give the SDK\'s URLs and leftovers', () => {
    // The options the engine builds directly (node::plain), with values that take
    // each branch: falsy, below one, auto, fit/limit, expressions.
    const names = ['width', 'height', 'crop', 'gravity', 'quality', 'fetch_format', 'x', 'y', 'zoom', 'opacity', 'aspect_ratio', 'effect'];
    const values = [0, 1, -1, 300, '', '0', '0.5', 'fit', 'limit', 'fill', 'auto', 'auto:good', 'face', 'w_div 2', 'width * 2', '!x y!', '1.0'];
    const pick = picker(11);
    for (let i = 0; i < 400; i++) {
      const options = {};
      for (let j = 0; j < 1 + (i % 5); j++) options[pick(names)] = pick(values);
      same((l) => l.url('sample.jpg', { ...options }));
      same((l) => {
        const o = { ...options };
        return [l.utils.url('sample.jpg', o), o];
      });
      same((l) => l.image('sample.jpg', { ...options }));
    }
  });
});

describe('signatures and download URLs', { skip }, () => {
  const params = { timestamp: 1700000000, public_id: 'a/b', eager: 'w_100|h_50', overwrite: false, n: 0, tags: ['x', 'y'] };

  test('api_sign_request and sign_request', () => {
    same((l) => l.utils.api_sign_request(params, 'secret'));
    same((l) => l.utils.api_sign_request(params, 'secret', 'sha256'));
    same((l) => l.utils.api_sign_request(params, 'secret', null, 1));
    same((l) => l.utils.api_sign_request({ a: 'x&y', b: '' }, 'secret', 'sha1', 2));
    same((l) => l.utils.sign_request({ ...params, empty: '', none: null }, {}));
    same((l) => l.utils.sign_request(params, { api_key: 'k', api_secret: 's', signature_algorithm: 'sha256' }));
  });

  test('generated parameters sign as the SDK signs them', () => {
    // The hot path signs from the texts JavaScript prints; these cover its edges
    // (number texts, booleans, nulls, empty strings, `&`, keys that need
    // localeCompare) and what it leaves to the general path (lists, non-ASCII).
    const values = [0, -0, 1, -1.5, 1e21, 5e-7, NaN, Infinity, true, false, null, undefined, '', 'a&b', 'x y', 'é', ['p', 'q'], [], 'w_100|h_50'];
    const keys = ['timestamp', 'public_id', 'a_b', 'ab', 'B', 'a', 'tags', 'Z9', 'é'];
    const pick = picker(7);
    for (let i = 0; i < 300; i++) {
      const params = {};
      const n = 1 + (i % 6);
      for (let j = 0; j < n; j++) params[pick(keys)] = pick(values);
      same((l) => l.utils.api_sign_request(params, 'secret'));
      same((l) => l.utils.api_sign_request(params, 'secret', 'sha256', 1));
    }
  });

  test('the signature settings are read from config()', () => {
    ours.config({ signature_algorithm: 'sha256' });
    npm.config({ signature_algorithm: 'sha256' });
    try {
      same((l) => l.utils.api_sign_request(params, 'secret'));
    } finally {
      delete ours.config().signature_algorithm;
      delete npm.config().signature_algorithm;
    }
  });

  test('download URLs', () => {
    const t = { timestamp: 1700000000 };
    same((l) => l.utils.private_download_url('doc', 'pdf', { ...t, attachment: true, expires_at: 1800000000 }));
    same((l) => l.utils.zip_download_url('kitten', { ...t, width: 100 }));
    same((l) => l.utils.download_archive_url({ ...t, public_ids: ['a', 'b'], target_public_id: 'arch' }));
    same((l) => l.utils.download_zip_url({ ...t, tags: 'kitten', resource_type: 'raw' }));
    same((l) => l.utils.download_folder('some/folder', { ...t }));
    same((l) => l.utils.download_backedup_asset('asset1', 'v2', { ...t }));
    same((l) => l.uploader.download_generated_sprite('logo', { ...t }));
    same((l) => l.uploader.download_generated_sprite({ urls: ['https://a/1.png', 'https://a/2.png'], ...t }));
    same((l) => l.uploader.download_multi({ urls: ['https://a/1.png'] }, { ...t }));
    same((l) => l.uploader.download_multi('logo', { ...t, format: 'gif' }));
    same((l) => l.utils.api_url('upload', { resource_type: 'video' }));
    same((l) => l.utils.api_url());
  });

  test('verifyNotificationSignature and verify_api_response_signature', () => {
    const now = Math.floor(Date.now() / 1000);
    const body = '{"public_id":"x"}';
    const signature = npm.utils.webhook_signature(body, now, { api_secret: 'abcd' });
    assert.equal(ours.utils.verifyNotificationSignature(body, now, signature), true);
    same((l) => l.utils.verifyNotificationSignature(body, now, signature));
    same((l) => l.utils.verifyNotificationSignature(body, now - 10000, signature));
    same((l) => l.utils.verifyNotificationSignature(body, now, 'bad'));
    const sig = npm.utils.api_sign_request({ public_id: 'x', version: 12 }, 'abcd', null, 1);
    same((l) => l.utils.verify_api_response_signature('x', 12, sig));
    same((l) => l.utils.verify_api_response_signature('x', 13, sig));
  });

  test('search.to_url', () => {
    const build = (l) =>
      l.search.expression('tags=kitten').max_results(10).sort_by('public_id', 'asc').with_field('tags').aggregate('format');
    same((l) => build(l).to_url());
    same((l) => build(l).to_url(1000, 'cursor1'));
    same((l) => build(l).next_cursor('c2').to_url());
    same((l) => build(l).ttl(50).to_url());
    same((l) => l.search_folders.expression('path=a*').to_url());
    assert.throws(() => ours.search.ttl('x'), /TTL value has to be a Number/);
  });
});

describe('the module shape', { skip }, () => {
  test('every function of the SDK v2 surface the drop-in covers exists', () => {
    const groups = {
      '': ['config', 'url', 'image', 'video', 'picture', 'source'],
      utils: ['url', 'api_sign_request', 'sign_request', 'private_download_url', 'download_archive_url', 'download_zip_url', 'zip_download_url', 'verifyNotificationSignature', 'api_url', 'video_url', 'video_thumbnail_url', 'download_folder', 'download_backedup_asset', 'verify_api_response_signature'],
      uploader: Object.keys(npm.uploader).filter((k) => !/tag$|_tag_params|direct_upload|upload_url|upload_large_part/.test(k)),
      api: Object.keys(npm.api),
      'provisioning.account': Object.keys(npm.provisioning.account),
    };
    const missing = [];
    for (const [group, names] of Object.entries(groups)) {
      const target = group === '' ? ours : group.split('.').reduce((o, k) => o[k], ours);
      for (const n of names) if (typeof target[n] !== 'function') missing.push(`${group}.${n}`);
    }
    assert.deepEqual(missing, []);
    for (const n of ['expression', 'max_results', 'next_cursor', 'sort_by', 'aggregate', 'with_field', 'fields', 'ttl', 'execute']) {
      assert.equal(typeof ours.search[n], 'function', n);
      assert.equal(typeof ours.search.expression('x')[n], 'function', n);
      assert.equal(typeof ours.search_folders.expression('x')[n], 'function', n);
    }
    assert.equal(ours.v2, ours);
  });
});
