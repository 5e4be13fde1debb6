'use strict';
/**
 * `cldkit/compat`: the cloudinary npm SDK's names and signatures for the URL, signing,
 * verification, download and tag helpers, computed by cldkit. Switch an app by changing
 * `require('cloudinary').v2` to `require('cldkit/compat').v2` (or the v1 names).
 *
 * Covered: `config`, `url`, `image`, `video`, `picture`, `source`; `utils.url`,
 * `utils.video_url`, `utils.video_thumbnail_url`, `utils.api_url`, `utils.api_sign_request`,
 * `utils.sign_request`, `utils.verifyNotificationSignature`,
 * `utils.verify_api_response_signature`, `utils.private_download_url`,
 * `utils.zip_download_url`, `utils.download_archive_url`, `utils.download_zip_url`,
 * `utils.download_folder`, `utils.download_backedup_asset`, `utils.generate_auth_token`;
 * `uploader.download_generated_sprite`, `uploader.download_multi`.
 *
 * Not covered (see README): network calls (`uploader.upload`, `api.*`, `search`),
 * upload streams and tags (`image_upload_tag`), `cloudinary_js_config`, the Node SDK's
 * own output quirks (cldkit follows the reference SDK where the two SDKs differ, see the
 * corpus README), and plain `Error`s: failures are `CldkitError`s.
 */
const cldkit = require('./index.js');
const native = require('./native.js');

let settings = null;
let cached = null;

function fromEnvironment() {
  return native.envConfig();
}

/**
 * The SDK's `config()`: `config()` returns the settings, `config({...})` merges,
 * `config(key, value)` sets one, `config(key)` reads one, `config(true)` reloads the
 * environment.
 */
function config(newConfig, newValue) {
  if (settings === null || newConfig === true) {
    settings = fromEnvironment();
    cached = null;
  }
  if (newConfig && typeof newConfig === 'object') {
    Object.assign(settings, newConfig);
    cached = null;
  } else if (typeof newConfig === 'string') {
    if (newValue === undefined) return settings[newConfig];
    settings[newConfig] = newValue;
    cached = null;
  }
  return settings;
}

function client() {
  if (cached === null) cached = new cldkit.Client(config());
  return cached;
}

function url(public_id, options = {}) {
  return client().url(public_id, options);
}

function video_url(public_id, options = {}) {
  return client().url(public_id, { resource_type: 'video', ...options });
}

/** The SDK's `api_sign_request`: algorithm and version default to the configured ones. */
function api_sign_request(params_to_sign, api_secret, signature_algorithm = null, signature_version = null) {
  const c = config();
  return cldkit.apiSignRequest(
    params_to_sign,
    api_secret,
    signature_algorithm || c.signature_algorithm || 'sha1',
    signature_version == null ? c.signature_version || 2 : signature_version,
  );
}

/** The SDK's `sign_request`: the params plus `signature` and `api_key`. */
function sign_request(params, options = {}) {
  const c = config();
  const apiKey = options.api_key || c.api_key;
  const apiSecret = options.api_secret || c.api_secret;
  if (!apiKey) throw new cldkit.ConfigError('Must supply api_key', 'config', 'api_key');
  if (!apiSecret) throw new cldkit.ConfigError('Must supply api_secret', 'config', 'api_secret');
  const signature = api_sign_request(params, apiSecret, options.signature_algorithm, options.signature_version);
  return { ...params, signature, api_key: apiKey };
}

const utils = {
  url,
  video_url,
  video_thumbnail_url: (public_id, options = {}) => client().videoThumbnailUrl(public_id, options),
  api_url: (action = 'upload', options = {}) => client().apiUrl(action, options),
  api_sign_request,
  sign_request,
  verifyNotificationSignature: (body, timestamp, signature, valid_for = 7200) =>
    client().verifyNotification(body, timestamp, signature, valid_for),
  verify_api_response_signature: (public_id, version, signature) =>
    client().verifyApiResponse(public_id, version, signature),
  private_download_url: (public_id, format, options = {}) =>
    client().privateDownloadUrl(public_id, format, options),
  zip_download_url: (tag, options = {}) => client().zipDownloadUrl(tag, options),
  download_archive_url: (options = {}) => client().downloadArchiveUrl(options),
  download_zip_url: (options = {}) => client().downloadZipUrl(options),
  download_folder: (folder_path, options = {}) => client().downloadFolder(folder_path, options),
  download_backedup_asset: (asset_id, version_id, options = {}) =>
    client().downloadBackedupAsset(asset_id, version_id, options),
  generate_auth_token: (options = {}) => client().authToken(options),
};

/** `tag` is a tag, or an options object holding `urls` (the SDK's two call forms). */
function spriteArgs(tag, options) {
  if (tag !== null && typeof tag === 'object' && !Array.isArray(tag)) {
    const { urls = null, ...rest } = { ...tag, ...options };
    return [null, urls, rest];
  }
  return [tag, null, options];
}

const uploader = {
  download_generated_sprite: (tag, options = {}) =>
    client().downloadGeneratedSprite(...spriteArgs(tag, options)),
  download_multi: (tag, options = {}) => client().downloadMulti(...spriteArgs(tag, options)),
};

const compat = {
  config,
  url,
  image: (source, options = {}) => client().imageTag(source, options),
  video: (public_id, options = {}) => client().videoTag(public_id, options),
  picture: (public_id, options = {}) => client().pictureTag(public_id, options),
  source: (public_id, options = {}) => client().sourceTag(public_id, options),
  utils,
  uploader,
  CldkitError: cldkit.CldkitError,
};
compat.v2 = compat;
compat.default = compat;

module.exports = compat;
