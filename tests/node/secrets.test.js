'use strict';
// Security review finding 7: no printing path of the Node binding shows a secret.
// util.inspect(client), JSON.stringify(client), client.settings() and the errors of
// calls are checked with settings whose secrets are recognised by rule (*secret*,
// *token*, *password*, *key but api_key) and URL-valued settings with credentials
// (api_proxy, account_url as CLOUDINARY_ACCOUNT_URL gives it). Network calls go to a
// closed loopback port only.
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('net');
const util = require('util');
const { BINDING } = require('./helpers');
const cldkit = require(BINDING);

const { Client, CldkitError } = cldkit;

const PROXY_USER = 'proxyUSERname';
const PROXY_PW = 'PrOxYpAsS7731';
const ACCOUNT_SECRET = 'AcCoUnTsEcReT4410';
const API_SECRET = 'ApIsEcReT9902';
const TOKEN_KEY = '00112233FFeeDD99';
const OAUTH = 'OaUtHtOkEn5512';
const NESTED = 'NeStEdSeCrEt6620';
const CUSTOM = 'CuStOmPaSsWoRd33';
const SECRETS = [PROXY_USER, PROXY_PW, ACCOUNT_SECRET, API_SECRET, TOKEN_KEY, OAUTH, NESTED, CUSTOM];

function settings(port = 3128) {
  return {
    cloud_name: 'demo',
    api_key: '1234567890',
    api_secret: API_SECRET,
    oauth_token: OAUTH,
    auth_token: { key: TOKEN_KEY, duration: 300 },
    api_proxy: `http://${PROXY_USER}:${PROXY_PW}@127.0.0.1:${port}`,
    account_url: `account://pk:${ACCOUNT_SECRET}@acct-1`,
    foo: { api_secret: NESTED, label: 'shown' },
    db_password: CUSTOM,
  };
}

function assertClean(what, text) {
  for (const s of SECRETS) {
    assert.ok(!text.includes(s), `${what} shows ${s}: ${text}`);
  }
}

function closedPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

test('util.inspect, String and JSON.stringify of a client hide every secret', () => {
  const c = new Client(settings());
  const texts = [
    util.inspect(c),
    util.inspect(c, { showHidden: true, depth: Infinity, getters: true }),
    util.format('%o %O %s %j', c, c, c, c),
    String(c),
    JSON.stringify(c),
    JSON.stringify({ client: c }),
    util.inspect(c.withProfile('python').withClock(1700000000)),
  ];
  for (const t of texts) assertClean('inspect/JSON', t);
  // What is not secret is shown, to make the output worth reading.
  const shown = util.inspect(c);
  for (const pub of ['demo', '1234567890', '127.0.0.1:3128', 'acct-1', 'shown']) {
    assert.ok(shown.includes(pub), `inspect lost ${pub}: ${shown}`);
  }
  assert.match(shown, /^Client\(default\)/);
  assert.equal(util.inspect({ c }, { depth: 0 }), '{ c: [Client] }');
});

test('settings() shows every setting with secrets and URL credentials hidden', () => {
  const s = new Client(settings()).settings();
  assertClean('settings()', JSON.stringify(s));
  assert.equal(s.api_secret, '***');
  assert.equal(s.oauth_token, '***');
  assert.equal(s.auth_token, '***');
  assert.equal(s.db_password, '***');
  assert.deepEqual(s.foo, { api_secret: '***', label: 'shown' });
  assert.equal(s.api_proxy, 'http://***@127.0.0.1:3128');
  assert.equal(s.account_url, 'account://***@acct-1');
  assert.equal(s.api_key, '1234567890');
  assert.equal(s.cloud_name, 'demo');
});

test('fromEnv: CLOUDINARY_ACCOUNT_URL and CLOUDINARY_API_PROXY are not shown', () => {
  const vars = {
    CLOUDINARY_CLOUD_NAME: 'demo',
    CLOUDINARY_API_SECRET: API_SECRET,
    CLOUDINARY_ACCOUNT_URL: `account://pk:${ACCOUNT_SECRET}@acct-1`,
    CLOUDINARY_API_PROXY: `http://${PROXY_USER}:${PROXY_PW}@127.0.0.1:3128`,
  };
  const saved = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const c = Client.fromEnv();
    assertClean('fromEnv', `${util.inspect(c)} ${JSON.stringify(c)} ${JSON.stringify(c.settings())}`);
    assert.equal(c.settings().account_url, 'account://***@acct-1');
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('errors of calls with credentials in api_proxy or upload_prefix do not show them', async () => {
  const port = await closedPort();
  const base = { ...settings(port), max_retries: 0, connect_timeout: 5 };
  delete base.oauth_token; // Basic credentials, so the call goes out
  const clients = [
    new Client(base),
    new Client({ ...base, api_proxy: null, upload_prefix: `http://${PROXY_USER}:${PROXY_PW}@127.0.0.1:${port}` }),
    new Client({ ...base, api_proxy: `http://${PROXY_USER}:${PROXY_PW}@[bad` }),
  ];
  const errors = [];
  for (const c of clients) {
    await assert.rejects(c.ping(), (e) => {
      errors.push(e);
      return e instanceof CldkitError;
    });
  }
  assert.throws(
    () => Client.fromUrl(`cloudinary://${PROXY_USER}:${PROXY_PW}@[::1`),
    (e) => {
      errors.push(e);
      return e instanceof CldkitError;
    },
  );
  assert.equal(errors.length, 4);
  for (const e of errors) {
    assertClean(e.name, `${e.message} ${e.stack} ${util.inspect(e, { showHidden: true })} ${JSON.stringify(e)}`);
  }
});
