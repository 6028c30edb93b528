/** End-to-end tests (test/e2e): real Nx, real builds, in temporary copies of the workspace. */
const base = require('./jest.config.js');
module.exports = { ...base, displayName: 'nx-wheels-e2e', roots: ['<rootDir>/test/e2e'], testMatch: ['**/*.e2e.spec.ts'], testPathIgnorePatterns: ['/node_modules/'], testTimeout: 900000, maxWorkers: 1 };
