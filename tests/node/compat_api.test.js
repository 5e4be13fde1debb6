'use strict';
// cldkit/compat's network calls (uploader.*, api.*, search, search_folders) against the
// local emulator, side by side with the npm SDK (cloudinary 2.11.0): two fresh
// emulators, the same script of calls through each library, and the same results
// (or the same rejections) step by step. What differs between two runs by nature
// (ids, times, signatures, the emulator's port) is normalized first.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { BINDING, startEmulator } = require('./helpers');

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

let sdkPath = null;
try {
  sdkPath = require.resolve('cloudinary', { paths: [BINDING] });
} catch {
  sdkPath = null;
}
const skip = sdkPath ? false : 'the cloudinary npm package is not installed (npm ci in bindings-node)';

/** The emulator's CLOUDINARY_ACCOUNT_URL: its first key pair, account `emulator-account`. */
function accountUrl(emu) {
  const u = new URL(emu.url);
  return `account://${u.username}:${u.password}@emulator-account?upload_prefix=${encodeURIComponent(emu.base)}`;
}

let emuSdk;
let emuOurs;
let npm;
let ours;
let dir;

before(async () => {
  if (skip) return;
  [emuSdk, emuOurs] = await Promise.all([startEmulator(), startEmulator()]);
  // Each library reads CLOUDINARY_URL when loaded (the SDK picks http or https then).
  process.env.CLOUDINARY_URL = emuSdk.url;
  process.env.CLOUDINARY_ACCOUNT_URL = accountUrl(emuSdk);
  npm = require(sdkPath).v2;
  npm.config(true);
  process.env.CLOUDINARY_URL = emuOurs.url;
  process.env.CLOUDINARY_ACCOUNT_URL = accountUrl(emuOurs);
  ours = require(path.join(BINDING, 'compat.js')).v2;
  ours.config(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-compat-'));
  fs.writeFileSync(path.join(dir, 'pixel.gif'), GIF);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'some text\n'.repeat(100));
});

