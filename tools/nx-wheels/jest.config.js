/** Jest for the plugin: TypeScript via @swc/jest; execa and its ESM-only dependencies are
 * transformed too, since Jest's module system cannot require ES modules on Node 20. */
const esm = [
  'execa', '@sindresorhus/merge-streams', 'figures', 'get-stream', 'human-signals', 'is-plain-obj',
  'is-stream', 'npm-run-path', 'parse-ms', 'path-key', 'pretty-ms', 'strip-final-newline',
  'unicorn-magic', 'yoctocolors', 'is-unicode-supported', '@renovatebot/pep440', 'smol-toml', '@sec-ant',
];
module.exports = {
  displayName: 'nx-wheels',
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  // unicorn-magic (a dependency of execa) exports only an "import" condition.
  moduleNameMapper: { '^unicorn-magic$': require('node:path').resolve(__dirname, '../../node_modules/unicorn-magic/node.js') },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  // bench/ci-time.sh sets QUIVER_TEST_TIMINGS to list each spec file's wall time.
  reporters: process.env.QUIVER_TEST_TIMINGS ? ['default', '<rootDir>/test/helpers/timing-reporter.js'] : ['default'],
};
