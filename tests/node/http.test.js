'use strict';
// Uploads, the Upload API and the Admin API through the public Node API, against the
// local emulator (`cldkit serve`): sources (path, bytes, streams, data URI, URL),
// chunked uploads with progress, named calls, pagination, search, error classes, secrets
// and the event loop staying free.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Readable } = require('stream');
const { BINDING, startEmulator } = require('./helpers');
const cldkit = require(BINDING);

const { Client } = cldkit;
const SMALL = { allow_small_chunks: true };
const KiB = 1024;

let emu;
let client;
let dir;

function bytes(n, seed = 1) {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >> 16;
  }
  return b;
}

const md5 = (b) => crypto.createHash('md5').update(b).digest('hex');

/** Records progress calls and checks they make sense. */
function progressRecorder() {
  const calls = [];
  const fn = (done, total) => calls.push([done, total]);
  fn.calls = calls;
  return fn;
}

before(async () => {
  emu = await startEmulator();
  client = Client.fromUrl(emu.url);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-node-http-'));
});

after(() => {
  if (emu) emu.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('uploads', () => {
  test('from a path, with progress', async () => {
    const data = bytes(10 * KiB);
    const file = path.join(dir, 'small.bin');
    fs.writeFileSync(file, data);
    const onProgress = progressRecorder();
    const r = await client.upload(file, { public_id: 'up/path', resource_type: 'raw' }, { onProgress });
    assert.equal(r.public_id, 'up/path');
    assert.equal(r.bytes, data.length);
    assert.equal(r.etag, md5(data));
    assert.equal(r.original_filename, 'small');
    assert.ok(onProgress.calls.length >= 1);
    assert.deepEqual(onProgress.calls.at(-1), [data.length, data.length]);
    assert.match(r.request_id, /^[0-9a-f]+$/);
  });

  test('from a Buffer, a Uint8Array and an ArrayBuffer', async () => {
    const data = bytes(3000, 7);
    const r1 = await client.upload(data, { public_id: 'up/buffer', resource_type: 'raw', filename: 'b.bin' });
    assert.equal(r1.bytes, 3000);
    assert.equal(r1.etag, md5(data));
    const view = new Uint8Array(data.buffer, data.byteOffset + 1000, 1000);
    const r2 = await client.upload(view, { public_id: 'up/u8', resource_type: 'raw' });
    assert.equal(r2.etag, md5(data.subarray(1000, 2000)));
    const ab = data.buffer.slice(data.byteOffset, data.byteOffset + 10);
    const r3 = await client.upload(ab, { public_id: 'up/ab', resource_type: 'raw' });
    assert.equal(r3.etag, md5(data.subarray(0, 10)));
  });

  test('from a Readable stream and an async generator', async () => {
    const data = bytes(50 * KiB, 3);
    const file = path.join(dir, 'stream.bin');
    fs.writeFileSync(file, data);
    const r1 = await client.upload(fs.createReadStream(file, { highWaterMark: 4 * KiB }), {
      public_id: 'up/stream',
      resource_type: 'raw',
    });
    assert.equal(r1.bytes, data.length);
    assert.equal(r1.etag, md5(data));
    async function* gen() {
      yield 'hello ';
      yield Buffer.from('stream ');
      yield new Uint8Array([119, 111, 114, 108, 100]);
    }
    const r2 = await client.upload(gen(), { public_id: 'up/gen', resource_type: 'raw' });
    assert.equal(r2.etag, md5(Buffer.from('hello stream world')));
  });

  test('a data URI and a remote URL are sent for the server to fetch', async () => {
    const r1 = await client.upload('data:text/plain;base64,aGVsbG8=', { public_id: 'up/datauri', resource_type: 'raw' });
    assert.equal(r1.bytes, 5);
    const r2 = await client.upload(`${emu.base}/emulator/raw/upload/up/datauri`, {
      public_id: 'up/remote',
      resource_type: 'raw',
    });
    assert.equal(r2.etag, r1.etag);
  });

  test('an image gets its real dimensions', async () => {
    // 1x1 PNG
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const r = await client.upload(png, { public_id: 'up/pixel', tags: ['node', 'pixel'] });
    assert.equal(r.width, 1);
    assert.equal(r.height, 1);
    assert.equal(r.format, 'png');
    assert.deepEqual(r.tags, ['node', 'pixel']);
  });

  test('chunked above the chunk size: path, bytes and a stream of unknown length', async () => {
    const data = bytes(300 * KiB, 11);
    const file = path.join(dir, 'big.bin');
    fs.writeFileSync(file, data);
    const settings = { chunkSize: 64 * KiB };
    const p1 = progressRecorder();
    const r1 = await client.upload(file, { public_id: 'up/chunked-path', resource_type: 'raw', ...SMALL }, { ...settings, onProgress: p1 });
    assert.equal(r1.bytes, data.length);
    assert.equal(r1.etag, md5(data));
    assert.ok(p1.calls.length >= 2, `progress calls: ${p1.calls.length}`);
    assert.deepEqual(p1.calls.at(-1), [data.length, data.length]);
    for (const [done, total] of p1.calls) assert.ok(done <= total && total === data.length);

    const r2 = await client.upload(data, { public_id: 'up/chunked-bytes', resource_type: 'raw', ...SMALL }, { ...settings, parallel: 3 });
    assert.equal(r2.etag, md5(data));

    const p3 = progressRecorder();
    const stream = Readable.from((function* () {
      for (let i = 0; i < data.length; i += 10 * KiB) yield data.subarray(i, i + 10 * KiB);
    })());
    const r3 = await client.upload(stream, { public_id: 'up/chunked-stream', resource_type: 'raw', ...SMALL }, {
      ...settings,
      onProgress: p3,
      streamBuffer: 2,
    });
    assert.equal(r3.bytes, data.length);
    assert.equal(r3.etag, md5(data));
    assert.deepEqual(p3.calls.at(-1), [data.length, data.length]);
    assert.ok(p3.calls.some(([, total]) => total === null), 'a stream has no total until its end');
  });

  test('the chunk size option of the SDKs works too', async () => {
    const data = bytes(130 * KiB, 5);
    const r = await client.upload(data, { public_id: 'up/chunk-option', resource_type: 'raw', chunk_size: 64 * KiB, ...SMALL });
    assert.equal(r.etag, md5(data));
  });

  test('unsignedUpload with an unsigned preset', async () => {
    await client.createUploadPreset({ name: 'node_unsigned', unsigned: true, folder: 'unsig' });
    const r = await client.unsignedUpload(Buffer.from('u'), 'node_unsigned', { public_id: 'x', resource_type: 'raw' });
    assert.match(r.public_id, /^unsig\/x$|^x$/);
    await client.deleteUploadPreset('node_unsigned');
  });

  test('many uploads at once (more than the libuv pool) while the event loop keeps running', async () => {
    await emu.setFaults([{ path: '/upload', action: 'delay', delay_ms: 300, count: 1000, nth: 1 }]);
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => client.upload(Buffer.from(`n${i}`), { public_id: `up/many${i}`, resource_type: 'raw' })),
      );
      // fs work on the libuv pool is not starved meanwhile
      await fs.promises.readFile(__filename);
      clearInterval(timer);
      assert.deepEqual(results.map((r) => r.public_id), Array.from({ length: 8 }, (_, i) => `up/many${i}`));
      assert.ok(Date.now() - started >= 300);
      assert.ok(ticks >= 10, `the event loop ran ${ticks} timer ticks during the uploads`);
    } finally {
      await emu.setFaults(null);
    }
  });
});

