'use strict';
/** `@quiver/nx-wheels/release/version-actions`: Nx release VersionActions for pyproject.toml (PEP 440); see loader.js. */
module.exports = require('./loader').load('release/version-actions');
