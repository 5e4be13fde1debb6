'use strict';
/**
 * The network half of `Client`: uploads, every Upload API call and the Admin API, as
 * Promise-returning methods installed on `Client.prototype` by `index.js`.
 *
 * Each call runs in the cldkit engine on its own runtime threads (never on the event
 * loop, never on the libuv pool). Failures reject with `ApiError` subclasses (or
 * `InvalidOptionError`/`ConfigError` for calls refused before sending). Options are
 * the SDKs' snake_case option objects; results are the SDKs' result objects.
 */
const native = require('./native');

/** Whether `x` is read as a stream: a Readable, a web ReadableStream, any async iterable. */
function isStream(x) {
  return (
    x != null &&
    typeof x === 'object' &&
    !ArrayBuffer.isView(x) &&
    !(x instanceof ArrayBuffer) &&
    typeof x[Symbol.asyncIterator] === 'function'
  );
}

/**
 * Reads `iterable` into `sink` as the upload consumes it (bounded by the sink's
 * capacity). Stops when the upload stops reading; a read error fails the upload.
 */
async function pump(iterable, sink) {
  try {
    for await (const chunk of iterable) {
      let r = sink.tryWrite(chunk);
      if (r === 0) r = (await sink.write(chunk)) ? 1 : -1;
      if (r < 0) return; // the upload ended (or failed): leave the rest unread
    }
    sink.end();
  } catch (e) {
    sink.fail(e && e.message ? String(e.message) : String(e));
  }
}

/**
 * Runs `start(cancel)` (a native call given a `Cancel` token) so that `signal`, an
 * `AbortSignal`, stops it: the Promise then rejects with `signal.reason`, as `fetch`
 * does. Without a signal the call runs as is.
 */
