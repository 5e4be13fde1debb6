'use strict';
/**
 * `cldkit/compat`: a drop-in for the cloudinary npm SDK's `require('cloudinary').v2`.
 * Switch an app by changing that require to `require('cldkit/compat').v2` (the module
 * itself is the v2 object too). Every call runs in the cldkit engine in the `node`
 * profile (the npm SDK 2.11.0's output byte for byte); this file only adapts names,
 * arguments and results to the npm SDK's:
 *
 * - `config()` as the SDK's: global settings from `CLOUDINARY_URL` /
 *   `CLOUDINARY_ACCOUNT_URL` / `CLOUDINARY_API_PROXY` (parsed by the engine's node
 *   parser), merged by `config({...})`, `config(key, value)`, read by `config(key)`,
 *   reloaded by `config(true)`; options of a call override them for that call.
 * - `url`, `image`, `video`, `picture`, `source`, `utils.*`: synchronous, as in the SDK.
 *   `utils.url` deletes from the caller's options the keys the URL consumed (the SDK
 *   does; what is left are HTML attributes), `url` works on a copy.
 * - `uploader.*`, `api.*`, `search`, `search_folders`, `provisioning.account.*`: the
 *   SDK's argument order, a Promise, and the callback form where the SDK has one
 *   (`(error, result)`; provisioning calls get the SDK's single `result` argument).
 *   Failures are shaped as the SDK's: the Upload API rejects with
 *   `{ message, name, http_code }`, the Admin and Provisioning APIs with
 *   `{ error: { message, http_code } }`. Returned Promises never cause an unhandled
 *   rejection on their own (the SDK's habit, so callback users are not hurt).
 * - `uploader.upload_stream` (and `unsigned_upload_stream`, `upload_chunked_stream`)
 *   return a Writable stream; `upload_large` / `upload_chunked` of a local file return
 *   the stream the file is piped into, as the SDK does.
 *
 * Not covered: the SDK's `cloudinary_js_config`, `image_upload_tag` and the other
 * upload-form HTML helpers, `analysis`, `PreloadedFile`, `Cache`, and the request details
 * the SDK adds to a rejection (`request_options`, `query_params`: they hold credentials).
 */
const fs = require('fs');
const { PassThrough } = require('stream');
const cldkit = require('./index.js');
const fastpath = require('./fastpath.js');
const native = require('./native.js');

const PROFILE = { profile: 'node' };

// ---- configuration --------------------------------------------------------------------

let settings = null;
let version = 0;
let cachedClient = null;
let cachedVersion = -1;

/** The settings from the environment, as the npm SDK's config() loads them. */
function fromEnvironment() {
  const env = process.env;
  const out = {};
  if (env.CLOUDINARY_API_PROXY) out.api_proxy = env.CLOUDINARY_API_PROXY;
  if (env.CLOUDINARY_URL) Object.assign(out, cldkit.parseConfigUrl(env.CLOUDINARY_URL, 'cloudinary', 'node'));
  if (env.CLOUDINARY_ACCOUNT_URL) {
    Object.assign(out, cldkit.parseConfigUrl(env.CLOUDINARY_ACCOUNT_URL, 'account', 'node'));
  }
  return out;
}

/**
 * The settings object: writes to it (`config().secure = true`, `Object.assign`) are seen
 * by the next call, as in the SDK, which reads its settings on every call.
 */
function trackedSettings(initial) {
  return new Proxy(initial, {
    set(target, key, value) {
      target[key] = value;
      version++;
      return true;
    },
    deleteProperty(target, key) {
      delete target[key];
      version++;
      return true;
    },
  });
}

/**
 * The SDK's `config()`: `config()` returns the settings, `config({...})` merges,
 * `config(key, value)` sets one, `config(key)` reads one, `config(true)` reloads the
 * environment.
 */
function config(newConfig, newValue) {
  if (settings === null || newConfig === true) {
    const loaded = fromEnvironment();
    if (settings === null) {
      settings = trackedSettings(loaded);
    } else {
      for (const key of Object.keys(settings)) delete settings[key];
      Object.assign(settings, loaded);
    }
    version++;
  }
  if (newValue !== undefined) {
    settings[newConfig] = newValue;
  } else if (typeof newConfig === 'string') {
    return settings[newConfig];
  } else if (newConfig !== null && typeof newConfig === 'object') {
    Object.assign(settings, newConfig);
  }
  return settings;
}

