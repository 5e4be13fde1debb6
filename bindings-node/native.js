'use strict';
// Loads the compiled cldkit engine for this platform (`cldkit.<platform>-<arch>[-abi].node`,
// built by `npm run build`). Internal: use `require('cldkit')`.
const { join } = require('path');
const { existsSync } = require('fs');

function candidates() {
  const base = `cldkit.${process.platform}-${process.arch}`;
  const names = [];
  if (process.platform === 'linux') {
    names.push(`${base}-gnu.node`, `${base}-musl.node`);
  } else if (process.platform === 'win32') {
    names.push(`${base}-msvc.node`, `${base}-gnu.node`);
  } else if (process.platform === 'linux' && process.arch === 'arm') {
    names.push(`${base}-gnueabihf.node`);
  }
  names.push(`${base}.node`, 'cldkit.node');
  return names;
}

function load() {
  const errors = [];
  for (const name of candidates()) {
    const file = join(__dirname, name);
    if (!existsSync(file)) continue;
    try {
      return require(file);
    } catch (e) {
      errors.push(`${name}: ${e.message}`);
    }
  }
  const detail = errors.length ? `\n${errors.join('\n')}` : '';
  throw new Error(
    `cldkit: no native module for ${process.platform}-${process.arch} in ${__dirname}; ` +
      `run \`npm run build\` in the package directory${detail}`,
  );
}

module.exports = load();
