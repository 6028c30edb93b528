'use strict';
/** `@quiver/nx-wheels/release/changelog-renderer`: Nx release changelog renderer; see loader.js. */
module.exports = require('./loader').load('release/changelog-renderer');
