'use strict';
// `npm pack` produces a tarball that installs into an empty project and works from both
// `require` and `import`. The native module ships in a platform package
// (bindings-node/npm/<platform>), packed here around the local build; tests/dist/ci.sh
// does the same with the release artifacts.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { BINDING } = require('./helpers');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack tarball installs and works in an empty project', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cldkit-pack-'));
  try {
    const packed = execFileSync(npm, ['pack', '--silent', '--pack-destination', dir], {
      cwd: BINDING,
      encoding: 'utf8',
    });
    const tarball = path.join(dir, packed.trim().split('\n').pop());
    assert.ok(fs.existsSync(tarball), `no tarball: ${packed}`);
    const modules = fs.readdirSync(BINDING).filter((f) => /^cldkit\..+\.node$/.test(f));
    assert.equal(modules.length, 1, `one local build expected in ${BINDING}: ${modules}`);
    const platform = path.join(dir, 'platform');
    fs.mkdirSync(platform);
    fs.copyFileSync(path.join(BINDING, 'npm', modules[0].slice(7, -5), 'package.json'), path.join(platform, 'package.json'));
    fs.copyFileSync(path.join(BINDING, modules[0]), path.join(platform, modules[0]));
    const packedPlatform = execFileSync(npm, ['pack', '--silent', '--pack-destination', dir], {
      cwd: platform,
      encoding: 'utf8',
    });
    const platformTarball = path.join(dir, packedPlatform.trim().split('\n').pop());
    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball, platformTarball], { cwd: app });
    const expected = 'https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg';
    const cjs = execFileSync(
      process.execPath,
      ['-e', "const {Client}=require('cldkit');console.log(new Client({cloud_name:'demo',analytics:false}).url('sample.jpg',{width:300,height:200,crop:'fill'}));console.log(typeof require('cldkit/compat').v2.utils.api_sign_request)"],
      { cwd: app, encoding: 'utf8' },
    );
    assert.equal(cjs, `${expected}\nfunction\n`);
    fs.writeFileSync(
      path.join(app, 'main.mjs'),
      "import {Client} from 'cldkit';\nimport {v2} from 'cldkit/compat';\nconsole.log(new Client({cloud_name:'demo',analytics:false}).url('sample.jpg',{width:300,height:200,crop:'fill'}), typeof v2.url);\n",
    );
    const esm = execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' });
    assert.equal(esm, `${expected} function\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
