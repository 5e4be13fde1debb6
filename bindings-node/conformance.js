#!/usr/bin/env node
'use strict';
/**
 * Conformance driver: reads corpus cases (JSON Lines) on stdin and writes one
 * `{"id", "result"}` line per case, calling only the public cldkit API.
 *
 *   node bindings-node/conformance.js [--profile python|node|default] < cases.jsonl
 *
 * In the `node` profile each case runs with the Node.js version the npm SDK's results
 * were recorded with as `tech_version` (unless its config sets one), as the clock is
 * pinned, and `sign_request` goes through `Client#signRequest` with the call's secret,
 * algorithm and version as settings (the npm SDK's `api_sign_request` reads them so).
 *
 * Cases are read losslessly (lossless-json.js): numbers written with a fraction are passed
 * as `cldkit.float(x)`. A CldkitError becomes `{"error": "<code>: <message>"}`; any other
 * exception (a bug in this driver or the binding) becomes `{"crash": ...}`, which never
 * matches an expected result.
 */
const readline = require('readline');
const cldkit = require('./index.js');
const { parse } = require('./lossless-json.js');

const CORPUS_CLOCK = 1700000000;
/** The Node.js version the corpus's npm SDK results were recorded with. */
const CORPUS_NODE_VERSION = '20.20.2';

/** `[[name, value], ...]` sorted by name, stable (repeated names keep sending order). */
function sortedFields(fields) {
  return fields
    .map((f, i) => [f, i])
    .sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]))
    .map(([f]) => f);
}

function requestResult(req) {
  const out = { url: req.url, fields: sortedFields(req.fields) };
  if (req.authorization !== undefined) out.authorization = req.authorization;
  return out;
}

function analyticsParam(url) {
  if (typeof url !== 'string') return null;
  for (const part of url.split(/[?&]/).slice(1)) {
    if (part.startsWith('_a=')) return part.slice(3);
  }
  return null;
}

const KINDS = {
  url: (c, i) => ({ url: c.url(i.source, i.options) }),
  analytics: (c, i) => {
    const url = c.url(i.source, i.options);
    return { url, a: analyticsParam(url) };
  },
  video_thumbnail_url: (c, i) => ({ url: c.videoThumbnailUrl(i.public_id, i.options) }),
  auth_token: (c, i) => ({ token: c.authToken(i.options) }),
  config_parse: (c, i) => ({ config: cldkit.parseConfigUrl(i.url, i.env, c.profile) }),
  api_url: (c, i) => ({ url: c.apiUrl(i.action, i.options) }),
  sign_request: (_c, i, config, profile) => {
    const secret = 'api_secret' in i ? i.api_secret : config.api_secret;
    if (profile === 'node') {
      const settings = { ...config };
      if (secret !== undefined) settings.api_secret = secret;
      if (i.algorithm) settings.signature_algorithm = i.algorithm;
      if (i.signature_version != null) settings.signature_version = i.signature_version;
      return { signature: new cldkit.Client(settings, { profile: 'node' }).signRequest(i.params) };
    }
    return {
      signature: cldkit.apiSignRequest(i.params, secret, i.algorithm, i.signature_version),
    };
  },
  verify_notification: (c, i) => ({
    valid: c
      .withClock(typeof i.now === 'number' ? i.now : CORPUS_CLOCK)
      .verifyNotification(i.body, i.timestamp, i.signature, i.valid_for),
  }),
  verify_api_response: (c, i) => ({
    valid: c.verifyApiResponse(i.public_id, i.version, i.signature),
  }),
  upload_params: (c, i) => ({ params: c.uploadParams(i.options) }),
  signed_upload_form: (c, i) => requestResult(c.uploadForm(i.file, i.options)),
  upload_api_call: (c, i) => requestResult(c.uploadApiCall(i.method, i.args, i.options)),
  private_download_url: (c, i) => ({
    url: c.privateDownloadUrl(i.public_id, i.format, i.options),
  }),
  download_archive_url: (c, i) => ({ url: c.downloadArchiveUrl(i.options) }),
  download_zip_url: (c, i) => ({ url: c.downloadZipUrl(i.options) }),
  download_folder: (c, i) => ({ url: c.downloadFolder(i.folder_path, i.options) }),
  download_backedup_asset: (c, i) => ({
    url: c.downloadBackedupAsset(i.asset_id, i.version_id, i.options),
  }),
  zip_download_url: (c, i) => ({ url: c.zipDownloadUrl(i.tag, i.options) }),
  download_generated_sprite: (c, i) => ({
    url: c.downloadGeneratedSprite(i.tag, i.urls, i.options),
  }),
  download_multi: (c, i) => ({ url: c.downloadMulti(i.tag, i.urls, i.options) }),
  image_tag: (c, i) => ({ html: c.imageTag(i.public_id, i.options) }),
  video_tag: (c, i) => ({ html: c.videoTag(i.public_id, i.options) }),
  picture_tag: (c, i) => ({ html: c.pictureTag(i.public_id, i.options) }),
};

/** Runs one parsed case and returns its result object. */
function runCase(testCase, profile) {
  const run = KINDS[testCase.kind];
  if (!run) return { unsupported: testCase.kind };
  let config = testCase.config || {};
  if (profile === 'node' && !('tech_version' in config)) {
    config = { ...config, tech_version: CORPUS_NODE_VERSION };
  }
  try {
    const client = new cldkit.Client(config, { profile }).withClock(CORPUS_CLOCK);
    return run(client, testCase.input || {}, config, profile);
  } catch (e) {
    if (e instanceof cldkit.CldkitError) return { error: `${e.code}: ${e.message}` };
    return { crash: `${e && e.name}: ${e && e.message}` };
  }
}

/** JSON text of a result; BigInts and float markers print as numbers. */
function stringify(v) {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
}

function main() {
  const args = process.argv.slice(2);
  let profile = 'default';
  const at = args.indexOf('--profile');
  if (at >= 0) profile = args[at + 1];
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = [];
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let testCase;
    try {
      testCase = parse(line);
    } catch (e) {
      out.push(stringify({ id: null, result: { crash: `unreadable case: ${e.message}` } }));
      return;
    }
    out.push(stringify({ id: testCase.id, result: runCase(testCase, profile) }));
    if (out.length >= 512) process.stdout.write(out.splice(0).join('\n') + '\n');
  });
  rl.on('close', () => {
    if (out.length) process.stdout.write(out.join('\n') + '\n');
  });
}

if (require.main === module) main();

module.exports = { runCase, KINDS };