describe('Upload API calls', () => {
  test('explicit, tags, context, rename and destroy', async () => {
    await client.upload(Buffer.from('api'), { public_id: 'calls/a', resource_type: 'raw' });
    const ex = await client.explicit('calls/a', { type: 'upload', resource_type: 'raw', tags: ['t1'] });
    assert.equal(ex.public_id, 'calls/a');
    assert.deepEqual(ex.tags, ['t1']);
    const added = await client.addTag('t2', ['calls/a'], { resource_type: 'raw' });
    assert.deepEqual(added.public_ids, ['calls/a']);
    const ctx = await client.addContext('k=v', ['calls/a'], { resource_type: 'raw' });
    assert.deepEqual(ctx.public_ids, ['calls/a']);
    const got = await client.resource('calls/a', { resource_type: 'raw' });
    assert.deepEqual([...got.tags].sort(), ['t1', 't2']);
    await client.removeTag('t1', ['calls/a'], { resource_type: 'raw' });
    assert.deepEqual((await client.resource('calls/a', { resource_type: 'raw' })).tags, ['t2']);
    const renamed = await client.rename('calls/a', 'calls/b', { resource_type: 'raw' });
    assert.equal(renamed.public_id, 'calls/b');
    await assert.rejects(client.resource('calls/a', { resource_type: 'raw' }), cldkit.NotFoundError);
    assert.deepEqual(await client.destroy('calls/b', { resource_type: 'raw' }).then((r) => r.result), 'ok');
    assert.equal((await client.destroy('calls/b', { resource_type: 'raw' })).result, 'not found');
  });

  test('callUploadApi by SDK name, including upload of a local path', async () => {
    const file = path.join(dir, 'generic.txt');
    fs.writeFileSync(file, 'generic');
    const up = await client.callUploadApi('upload', { file }, { public_id: 'calls/generic', resource_type: 'raw' });
    assert.equal(up.bytes, 7);
    const r = await client.callUploadApi('add_tag', { tag: 'g', public_ids: ['calls/generic'] }, { resource_type: 'raw' });
    assert.deepEqual(r.public_ids, ['calls/generic']);
    await assert.rejects(client.callUploadApi('no_such_call', {}, {}), cldkit.InvalidOptionError);
  });
});

