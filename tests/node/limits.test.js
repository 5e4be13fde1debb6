'use strict';
// The HTTP client's limits through the Node API, against a misbehaving emulator (fault
// actions `endless`, `trickle`, `cursor`): an answer larger than `max_response_bytes`
// rejects with ResponseError, an answer trickling past `timeout` with TimeoutError, and
// pages stop with ResponseError when the server repeats a `next_cursor`.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const { BINDING, startEmulator } = require('./helpers');
const cldkit = require(BINDING);

let emu;

before(async () => {
  emu = await startEmulator();
});

after(() => {
  if (emu) emu.stop();
});

/** Replaces the emulator's fault rules, authenticated as its account. */
function setFaults(rules) {
  const u = new URL(emu.url);
  const auth = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  const data = Buffer.from(JSON.stringify(rules));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${emu.base}/_emulator/faults`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': data.length,
          authorization: `Basic ${auth}`,
          connection: 'close',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`faults: ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

// Endless answers are paced, and calls carry a `timeout` as a safety net, so a client
// without the cap fails with a timeout after a bounded read.
test('an endless answer rejects with ResponseError naming max_response_bytes', async () => {
  await setFaults([{ path: '/ping', action: 'endless', bytes: 65536, interval_ms: 2 }]);
  const client = cldkit.Client.fromUrl(`${emu.url}&max_response_bytes=1000000`);
  const began = Date.now();
  await assert.rejects(client.ping({ max_retries: 0, timeout: 20 }), (e) => {
    assert.ok(e instanceof cldkit.ResponseError, `${e.name}: ${e.message}`);
    assert.equal(e.code, 'response');
    assert.match(e.message, /max_response_bytes/);
    assert.match(e.message, /1000000/);
    return true;
  });
  assert.ok(Date.now() - began < 10000);
  await assert.rejects(client.ping({ max_retries: 0, timeout: 20, max_response_bytes: 50000 }), (e) => {
    assert.ok(e instanceof cldkit.ResponseError, `${e.name}: ${e.message}`);
    assert.match(e.message, /50000/);
    return true;
  });
});

test('an answer trickling past the timeout rejects with TimeoutError', async () => {
  await setFaults([{ path: '/ping', action: 'trickle', bytes: 1, interval_ms: 250 }]);
  const client = cldkit.Client.fromUrl(`${emu.url}&read_timeout=1`);
  const began = Date.now();
  await assert.rejects(client.ping({ max_retries: 0, timeout: 1 }), (e) => {
    assert.ok(e instanceof cldkit.TimeoutError, `${e.name}: ${e.message}`);
    assert.equal(e.code, 'timeout');
    assert.match(e.message, /`timeout`/);
    return true;
  });
  const took = Date.now() - began;
  assert.ok(took >= 1000 && took < 1500, `${took} ms`);
});

test('pages stop with ResponseError when the server repeats a cursor', async () => {
  await setFaults([]);
  const client = cldkit.Client.fromUrl(emu.url);
  for (const i of [0, 1]) {
    await client.upload(Buffer.from('x'.repeat(10)), { public_id: `pg/${i}`, resource_type: 'raw', filename: 'x.txt' });
  }
  // The emulator checks cursors: the fault hands out a real one, again and again.
  const first = (await client.resources({ resource_type: 'raw', max_results: 1 })).next_cursor;
  assert.ok(first);
  await setFaults([{ method: 'GET', path: '/resources/raw', action: 'cursor', cursor: first }]);
  let seen = 0;
  await assert.rejects(
    (async () => {
      for await (const page of client.pages('resources', {}, { resource_type: 'raw', max_results: 1, max_retries: 0 })) {
        assert.ok(page.next_cursor);
        seen += 1;
        assert.ok(seen < 10, 'paging did not stop');
      }
    })(),
    (e) => {
      assert.ok(e instanceof cldkit.ResponseError, `${e.name}: ${e.message}`);
      assert.match(e.message, /next_cursor/);
      return true;
    },
  );
  assert.equal(seen, 2);
  await setFaults([]);
});
