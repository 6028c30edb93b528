'use strict';
/** Package entry: the Nx plugin (createNodesV2, createDependencies), compiled or from source; see loader.js. */
module.exports = require('./loader').load('index');