describe('Admin API', () => {
  test('ping, usage, config-free calls and the rate-limit fields', async () => {
    const p = await client.ping();
    assert.equal(p.status, 'ok');
    assert.equal(typeof p.rate_limit_allowed, 'number');
    assert.equal(typeof p.rate_limit_remaining, 'number');
    assert.equal(typeof p.rate_limit_reset_at, 'number');
    const u = await client.usage();
    assert.equal(typeof u, 'object');
    assert.ok(Array.isArray(cldkit.adminCalls) && cldkit.adminCalls.includes('resources'));
  });

  test('resources with pagination (pages() follows next_cursor)', async () => {
    // 7 assets, 3 a page (the emulator's cursor for offset 4 is rejected by the
    // emulator itself: see the Node binding report)
    const ids = Array.from({ length: 7 }, (_, i) => `pages/p${i}`);
    for (const id of ids) {
      await client.upload(Buffer.from(id), { public_id: id, resource_type: 'raw', tags: ['paged'] });
    }
    const first = await client.resources({ resource_type: 'raw', prefix: 'pages/', type: 'upload', max_results: 3 });
    assert.equal(first.resources.length, 3);
    assert.ok(first.next_cursor);
    const seen = [];
    let pages = 0;
    for await (const page of client.pages('resources', {}, { resource_type: 'raw', prefix: 'pages/', type: 'upload', max_results: 3 })) {
      pages++;
      seen.push(...page.resources.map((r) => r.public_id));
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), ids);
    const byTag = await client.resourcesByTag('paged', { resource_type: 'raw' });
    assert.equal(byTag.resources.length, 7);
    const byIds = await client.resourcesByIds(['pages/p0', 'pages/p1'], { resource_type: 'raw' });
    assert.equal(byIds.resources.length, 2);
  });

  test('resource, update, tags, deleteResources', async () => {
    await client.upload(Buffer.from('adm'), { public_id: 'adm/one', resource_type: 'raw', tags: ['adm'] });
    const r = await client.resource('adm/one', { resource_type: 'raw' });
    assert.equal(r.bytes, 3);
    const up = await client.update('adm/one', { resource_type: 'raw', tags: 'adm,updated' });
    assert.deepEqual([...up.tags].sort(), ['adm', 'updated']);
    const tags = await client.tags({ resource_type: 'raw' });
    assert.ok(tags.tags.includes('updated'));
    const del = await client.deleteResources(['adm/one'], { resource_type: 'raw' });
    assert.deepEqual(del.deleted, { 'adm/one': 'deleted' });
    await assert.rejects(client.resource('adm/one', { resource_type: 'raw' }), cldkit.NotFoundError);
  });

  test('folders and upload presets', async () => {
    await client.createFolder('nodefolder/sub');
    const roots = await client.rootFolders();
    assert.ok(roots.folders.some((f) => f.path === 'nodefolder'));
    const subs = await client.subfolders('nodefolder');
    assert.deepEqual(subs.folders.map((f) => f.path), ['nodefolder/sub']);
    await client.deleteFolder('nodefolder/sub');
    await client.createUploadPreset({ name: 'node_preset', folder: 'np' });
    assert.equal((await client.uploadPreset('node_preset')).name, 'node_preset');
    assert.ok((await client.uploadPresets()).presets.some((p) => p.name === 'node_preset'));
    await client.deleteUploadPreset('node_preset');
    await assert.rejects(client.uploadPreset('node_preset'), cldkit.NotFoundError);
  });

  test('search: the builder, execute and pages', async () => {
    for (let i = 0; i < 3; i++) {
      await client.upload(Buffer.from(`s${i}`), { public_id: `srch/s${i}`, resource_type: 'raw', tags: ['findme'] });
    }
    const s = client.search().expression('tags=findme').sortBy('public_id', 'asc').maxResults(2).withField('tags');
    assert.deepEqual(s.toQuery(), {
      expression: 'tags=findme',
      sort_by: [{ public_id: 'asc' }],
      max_results: 2,
      with_field: ['tags'],
    });
    const r = await s.execute();
    assert.equal(r.total_count, 3);
    assert.deepEqual(r.resources.map((x) => x.public_id), ['srch/s0', 'srch/s1']);
    const all = [];
    for await (const page of s.pages()) all.push(...page.resources.map((x) => x.public_id));
    assert.deepEqual(all, ['srch/s0', 'srch/s1', 'srch/s2']);
    const generic = await client.admin('search', { query: { expression: 'tags=findme' } });
    assert.equal(generic.total_count, 3);
  });
});

