'use strict';
// A small Express app that stores uploads in Cloudinary, written against the cloudinary
// npm SDK. `app-cldkit.js` is this file with the require below swapped for cldkit's
// drop-in; nothing else differs (the test checks it).
const express = require('express');
const cloudinary = require('cldkit/compat').v2;

/** What the app answers for a stored asset. */
function describe(result) {
  return {
    public_id: result.public_id,
    format: result.format,
    bytes: result.bytes,
    width: result.width,
    height: result.height,
    tags: result.tags,
    secure_url: result.secure_url,
    thumbnail: cloudinary.url(result.public_id, { width: 150, height: 150, crop: 'fill', gravity: 'auto', format: 'jpg' }),
    responsive: cloudinary.url(result.public_id, { transformation: [{ width: 800, crop: 'limit' }, { quality: 'auto', fetch_format: 'auto' }] }),
    img: cloudinary.image(result.public_id, { width: 300, crop: 'scale', alt: 'An upload', loading: 'lazy' }),
  };
}

/** The HTTP status and body of an SDK failure. */
function failure(res, e) {
  const error = e && e.error ? e.error : e;
  res.status((error && error.http_code) || 500).json({ error: (error && error.message) || String(e) });
}

function createApp() {
  const app = express();

  // POST /upload?folder=...: the request body is the file, streamed to Cloudinary.
  app.post('/upload', express.raw({ type: () => true, limit: '20mb' }), (req, res) => {
    const options = { folder: req.query.folder || 'express', tags: ['express', 'upload'], context: { source: 'express' } };
    const stream = cloudinary.uploader.upload_stream(options, (error, result) => {
      if (error) return failure(res, error);
      res.status(201).json(describe(result));
    });
    stream.end(req.body);
  });

  // POST /import {"url": ..., "public_id": ...}: Cloudinary fetches a remote file or data URI.
  app.post('/import', express.json(), async (req, res) => {
    try {
      const result = await cloudinary.uploader.upload(req.body.url, { public_id: req.body.public_id, overwrite: true });
      res.status(201).json(describe(result));
    } catch (e) {
      failure(res, e);
    }
  });

  // GET /images/<public id>: the stored asset, with its delivery URLs.
  app.get(/^\/images\/(.+)$/, async (req, res) => {
    try {
      res.json(describe(await cloudinary.api.resource(req.params[0])));
    } catch (e) {
      failure(res, e);
    }
  });

  // GET /images?tag=...: the assets with a tag.
  app.get('/images', async (req, res) => {
    try {
      const found = await cloudinary.search.expression(`tags=${req.query.tag}`).sort_by('public_id', 'asc').max_results(50).execute();
      res.json({ total_count: found.total_count, public_ids: found.resources.map((r) => r.public_id) });
    } catch (e) {
      failure(res, e);
    }
  });

  // DELETE /images/<public id>
  app.delete(/^\/images\/(.+)$/, async (req, res) => {
    try {
      res.json(await cloudinary.uploader.destroy(req.params[0], { invalidate: true }));
    } catch (e) {
      failure(res, e);
    }
  });

  // GET /upload-signature?timestamp=...: the signature a browser upload widget needs.
  app.get('/upload-signature', (req, res) => {
    const params = { timestamp: Number(req.query.timestamp), folder: 'express', tags: 'browser' };
    const signature = cloudinary.utils.api_sign_request(params, cloudinary.config().api_secret);
    res.json({ ...params, signature, api_key: cloudinary.config().api_key });
  });

  return app;
}

module.exports = { createApp };
