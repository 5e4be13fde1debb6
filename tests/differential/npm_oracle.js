#!/usr/bin/env node
'use strict';
/**
 * Differential test, second oracle: unseen cases answered by the npm SDK `cloudinary`
 * 2.11.0 (bindings-node/node_modules/cloudinary), run through
 * `cldkit conformance --profile node`.
 *
 * Like pycloudinary_oracle.py it makes new cases by recombining the corpus's own
 * configs, sources and option entries (seeded, so a failure can be replayed: the same
 * --seed gives the same cases), asks the npm SDK for `expected` with the corpus clock,
 * and reports every mismatch. The npm SDK reports its runtime in the `_a` token, so each
 * case's config pins `tech_version` to the running Node.js unless it names one.
 *
 *   node tests/differential/npm_oracle.js CLDKIT_BINARY [--kind url] [--cases 500]
 *        [--seed 1] [--wild] [--corpus]
 *
 * --corpus checks the oracle itself instead: it answers the corpus cases unchanged and
 * compares with their recorded npm answers (`expected_node`, else `expected`), so a
 * wiring mistake here is not taken for a cldkit divergence.
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const REPO = path.resolve(__dirname, '..', '..');
const SHARED = process.env.CLDKIT_SHARED || path.resolve(REPO, '..', 'shared');
const CLOCK = 1700000000;
const NPM_SDK = path.join(REPO, 'bindings-node', 'node_modules', 'cloudinary');
const NPM_SDK_VERSION = '2.11.0';
const cloudinary = require(NPM_SDK).v2;

/** Kinds this oracle answers: kind -> (input) => result, with the SDK configured. */
const KINDS = {
  url: (i) => ({ url: cloudinary.url(clone(i.source), clone(i.options)) }),
  analytics: (i) => {
    const url = cloudinary.url(clone(i.source), clone(i.options));
    return { url, a: analyticsParam(url) };
  },
  video_thumbnail_url: (i) => ({
    url: cloudinary.utils.video_thumbnail_url(clone(i.public_id), clone(i.options)),
  }),
  auth_token: (i) => ({ token: cloudinary.utils.generate_auth_token(clone(i.options)) }),
  api_url: (i) => ({ url: cloudinary.utils.api_url(clone(i.action), clone(i.options)) }),
  image_tag: (i) => ({ html: cloudinary.image(clone(i.public_id), clone(i.options)) }),
  video_tag: (i) => ({ html: cloudinary.video(clone(i.public_id), clone(i.options)) }),
  config_parse: (i) => {
    delete process.env.CLOUDINARY_URL;
    delete process.env.CLOUDINARY_ACCOUNT_URL;
    process.env[i.env] = i.url;
    try {
      return { config: JSON.parse(JSON.stringify(cloudinary.config(true))) };
    } finally {
      delete process.env[i.env];
    }
  },
};

function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function analyticsParam(url) {
  if (typeof url !== 'string') return null;
  for (const part of url.split(/[?&]/).slice(1)) {
    if (part.startsWith('_a=')) return part.slice(3);
  }
  return null;
}

/** The npm SDK's answer for one case (its exception is the expected error). */
function oracle(kind, config, input) {
  delete process.env.CLOUDINARY_URL;
  delete process.env.CLOUDINARY_ACCOUNT_URL;
  delete process.env.CLOUDINARY_CLOUD_NAME;
  cloudinary.config(true);
  for (const k of Object.keys(cloudinary.config())) delete cloudinary.config()[k];
  cloudinary.config(clone(config));
  const realNow = Date.now;
  Date.now = () => CLOCK * 1000;
  try {
    return KINDS[kind](input);
  } catch (e) {
    return { error: `${e && e.name}: ${e && e.message}` };
  } finally {
    Date.now = realNow;
  }
}

