// Fidelity test: the official Node SDK (cloudinary@2.11.0, pinned by run_fidelity_node.sh),
// unchanged, against the cldkit emulator. Usage: node fidelity.js CLOUDINARY_URL
// (upload_prefix set in it; the SDK is found through NODE_PATH).
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const url = process.argv[2];
if (!url) {
  console.error('usage: node fidelity.js CLOUDINARY_URL');
  process.exit(2);
}
process.env.CLOUDINARY_URL = url;
const cloudinary = require('cloudinary').v2;

let passed = 0;
let failed = 0;

function check(name, cond, detail) {
  if (cond) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failed += 1;
    const d = detail === undefined ? '' : ` ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`;
    console.log(`FAIL ${name}${d.slice(0, 2000)}`);
  }
}

const md5 = (buf) => crypto.createHash('md5').update(buf).digest('hex');
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// A small valid RGB PNG.
function png(width, height) {
  const crcTable = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable.push(c >>> 0);
  }
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = [0];
    for (let x = 0; x < width; x++) row.push((x * 7) % 256, (y * 5) % 256, 128);
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A plain GET (no keep-alive agent tricks): status, headers and body bytes.
function httpGet(target) {
  return new Promise((resolve, reject) => {
    http
      .get(target, (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

// Width and height of a PNG or JPEG (from the IHDR chunk or the first SOFn marker).
function imageSize(buf) {
  if (buf.subarray(1, 4).toString() === 'PNG') return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
  for (let i = 2; i + 9 < buf.length;) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return [buf.readUInt16BE(i + 7), buf.readUInt16BE(i + 5)];
    }
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return null;
}

// The SDK's upload_large reports through its callback (it returns the stream).
function uploadLarge(file, options) {
  return new Promise((resolve, reject) => {
    cloudinary.uploader.upload_large(file, options, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

// The rejection of an SDK promise (or a marker if it resolved).
async function rejection(promise) {
  try {
    const r = await promise;
    return { resolved: r };
  } catch (e) {
    return e;
  }
}

async function main() {
  const cfg = cloudinary.config();
  check('config has upload_prefix', typeof cfg.upload_prefix === 'string' && cfg.upload_prefix.startsWith('http://127.0.0.1'), cfg);
  const uploadPrefix = new URL(cfg.upload_prefix);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cld-node-fidelity-'));
  const img = png(40, 20);
  const imgPath = path.join(tmp, 'tiny.png');
  fs.writeFileSync(imgPath, img);

  // --- uploader.upload: a local file with public_id, tags, context and eager.
  const r = await cloudinary.uploader.upload(imgPath, {
    public_id: 'nfid/sample',
    tags: ['a', 'b'],
    context: { alt: 'a=b|c', caption: 'hello' },
    overwrite: true,
    eager: [{ width: 10, height: 5, crop: 'scale' }, { width: 8, crop: 'fill', format: 'jpg' }],
  });
  check('upload public_id', r.public_id === 'nfid/sample', r);
  check('upload width/height/format', r.width === 40 && r.height === 20 && r.format === 'png', r);
  check('upload bytes and etag', r.bytes === img.length && r.etag === md5(img), r);
  check('upload tags', same(r.tags, ['a', 'b']), r.tags);
  check('upload context', same(r.context, { custom: { alt: 'a=b|c', caption: 'hello' } }), r.context);
  check('upload original_filename is the basename', r.original_filename === 'tiny', r.original_filename);
  check('upload response signature verifies',
    cloudinary.utils.verify_api_response_signature(r.public_id, r.version, r.signature) === true);
  check('upload secure_url', typeof r.secure_url === 'string' && r.secure_url.endsWith(`/image/upload/v${r.version}/nfid/sample.png`), r.secure_url);
  check('upload eager entries', Array.isArray(r.eager) && r.eager.length === 2, r.eager);
  if (Array.isArray(r.eager) && r.eager.length === 2) {
    check('eager[0] transformation', r.eager[0].transformation === 'c_scale,h_5,w_10' && r.eager[0].width === 10 && r.eager[0].height === 5, r.eager[0]);
    check('eager[1] transformation', r.eager[1].transformation === 'c_fill,w_8/jpg' && r.eager[1].format === 'jpg', r.eager[1]);
  }

  // --- uploader.upload: a data URI, generated public id.
  const dataUri = `data:image/png;base64,${img.toString('base64')}`;
  const du = await cloudinary.uploader.upload(dataUri, { folder: 'nfid', tags: 'datauri' });
  check('data URI upload', typeof du.public_id === 'string' && du.public_id.startsWith('nfid/') && du.etag === md5(img) && du.bytes === img.length, du);
  check('data URI tags', same(du.tags, ['datauri']), du.tags);

  // --- overwrite=false on an existing id.
  const ex = await cloudinary.uploader.upload(imgPath, { public_id: 'nfid/sample', overwrite: false });
  check('existing with overwrite=false', ex.existing === true && ex.version === r.version, ex);

  // --- uploader.upload_large: several chunks (NODE states total -1 until the last one).
  const big = crypto.randomBytes(25_000);
  const bigPath = path.join(tmp, 'big.bin');
  fs.writeFileSync(bigPath, big);
  const rl = await uploadLarge(bigPath, { chunk_size: 6_000, public_id: 'nfid/big.bin', tags: ['large'] });
  check('upload_large public_id', rl.public_id === 'nfid/big.bin', rl);
  check('upload_large bytes', rl.bytes === big.length, rl);
  check('upload_large etag', rl.etag === md5(big), rl);
  check('upload_large raw + tags', rl.resource_type === 'raw' && same(rl.tags, ['large']), rl);
  const exact = crypto.randomBytes(12_000);
  const exactPath = path.join(tmp, 'exact.bin');
  fs.writeFileSync(exactPath, exact);
  const re = await uploadLarge(exactPath, { chunk_size: 4_000, resource_type: 'raw', public_id: 'nfid/exact.bin' });
  check('upload_large exact multiple of chunk_size', re.bytes === exact.length && re.etag === md5(exact), re);
  const bigImg = png(300, 200);
  const bigImgPath = path.join(tmp, 'chunked.png');
  fs.writeFileSync(bigImgPath, bigImg);
  const ri = await uploadLarge(bigImgPath, { chunk_size: Math.ceil(bigImg.length / 3), resource_type: 'image', public_id: 'nfid/chunked' });
  check('upload_large image', ri.width === 300 && ri.height === 200 && ri.etag === md5(bigImg), ri);
  // The delivered original equals what was sent.
  const dl = await httpGet(`${uploadPrefix.origin}/${cfg.cloud_name}/raw/upload/nfid/big.bin`);
  check('chunked raw delivered intact', dl.status === 200 && md5(dl.body) === md5(big), dl.status);

  // --- uploader.explicit with eager.
  const e = await cloudinary.uploader.explicit('nfid/sample', { type: 'upload', tags: ['x'], eager: [{ width: 12, crop: 'scale' }] });
  check('explicit', e.public_id === 'nfid/sample' && same(e.tags, ['x']), e);
  check('explicit eager', Array.isArray(e.eager) && e.eager.length === 1 && e.eager[0].transformation === 'c_scale,w_12' && e.eager[0].width === 12, e.eager);

  // --- tags and context commands.
  let t = await cloudinary.uploader.add_tag('kitten', ['nfid/sample']);
  check('add_tag', same(t.public_ids, ['nfid/sample']), t);
  t = await cloudinary.uploader.add_tag('puppy', ['nfid/sample']);
  t = await cloudinary.uploader.remove_tag('x', ['nfid/sample']);
  check('remove_tag', same(t.public_ids, ['nfid/sample']), t);
  let one = await cloudinary.api.resource('nfid/sample', { tags: true });
  check('tags after add/remove', same([...one.tags].sort(), ['kitten', 'puppy']), one.tags);
  t = await cloudinary.uploader.replace_tag('only', [du.public_id]);
  check('replace_tag', same(t.public_ids, [du.public_id]), t);
  const duDetails = await cloudinary.api.resource(du.public_id);
  check('tags after replace_tag', same(duDetails.tags, ['only']), duDetails.tags);
  const c = await cloudinary.uploader.add_context({ k: 'v', eq: 'x=y' }, ['nfid/sample']);
  check('add_context', same(c.public_ids, ['nfid/sample']), c);
  one = await cloudinary.api.resource('nfid/sample', { context: true });
  check('context after add_context', one.context && one.context.custom && one.context.custom.k === 'v' && one.context.custom.eq === 'x=y', one.context);

  // --- uploader.rename.
  const rn = await cloudinary.uploader.rename('nfid/sample', 'nfid/renamed');
  check('rename', rn.public_id === 'nfid/renamed' && rn.etag === md5(img), rn);
  const gone = await rejection(cloudinary.api.resource('nfid/sample'));
  check('old id 404 after rename', gone.error && gone.error.http_code === 404, gone);

  // --- Admin API.
  const ping = await cloudinary.api.ping();
  check('ping', ping.status === 'ok', ping);
  check('rate limit merged into result', Number.isInteger(ping.rate_limit_allowed) && Number.isInteger(ping.rate_limit_remaining) && ping.rate_limit_reset_at instanceof Date, ping);

  const seen = [];
  let cursor;
  let pages = 0;
  do {
    const page = await cloudinary.api.resources({ type: 'upload', prefix: 'nfid/', max_results: 1, next_cursor: cursor });
    pages += 1;
    for (const x of page.resources) seen.push(x.public_id);
    cursor = page.next_cursor;
  } while (cursor && pages < 20);
  const images = ['nfid/chunked', 'nfid/renamed', du.public_id].sort();
  check('resources paginated with next_cursor', same([...seen].sort(), images) && pages === 3, { seen, pages });
  const raws = await cloudinary.api.resources({ resource_type: 'raw', type: 'upload', prefix: 'nfid/', max_results: 10 });
  check('resources raw', same(raws.resources.map((x) => x.public_id).sort(), ['nfid/big.bin', 'nfid/exact.bin']), raws);
  const withFields = await cloudinary.api.resources({ type: 'upload', prefix: 'nfid/ren', tags: true, context: true, fields: ['public_id', 'tags', 'context'] });
  check('resources tags/context/fields', withFields.resources.length === 1 && same([...withFields.resources[0].tags].sort(), ['kitten', 'puppy']) && withFields.resources[0].width === undefined, withFields.resources);

  const byTag = await cloudinary.api.resources_by_tag('kitten');
  check('resources_by_tag', same(byTag.resources.map((x) => x.public_id), ['nfid/renamed']), byTag);

  one = await cloudinary.api.resource('nfid/renamed');
  check('resource', one.public_id === 'nfid/renamed' && one.width === 40 && one.bytes === img.length && one.etag === md5(img), one);

  const up = await cloudinary.api.update('nfid/renamed', { tags: ['u1', 'u2'], context: { who: 'node' }, display_name: 'Renamed one' });
  check('update result', same(up.tags, ['u1', 'u2']) && up.context && up.context.custom && up.context.custom.who === 'node', up);
  one = await cloudinary.api.resource('nfid/renamed');
  check('update persisted', same(one.tags, ['u1', 'u2']), one.tags);

  const tags = await cloudinary.api.tags();
  check('tags', ['u1', 'u2', 'only'].every((x) => tags.tags.includes(x)) && !tags.tags.includes('kitten'), tags);
  const rawTags = await cloudinary.api.tags({ resource_type: 'raw' });
  check('tags raw', same(rawTags.tags, ['large']), rawTags);

  // --- folders.
  const cf = await cloudinary.api.create_folder('nfolder/sub');
  check('create_folder', cf.success === true && cf.path === 'nfolder/sub' && cf.name === 'sub', cf);
  const rf = await cloudinary.api.root_folders();
  check('root_folders', rf.folders.some((f) => f.name === 'nfolder' && f.path === 'nfolder'), rf);
  const sf = await cloudinary.api.sub_folders('nfolder');
  check('sub_folders', same(sf.folders.map((f) => f.path), ['nfolder/sub']), sf);
  const df = await cloudinary.api.delete_folder('nfolder/sub');
  check('delete_folder', same(df.deleted, ['nfolder/sub']), df);
  const sf2 = await cloudinary.api.sub_folders('nfolder');
  check('sub_folders after delete', sf2.folders.length === 0, sf2);

  // --- upload presets.
  const cp = await cloudinary.api.create_upload_preset({ name: 'node_unsigned', unsigned: true, folder: 'uns', tags: ['preset'] });
  check('create_upload_preset', cp.message === 'created' || cp.name === 'node_unsigned', cp);
  const presets = await cloudinary.api.upload_presets();
  const preset = presets.presets.find((p) => p.name === 'node_unsigned');
  check('upload_presets lists it', preset && preset.unsigned === true, presets);
  const gp = await cloudinary.api.upload_preset('node_unsigned');
  check('upload_preset', gp.name === 'node_unsigned' && gp.unsigned === true && gp.settings && gp.settings.folder === 'uns', gp);
  const upd = await cloudinary.api.update_upload_preset('node_unsigned', { folder: 'uns2', tags: ['preset'], unsigned: true });
  check('update_upload_preset', upd.message === 'updated', upd);
  const uu = await cloudinary.uploader.unsigned_upload(imgPath, 'node_unsigned');
  check('unsigned upload through preset', uu.public_id.startsWith('uns2/') && same(uu.tags, ['preset']), uu);
  const dp = await cloudinary.api.delete_upload_preset('node_unsigned');
  check('delete_upload_preset', dp.message === 'deleted', dp);
  const afterDp = await rejection(cloudinary.uploader.unsigned_upload(imgPath, 'node_unsigned'));
  check('unsigned upload after preset deleted fails', afterDp.http_code === 400 || (afterDp.error && afterDp.error.http_code === 400), afterDp);

  // --- search.
  const s = await cloudinary.search
    .expression('resource_type:image AND tags=u1')
    .sort_by('public_id', 'desc')
    .with_field('tags')
    .max_results(10)
    .execute();
  check('search', s.total_count === 1 && s.resources[0].public_id === 'nfid/renamed' && same(s.resources[0].tags, ['u1', 'u2']), s);
  const searched = [];
  let searchCursor;
  let searchPages = 0;
  do {
    let q = cloudinary.search.expression('folder:nfid').sort_by('public_id', 'asc').max_results(2);
    if (searchCursor) q = q.next_cursor(searchCursor);
    const page = await q.execute();
    searchPages += 1;
    if (searchPages === 1) check('search total_count', page.total_count === 5, page);
    for (const x of page.resources) searched.push(x.public_id);
    searchCursor = page.next_cursor;
  } while (searchCursor && searchPages < 10);
  check('search paginated with next_cursor', searchPages === 3 && same(searched, [...searched].sort()) && new Set(searched).size === 5, searched);

  // --- more lookups and commands, after the search above has seen the tags.
  const byIds = await cloudinary.api.resources_by_ids(['nfid/renamed', 'nfid/none']);
  check('resources_by_ids', same(byIds.resources.map((x) => x.public_id), ['nfid/renamed']), byIds);
  const byAsset = await cloudinary.api.resource_by_asset_id(one.asset_id);
  check('resource_by_asset_id', byAsset.public_id === 'nfid/renamed' && byAsset.etag === md5(img), byAsset);
  const byAssets = await cloudinary.api.resources_by_asset_ids([one.asset_id]);
  check('resources_by_asset_ids', same(byAssets.resources.map((x) => x.public_id), ['nfid/renamed']), byAssets);
  const byCtx = await cloudinary.api.resources_by_context('who', 'node');
  check('resources_by_context', same(byCtx.resources.map((x) => x.public_id), ['nfid/renamed']), byCtx);
  t = await cloudinary.uploader.remove_all_tags([du.public_id]);
  check('remove_all_tags', same(t.public_ids, [du.public_id]), t);
  t = await cloudinary.uploader.remove_all_context(['nfid/renamed']);
  check('remove_all_context', same(t.public_ids, ['nfid/renamed']), t);
  const cleared = await cloudinary.api.resources_by_ids(['nfid/renamed', du.public_id], { tags: true, context: true });
  const byId = Object.fromEntries(cleared.resources.map((x) => [x.public_id, x]));
  check('tags and context cleared', same(byId[du.public_id].tags, []) && !(byId['nfid/renamed'].context && byId['nfid/renamed'].context.custom && byId['nfid/renamed'].context.custom.who), cleared);
  const usage = await cloudinary.api.usage();
  check('usage', typeof usage.plan === 'string' && usage.storage && usage.storage.usage > 0, usage);
  const conf = await cloudinary.api.config({ settings: true });
  check('config settings', conf.settings && conf.settings.folder_mode === 'dynamic', conf);
  const types = await cloudinary.api.resource_types();
  check('resource_types', same(types.resource_types, ['image', 'video', 'raw']), types);

  // --- folder rename and folder search (JSON bodies on escaped paths).
  await cloudinary.api.create_folder('nfolder/a');
  const rnf = await cloudinary.api.rename_folder('nfolder/a', 'nfolder/b');
  check('rename_folder', rnf.to && rnf.to.path === 'nfolder/b', rnf);
  const fs1 = await cloudinary.search_folders.expression('path:nfolder/* AND name:b').execute();
  check('search_folders', fs1.total_count === 1 && fs1.folders[0].path === 'nfolder/b', fs1);
  const rootsAfter = await cloudinary.api.root_folders();
  check('search_folders created nothing', !rootsAfter.folders.some((f) => f.name === 'search'), rootsAfter);
  const dnf = await cloudinary.api.delete_folder('nfolder');
  check('delete_folder with a subfolder', same([...dnf.deleted].sort(), ['nfolder', 'nfolder/b']), dnf);

  // --- streams: upload_stream, upload_chunked_stream, and an empty upload_large.
  const stBytes = Buffer.from('streamed bytes, one request');
  const st = await new Promise((resolve, reject) => {
    const w = cloudinary.uploader.upload_stream({ public_id: 'nfid/stream.txt', resource_type: 'raw', tags: ['st'] }, (err, res) => (err ? reject(err) : resolve(res)));
    w.end(stBytes);
  });
  check('upload_stream', st.public_id === 'nfid/stream.txt' && st.bytes === stBytes.length && st.etag === md5(stBytes) && st.original_filename === 'file', st);
  const csBytes = Buffer.from('0123456789abcdefXYZ');
  const cs = await new Promise((resolve, reject) => {
    const w = cloudinary.uploader.upload_chunked_stream({ public_id: 'nfid/cs.txt', resource_type: 'raw', chunk_size: 5 }, (err, res) => (err ? reject(err) : resolve(res)));
    w.write(csBytes.subarray(0, 16));
    w.end(csBytes.subarray(16));
  });
  check('upload_chunked_stream', cs.public_id === 'nfid/cs.txt' && cs.bytes === csBytes.length && cs.etag === md5(csBytes), cs);
  const emptyPath = path.join(tmp, 'empty.bin');
  fs.writeFileSync(emptyPath, '');
  const emptyErr = await uploadLarge(emptyPath, { chunk_size: 1000 }).then((res) => ({ resolved: res }), (err) => err);
  check('empty upload_large is a 400 (range 0--1/0)', emptyErr.http_code === 400 && /Content-Range/.test(emptyErr.message), emptyErr);
  const dbt = await cloudinary.api.delete_resources_by_tag('st', { resource_type: 'raw' });
  check('delete_resources_by_tag', same(dbt.deleted, { 'nfid/stream.txt': 'deleted' }), dbt);
  const dbp = await cloudinary.api.delete_resources_by_prefix('nfid/cs', { resource_type: 'raw' });
  check('delete_resources_by_prefix', same(dbp.deleted, { 'nfid/cs.txt': 'deleted' }), dbp);

  // --- signed delivery URL, built by the SDK and fetched from the emulator.
  const deliveryOpts = { secure: false, cname: uploadPrefix.host, private_cdn: false };
  const signed = cloudinary.url('nfid/renamed.png', { ...deliveryOpts, sign_url: true, width: 20, crop: 'scale' });
  check('signed url shape', /\/image\/upload\/s--[A-Za-z0-9_-]{8}--\/c_scale,w_20\/v1\/nfid\/renamed\.png/.test(signed), signed);
  const got = await httpGet(signed);
  check('signed url 200', got.status === 200 && got.body.subarray(1, 4).toString() === 'PNG', `${got.status} ${got.body.subarray(0, 200)}`);
  const tampered = signed.replace(/s--([A-Za-z0-9_-])/, (m, ch) => `s--${ch === 'A' ? 'B' : 'A'}`);
  check('tampered url differs', tampered !== signed);
  const bad = await httpGet(tampered);
  check('tampered signature 401', bad.status === 401, `${bad.status} ${bad.body}`);
  const au = await cloudinary.uploader.upload(imgPath, { public_id: 'nfid/secret', type: 'authenticated' });
  check('authenticated upload', au.type === 'authenticated', au);
  const authUrl = cloudinary.url('nfid/secret', { ...deliveryOpts, type: 'authenticated', sign_url: true, format: 'png', version: au.version });
  const authGot = await httpGet(authUrl);
  check('authenticated signed url 200', authGot.status === 200 && md5(authGot.body) === md5(img), `${authGot.status} ${authUrl}`);
  const unsignedAuth = await httpGet(cloudinary.url('nfid/secret', { ...deliveryOpts, type: 'authenticated', format: 'png' }));
  check('authenticated unsigned url 401', unsignedAuth.status === 401, unsignedAuth.status);

  // --- uploader.text: an image of the text, answered like an upload (delivery type text).
  const tx = await cloudinary.uploader.text('Hello node', { public_id: 'nfid/text', font_family: 'Arial', font_size: 30, font_color: '#ff0000', background: 'white', text_align: 'center' });
  check('text public_id/type/format', tx.public_id === 'nfid/text' && tx.type === 'text' && tx.format === 'png' && tx.resource_type === 'image', tx);
  check('text size follows the text', tx.width > 10 * 15 && tx.height >= 30, tx);
  check('text secure_url', typeof tx.secure_url === 'string' && tx.secure_url.endsWith(`/image/text/v${tx.version}/nfid/text.png`), tx.secure_url);
  check('text response signature verifies', cloudinary.utils.verify_api_response_signature(tx.public_id, tx.version, tx.signature) === true);
  const txSmall = await cloudinary.uploader.text('Hello node', { font_size: 10 });
  check('text smaller font, smaller image', txSmall.width < tx.width && txSmall.height < tx.height && typeof txSmall.public_id === 'string', txSmall);
  const txGot = await httpGet(cloudinary.url('nfid/text', { ...deliveryOpts, type: 'text', format: 'png', version: tx.version }));
  check('text image delivered', txGot.status === 200 && txGot.body.length === tx.bytes && md5(txGot.body) === tx.etag && txGot.body.readUInt32BE(16) === tx.width && txGot.body.readUInt32BE(20) === tx.height, txGot.status);
  const txRes = await cloudinary.api.resource('nfid/text', { type: 'text' });
  check('text resource', txRes.width === tx.width && txRes.access_mode === 'public', txRes);
  const txGone = await cloudinary.uploader.destroy('nfid/text', { type: 'text' });
  check('text destroy', txGone.result === 'ok', txGone);
  await cloudinary.uploader.destroy(txSmall.public_id, { type: 'text' });

  // --- update_resources_access_mode_by_ids/_by_tag/_by_prefix, and delivery honouring it.
  const plainUrl = cloudinary.url('nfid/renamed.png', deliveryOpts);
  check('public asset served unsigned', (await httpGet(plainUrl)).status === 200);
  let am = await cloudinary.api.update_resources_access_mode_by_ids('authenticated', ['nfid/renamed', 'nfid/none']);
  check('access mode by ids', same(am.updated, [{ public_id: 'nfid/renamed', access_mode: 'authenticated' }]) && same(am.failed.map((f) => f.public_id), ['nfid/none']), am);
  one = await cloudinary.api.resource('nfid/renamed');
  check('resource shows access_mode', one.access_mode === 'authenticated', one.access_mode);
  check('authenticated access mode: unsigned 401', (await httpGet(plainUrl)).status === 401);
  const signedPlain = cloudinary.url('nfid/renamed.png', { ...deliveryOpts, sign_url: true });
  check('authenticated access mode: signed 200', (await httpGet(signedPlain)).status === 200, signedPlain);
  am = await cloudinary.api.update_resources_access_mode_by_tag('public', 'u1');
  check('access mode by tag', same(am.updated, [{ public_id: 'nfid/renamed', access_mode: 'public' }]) && same(am.failed, []), am);
  check('public again: unsigned 200', (await httpGet(plainUrl)).status === 200);
  am = await cloudinary.api.update_resources_access_mode_by_prefix('authenticated', 'nfid/ren');
  check('access mode by prefix', same(am.updated.map((u) => u.public_id), ['nfid/renamed']) && am.updated[0].access_mode === 'authenticated', am);
  one = await cloudinary.api.resource('nfid/renamed');
  check('access mode by prefix persisted', one.access_mode === 'authenticated', one.access_mode);
  const badMode = await rejection(cloudinary.api.update_resources_access_mode_by_ids('private', ['nfid/renamed']));
  check('bad access_mode 400', badMode.error && badMode.error.http_code === 400 && /access_mode/.test(badMode.error.message), badMode);

  // --- issue 18: answers carry URLs on the emulator, the SDK builds URLs the emulator
  // serves from the printed CLOUDINARY_URL (cname / secure_distribution), a small video,
  // responsive breakpoints.
  check('printed url names the emulator for delivery', cfg.cname === uploadPrefix.host && cfg.secure_distribution === uploadPrefix.host, cfg.cname);
  const media = path.join(__dirname, 'media');
  const dv = await cloudinary.uploader.upload(imgPath, { public_id: 'nfid18/deliver' });
  check('answer url on the emulator', dv.url === `${uploadPrefix.origin}/${cfg.cloud_name}/image/upload/v${dv.version}/nfid18/deliver.png` && dv.secure_url === dv.url, dv);
  let g = await httpGet(dv.secure_url);
  check('answer secure_url served', g.status === 200 && md5(g.body) === md5(img), g.status);
  // npm SDK 2.x builds https unless told secure: false, whatever the configuration says.
  const built = cloudinary.url('nfid18/deliver', { secure: false, format: 'png', version: dv.version });
  check('SDK url is the answer url', built.split('?')[0] === dv.url, built);
  g = await httpGet(built);
  check('SDK url served', g.status === 200 && md5(g.body) === md5(img), `${g.status} ${built}`);
  const httpsUrl = cloudinary.url('nfid18/deliver', { format: 'png' });
  check('default https url names the emulator', httpsUrl.startsWith(`https://${uploadPrefix.host}/${cfg.cloud_name}/image/upload/`), httpsUrl);
  const scaled = cloudinary.url('nfid18/deliver', { secure: false, width: 10, crop: 'scale', format: 'png' });
  g = await httpGet(scaled);
  check('SDK transformation url rendered', g.status === 200 && same(imageSize(g.body), [10, 5]), `${g.status} ${scaled}`);
  const listed = await cloudinary.api.resource('nfid18/deliver');
  check('Admin resource url on the emulator', listed.secure_url === dv.url, listed.secure_url);

  const mp4 = fs.readFileSync(path.join(media, 'sample.mp4'));
  const vid = await cloudinary.uploader.upload(path.join(media, 'sample.mp4'), { resource_type: 'video', public_id: 'nfid18/clip' });
  check('video size', vid.width === 32 && vid.height === 32 && vid.format === 'mp4', vid);
  check('video duration and frame rate', vid.duration === 0.5 && vid.frame_rate === 10 && vid.nb_frames === 5, vid);
  check('video codec', vid.video && vid.video.codec === 'h264' && vid.is_audio === false, vid.video);
  check('video playback_url', vid.playback_url === `${uploadPrefix.origin}/${cfg.cloud_name}/video/upload/sp_auto/v${vid.version}/nfid18/clip.m3u8`, vid.playback_url);
  const vurl = cloudinary.url('nfid18/clip', { secure: false, resource_type: 'video', format: 'mp4', version: vid.version });
  g = await httpGet(vurl);
  check('SDK video url served', g.status === 200 && g.headers['content-type'] === 'video/mp4' && md5(g.body) === md5(mp4), `${g.status} ${vurl}`);
  const thumb = cloudinary.utils.video_thumbnail_url('nfid18/clip', { secure: false, width: 16, crop: 'scale' });
  g = await httpGet(thumb);
  check('video_thumbnail_url is a jpg of the asked size', /\.jpg(\?|$)/.test(thumb) && g.status === 200 && g.headers['content-type'] === 'image/jpeg' && same(imageSize(g.body), [16, 16]), `${g.status} ${thumb}`);
  const wb = await cloudinary.uploader.upload(path.join(media, 'sample.webm'), { resource_type: 'auto', public_id: 'nfid18/wclip' });
  check('webm auto upload', wb.resource_type === 'video' && wb.format === 'webm' && wb.width === 64 && wb.height === 48 && wb.video.codec === 'vp8' && wb.duration === 0.5, wb);
  g = await httpGet(cloudinary.url('nfid18/wclip', { secure: false, resource_type: 'video', format: 'png' }));
  check('webm frame as png', g.status === 200 && same(imageSize(g.body), [64, 48]), g.status);

  const bpPath = path.join(tmp, 'bp.png');
  fs.writeFileSync(bpPath, png(200, 100));
  const bp = await cloudinary.uploader.upload(bpPath, {
    public_id: 'nfid18/bp',
    responsive_breakpoints: [{ create_derived: true, bytes_step: 500, min_width: 20, max_width: 200, max_images: 4 }],
  });
  const bpl = bp.responsive_breakpoints;
  check('breakpoints answered', Array.isArray(bpl) && bpl.length === 1 && Array.isArray(bpl[0].breakpoints), bp);
  const checkBreakpoints = async (name, entry, maxWidth, limit) => {
    const list = entry.breakpoints;
    check(`${name}: widest first, at most max_images`, list.length >= 1 && list.length <= limit && list[0].width === maxWidth
      && list.every((b, i) => i === 0 || b.width < list[i - 1].width), list);
    for (const b of list) {
      const got2 = await httpGet(b.secure_url);
      check(`${name}: w_${b.width} served`, got2.status === 200 && got2.body.length === b.bytes
        && same(imageSize(got2.body), [b.width, b.height]) && b.url.startsWith(uploadPrefix.origin), `${got2.status} ${b.secure_url}`);
    }
  };
  await checkBreakpoints('upload breakpoints', bpl[0], 200, 4);
  check('upload breakpoints found more than one', bpl[0].breakpoints.length > 1, bpl[0].breakpoints);
  const bpx = await cloudinary.uploader.explicit('nfid18/bp', {
    type: 'upload',
    responsive_breakpoints: [
      { create_derived: true, transformation: { width: 100, height: 100, crop: 'fill' }, bytes_step: 500, max_images: 3 },
      { create_derived: false, max_width: 1000, bytes_step: 100000000 },
    ],
  });
  const ent = bpx.responsive_breakpoints || [];
  check('explicit breakpoints: one entry per setting', ent.length === 2 && ent[0].transformation === 'c_fill,h_100,w_100', bpx);
  if (ent.length === 2) {
    await checkBreakpoints('explicit breakpoints', ent[0], 100, 3);
    check('explicit breakpoints: original width when max_width is larger', ent[1].breakpoints.length === 1 && ent[1].breakpoints[0].width === 200, ent[1]);
  }
  const badBp = await rejection(cloudinary.uploader.upload(imgPath, { public_id: 'nfid18/badbp', responsive_breakpoints: [{ max_images: 500 }] }));
  check('bad breakpoints 400', badBp.http_code === 400 && /responsive_breakpoints/.test(badBp.message), badBp);

  // --- errors as the SDK reports them.
  const badSig = await rejection(cloudinary.uploader.upload(imgPath, { api_secret: 'wrong' }));
  check('bad signature rejected', badSig.http_code === 401 && /Invalid Signature/.test(badSig.message), badSig);
  const missing = await rejection(cloudinary.api.resource('does/not/exist'));
  check('missing resource 404', missing.error && missing.error.http_code === 404 && /Resource not found/.test(missing.error.message), missing);

  // --- deletions: destroy, and delete_resources (a DELETE with a form body) on the same
  // keep-alive connections as everything above.
  let d = await cloudinary.uploader.destroy('nfid/renamed');
  check('destroy ok', d.result === 'ok', d);
  d = await cloudinary.uploader.destroy('nfid/renamed');
  check('destroy not found', d.result === 'not found', d);
  const dr = await cloudinary.api.delete_resources(['nfid/big.bin', 'nfid/nope.bin'], { resource_type: 'raw' });
  check('delete_resources', same(dr.deleted, { 'nfid/big.bin': 'deleted', 'nfid/nope.bin': 'not_found' }), dr);
  const dr2 = await cloudinary.api.delete_resources([du.public_id, 'nfid/chunked']);
  check('delete_resources images', dr2.deleted[du.public_id] === 'deleted' && dr2.deleted['nfid/chunked'] === 'deleted', dr2);
  const left = await cloudinary.api.resources({ type: 'upload', prefix: 'nfid/' });
  check('nothing left after deletes', left.resources.length === 0, left);

  await checkNotifications(imgPath);

  fs.rmSync(tmp, { recursive: true, force: true });
}

const NOTIFICATION_EVENTS = ['upload', 'eager', 'rename', 'resource_tags_changed', 'resource_context_changed',
  'resource_metadata_changed', 'resource_display_name_changed', 'moderation', 'delete'];

// Every event type reaches a trigger created through the Admin API (the Node SDK has no
// trigger call, so a plain POST /triggers with Basic auth) and the per-call
// notification_url, once, signed so that the SDK's verifyNotificationSignature accepts it.
async function checkNotifications(imgPath) {
  const hits = [];
  const server = http.createServer((req, res) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => {
      hits.push({ path: req.url, ts: req.headers['x-cld-timestamp'], sig: req.headers['x-cld-signature'],
        body: Buffer.concat(parts).toString('utf8') });
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${server.address().port}`;
  try {
    const cfg = cloudinary.config();
    const auth = Buffer.from(`${cfg.api_key}:${cfg.api_secret}`).toString('base64');
    const ids = [];
    for (const event of NOTIFICATION_EVENTS) {
      const resp = await fetch(`${cfg.upload_prefix}/v1_1/${cfg.cloud_name}/triggers`, {
        method: 'POST',
        headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
        body: JSON.stringify({ uri: `${hook}/trigger/${event}`, event_type: event }),
      });
      const t = await resp.json();
      if (resp.status === 200 && t.id) ids.push(t.id);
    }
    check('POST /triggers for each event type', ids.length === NOTIFICATION_EVENTS.length, ids);
    await cloudinary.uploader.upload(imgPath, { public_id: 'nfidn/one', notification_url: `${hook}/call` });
    await cloudinary.uploader.explicit('nfidn/one', { type: 'upload', eager: [{ width: 5, crop: 'scale' }],
      eager_async: true, eager_notification_url: `${hook}/call` });
    await cloudinary.uploader.rename('nfidn/one', 'nfidn/two');
    await cloudinary.uploader.add_tag('red', ['nfidn/two']);
    await cloudinary.uploader.add_context({ alt: 'hi' }, ['nfidn/two']);
    await cloudinary.uploader.update_metadata({ color: 'blue' }, ['nfidn/two']);
    await cloudinary.api.update('nfidn/two', { display_name: 'Shown' });
    await cloudinary.api.update('nfidn/two', { moderation_status: 'approved' });
    await cloudinary.uploader.destroy('nfidn/two');
    const expected = NOTIFICATION_EVENTS.length + 2;
    const deadline = Date.now() + 15000;
    while (hits.length < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const event of NOTIFICATION_EVENTS) {
      const got = hits.filter((h) => h.path === `/trigger/${event}`);
      const ok = got.length === 1
        && cloudinary.utils.verifyNotificationSignature(got[0].body, Number(got[0].ts), got[0].sig)
        && JSON.parse(got[0].body).notification_type === event;
      check(`notification ${event}: once, signed, verified`, ok, hits.map((h) => h.path));
    }
    const calls = hits.filter((h) => h.path === '/call').map((h) => JSON.parse(h.body).notification_type);
    check('per-call notification_url: upload and eager', same(calls, ['upload', 'eager']), calls);
    check('no other notifications', hits.length === expected, hits.map((h) => h.path));
    for (const id of ids) {
      await fetch(`${cfg.upload_prefix}/v1_1/${cfg.cloud_name}/triggers/${id}`, {
        method: 'DELETE', headers: { authorization: `Basic ${auth}` },
      });
    }
  } finally {
    server.close();
  }
}

main()
  .catch((err) => {
    failed += 1;
    console.log(`FAIL unexpected error: ${err && err.stack ? err.stack : JSON.stringify(err)}`);
  })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed === 0 ? 0 : 1;
  });
