/**
 * End-to-end tests (test/e2e): real Nx, real builds, in temporary copies of the workspace.
 * QUIVER_E2E_EXCLUDE=name[,name] leaves out test/e2e/<name>.e2e.spec.ts (the GitHub e2e job names
 * the suites that need root and Debian's apt, which only our machines and .ci/run have).
 */
const base = require('./jest.config.js');
module.exports = { ...base, displayName: 'nx-wheels-e2e', roots: ['<rootDir>/test/e2e'], testMatch: ['**/*.e2e.spec.ts'], testPathIgnorePatterns: ['/node_modules/', ...(process.env.QUIVER_E2E_EXCLUDE ? process.env.QUIVER_E2E_EXCLUDE.split(',').map((s) => `/${s.trim()}\\.e2e\\.spec\\.ts$`) : [])], testTimeout: 900000, maxWorkers: 1 };
