'use strict';
// Paths shared by the Node test files.
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const BINDING = path.join(REPO, 'bindings-node');
const SHARED = process.env.CLDKIT_SHARED
  ? path.resolve(process.env.CLDKIT_SHARED)
  : path.resolve(REPO, '..', 'shared');
const CORPUS = path.join(SHARED, 'conformance');

module.exports = { REPO, BINDING, SHARED, CORPUS };
