'use strict';
/**
 * A small JSON reader that keeps what `JSON.parse` loses for cldkit:
 * a number written with a fraction or exponent (`2.0`, `1.50`, `1e3`) becomes
 * `cldkit.float(x)` (so it renders `2.0` as in Python), an integer outside the safe range
 * becomes a BigInt, and object keys keep their written order where JavaScript allows it
 * (a `__proto__` key is an ordinary own property). Used by `conformance.js`.
 */
const { float } = require('./index.js');

function parse(text) {
  let i = 0;
  const n = text.length;

  function fail(msg) {
    throw new SyntaxError(`JSON: ${msg} at offset ${i}`);
  }
  function ws() {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  }
  function value() {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't' && text.startsWith('true', i)) return (i += 4), true;
    if (c === 'f' && text.startsWith('false', i)) return (i += 5), false;
    if (c === 'n' && text.startsWith('null', i)) return (i += 4), null;
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 'N' && text.startsWith('NaN', i)) return (i += 3), float(NaN);
    if (c === 'I' && text.startsWith('Infinity', i)) return (i += 8), float(Infinity);
    return fail(`unexpected ${c === undefined ? 'end' : JSON.stringify(c)}`);
  }
  function object() {
    i++;
    const out = {};
    ws();
    if (text[i] === '}') return i++, out;
    for (;;) {
      ws();
      if (text[i] !== '"') fail('expected a key');
      const key = string();
      ws();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      const v = value();
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      if (!more('}')) return out;
    }
  }
  function array() {
    i++;
    const out = [];
    ws();
    if (text[i] === ']') return i++, out;
    for (;;) {
      out.push(value());
      if (!more(']')) return out;
    }
  }
  /** After a member: true past a ',' (another one follows), false past `close`. */
  function more(close) {
    ws();
    if (text[i] === ',') return i++, true;
    if (text[i] === close) return i++, false;
    fail(`expected ',' or '${close}'`);
  }
  function string() {
    // Find the closing quote, then let JSON.parse decode the escapes.
    const start = i;
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 92) i += 2;
      else if (c === 34) break;
      else i++;
    }
    i++;
    return JSON.parse(text.slice(start, i));
  }
  function number() {
    const start = i;
    if (text[i] === '-') {
      i++;
      if (text.startsWith('Infinity', i)) return (i += 8), float(-Infinity);
    }
    while (i < n && text[i] >= '0' && text[i] <= '9') i++;
    let isFloat = false;
    if (text[i] === '.') {
      isFloat = true;
      i++;
      while (i < n && text[i] >= '0' && text[i] <= '9') i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      isFloat = true;
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      while (i < n && text[i] >= '0' && text[i] <= '9') i++;
    }
    const src = text.slice(start, i);
    if (isFloat) return float(Number(src));
    const v = Number(src);
    return Number.isSafeInteger(v) ? v : BigInt(src);
  }

  const out = value();
  ws();
  if (i !== n) fail('trailing text');
  return out;
}

module.exports = { parse };
