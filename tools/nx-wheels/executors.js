'use strict';
/** Executor implementations named by executors.json (`./executors.js#<name>`), loaded on first use; see loader.js. */
const { load } = require('./loader');
const executors = {
  buildWheels: 'executors/build-wheels/executor',
  testWheels: 'executors/test-wheels/executor',
  validateWheels: 'executors/validate-wheels/executor',
  validateRelease: 'executors/validate-release/executor',
  publish: 'executors/publish/executor',
  rehearseRelease: 'executors/rehearse-release/executor',
  pythonToolchain: 'executors/toolchain/executor',
};
for (const [name, rel] of Object.entries(executors)) {
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => load(rel).default });
}
