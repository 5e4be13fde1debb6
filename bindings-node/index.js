'use strict';
/**
 * cldkit for Node.js: Cloudinary delivery URLs, signatures, upload requests, webhook
 * verification, download URLs and HTML tags, computed by the cldkit Rust engine.
 *
 *   const { Client } = require('cldkit');
 *   const client = new Client({ cloud_name: 'demo' });
 *   client.url('sample.jpg', { width: 300, height: 200, crop: 'fill' });
 *
 * Options are the SDKs' snake_case option objects, unchanged. Errors are `CldkitError`
 * subclasses with a stable `code`. Network calls (`upload`, `admin`, `ping`, `search`, ...)
 * return Promises and never block the event loop.
 */
const util = require('util');
const native = require('./native');
const fastpath = require('./fastpath');

const errors = require('./errors');

const { CldkitError, ApiError, InvalidOptionError } = errors.classes;

native.registerErrorFactory((code, message, option, details) => {
  const Cls = errors.byCode[code] || CldkitError;
  // API details only go with API classes; a call refused before sending (bad option,
  // configuration) is an InvalidOptionError/ConfigError as for the local functions.
  return Cls.prototype instanceof ApiError ? new Cls(message, code, option, details) : new Cls(message, code, option);
});

const FLOAT_KEY = '__cldkit_float__';

/**
 * A number marked as a float: it renders with Python's float formatting (`2.0`, not `2`),
 * for apps that must reproduce URLs made by Python code. Plain numbers render as the
 * Node SDK renders them (a whole number as an integer).
 */
class PyFloat {
  constructor(value) {
    const n = typeof value === 'number' ? value : Number(value);
    if (typeof value !== 'number' && (typeof value !== 'string' || Number.isNaN(n))) {
      throw new InvalidOptionError('cldkit.float() needs a number', 'invalid_option', 'value');
    }
    Object.defineProperty(this, FLOAT_KEY, { value: n, enumerable: true });
    Object.freeze(this);
  }
  valueOf() {
    return this[FLOAT_KEY];
  }
  toJSON() {
    return this[FLOAT_KEY];
  }
  toString() {
    return String(this[FLOAT_KEY]);
  }
}

fastpath.setFloatPrototype(PyFloat.prototype);

// `url` reads plain option objects through the fast path (same results, fewer
// Node-API calls); anything else goes to the native method unchanged.
const nativeUrl = native.Client.prototype.url;
Object.defineProperty(native.Client.prototype, '_urlNative', { value: nativeUrl, configurable: true });
Object.defineProperty(native.Client.prototype, 'url', {
  value: function url(source, options) {
    return fastpath.url(this, source, options, nativeUrl);
  },
  writable: true,
  configurable: true,
});

// Rows of the call catalogue written by hand (see HAND_WRITTEN in xtask/src/gen/node.rs):
// results with Node's camelCase keys, raw Buffer bodies, wire texts; each takes the
// row's parameters, then `options`.
const handWritten = {
  /** The signature with the exact string that was signed: `{stringToSign, algorithm, signatureVersion, signature}`. */
  explainSignature(params, options) {
    return this._explainSignature(params, options);
  },
  /** Whether a webhook body (Buffer or string), timestamp and signature match (and the timestamp is recent). */
  verifyNotification(body, timestamp, signature, validFor, options) {
    return this._verifyNotification(body, timestamp, signature, validFor, options);
  },
  /** The Upload widget's signed parameters: `{timestamp, signature, apiKey}`. */
  signUploadWidget(params, options) {
    return this._signUploadWidget(params, options);
  },
  /** The upload parameters as their wire text (lists stay lists). */
  uploadParams(options) {
    return this._uploadParams(options);
  },
  /**
   * An `<img loading="lazy">` tag, with a placeholder `src` in mode `placeholder`. The
   * earlier order `(publicId, options, mode)` is still taken.
   */
  lazyImageTag(publicId, placeholder, options) {
    if (placeholder !== null && typeof placeholder === 'object') {
      return this.callLocal('lazy_image_tag', { public_id: publicId, placeholder: options }, placeholder);
    }
    return this.callLocal('lazy_image_tag', { public_id: publicId, placeholder }, options);
  },
};
for (const [name, fn] of Object.entries(handWritten)) {
  Object.defineProperty(native.Client.prototype, name, { value: fn, writable: true, configurable: true });
}

// `util.inspect(client)` (console.log) shows the profile and `settings()`: secrets and
// URL credentials hidden by the core's rule. JSON.stringify(client) stays `{}`.
Object.defineProperty(native.Client.prototype, util.inspect.custom, {
  value: function inspect(depth, options) {
    if (depth < 0) return '[Client]';
    const nested = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `Client(${this.profile}) ${util.inspect(this.settings(), nested)}`;
  },
  writable: true,
  configurable: true,
});

/** Marks `x` as a float (renders `2.0` for `float(2)`). */
function float(x) {
  return new PyFloat(x);
}

/** Whether `x` was made by `float()`. */
function isFloat(x) {
  return x instanceof PyFloat;
}

/**
 * Signs `params` with `apiSecret` (the SDKs' `api_sign_request`): algorithm `sha1`
 * (default) or `sha256`, signature version 1 or 2 (default).
 */
function apiSignRequest(params, apiSecret, algorithm, signatureVersion) {
  const encoded = fastpath.encode(params);
  return encoded === null
    ? native.apiSignRequestNative(params, apiSecret, algorithm, signatureVersion)
    : native.apiSignRequestEncoded(encoded, apiSecret, algorithm, signatureVersion);
}

/**
 * Parses a `CLOUDINARY_URL` (kind `cloudinary`) or `CLOUDINARY_ACCOUNT_URL` (`account`)
 * as the SDK of `profile` does (`default` when absent; `node` is the npm SDK's parser).
 */
function parseConfigUrl(url, kind, profile) {
  return native.parseConfigUrl(url, kind, profile);
}

const api = require('./api');
const { Search } = api.install(native.Client);
api.installAccount(native.AccountClient);
require('./calls').install(native.Client, native.AccountClient);

// An account client shows its settings with the provisioning secret hidden.
Object.defineProperty(native.AccountClient.prototype, util.inspect.custom, {
  value: function inspect(depth, options) {
    if (depth < 0) return '[AccountClient]';
    const nested = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `AccountClient ${util.inspect(this.settings(), nested)}`;
  },
  writable: true,
  configurable: true,
});

module.exports = {
  Client: native.Client,
  AccountClient: native.AccountClient,
  Search,
  adminCalls: native.adminCalls(),
  ...errors.classes,
  PyFloat,
  float,
  isFloat,
  apiSignRequest,
  parseConfigUrl,
  engineVersion: native.engineVersion(),
};
// `import cldkit from 'cldkit'` under TypeScript's CommonJS interop.
module.exports.default = module.exports;
