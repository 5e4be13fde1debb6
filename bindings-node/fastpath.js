'use strict';
/**
 * The fast path of the hot calls (`Client#url`, `apiSignRequest`): a plain option
 * object is encoded here as one string (read by the engine in a single call) instead of
 * being read key by key through Node-API; a small flat one (`url`) is passed as
 * arguments. See bindings-node/src/encoded.rs for the grammar.
 *
 * The encoding reads exactly what the ordinary path reads (`for...in` keys in order,
 * each property read once, `typeof` of each value), so results and errors are the same.
 * Whatever it does not handle exactly returns `null` and the call takes the ordinary
 * path: BigInts, functions, symbols, Buffers and typed arrays, instances of classes
 * other than `Object`/`Array`/`PyFloat`, objects whose first key is the float marker,
 * and nesting at the depth limit.
 */
const FLOAT_KEY = '__cldkit_float__';
const MAX_DEPTH = 64;
const OBJECT_PROTO = Object.prototype;
const getPrototypeOf = Object.getPrototypeOf;
const isArray = Array.isArray;

let floatProto = null;

/** Registers `PyFloat.prototype` (index.js). */
function setFloatPrototype(proto) {
  floatProto = proto;
}

function value(v, depth) {
  switch (typeof v) {
    case 'string':
      return 's' + v.length + ':' + v;
    case 'number':
      return 'i' + v + ';';
    case 'boolean':
      return v ? 't' : 'f';
    case 'undefined':
      return 'n';
    case 'object':
      if (v === null) return 'n';
      if (depth >= MAX_DEPTH) return null;
      return isArray(v) ? array(v, depth) : object(v, depth);
    default:
      return null;
  }
}

function array(v, depth) {
  const n = v.length;
  let out = 'a' + n + ':';
  for (let i = 0; i < n; i++) {
    const e = value(v[i], depth + 1);
    if (e === null) return null;
    out += e;
  }
  return out;
}

function object(v, depth) {
  const proto = getPrototypeOf(v);
  if (proto !== OBJECT_PROTO && proto !== null) {
    return proto === floatProto && floatProto !== null ? 'd' + v[FLOAT_KEY] + ';' : null;
  }
  let out = '';
  let n = 0;
  for (const k in v) {
    if (n === 0 && k === FLOAT_KEY) return null;
    const e = value(v[k], depth + 1);
    if (e === null) return null;
    out += k.length + ':' + k + e;
    n++;
  }
  return 'o' + n + ':' + out;
}

/** The encoding of a plain option object, or `null` for the ordinary path. */
function encode(options) {
  if (typeof options !== 'object' || options === null || isArray(options)) return null;
  return object(options, 0);
}

/** How many entries `Client#_urlFlat` takes as arguments. */
const FLAT_MAX = 6;
// The entries read so far, reused across calls (cleared after each).
const KEYS = [undefined, undefined, undefined, undefined, undefined, undefined];
const VALUES = [undefined, undefined, undefined, undefined, undefined, undefined];

let flatBusy = false;

function clear(n) {
  for (let i = 0; i < n; i++) {
    KEYS[i] = undefined;
    VALUES[i] = undefined;
  }
}

/**
 * `client.url(source, options)` through the fast paths: a plain object of at most
 * six string or number entries (the usual delivery options) goes to
 * `client._urlFlat` as arguments; any other plain object is encoded; anything else
 * goes to `ordinary`. Each property is read once: when an entry turns out not to be
 * flat, the encoding reuses the values already read.
 */
function url(client, source, options, ordinary) {
  if (typeof options !== 'object' || options === null || isArray(options)) return ordinary.call(client, source, options);
  const proto = getPrototypeOf(options);
  if (proto !== OBJECT_PROTO && proto !== null) return ordinary.call(client, source, options);
  if (flatBusy) {
    // A getter of the outer call's options calls `url`: KEYS/VALUES are taken.
    const encoded = object(options, 0);
    return encoded === null ? ordinary.call(client, source, options) : client._urlEncoded(source, encoded);
  }
  flatBusy = true;
  let n = 0;
  try {
    for (const k in options) {
      if (n === 0 && k === FLOAT_KEY) return ordinary.call(client, source, options);
      const v = options[k];
      const t = typeof v;
      if (n === FLAT_MAX || (t !== 'string' && t !== 'number')) {
        const encoded = encodeFrom(options, n, k, v);
        return encoded === null ? ordinary.call(client, source, options) : client._urlEncoded(source, encoded);
      }
      KEYS[n] = k;
      VALUES[n] = v;
      n++;
    }
    return client._urlFlat(source, n, KEYS[0], VALUES[0], KEYS[1], VALUES[1], KEYS[2], VALUES[2], KEYS[3], VALUES[3], KEYS[4], VALUES[4], KEYS[5], VALUES[5]);
  } finally {
    clear(n);
    flatBusy = false;
  }
}

/**
 * The encoding of `options` whose first `n` entries were read into KEYS/VALUES and
 * whose next entry is `k`, `v`: those values are not read again.
 */
function encodeFrom(options, n, k, v) {
  let out = '';
  for (let i = 0; i < n; i++) {
    const e = value(VALUES[i], 1);
    if (e === null) return null;
    out += KEYS[i].length + ':' + KEYS[i] + e;
  }
  const e = value(v, 1);
  if (e === null) return null;
  out += k.length + ':' + k + e;
  let count = n + 1;
  let seen = 0;
  for (const key in options) {
    if (seen++ <= n) continue;
    const rest = value(options[key], 1);
    if (rest === null) return null;
    out += key.length + ':' + key + rest;
    count++;
  }
  return 'o' + count + ':' + out;
}

module.exports = { encode, url, setFloatPrototype };
