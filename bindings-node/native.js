'use strict';
// Loads the compiled cldkit engine for this platform. Internal: use `require('cldkit')`.
//
// Where the module comes from, in this order (the napi-rs layout):
//   1. `cldkit.<platform>-<arch>[-<abi>].node` next to this file: a local build in a
//      checkout (`npm run build` = release, `npm run build:debug` = debug);
//   2. the platform package `cldkit-<platform>-<arch>[-<abi>]` (for example
//      `cldkit-linux-x64-gnu`), one of the main package's optionalDependencies: npm
//      installs only the one that matches the machine (`os`, `cpu` and `libc` fields).
// On Linux the C library decides the ABI: musl (Alpine) or glibc (`gnu`); the other one
// is tried last, for a machine where the detection is wrong.
const { join } = require('path');
const { existsSync, readFileSync } = require('fs');

/** Whether this Linux process runs on musl rather than glibc. */
function isMusl() {
  // `ldd` is a text script on glibc systems and names musl on musl ones; reading it is
  // much cheaper than `process.report`.
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    // No ldd (a slim image): ask the process report, which lists glibc's version.
  }
  try {
    const report = process.report && process.report.getReport();
    const header = report && (typeof report === 'string' ? JSON.parse(report) : report).header;
    return !(header && header.glibcVersionRuntime);
  } catch {
    return false;
  }
}

/** `<platform>-<arch>[-<abi>]` names to try, best first (napi-rs's platform names). */
function platformNames() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const abis = isMusl() ? ['musl', 'gnu'] : ['gnu', 'musl'];
    if (arch === 'arm') return ['gnueabihf', 'musleabihf'].map((abi) => `${platform}-${arch}-${abi}`);
    return abis.map((abi) => `${platform}-${arch}-${abi}`);
  }
  if (platform === 'win32') return [`${platform}-${arch}-msvc`, `${platform}-${arch}-gnu`];
  if (platform === 'darwin') return [`${platform}-${arch}`, `${platform}-universal`];
  return [`${platform}-${arch}`];
}

function load() {
  const names = platformNames();
  const errors = [];
  // 1. A local build next to this file (a checkout).
  for (const name of names) {
    const file = join(__dirname, `cldkit.${name}.node`);
    if (!existsSync(file)) continue;
    try {
      return require(file);
    } catch (e) {
      errors.push(`${file}: ${e && e.message}`);
    }
  }
  // 2. The installed platform package.
  for (const name of names) {
    const pkg = `cldkit-${name}`;
    try {
      return require(pkg);
    } catch (e) {
      // Not installed is the normal case for every name but one; report the rest.
      const notInstalled = e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(`'${pkg}'`);
      if (!notInstalled) errors.push(`${pkg}: ${e && e.message}`);
    }
  }
  const detail = errors.length ? `\n${errors.join('\n')}` : '';
  throw new Error(
    `cldkit: no native module for ${names[0]}: install the platform package ` +
      `\`cldkit-${names[0]}\` (npm installs it with \`cldkit\` unless optional dependencies ` +
      `are omitted), or in a checkout run \`npm run build\` in bindings-node${detail}`,
  );
}

module.exports = load();
