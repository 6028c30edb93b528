'use strict';
/** Generator implementations named by generators.json (`./generators.js#<name>`), loaded on first use; see loader.js. */
const { load } = require('./loader');
const generators = {
  init: 'generators/init/generator',
  binding: 'generators/binding/generator',
  ci: 'generators/ci/generator',
};
for (const [name, rel] of Object.entries(generators)) {
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => load(rel).default });
}
