'use strict';
/**
 * The fast path of the hot calls (`Client#url`, `apiSignRequest`): a plain option
 * object is encoded here as one string (read by the engine in a single call) instead of
 * being read key by key through Node-API. See bindings-node/src/encoded.rs for the
 * grammar.
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

module.exports = { encode, setFloatPrototype };