after(() => {
  if (emuSdk) emuSdk.stop();
  if (emuOurs) emuOurs.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// (`id`, `key`, `secret`: the emulator's generated user, group, environment and key ids)
const VOLATILE = new Set(['id', 'key', 'secret', 'asset_id', 'version_id', 'version', 'created_at', 'updated_at', 'signature', 'time', 'uploaded_at', 'batch_id', 'last_updated', 'request_id']);

/** `value` with the volatile fields marked and both emulators' addresses made one. */
function normalize(value, base) {
  const text = (s) =>
    s
      .split(base)
      .join('BASE')
      .replace(/\/v\d{6,}\//g, '/vN/')
      // the emulator's random public ids (uploads without one, archives)
      .replace(/(^|[/"])[a-z0-9]{20}(?=$|[./"])/g, '$1RANDOM')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME');
  const walk = (v) => {
    if (typeof v === 'string') return text(v);
    if (v instanceof Date) return `Date ${v.toISOString()}`;
    if (v instanceof Error) return 'an Error';
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out = {};
      for (const k of Object.keys(v).sort()) out[k] = VOLATILE.has(k) ? typeof v[k] : walk(v[k]);
      return out;
    }
    return v;
  };
  return walk(value);
}

/** What a Promise settles to, as comparable data. An Admin rejection keeps its `error`. */
async function outcome(promise, base) {
  try {
    return { resolved: normalize(await promise, base) };
  } catch (e) {
    if (e && e.error && typeof e.error === 'object') return { rejected: normalize({ error: e.error }, base) };
    if (e instanceof Error) return { threw: e.constructor.name };
    return { rejected: normalize(e, base) };
  }
}

/** What a callback-form call reports, as `[error, result]` data. */
function viaCallback(start, base) {
  return new Promise((resolve) => {
    start((error, result) => resolve(normalize([error === undefined ? 'undefined' : error, result === undefined ? 'undefined' : result], base)));
  });
}

/** Runs `step(lib, file)` with each library against its emulator; the outcomes must agree. */
async function agree(name, step) {
  const theirs = await step(npm, (f) => path.join(dir, f), emuSdk.base);
  const mine = await step(ours, (f) => path.join(dir, f), emuOurs.base);
  assert.deepEqual(mine, theirs, name);
  if (process.env.COMPAT_TRACE) console.error(name, JSON.stringify(theirs).slice(0, 160));
  return theirs;
}

const p = (fn) => (lib, file, base) => outcome(fn(lib, file), base);

describe('compat against the emulator, step by step with the npm SDK', { skip }, () => {
  test('uploader: uploads and the Upload API calls', async () => {
    const steps = [
      ['upload a path', p((l, f) => l.uploader.upload(f('pixel.gif'), { public_id: 'c/one', tags: ['t1', 't2'], context: { alt: 'x' } }))],
      ['upload a data URI', p((l) => l.uploader.upload(`data:image/gif;base64,${GIF.toString('base64')}`, { public_id: 'c/two' }))],
      ['upload raw', p((l, f) => l.uploader.upload(f('notes.txt'), { resource_type: 'raw', public_id: 'c/notes.txt' }))],
      ['unsigned_upload', p((l, f) => l.uploader.unsigned_upload(f('pixel.gif'), 'no_such_preset', { public_id: 'c/u' }))],
      ['upload a missing file', p((l, f) => l.uploader.upload(f('missing.gif'), {}))],
      ['explicit', p((l) => l.uploader.explicit('c/one', { type: 'upload', tags: ['t3'] }))],
      ['explicit missing', p((l) => l.uploader.explicit('c/none', { type: 'upload' }))],
      ['rename', p((l) => l.uploader.rename('c/two', 'c/two-renamed'))],
      ['rename missing', p((l) => l.uploader.rename('c/none', 'c/x'))],
      ['add_tag', p((l) => l.uploader.add_tag('blue', ['c/one', 'c/two-renamed']))],
      ['remove_tag', p((l) => l.uploader.remove_tag('t1', ['c/one']))],
      ['replace_tag', p((l) => l.uploader.replace_tag('red', 'c/two-renamed'))],
      ['remove_all_tags', p((l) => l.uploader.remove_all_tags(['c/two-renamed']))],
      ['add_context', p((l) => l.uploader.add_context({ caption: 'hello', alt: 'a=b' }, ['c/one']))],
      ['remove_all_context', p((l) => l.uploader.remove_all_context(['c/one']))],
      ['text', p((l) => l.uploader.text('Hello', { public_id: 'c/text', font_family: 'Arial', font_size: 12 }))],
      ['generate_sprite', p((l) => l.uploader.generate_sprite('blue', {}))],
      ['multi', p((l) => l.uploader.multi('blue', { format: 'gif' }))],
      ['explode', p((l) => l.uploader.explode('c/one', { page: 'all' }))],
      ['create_archive', p((l) => l.uploader.create_archive({ public_ids: ['c/one'], target_public_id: 'arch' }))],
      ['create_zip', p((l) => l.uploader.create_zip({ tags: ['blue'] }))],
      ['update_metadata', p((l) => l.uploader.update_metadata({ color: 'blue' }, ['c/one']))],
      ['destroy', p((l) => l.uploader.destroy('c/two-renamed'))],
      ['destroy missing', p((l) => l.uploader.destroy('c/two-renamed'))],
    ];
    for (const [name, step] of steps) await agree(name, step);
  });

  test('uploader: streams, chunked and large uploads, callbacks', async () => {
    await agree('upload_stream', (l, f, base) =>
      viaCallback((cb) => {
        const s = l.uploader.upload_stream({ public_id: 'c/stream' }, cb);
        assert.equal(typeof s.write, 'function');
        s.write(GIF.subarray(0, 10));
        s.end(GIF.subarray(10));
      }, base),
    );
    await agree('upload_stream without options', (l, f, base) =>
      // The emulator names an upload without a public id at random: compare the rest.
      viaCallback((cb) => fs.createReadStream(f('pixel.gif')).pipe(l.uploader.upload_stream(cb)), base).then(
        ([error, r]) => [error, { ...r, public_id: typeof r.public_id, display_name: typeof r.display_name, url: typeof r.url, secure_url: typeof r.secure_url }],
      ),
    );
    await agree('unsigned_upload_stream', (l, f, base) =>
      viaCallback((cb) => l.uploader.unsigned_upload_stream('no_such_preset', {}, cb).end(GIF), base),
    );
    await agree('upload_large', (l, f, base) => {
      const options = { public_id: 'c/large.txt' };
      return viaCallback((cb) => l.uploader.upload_large(f('notes.txt'), options, cb), base).then((r) => [r, options]);
    });
    await agree('upload_chunked', (l, f, base) =>
      viaCallback((cb) => l.uploader.upload_chunked(f('pixel.gif'), { public_id: 'c/chunked' }, cb), base),
    );
    await agree('upload with a callback', (l, f, base) =>
      viaCallback((cb) => l.uploader.upload(f('pixel.gif'), { public_id: 'c/cb' }, cb), base),
    );
    await agree('upload with a callback and no options', (l, f, base) =>
      viaCallback((cb) => l.uploader.upload(f('pixel.gif'), cb), base).then((r) => typeof r[1]),
    );
    await agree('a missing file with a callback', (l, f, base) =>
      viaCallback((cb) => l.uploader.upload(f('missing.gif'), {}, cb), base),
    );
    await agree('a failing call with a callback', (l, f, base) =>
      viaCallback((cb) => l.uploader.explicit('c/none', { type: 'upload' }, cb), base),
    );
  });

  test('api: the Admin API calls with the SDK argument order', async () => {
    const steps = [
      ['upload for the admin calls', p((l, f) => l.uploader.upload(f('pixel.gif'), { public_id: 'adm/a', tags: ['k'], context: 'c=1' }))],
      ['upload another', p((l, f) => l.uploader.upload(f('pixel.gif'), { public_id: 'adm/b', tags: ['k'] }))],
      ['ping', p((l) => l.api.ping())],
      ['usage', p((l) => l.api.usage())],
      ['config', p((l) => l.api.config({ settings: true }))],
      ['resource_types', p((l) => l.api.resource_types())],
      ['resources', p((l) => l.api.resources({ type: 'upload', prefix: 'adm/', max_results: 10 }))],
      ['resources_by_tag', p((l) => l.api.resources_by_tag('k'))],
      ['resources_by_context', p((l) => l.api.resources_by_context('c', '1'))],
      ['resources_by_ids', p((l) => l.api.resources_by_ids(['adm/a', 'adm/b']))],
      ['resources_by_moderation', p((l) => l.api.resources_by_moderation('manual', 'pending'))],
      ['resources_by_asset_folder', p((l) => l.api.resources_by_asset_folder('adm'))],
      ['resource', p((l) => l.api.resource('adm/a', { tags: true }))],
      ['resource missing', p((l) => l.api.resource('adm/none'))],
      ['update', p((l) => l.api.update('adm/a', { tags: 'x,y' }))],
      ['tags', p((l) => l.api.tags({ prefix: 'x' }))],
      ['root_folders', p((l) => l.api.root_folders())],
      ['create_folder', p((l) => l.api.create_folder('f1/f2'))],
      ['sub_folders', p((l) => l.api.sub_folders('f1'))],
      ['rename_folder', p((l) => l.api.rename_folder('f1/f2', 'f1/f3'))],
      ['delete_folder', p((l) => l.api.delete_folder('f1/f3'))],
      ['create_upload_preset', p((l) => l.api.create_upload_preset({ name: 'pre1', unsigned: true, tags: 'p' }))],
      ['upload_presets', p((l) => l.api.upload_presets())],
      ['upload_preset', p((l) => l.api.upload_preset('pre1'))],
      ['update_upload_preset', p((l) => l.api.update_upload_preset('pre1', { tags: 'q' }))],
      ['unsigned upload with the preset', p((l, f) => l.uploader.unsigned_upload(f('pixel.gif'), 'pre1', { public_id: 'adm/u' }))],
      ['delete_upload_preset', p((l) => l.api.delete_upload_preset('pre1'))],
      ['transformations', p((l) => l.api.transformations())],
      ['create_transformation', p((l) => l.api.create_transformation('small', { width: 100, crop: 'scale' }))],
      ['transformation', p((l) => l.api.transformation('t_small'))],
      ['update_transformation', p((l) => l.api.update_transformation('t_small', { allowed_for_strict: true }))],
      ['delete_transformation', p((l) => l.api.delete_transformation('t_small'))],
      ['upload_mappings', p((l) => l.api.upload_mappings())],
      ['create_upload_mapping', p((l) => l.api.create_upload_mapping('m1', { template: 'https://example.com/' }))],
      ['upload_mapping', p((l) => l.api.upload_mapping('m1'))],
      ['delete_upload_mapping', p((l) => l.api.delete_upload_mapping('m1'))],
      ['list_streaming_profiles', p((l) => l.api.list_streaming_profiles())],
      ['list_metadata_fields', p((l) => l.api.list_metadata_fields())],
      ['add_metadata_field', p((l) => l.api.add_metadata_field({ external_id: 'color', type: 'string', label: 'Color' }))],
      ['metadata_field_by_field_id', p((l) => l.api.metadata_field_by_field_id('color'))],
      ['update_metadata_field', p((l) => l.api.update_metadata_field('color', { label: 'Colour' }))],
      ['delete_metadata_field', p((l) => l.api.delete_metadata_field('color'))],
      ['list_metadata_rules', p((l) => l.api.list_metadata_rules())],
      ['publish_by_ids', p((l) => l.api.publish_by_ids(['adm/a']))],
      ['update_resources_access_mode_by_ids', p((l) => l.api.update_resources_access_mode_by_ids('public', ['adm/a']))],
      ['restore', p((l) => l.api.restore(['adm/a']))],
      ['delete_derived_resources', p((l) => l.api.delete_derived_resources(['d1']))],
      ['delete_resources_by_tag', p((l) => l.api.delete_resources_by_tag('nothing-here'))],
      ['delete_resources', p((l) => l.api.delete_resources(['adm/b']))],
      ['delete_resources_by_prefix', p((l) => l.api.delete_resources_by_prefix('adm/'))],
      ['delete_all_resources', p((l) => l.api.delete_all_resources({ resource_type: 'raw' }))],
      ['an api call with a callback', (l, f, base) => viaCallback((cb) => l.api.resource('adm/none', {}, cb), base)],
      ['an api call with only a callback', (l, f, base) => viaCallback((cb) => l.api.ping(cb), base)],
    ];
    for (const [name, step] of steps) await agree(name, step);
  });

  test('search and search_folders builders', async () => {
    await agree('upload for search', p((l, f) => l.uploader.upload(f('pixel.gif'), { public_id: 's/a', tags: ['kitten'] })));
    await agree('upload for search 2', p((l, f) => l.uploader.upload(f('pixel.gif'), { public_id: 's/b', tags: ['kitten'] })));
    await agree(
      'search',
      p((l) => l.search.expression('tags=kitten').sort_by('public_id', 'asc').max_results(1).with_field('tags').execute()),
    );
    await agree('search by the static setter', p((l) => l.search.max_results(5).execute()));
    await agree('search page 2', async (l, f, base) => {
      const first = await l.search.expression('tags=kitten').sort_by('public_id', 'asc').max_results(1).execute();
      return outcome(l.search.expression('tags=kitten').sort_by('public_id', 'asc').max_results(1).next_cursor(first.next_cursor).execute(), base);
    });
    await agree('api.search', p((l) => l.api.search({ expression: 'public_id=s/a' })));
    await agree('search_folders', p((l) => l.search_folders.expression('name=s').execute()));
  });

  test('provisioning.account: users, groups, product environments, access keys', async () => {
    const a = (l) => l.provisioning.account;
    const steps = [
      ['sub_accounts', p((l) => a(l).sub_accounts(true))],
      ['create_sub_account', p((l) => a(l).create_sub_account('second env', 'second-cloud', { team: 'x' }, true))],
      ['user_groups', p((l) => a(l).user_groups())],
      ['create_user_group', p((l) => a(l).create_user_group('editors'))],
      ['users', p((l) => a(l).users())],
      ['create_user', p((l) => a(l).create_user('Ann', 'ann@example.com', 'admin'))],
      ['users by prefix', p((l) => a(l).users(undefined, undefined, 'Ann'))],
      ['users not pending, by ids', p((l) => a(l).users(false, ['nobody']))],
      ['a missing user', p((l) => a(l).user('no-such-user'))],
      ['a missing sub account', p((l) => a(l).sub_account('no-such-env'))],
      ['a missing group, callback form', (l, f, base) =>
        new Promise((resolve) => a(l).user_group('no-such-group', {}, (result) => resolve(normalize(result, base))))],
    ];
    for (const [name, step] of steps) await agree(name, step);
  });

  test('rejections are plain objects shaped as the SDK shapes them', async () => {
    const upload = await ours.uploader.explicit('c/none', { type: 'upload' }).catch((e) => e);
    assert.equal(upload.http_code, 404);
    assert.equal(typeof upload.message, 'string');
    assert.ok(!(upload instanceof Error));
    const admin = await ours.api.resource('c/none').catch((e) => e);
    assert.equal(admin.error.http_code, 404);
    assert.doesNotMatch(JSON.stringify(admin), /SECRET|abcd1234/);
  });
});
