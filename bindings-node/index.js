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

/**
 * A failed network call (upload, Upload API, Admin API). `status` is the HTTP status when
 * the server answered, `requestId` its `X-Request-Id`, `resetAt` (rate limits) the Unix
 * time in seconds the limit resets, `attempts` how many tries were made, and
 * `resumeToken` (a failed chunked upload) the JSON token that continues it
 * (`upload(file, options, { resume })`). The subclass follows `code`.
 */
class ApiError extends CldkitError {
  constructor(message, code = 'response', option = null, details = null) {
    super(message, code, option);
    this.name = 'ApiError';
    const d = details || {};
    this.status = d.status == null ? null : d.status;
    this.requestId = d.requestId == null ? null : d.requestId;
    this.resetAt = d.resetAt == null ? null : d.resetAt;
    this.attempts = d.attempts == null ? 1 : d.attempts;
    this.resumeToken = d.resumeToken == null ? null : d.resumeToken;
  }
}

function apiErrorClass(name, code) {
  return {
    [name]: class extends ApiError {
      constructor(message, c = code, option = null, details = null) {
        super(message, c, option, details);
        this.name = name;
      }
    },
  }[name];
}

/** HTTP 400: the request was rejected (code `bad_request`). */
const BadRequestError = apiErrorClass('BadRequestError', 'bad_request');
/** HTTP 401: missing or wrong credentials, invalid signature (code `authorization`). */
const AuthorizationError = apiErrorClass('AuthorizationError', 'authorization');
/** HTTP 403: valid credentials without permission (code `not_allowed`). */
const NotAllowedError = apiErrorClass('NotAllowedError', 'not_allowed');
/** HTTP 404: no such resource (code `not_found`). */
const NotFoundError = apiErrorClass('NotFoundError', 'not_found');
/** HTTP 409: the resource already exists (code `already_exists`). */
const AlreadyExistsError = apiErrorClass('AlreadyExistsError', 'already_exists');
/** HTTP 420/429: rate limited; see `resetAt` (code `rate_limited`). */
const RateLimitedError = apiErrorClass('RateLimitedError', 'rate_limited');
/** HTTP 5xx: the server failed (code `server_error`). */
const ServerError = apiErrorClass('ServerError', 'server_error');
/** A connect, read or total timeout fired (code `timeout`). */
const TimeoutError = apiErrorClass('TimeoutError', 'timeout');
/** The connection failed or was reset, or the proxy refused (code `network`). */
const NetworkError = apiErrorClass('NetworkError', 'network');
/** Another status, or a body that is not the API's JSON (code `response`). */
const ResponseError = apiErrorClass('ResponseError', 'response');
/** A local file or stream could not be read (code `io`). */
const IoError = apiErrorClass('IoError', 'io');

const ERROR_CLASSES = {
  invalid_option: InvalidOptionError,
  config: ConfigError,
  signature: SignatureError,
  internal: InternalError,
  bad_request: BadRequestError,
  authorization: AuthorizationError,
  not_allowed: NotAllowedError,
  not_found: NotFoundError,
  already_exists: AlreadyExistsError,
  rate_limited: RateLimitedError,
  server_error: ServerError,
  timeout: TimeoutError,
  network: NetworkError,
  response: ResponseError,
  io: IoError,
};

native.registerErrorFactory((code, message, option, details) => {
  const Cls = ERROR_CLASSES[code] || CldkitError;
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
    const encoded = fastpath.encode(options);
    return encoded === null ? nativeUrl.call(this, source, options) : this._urlEncoded(source, encoded);
  },
  writable: true,
  configurable: true,
});

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

const { Search } = require('./api').install(native.Client);

module.exports = {
  Client: native.Client,
  Search,
  adminCalls: native.adminCalls(),
  CldkitError,
  InvalidOptionError,
  ConfigError,
  SignatureError,
  InternalError,
  ApiError,
  BadRequestError,
  AuthorizationError,
  NotAllowedError,
  NotFoundError,
  AlreadyExistsError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  NetworkError,
  ResponseError,
  IoError,
  PyFloat,
  float,
  isFloat,
  apiSignRequest,
  parseConfigUrl,
  engineVersion: native.engineVersion(),
};
// `import cldkit from 'cldkit'` under TypeScript's CommonJS interop.
module.exports.default = module.exports;