describe('errors', () => {
  test('404 is a NotFoundError with status and request id', async () => {
    const e = await client.resource('no/such/thing').then(
      () => assert.fail('expected a rejection'),
      (err) => err,
    );
    assert.ok(e instanceof cldkit.NotFoundError && e instanceof cldkit.ApiError && e instanceof cldkit.CldkitError);
    assert.equal(e.code, 'not_found');
    assert.equal(e.status, 404);
    assert.match(e.requestId, /^[0-9a-f]+$/);
    assert.match(e.message, /Resource not found/);
  });

  test('401 with a bad secret, and the secret never appears', async () => {
    const secret = 'NodeTopSecret987';
    const bad = Client.fromUrl(emu.url.replace(/:[^:@]+@/, `:${secret}@`));
    for (const call of [
      () => bad.upload(Buffer.from('x'), { resource_type: 'raw' }),
      () => bad.ping(),
      () => bad.resources(),
      () => bad.destroy('x'),
    ]) {
      const e = await call().then(
        () => assert.fail('expected a rejection'),
        (err) => err,
      );
      assert.ok(e instanceof cldkit.AuthorizationError, `${e.name}: ${e.message}`);
      assert.equal(e.status, 401);
      const shown = `${e.message}\n${e.stack}\n${JSON.stringify(e)}\n${require('util').inspect(e)}`;
      assert.ok(!shown.includes(secret), shown);
    }
  });

  test('420 when the hourly budget is spent: RateLimitedError with resetAt', async () => {
    const limited = await startEmulator(['--hourly-budget', '2']);
    try {
      const c = Client.fromUrl(limited.url);
      await c.ping({ max_retries: 0 });
      await c.ping({ max_retries: 0 });
      const e = await c.ping({ max_retries: 0 }).then(
        () => assert.fail('expected a rejection'),
        (err) => err,
      );
      assert.ok(e instanceof cldkit.RateLimitedError, `${e.name}: ${e.message}`);
      assert.equal(e.code, 'rate_limited');
      assert.equal(e.status, 420);
      assert.ok(e.resetAt > Date.now() / 1000 - 5, `resetAt ${e.resetAt}`);
    } finally {
      limited.stop();
    }
  });

  test('a 503 is a ServerError after the retries', async () => {
    await emu.setFaults([{ path: '/ping', action: 'status', status: 503, nth: 1, count: 3 }]);
    try {
      const e = await client.ping({ max_retries: 1, retry_delay: 0.01 }).then(
        () => assert.fail('expected a rejection'),
        (err) => err,
      );
      assert.ok(e instanceof cldkit.ServerError, `${e.name}: ${e.message}`);
      assert.equal(e.status, 503);
      assert.equal(e.attempts, 2);
      assert.equal((await client.ping()).status, 'ok');
    } finally {
      await emu.setFaults(null);
    }
  });

  test('local failures: missing file, failing stream, bad arguments', async () => {
    await assert.rejects(client.upload(path.join(dir, 'missing.bin')), (e) => e instanceof cldkit.IoError && e.code === 'io');
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await assert.rejects(client.upload(failing, { resource_type: 'raw' }), (e) => e instanceof cldkit.IoError && /disk on fire/.test(e.message));
    await assert.rejects(client.upload({ not: 'a file' }), cldkit.InvalidOptionError);
    await assert.rejects(client.upload(undefined), cldkit.InvalidOptionError);
    await assert.rejects(client.upload(Buffer.from('x'), { resource_type: 'raw' }, { onProgress: 42 }), cldkit.InvalidOptionError);
    await assert.rejects(client.upload(Buffer.from('x'), { resource_type: 'raw' }, { chunkSize: -1 }), cldkit.InvalidOptionError);
    // refused before starting, with a progress callback: nothing is left holding the
    // event loop open (this file's process would not exit otherwise)
    await assert.rejects(
      client.upload(Buffer.from('x'), { resource_type: 'raw' }, { chunkSize: -1, onProgress: () => {} }),
      cldkit.InvalidOptionError,
    );
    await assert.rejects(
      client.upload(Readable.from(['x']), { resource_type: 'raw' }, { resume: '{not json', onProgress: () => {} }),
      (e) => e instanceof cldkit.CldkitError,
    );
    await assert.rejects(client.admin('no_such_call'), cldkit.InvalidOptionError);
    await assert.rejects(client.resource(''), cldkit.InvalidOptionError);
    await assert.rejects(client.upload(Readable.from([{ an: 'object' }]), { resource_type: 'raw' }), cldkit.IoError);
  });

  test('an exception in onProgress rejects the upload after it settles', async () => {
    const boom = new Error('progress boom');
    await assert.rejects(
      client.upload(Buffer.from('pp'), { public_id: 'up/boom', resource_type: 'raw' }, {
        onProgress: () => {
          throw boom;
        },
      }),
      (e) => e === boom,
    );
    // the upload itself went through
    assert.equal((await client.resource('up/boom', { resource_type: 'raw' })).bytes, 2);
  });

  test('a failed chunked upload carries a resume token that finishes it', async () => {
    const data = bytes(200 * KiB, 21);
    const file = path.join(dir, 'resume.bin');
    fs.writeFileSync(file, data);
    await emu.setFaults([{ path: '/upload', action: 'status', status: 500, nth: 3, count: 10 }]);
    let token;
    try {
      const e = await client
        .upload(file, { public_id: 'up/resumed', resource_type: 'raw', max_retries: 0, ...SMALL }, { chunkSize: 64 * KiB })
        .then(
          () => assert.fail('expected a rejection'),
          (err) => err,
        );
      assert.ok(e instanceof cldkit.ServerError, `${e.name}: ${e.message}`);
      token = e.resumeToken;
      assert.equal(typeof token, 'string');
      assert.ok(JSON.parse(token).upload_id);
    } finally {
      await emu.setFaults(null);
    }
    const r = await client.upload(file, { public_id: 'up/resumed', resource_type: 'raw', ...SMALL }, { chunkSize: 64 * KiB, resume: token });
    assert.equal(r.etag, md5(data));
  });
});

