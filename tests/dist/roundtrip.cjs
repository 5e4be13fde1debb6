'use strict';
// An upload to the emulator in CLOUDINARY_URL, read back through the Admin API and the
// emulator's delivery URL; resolves the number of bytes. Shared by check.cjs and check.mjs.
const assert = require('assert/strict');
const crypto = require('crypto');
const http = require('http');

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(parts) }));
      })
      .on('error', reject);
  });
}

async function roundTrip(Client, publicId) {
  const cloudinaryUrl = new URL(process.env.CLOUDINARY_URL);
  const base = cloudinaryUrl.searchParams.get('upload_prefix');
  const client = Client.fromUrl(process.env.CLOUDINARY_URL);
  const payload = crypto.randomBytes(3000);
  const result = await client.upload(payload, { public_id: publicId, resource_type: 'raw' });
  assert.equal(result.public_id, publicId);
  assert.equal(result.bytes, payload.length);
  const resource = await client.resource(publicId, { resource_type: 'raw' });
  assert.equal(resource.bytes, payload.length);
  const delivered = await get(`${base}/${cloudinaryUrl.hostname}/raw/upload/${publicId}`);
  assert.equal(delivered.status, 200);
  assert.ok(delivered.body.equals(payload), 'delivered bytes differ');
  return payload.length;
}

module.exports = { roundTrip };
