'use strict';
// Security review finding 8 (webhook part): in the default profile a timestamp with
// surrounding whitespace and a NaN or infinite valid_for are InvalidOptionErrors; the
// python profile keeps pycloudinary's behaviour (whitespace stripped by int(), a
// non-finite valid_for never expires).
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const { BINDING } = require('./helpers');
const { Client, InvalidOptionError } = require(BINDING);

const SECRET = 'abcd';
const BODY = '{"public_id":"sample","version":1}';
const signed = (ts) => crypto.createHash('sha1').update(BODY + ts + SECRET).digest('hex');
const client = (profile = 'default') =>
  new Client({ cloud_name: 'demo', api_key: '1234567890', api_secret: SECRET }, { profile }).withClock(1700000000);

test('default profile refuses whitespace around the timestamp', () => {
  for (const ts of [' 1699999900', '1699999900 ', '\t1699999900\n']) {
    assert.throws(
      () => client().verifyNotification(BODY, ts, signed(ts)),
      (e) => e instanceof InvalidOptionError && e.option === 'timestamp',
    );
    assert.equal(client('python').verifyNotification(BODY, ts, signed(ts)), true);
  }
});

test('default profile refuses a NaN or infinite valid_for', () => {
  const stale = '1600000000';
  for (const vf of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () => client().verifyNotification(BODY, stale, signed(stale), vf),
      (e) => e instanceof InvalidOptionError && e.option === 'valid_for',
    );
    assert.equal(client('python').verifyNotification(BODY, stale, signed(stale), vf), vf !== -Infinity);
  }
});

test('plain timestamps still verify', () => {
  assert.equal(client().verifyNotification(BODY, '1699999900', signed('1699999900')), true);
  assert.equal(client().verifyNotification(BODY, 1699999900, signed('1699999900'), 200.5), true);
  assert.equal(client().verifyNotification(BODY, '1600000000', signed('1600000000')), false);
});