describe('AbortSignal', () => {
  test('aborting stops a stalled upload and Admin call; the Promise rejects with the reason', async () => {
    await emu.setFaults([{ action: 'stall' }]);
    try {
      for (const start of [
        (signal) => client.upload(bytes(50 * KiB), { resource_type: 'raw', timeout: 60, max_retries: 0 }, { signal }),
        (signal) => client.upload(bytes(50 * KiB), { resource_type: 'raw', timeout: 60, max_retries: 0, signal }),
        (signal) => client.ping({ timeout: 60, max_retries: 0, signal }),
        (signal) => client.explicit('x', { timeout: 60, max_retries: 0, signal }),
        (signal) => client.search().expression('x').execute({ timeout: 60, max_retries: 0, signal }),
      ]) {
        const controller = new AbortController();
        const began = Date.now();
        setTimeout(() => controller.abort(), 200);
        await assert.rejects(start(controller.signal), (e) => e.name === 'AbortError');
        assert.ok(Date.now() - began < 3000, `took ${Date.now() - began} ms`);
      }
      // A reason of the caller's own is what the Promise rejects with.
      const controller = new AbortController();
      const reason = new Error('user left the page');
      setTimeout(() => controller.abort(reason), 100);
      await assert.rejects(client.ping({ timeout: 60, signal: controller.signal }), (e) => e === reason);
      // Aborted before the call: rejected without starting it.
      await assert.rejects(client.ping({ signal: AbortSignal.abort() }), (e) => e.name === 'AbortError');
    } finally {
      await emu.setFaults(null);
    }
    // A signal that does not fire changes nothing; a non-signal is refused.
    const quiet = new AbortController();
    assert.equal((await client.ping({ signal: quiet.signal })).status, 'ok');
    const r = await client.upload(bytes(10 * KiB), { resource_type: 'raw' }, { signal: quiet.signal });
    assert.equal(r.bytes, 10 * KiB);
    await assert.rejects(client.ping({ signal: 'soon' }), TypeError);
  });
});