/** The engine client of the current global settings (rebuilt when they change). */
function client() {
  if (settings === null) config();
  if (cachedVersion !== version) {
    cachedClient = new cldkit.Client({ ...settings }, PROFILE);
    cachedVersion = version;
  }
  return cachedClient;
}

// ---- results and errors ---------------------------------------------------------------

/** The HTTP status of an engine failure, or undefined. */
function statusOf(e) {
  return e instanceof cldkit.ApiError && e.status != null ? e.status : undefined;
}

/**
 * The server's own error message: the engine's message without the ` (HTTP <status>)`
 * and ` [request id <id>]` it appends (the SDK passes the server's text on).
 */
function serverMessage(e) {
  let m = String(e.message);
  const id = e.requestId == null ? null : ` [request id ${e.requestId}]`;
  if (id !== null && m.endsWith(id)) m = m.slice(0, -id.length);
  const status = ` (HTTP ${e.status})`;
  if (m.endsWith(status)) m = m.slice(0, -status.length);
  return m;
}

/** An Upload API failure as the SDK rejects it: `{ message, name, http_code }`. */
function uploadFailure(e) {
  if (!(e instanceof cldkit.ApiError)) return e;
  // A file that cannot be read: the SDK rejects with `{ error }` (the read error).
  if (e.code === 'io') return { error: e };
  if (e.code === 'timeout') return { message: 'Request Timeout', http_code: 499, name: 'TimeoutError' };
  const status = statusOf(e);
  if (status === undefined) return e;
  return { message: serverMessage(e), name: 'Error', http_code: status };
}

/** An Admin/Provisioning API failure as the SDK rejects it: `{ error: { message, http_code } }`. */
function apiFailure(e) {
  if (!(e instanceof cldkit.ApiError)) return e;
  const status = statusOf(e);
  if (status === undefined) return e;
  const error = { message: serverMessage(e), http_code: status };
  if (config().debug && e.requestId != null) error.request_id = e.requestId;
  return { error };
}

/**
 * A response as the SDK resolves it: the engine's `request_id` only in debug mode (the
 * SDK adds it then).
 */
function sdkResult(r) {
  if (r === null || typeof r !== 'object') return r;
  if ('request_id' in r && !config().debug) delete r.request_id;
  // The SDK gives the rate limit's reset time as a Date.
  if (typeof r.rate_limit_reset_at === 'number') r.rate_limit_reset_at = new Date(r.rate_limit_reset_at * 1000);
  return r;
}

/**
 * The SDK's result: a Promise that never counts as an unhandled rejection by itself,
 * and `callback(error, result)` when given (`style` `'single'`: `callback(result)`, the
 * provisioning calls' form, with `{ error }` on failure).
 */
function settle(promise, callback, failure, style) {
  const shaped = promise.then(
    (r) => sdkResult(r),
    (e) => {
      throw failure(e);
    },
  );
  shaped.catch(() => {});
  if (typeof callback === 'function') {
    shaped.then(
      (r) => (style === 'single' ? callback(r) : callback(undefined, r)),
      (e) => {
        // The SDK's callbacks get the failure's `error` part (`{ message, http_code }`,
        // a read error), provisioning ones the whole `{ error }`.
        const wrapped = e !== null && typeof e === 'object' && !(e instanceof Error) && e.error != null;
        if (style !== 'single') return callback(wrapped ? e.error : e);
        return callback(wrapped ? e : { error: e });
      },
    );
  }
  return shaped;
}