function load(kind) {
  const text = fs.readFileSync(path.join(SHARED, 'conformance', `${kind}.jsonl`), 'utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** A seeded generator (mulberry32), so --seed replays the same cases. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    random: next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    choice: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

const WILD_VALUES = [null, true, false, 0, 1, -3, 0.5, 1e-7, 1e16, '', ' ', 'auto', '0', '10%',
  '1.5..2', 'width > 100', '$x', '!q!', 'a/b', 'a,b', '#fff', 'x\n', 'é', [], [1], ['a', 'b'],
  [0, 1], [1, 2, 3, 4, 5], {}, { a: 1 }, { public_id: 'p' },
  { text: 't', font_family: 'Arial', font_size: 10 }, { codec: 'h264' },
  { function_type: 'remote', source: 'http://x' }, [{ width: 5 }], ['n', { crop: 'fit' }]];

const URL_NOISE = ['', ':', '@', '/', '?', '&', '=', '[', ']', '%', '%41', '+', ' ', '#', '\t',
  'é', 'a', 'Z', '//'];

function mutate(r, cases, kind, wild) {
  const base = clone(r.choice(cases));
  delete base.expected;
  delete base.expected_node;
  delete base.expected_php;
  const inp = base.input;
  if (kind === 'config_parse') {
    let url = inp.url;
    for (let n = r.int(1, 4); n > 0; n--) {
      const i = r.int(0, url.length);
      url = url.slice(0, i) + r.choice(URL_NOISE) + url.slice(i + r.choice([0, 0, 1]));
    }
    inp.url = url;
    return base;
  }
  const donor = r.choice(cases);
  const field = 'options';
  inp[field] = inp[field] || {};
  const opts = inp[field];
  for (let n = r.int(1, 3); n > 0; n--) {
    const other = r.choice(cases).input[field] || {};
    const keys = Object.keys(other);
    if (keys.length) {
      const k = r.choice(keys);
      opts[k] = clone(other[k]);
    }
  }
  if (wild && r.random() < 0.5) {
    const names = [...new Set(cases.flatMap((c) => Object.keys(c.input[field] || {})))].sort();
    for (let n = r.int(1, 2); n > 0; n--) opts[r.choice(names)] = clone(r.choice(WILD_VALUES));
  }
  if (r.random() < 0.3) base.config = clone(donor.config);
  if ((kind === 'url' || kind === 'analytics') && r.random() < 0.3) {
    inp.source = clone(donor.input.source);
  }
  if (kind.endsWith('_tag') && r.random() < 0.3) inp.public_id = clone(donor.input.public_id);
  return base;
}

function same(exp, got) {
  if (got === undefined) return false;
  if ('error' in exp) return 'error' in got;
  return JSON.stringify(got) === JSON.stringify(exp);
}

function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const binary = args[0];
  const kind = opt('--kind', 'url');
  const count = Number(opt('--cases', '500'));
  const seed = Number(opt('--seed', '1'));
  const wild = args.includes('--wild');
  if (!binary || !KINDS[kind]) {
    process.stderr.write(`usage: npm_oracle.js CLDKIT_BINARY --kind ${Object.keys(KINDS).join('|')}\n`);
    return 2;
  }
  const version = require(path.join(NPM_SDK, 'package.json')).version;
  if (version !== NPM_SDK_VERSION) {
    process.stderr.write(`the npm SDK in ${NPM_SDK} is ${version}, not ${NPM_SDK_VERSION}\n`);
    return 2;
  }
  const corpus = load(kind);
  if (args.includes('--corpus')) {
    let failed = 0;
    for (const c of corpus) {
      const got = oracle(kind, c.config || {}, c.input || {});
      const exp = c.expected_node || c.expected;
      if (!same(exp, got) && ++failed <= 10) {
        process.stderr.write(`${c.id}: recorded ${JSON.stringify(exp)}\n  oracle   ${JSON.stringify(got)}\n`);
      }
    }
    console.log(`npm oracle on the ${kind} corpus: ${corpus.length - failed} agree, ${failed} differ`);
    return failed ? 1 : 0;
  }
  const r = rng(seed);
  const cases = [];
  for (let n = 0; n < count; n++) {
    const c = mutate(r, corpus, kind, wild);
    c.id = `${kind}-npmdiff-${String(n).padStart(6, '0')}`;
    c.config = c.config || {};
    if (!('tech_version' in c.config)) c.config.tech_version = process.versions.node;
    c.expected = oracle(kind, c.config, c.input);
    cases.push(c);
  }
  const out = spawnSync(binary, ['conformance', '--profile', 'node'], {
    input: cases.map((c) => JSON.stringify(c)).join('\n'),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (out.status !== 0) {
    process.stderr.write(out.stderr);
    return 1;
  }
  const results = new Map();
  for (const line of out.stdout.split('\n')) {
    if (line.trim()) {
      const row = JSON.parse(line);
      results.set(row.id, row.result);
    }
  }
  let failed = 0;
  for (const c of cases) {
    const got = results.get(c.id);
    if (!same(c.expected, got) && ++failed <= 20) {
      process.stderr.write(`${JSON.stringify({ config: c.config, input: c.input })}\n`);
      process.stderr.write(`  expected ${JSON.stringify(c.expected)}\n  got      ${JSON.stringify(got)}\n`);
    }
  }
  console.log(`differential (npm) ${kind}: ${cases.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

process.exitCode = main();