describe('OAuth refresh', () => {
  const { execFileSync } = require('child_process');
  const FRESH = 'fresh-token';
  let oauthEmu;
  let stale;
  let warnings;
  const onWarning = (w) => warnings.push(w);

  before(async () => {
    // An account that only accepts the bearer token `fresh-token`.
    oauthEmu = await startEmulator([
      '--cloudinary-url',
      `cloudinary://123456789012345:abcd1234SECRETxyz@emulator?oauth_token=${FRESH}`,
    ]);
    stale = Client.fromUrl(`${oauthEmu.url}&oauth_token=stale-token`);
    warnings = [];
    process.on('warning', onWarning);
  });

  after(() => {
    process.off('warning', onWarning);
    if (oauthEmu) oauthEmu.stop();
  });

  /** A refresh callback recording the tokens it was asked about. */
  function recorder(answer) {
    const asked = [];
    const fn = (refused) => {
      asked.push(refused);
      return answer(refused);
    };
    fn.asked = asked;
    return fn;
  }

  test('without a callback the stale token is refused', async () => {
    await assert.rejects(stale.ping(), (e) => e instanceof cldkit.AuthorizationError && e.status === 401);
  });

  test('a sync callback is called once, then the new token is reused (upload and Admin call)', async () => {
    const refresh = recorder(() => FRESH);
    const c = stale.withOAuthRefresh(refresh);
    assert.ok(c instanceof Client);
    assert.notEqual(c, stale);
    const r = await c.upload(Buffer.alloc(1000, 1), { resource_type: 'raw' });
    assert.equal(r.bytes, 1000);
    assert.equal((await c.ping()).status, 'ok');
    assert.equal((await c.ping()).status, 'ok');
    assert.deepEqual(refresh.asked, ['stale-token']);
    // A derived client keeps the callback; the original client is unchanged.
    assert.equal((await c.withClock(Math.floor(Date.now() / 1000)).ping()).status, 'ok');
    await assert.rejects(stale.ping(), cldkit.AuthorizationError);
  });

  test('an async callback (a Promise) is awaited without blocking the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const refresh = recorder(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return FRESH;
      });
      const c = stale.withOAuthRefresh(refresh);
      assert.equal((await c.ping()).status, 'ok');
      assert.ok(ticks >= 5, `the event loop ran ${ticks} timer ticks during the refresh`);
      // A chunked upload: the refused first chunk is sent again with the new token.
      const data = bytes(200 * KiB, 3);
      const r = await c.upload(data, { resource_type: 'raw', ...SMALL }, { chunkSize: 64 * KiB });
      assert.equal(r.etag, md5(data));
      assert.equal((await c.admin('ping')).status, 'ok');
      assert.deepEqual(refresh.asked, ['stale-token']);
    } finally {
      clearInterval(timer);
    }
  });

  test('null, undefined or a Promise of null gives up: AuthorizationError, no warning', async () => {
    warnings.length = 0;
    for (const answer of [() => null, () => undefined, async () => null, () => '']) {
      const refresh = recorder(answer);
      const c = stale.withOAuthRefresh(refresh);
      await assert.rejects(c.ping(), (e) => e instanceof cldkit.AuthorizationError && e.status === 401);
      assert.deepEqual(refresh.asked, ['stale-token']);
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, []);
  });

  test('a callback that throws, rejects or answers a non-string gives up with a process warning', async () => {
    const boom = new Error('token service down');
    const cases = [
      [() => { throw boom; }, boom],
      [async () => { throw boom; }, boom],
      [() => Promise.reject(boom), boom],
      [() => 42, TypeError],
    ];
    for (const [answer, expected] of cases) {
      warnings.length = 0;
      const c = stale.withOAuthRefresh(answer);
      await assert.rejects(c.upload(Buffer.from('x'), { resource_type: 'raw' }), cldkit.AuthorizationError);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(warnings.length, 1);
      const [w] = warnings;
      assert.equal(w.name, 'CldkitOAuthRefreshWarning');
      assert.equal(w.code, 'CLDKIT_OAUTH_REFRESH');
      if (expected === boom) assert.equal(w.cause, boom);
      else assert.ok(w.cause instanceof expected);
      assert.ok(!w.message.includes('stale-token') && !w.message.includes(FRESH));
    }
  });

  test('the callback must be a function', () => {
    for (const bad of [undefined, null, 'fresh-token', {}]) {
      assert.throws(() => stale.withOAuthRefresh(bad), cldkit.InvalidOptionError);
    }
  });

  /** Runs `code` in a fresh Node process; returns its stdout and how long it took. */
  function runNode(code, args = []) {
    const began = Date.now();
    const out = execFileSync(process.execPath, [...args, '-e', code], {
      encoding: 'utf8',
      timeout: 30000,
      env: { ...process.env, BINDING, URL: `${oauthEmu.url}&oauth_token=stale-token` },
    });
    return { out, ms: Date.now() - began };
  }

  test('the callback keeps neither the process alive nor itself once the client is collected', () => {
    // Unref'd: a client with a callback, kept referenced, lets the process exit.
    const idle = runNode(`
      const { Client } = require(process.env.BINDING);
      globalThis.kept = Client.fromUrl(process.env.URL).withOAuthRefresh(() => 'x');
      process.stdout.write('done');
    `);
    assert.equal(idle.out, 'done');
    assert.ok(idle.ms < 20000, `took ${idle.ms} ms`);
    // Released with the client: the callback becomes garbage too.
    const gc = runNode(
      `
      const { Client } = require(process.env.BINDING);
      let collected = false;
      const registry = new FinalizationRegistry(() => { collected = true; });
      (() => {
        const callback = () => 'fresh-token';
        registry.register(callback, 'callback');
        Client.fromUrl(process.env.URL).withOAuthRefresh(callback);
      })();
      (async () => {
        for (let i = 0; i < 200 && !collected; i++) {
          global.gc();
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        process.stdout.write(collected ? 'collected' : 'kept');
      })();
    `,
      ['--expose-gc'],
    );
    assert.equal(gc.out, 'collected');
  });
});