/** Runs `start()` as a Promise (a synchronous throw becomes a rejection). */
function attempt(start) {
  try {
    return Promise.resolve(start());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The v2 calling convention: `(...n args, options, callback)` or `(...n args, callback)`. */
function optionsAndCallback(args, n) {
  let options = args[n];
  let callback = args[n + 1];
  if (callback == null && typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  return [options == null ? {} : options, callback];
}

/** Option keys the SDK reads but the engine has no use for (objects it cannot carry). */
const TRANSPORT_ONLY = ['agent', 'disable_promises', 'content_type'];

function callOptions(options) {
  if (!TRANSPORT_ONLY.some((k) => k in options)) return options;
  const out = { ...options };
  for (const k of TRANSPORT_ONLY) delete out[k];
  return out;
}

/** Runs a network row of the engine's catalogue by name (a Promise). */
function net(name, args, options) {
  return client().call(name, args, callOptions(options));
}

/** Runs a local row of the engine's catalogue by name (URLs, tags, signatures). */
function local(name, args, options) {
  return client().callLocal(name, args, options == null ? {} : options);
}

// ---- URLs and tags --------------------------------------------------------------------

/** `cloudinary.url(public_id, options)`: works on a copy of the options. */
function url(public_id, options) {
  return client().url(public_id, options == null ? {} : options);
}

/**
 * `cloudinary.utils.url(public_id, options)`: as `url`, and the keys the URL consumed
 * are deleted from `options` (the SDK's habit; what is left are HTML attributes).
 */
function utilsUrl(public_id, options) {
  if (options == null || typeof options !== 'object') return client().url(public_id, {});
  const { url: result, leftovers } = client()._urlLeftovers(public_id, options);
  for (const key of Object.keys(options)) {
    if (!(key in leftovers)) delete options[key];
  }
  for (const key of Object.keys(leftovers)) {
    if (!(key in options)) options[key] = leftovers[key];
  }
  return result;
}


// ---- signing --------------------------------------------------------------------------

const signers = new Map();

/** A node-profile client that signs with `secret`, `algorithm` and `signatureVersion`. */
function signer(secret, algorithm, signatureVersion) {
  const key = `${algorithm}\u0000${signatureVersion}\u0000${secret}`;
  let c = signers.get(key);
  if (c === undefined) {
    const s = { api_secret: secret };
    if (algorithm != null) s.signature_algorithm = algorithm;
    if (signatureVersion != null) s.signature_version = signatureVersion;
    c = new cldkit.Client(s, PROFILE);
    if (signers.size > 64) signers.clear();
    signers.set(key, c);
  }
  return c;
}

let signDefaults = null;
let signDefaultsVersion = -1;

/**
 * The configured `signature_algorithm` and `signature_version` (`null` when unset), read
 * once per configuration change rather than through the settings proxy on every call.
 */
function signingDefaults() {
  if (settings === null) config();
  if (signDefaultsVersion !== version) {
    signDefaults = {
      algorithm: settings.signature_algorithm || null,
      version: settings.signature_version || null,
    };
    signDefaultsVersion = version;
  }
  return signDefaults;
}

/**
 * The SDK's `api_sign_request(params_to_sign, api_secret, signature_algorithm,
 * signature_version)`: algorithm and version default to the configured ones.
 */
function api_sign_request(params_to_sign, api_secret, signature_algorithm = null, signature_version = null) {
  const c = signingDefaults();
  const algorithm = signature_algorithm || c.algorithm;
  const sigVersion = signature_version == null ? c.version : signature_version;
  const encoded = fastpath.encode(params_to_sign);
  if (encoded !== null) return native.apiSignRequestNodeEncoded(encoded, api_secret, algorithm, sigVersion);
  return signer(api_secret, algorithm, sigVersion).callLocal('sign_request', { params: params_to_sign }, {});
}

/** The option `name` of a call, else the configured one; the SDK's error when neither. */
function required(options, name) {
  const value = options[name] !== undefined ? options[name] : config()[name];
  if (value === undefined) throw new Error(`Must supply ${name}`);
  return value;
}

/** Whether `v` counts as given (the SDK's `present`: not null/undefined, not ''). */
const present = (v) => v != null && String(v).length > 0;

/** The SDK's `sign_request(params, options)`: blank params dropped, `signature` and `api_key` added. */
function sign_request(params, options = {}) {
  const apiKey = required(options, 'api_key');
  const apiSecret = required(options, 'api_secret');
  const out = {};
  for (const [k, v] of Object.entries(params)) {
    if (present(v)) out[k] = Array.isArray(v) ? v.filter((x) => x) : v;
  }
  out.signature = api_sign_request(out, apiSecret, options.signature_algorithm, options.signature_version);
  out.api_key = apiKey;
  return out;
}

// ---- utils ----------------------------------------------------------------------------

/**
 * `tag` is a tag, or the options holding `urls` (the SDK's two call forms; with the
 * second, nothing may follow).
 */
function spriteArgs(tag, options) {
  if (typeof tag === 'string') return [{ tag, urls: null }, options == null ? {} : options];
  if (options != null && Object.keys(options).length > 0) {
    throw new Error('First argument must be a tag when additional options are passed');
  }
  const { urls = null, ...rest } = tag == null ? {} : tag;
  return [{ tag: null, urls }, rest];
}

const utils = {
  url: utilsUrl,
  video_url: (public_id, options) => url(public_id, { resource_type: 'video', ...options }),
  video_thumbnail_url: (public_id, options) => local('video_thumbnail_url', { public_id }, options),
  api_url: (action = 'upload', options = {}) => local('api_url', { action }, options),
  api_sign_request,
  sign_request,
  verifyNotificationSignature: (body, timestamp, signature, valid_for = 7200) =>
    local('verify_notification', { body, timestamp, signature, valid_for }),
  verify_api_response_signature: (public_id, version, signature) =>
    local('verify_api_response', { public_id, version, signature }),
  private_download_url: (public_id, format, options) => local('private_download_url', { public_id, format }, options),
  zip_download_url: (tag, options) => local('zip_download_url', { tag }, options),
  download_archive_url: (options) => local('download_archive_url', {}, options),
  download_zip_url: (options) => local('download_zip_url', {}, options),
  download_folder: (folder_path, options) => local('download_folder', { folder_path }, options),
  download_backedup_asset: (asset_id, version_id, options) =>
    local('download_backedup_asset', { asset_id, version_id }, options),
  generate_auth_token: (options) => local('auth_token', {}, options),
  build_upload_params: (options) => local('upload_params', {}, options),
  timestamp: () => Math.floor(Date.now() / 1000),
};
utils.verify_notification_signature = utils.verifyNotificationSignature;

// ---- uploader -------------------------------------------------------------------------

/** Uploads `file` (a path, URL, data URI or stream) through the engine. */
function uploadFile(file, options) {
  const c = client();
  return c.upload(file, callOptions(options));
}

/** The SDK's `(args..., options, callback)` Upload API call returning a Promise. */
function uploadCall(n, run) {
  return function uploaderCall(...args) {
    const [options, callback] = optionsAndCallback(args, n);
    return settle(attempt(() => run(...args.slice(0, n), options)), callback, uploadFailure);
  };
}

/**
 * A Writable whose bytes are uploaded when it ends: what the SDK's `upload_stream`
 * returns. The result (or failure) goes to `callback(error, result)`.
 */
function uploadStream(options, callback) {
  const stream = new PassThrough();
  const opts = { ...options };
  if (opts.filename == null) opts.filename = 'file';
  settle(attempt(() => uploadFile(stream, opts)), callback, uploadFailure);
  return stream;
}

const uploader = {
  upload: uploadCall(1, (file, options) => uploadFile(file, options)),
  unsigned_upload: uploadCall(2, (file, upload_preset, options) =>
    uploadFile(file, { ...options, unsigned: true, upload_preset }),
  ),
  upload_stream(options, callback) {
    [options, callback] = optionsAndCallback([options, callback], 0);
    return uploadStream(options, callback);
  },
  unsigned_upload_stream(upload_preset, options, callback) {
    [options, callback] = optionsAndCallback([options, callback], 0);
    return uploadStream({ ...options, unsigned: true, upload_preset }, callback);
  },
  upload_chunked_stream(options, callback) {
    [options, callback] = optionsAndCallback([options, callback], 0);
    return uploadStream(options, callback);
  },
  upload_chunked(path, options, callback) {
    [options, callback] = optionsAndCallback([options, callback], 0);
    const out = uploadStream(options, callback);
    return fs.createReadStream(path).pipe(out);
  },
  upload_large(path, options, callback) {
    [options, callback] = optionsAndCallback([options, callback], 0);
    if (typeof path === 'string' && /^(ftp|https?|s3|gs):\/\/|^data:/.test(path)) {
      return uploader.upload(path, options, callback);
    }
    if (path != null && !options.filename) {
      // The SDK names the upload after the file (and writes that into the caller's options).
      options.filename = path.split(/[\\/]/).pop().replace(/\.[^/.]+$/, '');
    }
    return uploader.upload_chunked(path, { resource_type: 'raw', ...options }, callback);
  },
  explicit: uploadCall(1, (public_id, o) => net('explicit', { public_id }, o)),
  destroy: uploadCall(1, (public_id, o) => net('destroy', { public_id }, o)),
  rename: uploadCall(2, (from_public_id, to_public_id, o) => net('rename', { from_public_id, to_public_id }, o)),
  text: uploadCall(1, (text, o) => net('text', { text }, o)),
  generate_sprite: uploadCall(1, (tag, o) => net('generate_sprite', ...spriteArgs(tag, o))),
  multi: uploadCall(1, (tag, o) => net('multi', ...spriteArgs(tag, o))),
  explode: uploadCall(1, (public_id, o) => net('explode', { public_id }, o)),
  add_tag: uploadCall(2, (tag, public_ids, o) => net('add_tag', { tag, public_ids }, o)),
  remove_tag: uploadCall(2, (tag, public_ids, o) => net('remove_tag', { tag, public_ids }, o)),
  replace_tag: uploadCall(2, (tag, public_ids, o) => net('replace_tag', { tag, public_ids }, o)),
  remove_all_tags: uploadCall(1, (public_ids, o) => net('remove_all_tags', { public_ids }, o)),
  add_context: uploadCall(2, (context, public_ids, o) => net('add_context', { context, public_ids }, o)),
  remove_all_context: uploadCall(1, (public_ids, o) => net('remove_all_context', { public_ids }, o)),
  update_metadata: uploadCall(2, (metadata, public_ids, o) => net('update_metadata', { metadata, public_ids }, o)),
  create_archive: uploadCall(0, (o) => net('create_archive', {}, o)),
  create_zip: uploadCall(0, (o) => net('create_zip', {}, o)),
  download_generated_sprite: (tag, options = {}) => local('download_generated_sprite', ...spriteArgs(tag, options)),
  download_multi: (tag, options = {}) => local('download_multi', ...spriteArgs(tag, options)),
};

// ---- Admin API ------------------------------------------------------------------------

/**
 * Every Admin API call of the npm SDK: its name, how many positional arguments come
 * before `(options, callback)`, the catalogue row it runs and the row's argument names
 * for those positions (`null`: the argument is merged into the options).
 */
const ADMIN = [
  ['ping', 0, 'ping', []],
  ['usage', 0, 'usage', []],
  ['config', 0, 'config', []],
  ['resource_types', 0, 'resource_types', []],
  ['resources', 0, 'resources', []],
  ['resources_by_tag', 1, 'resources_by_tag', ['tag']],
  ['resources_by_context', 2, 'resources_by_context', ['key', 'value']],
  ['resources_by_moderation', 2, 'resources_by_moderation', ['kind', 'status']],
  ['resource_by_asset_id', 1, 'resource_by_asset_id', ['asset_id']],
  ['resources_by_asset_ids', 1, 'resources_by_asset_ids', ['asset_ids']],
  ['resources_by_ids', 1, 'resources_by_ids', ['public_ids']],
  ['resources_by_asset_folder', 1, 'resources_by_asset_folder', ['asset_folder']],
  ['resource', 1, 'resource', ['public_id']],
  ['restore', 1, 'restore', ['public_ids']],
  ['restore_by_asset_ids', 1, 'restore_by_asset_ids', ['asset_ids']],
  ['update', 1, 'update', ['public_id']],
  ['delete_resources', 1, 'delete_resources', ['public_ids']],
  ['delete_resources_by_asset_ids', 1, 'delete_resources_by_asset_ids', ['asset_ids']],
  ['delete_resources_by_prefix', 1, 'delete_resources_by_prefix', ['prefix']],
  ['delete_resources_by_tag', 1, 'delete_resources_by_tag', ['tag']],
  ['delete_all_resources', 0, 'delete_all_resources', []],
  ['delete_derived_resources', 1, 'delete_derived_resources', ['derived_resource_ids']],
  ['delete_derived_by_transformation', 2, 'delete_derived_by_transformation', ['public_ids', 'transformations']],
  ['delete_backed_up_assets', 2, 'delete_backed_up_assets', ['asset_id', 'version_ids']],
  ['add_related_assets', 2, 'add_related_assets', ['public_id', 'assets_to_relate']],
  ['add_related_assets_by_asset_id', 2, 'add_related_assets_by_asset_ids', ['asset_id', 'assets_to_relate']],
  ['delete_related_assets', 2, 'delete_related_assets', ['public_id', 'assets_to_unrelate']],
  ['delete_related_assets_by_asset_id', 2, 'delete_related_assets_by_asset_ids', ['asset_id', 'assets_to_unrelate']],
  ['tags', 0, 'tags', []],
  ['transformations', 0, 'transformations', []],
  ['transformation', 1, 'transformation', ['transformation']],
  ['delete_transformation', 1, 'delete_transformation', ['transformation']],
  ['update_transformation', 2, 'update_transformation', ['transformation', null]],
  ['create_transformation', 2, 'create_transformation', ['name', 'definition']],
  ['upload_presets', 0, 'upload_presets', []],
  ['upload_preset', 1, 'upload_preset', ['name']],
  ['delete_upload_preset', 1, 'delete_upload_preset', ['name']],
  ['update_upload_preset', 1, 'update_upload_preset', ['name']],
  ['create_upload_preset', 0, 'create_upload_preset', []],
  ['root_folders', 0, 'root_folders', []],
  ['sub_folders', 1, 'subfolders', ['of_folder_path']],
  ['create_folder', 1, 'create_folder', ['path']],
  ['delete_folder', 1, 'delete_folder', ['path']],
  ['rename_folder', 2, 'rename_folder', ['from_path', 'to_path']],
  ['upload_mappings', 0, 'upload_mappings', []],
  ['upload_mapping', 1, 'upload_mapping', ['name']],
  ['delete_upload_mapping', 1, 'delete_upload_mapping', ['name']],
  ['update_upload_mapping', 1, 'update_upload_mapping', ['name']],
  ['create_upload_mapping', 1, 'create_upload_mapping', ['name']],
  ['list_streaming_profiles', 0, 'list_streaming_profiles', []],
  ['get_streaming_profile', 1, 'get_streaming_profile', ['name']],
  ['delete_streaming_profile', 1, 'delete_streaming_profile', ['name']],
  ['update_streaming_profile', 1, 'update_streaming_profile', ['name']],
  ['create_streaming_profile', 1, 'create_streaming_profile', ['name']],
  ['publish_by_ids', 1, 'publish_by_ids', ['public_ids']],
  ['publish_by_tag', 1, 'publish_by_tag', ['tag']],
  ['publish_by_prefix', 1, 'publish_by_prefix', ['prefix']],
  ['update_resources_access_mode_by_prefix', 2, 'update_resources_access_mode_by_prefix', ['access_mode', 'prefix']],
  ['update_resources_access_mode_by_tag', 2, 'update_resources_access_mode_by_tag', ['access_mode', 'tag']],
  ['update_resources_access_mode_by_ids', 2, 'update_resources_access_mode_by_ids', ['access_mode', 'ids']],
  ['visual_search', 1, 'visual_search', [null]],
  ['add_metadata_field', 1, 'add_metadata_field', ['field']],
  ['list_metadata_fields', 0, 'list_metadata_fields', []],
  ['delete_metadata_field', 1, 'delete_metadata_field', ['field_external_id']],
  ['metadata_field_by_field_id', 1, 'metadata_field_by_field_id', ['field_external_id']],
  ['update_metadata_field', 2, 'update_metadata_field', ['field_external_id', 'field']],
  ['update_metadata_field_datasource', 2, 'update_metadata_field_datasource', ['field_external_id', 'entries_external_id']],
  ['delete_datasource_entries', 2, 'delete_datasource_entries', ['field_external_id', 'entries_external_id']],
  ['restore_metadata_field_datasource', 2, 'restore_metadata_field_datasource', ['field_external_id', 'entries_external_ids']],
  ['order_metadata_field_datasource', 3, 'reorder_metadata_field_datasource', ['field_external_id', 'order_by', 'direction']],
  ['reorder_metadata_fields', 2, 'reorder_metadata_fields', ['order_by', 'direction']],
  ['list_metadata_rules', 0, 'list_metadata_rules', []],
  ['add_metadata_rule', 1, 'add_metadata_rule', ['rule']],
  ['update_metadata_rule', 2, 'update_metadata_rule', ['rule_external_id', 'rule']],
  ['delete_metadata_rule', 1, 'delete_metadata_rule', ['rule_external_id']],
];

/**
 * The row's arguments from the positional ones: a `null` name merges the argument (an
 * object) into the options, an `=name` name passes it as the option `name`.
 */
function bindArgs(names, values, options) {
  const args = {};
  let opts = options;
  names.forEach((name, i) => {
    if (name === null) {
      if (values[i] != null && typeof values[i] === 'object') opts = { ...values[i], ...opts };
    } else if (name.startsWith('=')) {
      if (values[i] !== undefined) opts = { ...opts, [name.slice(1)]: values[i] };
    } else {
      args[name] = values[i];
    }
  });
  return [args, opts];
}

function adminCall(sdkName, n, row, names) {
  return {
    [sdkName](...values) {
      const [options, callback] = optionsAndCallback(values, n);
      const run = () => net(row, ...bindArgs(names, values.slice(0, n), options));
      return settle(attempt(run), callback, apiFailure);
    },
  }[sdkName];
}

const api = {};
for (const [sdkName, n, row, names] of ADMIN) api[sdkName] = adminCall(sdkName, n, row, names);

/** `api.search(params, options, callback)`: `params` is the search body. */
api.search = function search(params, options, callback) {
  [options, callback] = optionsAndCallback([options, callback], 0);
  return settle(attempt(() => net('search', {}, { ...options, query: params || {} })), callback, apiFailure);
};
/** `api.search_folders(params, options, callback)`. */
api.search_folders = function search_folders(params, options, callback) {
  [options, callback] = optionsAndCallback([options, callback], 0);
  return settle(attempt(() => net('search_folders', {}, { ...options, query: params || {} })), callback, apiFailure);
};

// ---- search builders ------------------------------------------------------------------

/** Whether a query value is left out of the body (the SDK drops empty values, not numbers). */
const isBlank = (v) =>
  typeof v !== 'number' &&
  (v == null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.keys(v).length === 0));

/**
 * The SDK's chainable search: `search.expression('...').max_results(10).execute()`.
 * Each static setter starts a new query.
 */
class Search {
  constructor() {
    this.query_hash = { sort_by: [], aggregate: [], with_field: [], fields: [] };
    this._ttl = 300;
  }
  static instance() {
    return new this();
  }
  static expression(value) {
    return this.instance().expression(value);
  }
  static max_results(value) {
    return this.instance().max_results(value);
  }
  static next_cursor(value) {
    return this.instance().next_cursor(value);
  }
  static aggregate(value) {
    return this.instance().aggregate(value);
  }
  static with_field(value) {
    return this.instance().with_field(value);
  }
  static fields(value) {
    return this.instance().fields(value);
  }
  static sort_by(field_name, dir = 'asc') {
    return this.instance().sort_by(field_name, dir);
  }
  static ttl(newTtl) {
    return this.instance().ttl(newTtl);
  }
  static execute(options, callback) {
    return this.instance().execute(options, callback);
  }
  expression(value) {
    this.query_hash.expression = value;
    return this;
  }
  max_results(value) {
    this.query_hash.max_results = value;
    return this;
  }
  next_cursor(value) {
    this.query_hash.next_cursor = value;
    return this;
  }
  aggregate(value) {
    if (!this.query_hash.aggregate.includes(value)) this.query_hash.aggregate.push(value);
    return this;
  }
  with_field(value) {
    this.query_hash.with_field = [...new Set(this.query_hash.with_field.concat(value))];
    return this;
  }
  fields(value) {
    this.query_hash.fields = [...new Set(this.query_hash.fields.concat(value))];
    return this;
  }
  sort_by(field_name, dir = 'desc') {
    const existing = this.query_hash.sort_by.find((s) => field_name in s);
    if (existing) existing[field_name] = dir;
    else this.query_hash.sort_by.push({ [field_name]: dir });
    return this;
  }
  ttl(newTtl) {
    if (typeof newTtl !== 'number') throw new Error('New TTL value has to be a Number.');
    this._ttl = newTtl;
    return this;
  }
  /** The body sent: the query without its empty parts. */
  to_query() {
    for (const k of Object.keys(this.query_hash)) {
      if (isBlank(this.query_hash[k])) delete this.query_hash[k];
    }
    return this.query_hash;
  }
  execute(options, callback) {
    if (callback === null) callback = options;
    return api.search(this.to_query(), options || {}, callback);
  }
  /** The signed, cacheable search URL (`ttl` default 300 s). */
  to_url(ttl, next_cursor, options = {}) {
    const query = { ...this.to_query() };
    let cursor = next_cursor;
    if (query.next_cursor && !next_cursor) cursor = query.next_cursor;
    delete query.next_cursor;
    const args = { ttl: ttl || this._ttl };
    if (cursor) args.next_cursor = cursor;
    return client().callLocal('search_url', args, { ...options, query });
  }
}

/** The SDK's chainable folder search. */
class SearchFolders extends Search {
  execute(options, callback) {
    if (callback === null) callback = options;
    return api.search_folders(this.to_query(), options || {}, callback);
  }
}

// ---- provisioning ---------------------------------------------------------------------

let accountClient = null;
let accountVersion = -1;

/** The Provisioning API client of the configured account (or of a call's options). */
function account(options) {
  const fromCall = options && options.account_id && options.provisioning_api_key && options.provisioning_api_secret;
  const s = fromCall ? options : config();
  const urlOf = (x) => {
    const key = encodeURIComponent(x.provisioning_api_key);
    const secret = encodeURIComponent(x.provisioning_api_secret);
    const prefix = x.upload_prefix || config().upload_prefix;
    const query = prefix ? `?upload_prefix=${encodeURIComponent(prefix)}` : '';
    return `account://${key}:${secret}@${encodeURIComponent(x.account_id)}${query}`;
  };
  if (fromCall) return new cldkit.AccountClient(urlOf(s));
  if (accountClient === null || accountVersion !== version) {
    accountClient = s.account_id ? new cldkit.AccountClient(urlOf(s)) : new cldkit.AccountClient();
    accountVersion = version;
  }
  return accountClient;
}

/** A provisioning call: `(args..., options, callback)`, the callback gets `result`. */
function accountCall(sdkName, n, row, names, extra = () => ({})) {
  return {
    [sdkName](...values) {
      let options = values[n];
      let callback = values[n + 1];
      if (typeof options === 'function') {
        callback = options;
        options = undefined;
      }
      options = options == null ? {} : options;
      const run = () => {
        const [args, opts] = bindArgs(names, values.slice(0, n), options);
        Object.assign(args, extra(options));
        return account(options).call(row, args, callOptions(opts));
      };
      return settle(attempt(run), callback, apiFailure, 'single');
    },
  }[sdkName];
}

const provisioning = {
  account: {
    sub_accounts: accountCall('sub_accounts', 3, 'sub_accounts', ['enabled', 'ids', 'prefix']),
    sub_account: accountCall('sub_account', 1, 'sub_account', ['sub_account_id']),
    create_sub_account: accountCall('create_sub_account', 5, 'create_sub_account', [
      'name',
      'cloud_name',
      'custom_attributes',
      'enabled',
      'base_account',
    ]),
    delete_sub_account: accountCall('delete_sub_account', 1, 'delete_sub_account', ['sub_account_id']),
    update_sub_account: accountCall('update_sub_account', 5, 'update_sub_account', [
      'sub_account_id',
      'name',
      'cloud_name',
      'custom_attributes',
      'enabled',
    ]),
    user: accountCall('user', 1, 'user', ['user_id']),
    users: accountCall('users', 4, 'users', ['=pending', 'user_ids', 'prefix', 'sub_account_id'], (o) => ({
      last_login: o.lastLogin,
      from_date: o.fromDate,
      to_date: o.toDate,
    })),
    create_user: accountCall('create_user', 4, 'create_user', ['name', 'email', 'role', 'sub_account_ids']),
    update_user: accountCall('update_user', 5, 'update_user', ['user_id', 'name', 'email', 'role', 'sub_account_ids']),
    delete_user: accountCall('delete_user', 1, 'delete_user', ['user_id']),
    create_user_group: accountCall('create_user_group', 1, 'create_user_group', ['name']),
    update_user_group: accountCall('update_user_group', 2, 'update_user_group', ['user_group_id', 'name']),
    delete_user_group: accountCall('delete_user_group', 1, 'delete_user_group', ['user_group_id']),
    add_user_to_group: accountCall('add_user_to_group', 2, 'add_user_to_group', ['user_group_id', 'user_id']),
    remove_user_from_group: accountCall('remove_user_from_group', 2, 'remove_user_from_group', [
      'user_group_id',
      'user_id',
    ]),
    user_group: accountCall('user_group', 1, 'user_group', ['user_group_id']),
    user_groups: accountCall('user_groups', 0, 'user_groups', []),
    user_group_users: accountCall('user_group_users', 1, 'user_group_users', ['user_group_id']),
    access_keys: accountCall('access_keys', 1, 'access_keys', ['sub_account_id']),
    generate_access_key: accountCall('generate_access_key', 1, 'generate_access_key', ['sub_account_id']),
    update_access_key: accountCall('update_access_key', 2, 'update_access_key', ['sub_account_id', 'api_key']),
    delete_access_key: accountCall('delete_access_key', 2, 'delete_access_key', ['sub_account_id', 'api_key']),
    delete_access_key_by_name: accountCall('delete_access_key_by_name', 1, 'delete_access_key', ['sub_account_id']),
  },
};

// ---- the module -----------------------------------------------------------------------

const compat = {
  config,
  url,
  image: (source, options) => local('image_tag', { public_id: source }, options),
  video: (public_id, options) => local('video_tag', { public_id }, options),
  picture: (public_id, options) => local('picture_tag', { public_id }, options),
  source: (public_id, options) => local('source_tag', { public_id }, options),
  utils,
  uploader,
  api,
  search: Search,
  search_folders: SearchFolders,
  provisioning,
  BLANK: 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  CldkitError: cldkit.CldkitError,
};
compat.v2 = compat;
compat.default = compat;

module.exports = compat;
