'use strict';
// Paths shared by the Node test files.
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const BINDING = path.join(REPO, 'bindings-node');
const SHARED = process.env.CLDKIT_SHARED
  ? path.resolve(process.env.CLDKIT_SHARED)
  : path.resolve(REPO, '..', 'shared');
const CORPUS = path.join(SHARED, 'conformance');

module.exports = { REPO, BINDING, SHARED, CORPUS };

/**
 * Starts the local Cloudinary emulator (`cldkit serve --port 0`, built by ci.sh; override
 * with CLDKIT_BIN) and resolves `{ url, base, stop(), setFaults(rules) }` where `url` is its
 * CLOUDINARY_URL and `base` its HTTP address.
 */
function startEmulator(extraArgs = []) {
  const { spawn } = require('child_process');
  const fs = require('fs');
  const targetDir = process.env.CARGO_TARGET_DIR || path.join(REPO, 'target');
  const bin = process.env.CLDKIT_BIN || path.join(targetDir, 'debug', 'cldkit');
  if (!fs.existsSync(bin)) {
    throw new Error(`no emulator binary at ${bin}: run \`cargo build -p cldkit-cli\` (ci.sh does)`);
  }
  const child = spawn(bin, ['serve', '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`emulator did not start: ${out}${err}`)), 30000);
    const fail = (e) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => fail(new Error(`emulator exited (${code}): ${err}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/CLOUDINARY_URL=(\S+)/);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = m[1];
      const base = decodeURIComponent(url.split('upload_prefix=')[1]);
      resolve({
        url,
        base,
        stop: () => child.kill('SIGKILL'),
        setFaults: (rules) => request(`${base}/_emulator/faults`, rules ? 'POST' : 'DELETE', rules, basicAuth(url)),
      });
    });
  });
}

/** `Basic base64(api_key:api_secret)` of a `cloudinary://key:secret@cloud` URL (the
 * credentials the emulator's control endpoints want). */
function basicAuth(cloudinaryUrl) {
  const u = new URL(cloudinaryUrl);
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** A small HTTP request (no dependency on `fetch`): resolves `{ status, body }`. */
function request(url, method, body, authorization) {
  const http = require('http');
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const headers = { 'content-length': data ? data.length : 0, connection: 'close' };
    if (data) headers['content-type'] = 'application/json';
    if (authorization) headers.authorization = authorization;
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

module.exports.startEmulator = startEmulator;
module.exports.request = request;
module.exports.basicAuth = basicAuth;