describe('environment teardown', () => {
  test('terminating workers with calls in flight neither crashes nor hangs the process', () => {
    const { execFileSync } = require('child_process');
    // In a child process: an abort there fails this test instead of killing the runner.
    // Forty workers each start twenty calls that the emulator answers after 30 ms and
    // are terminated 0-60 ms later, so settlements arrive before, during and after the
    // workers' teardown. (napi-rs 2.16's own Promise settlement aborted the process
    // here: "Call threadsafe function in JsDeferred failed".)
    const code = `
      const { Worker } = require('worker_threads');
      (async () => {
        for (let i = 0; i < 40; i++) {
          const w = new Worker(\`
            const { parentPort, workerData } = require('worker_threads');
            const { Client } = require(workerData.binding);
            const c = Client.fromUrl(workerData.url);
            for (let j = 0; j < 20; j++) c.ping({ max_retries: 0 }).catch(() => {});
            parentPort.postMessage('started');
          \`, { eval: true, workerData: { binding: process.env.BINDING, url: process.env.URL } });
          await new Promise((r) => w.once('message', r));
          await new Promise((r) => setTimeout(r, (i * 7) % 60));
          await w.terminate();
        }
        const { Client } = require(process.env.BINDING);
        const r = await Client.fromUrl(process.env.URL).ping();
        process.stdout.write(r.status);
      })();
    `;
    return emu
      .setFaults([{ action: 'delay', delay_ms: 30 }])
      .then(() => {
        const out = execFileSync(process.execPath, ['-e', code], {
          encoding: 'utf8',
          timeout: 120000,
          env: { ...process.env, BINDING, URL: emu.url },
        });
        assert.equal(out, 'ok');
      })
      .finally(() => emu.setFaults(null));
  });
});