async function withSignal(signal, start) {
  const cancel = new native.Cancel();
  if (signal == null) return start(cancel);
  if (typeof signal.addEventListener !== 'function' || typeof signal.aborted !== 'boolean') {
    throw new TypeError('signal must be an AbortSignal');
  }
  if (signal.aborted) throw signal.reason;
  const onAbort = () => cancel.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await start(cancel);
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    throw e;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** `options` without its `signal`, and the signal. */
function splitSignal(options) {
  if (options == null || typeof options !== 'object' || !('signal' in options)) {
    return [options, undefined];
  }
  const { signal, ...rest } = options;
  return [rest, signal];
}

/** An async iterator over native `Pages`. */
async function* iterate(pages) {
  for (;;) {
    const page = await pages.next();
    if (page === null) return;
    yield page;
  }
}

/**
 * Uploads `file`: a local path, a remote URL or data URI (string), a Buffer /
 * Uint8Array / ArrayBuffer, or a Readable (any async iterable of chunks).
 * `settings`: `{ chunkSize, parallel, onProgress(done, total), resume, resumeFile,
 * streamBuffer, signal }`. Large files and streams go in chunks, with retries; an
 * `AbortSignal` as `signal` (in the settings or the options) stops the upload.
 */
async function upload(client, file, options, settings) {
  const { onProgress, streamBuffer, signal: settingsSignal, ...rest } = settings || {};
  const [uploadOptions, optionsSignal] = splitSignal(options);
  const signal = settingsSignal ?? optionsSignal;
  let progressError;
  const progress =
    typeof onProgress === 'function'
      ? (done, total) => {
          if (progressError !== undefined) return;
          try {
            onProgress(done, total);
          } catch (e) {
            progressError = e;
          }
        }
      : onProgress;
  const result = await withSignal(signal, (cancel) => {
    if (!isStream(file)) return client._upload(file, uploadOptions, rest, progress, cancel);
    const sink = new native.ByteSink(streamBuffer);
    const uploading = client._uploadStream(sink, uploadOptions, rest, progress, cancel);
    pump(file, sink);
    return uploading;
  });
  if (progressError !== undefined) throw progressError;
  return result;
}

/**
 * Reports a failed OAuth refresh callback (an exception, a rejection, a value that is
 * not a token) as a process warning: the refresh then gives up and the call rejects
 * with the 401 `AuthorizationError`. The warning is an `Error` named
 * `CldkitOAuthRefreshWarning` (code `CLDKIT_OAUTH_REFRESH`) whose `cause` is what the
 * callback threw (listen with `process.on('warning', ...)`).
 */
function warnRefreshFailed(reason) {
  const why = reason instanceof Error ? reason.message : String(reason);
  const warning = new Error(`the OAuth refresh callback failed, the refused token is kept: ${why}`);
  warning.name = 'CldkitOAuthRefreshWarning';
  warning.code = 'CLDKIT_OAUTH_REFRESH';
  warning.cause = reason;
  process.emitWarning(warning);
}

/**
 * The engine's side of `withOAuthRefresh`: `(refusedToken, reply)` calls `callback`,
 * awaits a Promise it returns, and calls `reply(token)` exactly once, with `null` to
 * give up (`null`/`undefined`, an exception, a rejection, anything but a string).
 * Runs on the JavaScript thread; the engine waits on its own thread (at most 60 s).
 */
function oauthRefresher(callback) {
  return (refused, reply) => {
    let once = false;
    const answer = (token) => {
      if (once) return;
      once = true;
      reply(token);
    };
    const settle = (token) => {
      if (token == null) return answer(null);
      if (typeof token === 'string') return answer(token);
      warnRefreshFailed(new TypeError(`expected a token (a string), null or undefined; got ${typeof token}`));
      return answer(null);
    };
    const fail = (e) => {
      try {
        warnRefreshFailed(e);
      } finally {
        answer(null);
      }
    };
    let result;
    try {
      result = callback(refused);
      if (result != null && typeof result.then === 'function') {
        Promise.resolve(result).then(settle, fail);
        return;
      }
    } catch (e) {
      fail(e);
      return;
    }
    settle(result);
  };
}

/**
 * A search query bound to a client: chain the setters, then `execute()` or iterate
 * `pages()`.
 */
class Search {
  constructor(client, folders = false) {
    this._client = client;
    this._query = new native.SearchQuery(folders);
  }
  /** Sets the search expression (`resource_type:image AND tags=kitten`). */
  expression(expression) {
    this._query.expression(expression);
    return this;
  }
  /** Adds a sort field (`direction` `asc` or `desc`, default `desc`). */
  sortBy(field, direction) {
    this._query.sortBy(field, direction);
    return this;
  }
  /** Sets the page size. */
  maxResults(n) {
    this._query.maxResults(n);
    return this;
  }
  /** Sets the cursor of the page to fetch. */
  nextCursor(cursor) {
    this._query.nextCursor(cursor);
    return this;
  }
  /** Adds an aggregation. */
  aggregate(field) {
    this._query.aggregate(field);
    return this;
  }
  /** Adds a `with_field` (`context`, `tags`, `metadata`, ...). */
  withField(field) {
    this._query.withField(field);
    return this;
  }
  /** Adds a returned field. */
  fields(field) {
    this._query.fields(field);
    return this;
  }
  /** The JSON body that is sent. */
  toQuery() {
    return this._query.toQuery();
  }
  /** Runs the search (`options.signal`, an `AbortSignal`, stops it). */
  async execute(options) {
    const [rest, signal] = splitSignal(options);
    return withSignal(signal, (cancel) => this._query._execute(this._client, rest, cancel));
  }
  /** Every page of results, following `next_cursor`. */
  pages(options) {
    return iterate(this._query._pages(this._client, options));
  }
}

/**
 * Runs the catalogue row `name` through `target._call` (a `Client` or an
 * `AccountClient`): `signal`, or else `options.signal`, an `AbortSignal`, stops it.
 */
async function runCall(target, name, args, options, signal) {
  const [rest, optionsSignal] = splitSignal(options);
  return withSignal(signal ?? optionsSignal, (cancel) => target._call(name, args, rest, cancel));
}

/**
 * Runs the `sync` row with `control`, `{ signal, onProgress }`: `onProgress(event)`
 * receives `{done, total, public_id, action, ok}` once per finished action, on the
 * JavaScript thread, before the Promise settles. An exception thrown by `onProgress`
 * does not stop the sync: the first one is reported as a process warning (an `Error`
 * named `CldkitProgressError` with the exception as `cause`) and the sync goes on; the
 * Promise still resolves with the report.
 */
async function runSync(client, args, options, control) {
  const { signal: controlSignal, onProgress } = control || {};
  const [rest, optionsSignal] = splitSignal(options);
  if (onProgress != null && typeof onProgress !== 'function') {
    throw new TypeError('onProgress must be a function');
  }
  let warned = false;
  const progress =
    onProgress == null
      ? undefined
      : (event) => {
          try {
            onProgress(event);
          } catch (e) {
            if (warned) return;
            warned = true;
            const warning = new Error(`onProgress threw: ${e && e.message ? e.message : e}`, { cause: e });
            warning.name = 'CldkitProgressError';
            process.emitWarning(warning);
          }
        };
  return withSignal(controlSignal ?? optionsSignal, (cancel) => client._sync(args, rest, progress, cancel));
}

/** Installs `call` on `AccountClient.prototype` (the Provisioning rows by name). */
function installAccount(AccountClient) {
  Object.defineProperty(AccountClient.prototype, 'call', {
    value: function call(name, args, options, signal) {
      return runCall(this, name, args, options, signal);
    },
    writable: true,
    configurable: true,
  });
}

/** The `signal` of a generated method's last argument (`{ signal }`), if any. */
function signalOf(callOptions) {
  return callOptions == null ? undefined : callOptions.signal;
}

/**
 * Installs the hand-written network methods on `Client.prototype` (the generic `call`,
 * uploads with their settings, the search builders, paging, OAuth refresh); the
 * catalogue's named calls come from `calls.js`. Returns the `Search` class.
 */
function install(Client) {
  const methods = {
    call(name, args, options, signal) {
      return runCall(this, name, args, options, signal);
    },
    upload(file, options, settings) {
      return upload(this, file, options, settings);
    },
    unsignedUpload(file, uploadPreset, options, settings) {
      return upload(this, file, { ...(options || {}), upload_preset: uploadPreset, unsigned: true }, settings);
    },
    /** The sync row with `{ signal, onProgress }` (what the generated `sync` calls). */
    _syncCall(args, options, control) {
      return runSync(this, args, options, control);
    },
    /** Any Upload API call by SDK name (the catalogue's `upload_api` rows). */
    callUploadApi(method, args, options) {
      return runCall(this, method, args, options);
    },
    /** Any Admin API call by SDK name. */
    admin(name, args, options) {
      return runCall(this, name, args, options);
    },
    pages(name, args, options) {
      return iterate(this._pages(name, args, options));
    },
    /** `search()`: a query builder; `search(expression, options, { signal })`: runs one. */
    search(expression, options, callOptions) {
      if (arguments.length === 0) return new Search(this, false);
      return runCall(this, 'search', { expression }, options, signalOf(callOptions));
    },
    /** `searchFolders()`: a folder query builder; with arguments: runs a folder search. */
    searchFolders(expression, options, callOptions) {
      if (arguments.length === 0) return new Search(this, true);
      return runCall(this, 'search_folders', { expression }, options, signalOf(callOptions));
    },
    withOAuthRefresh(callback) {
      return this._withOAuthRefresh(typeof callback === 'function' ? oauthRefresher(callback) : callback);
    },
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Client.prototype, name, { value: fn, writable: true, configurable: true });
  }
  return { Search };
}

module.exports = { install, installAccount, Search };
