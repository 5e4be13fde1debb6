'use strict';
// `client.sync(inventory, options, { signal, onProgress })` (issue 21): progress events
// on the JavaScript thread, one per finished action, before the Promise resolves with
// the report; an unchanged re-sync sends none; a throwing onProgress does not stop the
// sync (the first exception becomes a process warning); an aborted signal rejects.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { BINDING, startEmulator } = require('./helpers');
const cldkit = require(BINDING);

/** A temporary directory holding `n` small distinct files. */
function tempDir(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-sync-'));
  for (let i = 1; i <= n; i++) fs.writeFileSync(path.join(dir, `f${i}.txt`), `file number ${i}\n`);
  return dir;
}

/** The length of a report entry (a list of ids, or a count). */
function count(v) {
  return Array.isArray(v) ? v.length : v;
}

test('sync: progress events, an unchanged re-sync, a throwing callback, abort', async (t) => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-sync-emu-'));
  const emu = await startEmulator(['--data', data]);
  const client = cldkit.Client.fromUrl(emu.url);
  try {
    await t.test('three files: three events, then the report', async () => {
      const dir = tempDir(3);
      const events = [];
      let settled = false;
      const report = await client.sync(dir, { folder: 'np1' }, {
        onProgress: (e) => {
          assert.equal(settled, false, 'no event after the Promise settled');
          events.push(e);
        },
      });
      settled = true;
      assert.equal(count(report.uploaded), 3, JSON.stringify(report));
      assert.deepEqual(events.map((e) => e.done), [1, 2, 3]);
      for (const e of events) {
        assert.equal(e.total, 3);
        assert.equal(e.action, 'upload');
        assert.equal(e.ok, true);
        assert.match(e.public_id, /^np1\/f[123]/);
      }
      assert.deepEqual(new Set(events.map((e) => e.public_id)).size, 3);

      const again = [];
      const second = await client.sync(dir, { folder: 'np1' }, { onProgress: (e) => again.push(e) });
      assert.equal(count(second.unchanged), 3, JSON.stringify(second));
      assert.equal(count(second.uploaded), 0);
      assert.deepEqual(again, []);
    });

    await t.test('a throwing onProgress: the sync goes on, one warning', async () => {
      const dir = tempDir(3);
      const warnings = [];
      const onWarning = (w) => warnings.push(w);
      process.on('warning', onWarning);
      let calls = 0;
      try {
        const report = await client.sync(dir, { folder: 'np2' }, {
          onProgress: () => {
            calls += 1;
            throw new Error('boom');
          },
        });
        assert.equal(count(report.uploaded), 3, JSON.stringify(report));
        assert.equal(calls, 3, 'every event is still delivered');
        await new Promise((r) => setImmediate(r));
      } finally {
        process.off('warning', onWarning);
      }
      const ours = warnings.filter((w) => w.name === 'CldkitProgressError');
      assert.equal(ours.length, 1);
      assert.equal(ours[0].cause.message, 'boom');
    });

    await t.test('a bad onProgress is a TypeError; an aborted signal rejects', async () => {
      const dir = tempDir(1);
      await assert.rejects(client.sync(dir, { folder: 'np3' }, { onProgress: 42 }), TypeError);
      const controller = new AbortController();
      const reason = new Error('stop');
      controller.abort(reason);
      await assert.rejects(client.sync(dir, { folder: 'np3' }, { signal: controller.signal }), (e) => e === reason);
    });
  } finally {
    emu.stop();
  }
});
