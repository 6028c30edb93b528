/**
 * Jest reporter for bench/ci-time.sh: when QUIVER_TEST_TIMINGS names a directory, appends one line per
 * spec file ("<seconds>\t<display name>\t<path>") to timings.tsv there. Off (no reporter) otherwise.
 */
const { appendFileSync, mkdirSync } = require('node:fs');
const { join, relative } = require('node:path');

class TimingReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }
  onTestResult(test, result) {
    const dir = process.env.QUIVER_TEST_TIMINGS;
    if (!dir) return;
    const seconds = (result.perfStats.end - result.perfStats.start) / 1000;
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, 'timings.tsv'), `${seconds.toFixed(1)}\t${test.context.config.displayName?.name ?? ''}\t${relative(this.rootDir, result.testFilePath)}\n`);
  }
}
module.exports = TimingReporter;
