'use strict';
// `npm pack` produces a tarball that installs into an empty project and works from both
// `require` and `import`.
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
    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], { cwd: app });
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
