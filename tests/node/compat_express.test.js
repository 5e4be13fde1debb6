'use strict';
// examples/express-upload: an Express app written against the cloudinary npm SDK and the
// same file with `require('cloudinary')` swapped for `require('cldkit/compat')`. Each
// app runs against its own fresh emulator; both get the same requests and must give the
// same answers (URLs, tags, signatures, upload results; ids and times normalized).
// Needs `npm ci` in examples/express-upload (bindings-node/ci.sh runs it).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { REPO, startEmulator } = require('./helpers');

const EXAMPLE = path.join(REPO, 'examples', 'express-upload');
const installed = fs.existsSync(path.join(EXAMPLE, 'node_modules', 'express'));
const skip = installed ? false : 'examples/express-upload has no node_modules (npm ci there; ci.sh does)';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const apps = {};

/** Starts `file`'s app with CLOUDINARY_URL of a new emulator; resolves its address. */
async function start(file) {
  const emu = await startEmulator();
  // Each SDK reads CLOUDINARY_URL when it is first loaded and configured.
  process.env.CLOUDINARY_URL = emu.url;
  const { createApp } = require(path.join(EXAMPLE, file));
  const server = await new Promise((resolve) => {
    const s = createApp().listen(0, '127.0.0.1', () => resolve(s));
  });
  return { emu, server, base: `http://127.0.0.1:${server.address().port}` };
}

before(async () => {
  if (skip) return;
  apps.sdk = await start('app-cloudinary.js');
  apps.ours = await start('app-cldkit.js');
});

after(() => {
  for (const a of Object.values(apps)) {
    a.server.close();
    a.emu.stop();
  }
});

/** `value` with the emulator's address, versions, times and generated ids made equal. */
function normalize(value, emuBase) {
  return JSON.parse(
    JSON.stringify(value)
      .split(emuBase.replace(/^https?:\/\//, ''))
      .join('EMULATOR')
      .replace(/\/v\d{6,}\//g, '/vN/')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'TIME'),
  );
}

/** Sends the same request to both apps; resolves `{ status, body }` of each. */
async function both(method, route, body, headers = {}) {
  const send = async (a) => {
    const res = await fetch(a.base + route, { method, body, headers });
    const text = await res.text();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: normalize(parsed, a.emu.base) };
  };
  const theirs = await send(apps.sdk);
  const mine = await send(apps.ours);
  return { theirs, mine };
}

test('the two app files differ only in the require line', { skip }, () => {
  const a = fs.readFileSync(path.join(EXAMPLE, 'app-cloudinary.js'), 'utf8').split('\n');
  const b = fs.readFileSync(path.join(EXAMPLE, 'app-cldkit.js'), 'utf8').split('\n');
  assert.equal(a.length, b.length);
  const differing = a.map((line, i) => [line, b[i]]).filter(([x, y]) => x !== y);
  assert.deepEqual(differing, [["const cloudinary = require('cloudinary').v2;", "const cloudinary = require('cldkit/compat').v2;"]]);
});

test('the same requests get the same answers from both apps', { skip }, async () => {
  const steps = [
    ['upload a file', 'POST', '/upload?folder=shop', GIF, { 'content-type': 'image/gif' }],
    ['upload another', 'POST', '/upload?folder=shop', GIF, { 'content-type': 'application/octet-stream' }],
    ['import a data URI', 'POST', '/import', JSON.stringify({ url: `data:image/gif;base64,${GIF.toString('base64')}`, public_id: 'imported/pixel' }), { 'content-type': 'application/json' }],
    ['a bad import', 'POST', '/import', JSON.stringify({ url: 'data:text/plain;base64,aGVsbG8=', public_id: 'imported/bad' }), { 'content-type': 'application/json' }],
    ['read it back', 'GET', '/images/imported/pixel'],
    ['read a missing one', 'GET', '/images/imported/none'],
    ['list by tag', 'GET', '/images?tag=upload'],
    ['delete', 'DELETE', '/images/imported/pixel'],
    ['delete again', 'DELETE', '/images/imported/pixel'],
    ['sign a browser upload', 'GET', '/upload-signature?timestamp=1700000000'],
  ];
  const uploaded = [];
  for (const [name, method, route, body, headers] of steps) {
    const { theirs, mine } = await both(method, route, body, headers);
    if (route === '/upload?folder=shop') {
      // Uploads without a public id get a random one: keep it aside, compare the rest.
      assert.equal(theirs.status, 201, name);
      uploaded.push([theirs.body.public_id, mine.body.public_id]);
      const strip = (b) => {
        const id = b.public_id;
        return JSON.parse(JSON.stringify(b).split(id).join('ID'));
      };
      assert.deepEqual(strip(mine.body), strip(theirs.body), name);
      assert.match(mine.body.thumbnail, /^https?:\/\/EMULATOR\/.*\/image\/upload\/c_fill,/, name);
      assert.match(mine.body.img, /^<img src='https?:\/\/EMULATOR\//, name);
    } else {
      // The uploads' random ids as the n-th upload; listed ids sorted after that.
      const named = (r, side) => {
        let text = JSON.stringify(r);
        uploaded.forEach((ids, i) => (text = text.split(ids[side]).join(`UPLOAD${i}`)));
        const out = JSON.parse(text);
        if (out.body && Array.isArray(out.body.public_ids)) out.body.public_ids.sort();
        return out;
      };
      assert.deepEqual(named(mine, 1), named(theirs, 0), name);
    }
  }
  // Both apps answered with real data (not two identical failures).
  const listed = await both('GET', '/images?tag=upload');
  assert.equal(listed.theirs.body.total_count, 2);
  assert.equal(uploaded.length, 2);
});
