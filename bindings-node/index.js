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
 * subclasses with a stable `code`.
 */
const native = require('./native');

/** Base class of every error cldkit throws; `code` is stable, `option` names the culprit. */
class CldkitError extends Error {
  constructor(message, code = 'internal', option = null) {
    super(message);
    this.name = 'CldkitError';
    this.code = code;
    this.option = option;
  }
}

/** An option has a value the SDK rules reject (code `invalid_option`). */
class InvalidOptionError extends CldkitError {
  constructor(message, code = 'invalid_option', option = null) {
    super(message, code, option);
    this.name = 'InvalidOptionError';
  }
}

/** The configuration is missing something or cannot be parsed (code `config`). */
class ConfigError extends CldkitError {
  constructor(message, code = 'config', option = null) {
    super(message, code, option);
    this.name = 'ConfigError';
  }
}

/** A signature could not be computed: missing secret, unknown algorithm (code `signature`). */
class SignatureError extends CldkitError {
  constructor(message, code = 'signature', option = null) {
    super(message, code, option);
    this.name = 'SignatureError';
  }
}

/** A bug inside cldkit (a Rust panic caught at the boundary; code `internal`). */
class InternalError extends CldkitError {
  constructor(message, code = 'internal', option = null) {
    super(message, code, option);
    this.name = 'InternalError';
  }
}

const ERROR_CLASSES = {
  invalid_option: InvalidOptionError,
  config: ConfigError,
  signature: SignatureError,
  internal: InternalError,
};

native.registerErrorFactory((code, message, option) => {
  const Cls = ERROR_CLASSES[code] || CldkitError;
  return new Cls(message, code, option);
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
  return native.apiSignRequestNative(params, apiSecret, algorithm, signatureVersion);
}

/** Parses a `CLOUDINARY_URL` (kind `cloudinary`) or `CLOUDINARY_ACCOUNT_URL` (`account`). */
function parseConfigUrl(url, kind) {
  return native.parseConfigUrl(url, kind);
}

module.exports = {
  Client: native.Client,
  CldkitError,
  InvalidOptionError,
  ConfigError,
  SignatureError,
  InternalError,
  PyFloat,
  float,
  isFloat,
  apiSignRequest,
  parseConfigUrl,
  engineVersion: native.engineVersion(),
};
// `import cldkit from 'cldkit'` under TypeScript's CommonJS interop.
module.exports.default = module.exports;
