// Generated from schema.json by tools/nx-wheels/scripts/schema-types.js: do not edit; run the script after changing schema.json.

/** Rehearse the next release before any tag: nx release in a scratch clone, every release platform built and tested, tag-mode validation, publish to a throwaway pypiserver twice, install by exact version and test. See docs/executors.md#rehearse-release. */
export interface RehearseReleaseExecutorSchema {
  /** What nx release is given: a PEP 440 or SemVer version, or major, minor, patch, premajor, preminor, prepatch, prerelease; default none (conventional commits decide). */
  specifier?: string;
  /** Pre-release identifier for pre* specifiers (nx release --preid), e.g. rc. */
  preid?: string;
  /** Comma-separated subset of the release platforms to rehearse, e.g. linux (the report then says PARTIAL); default every release platform. */
  platforms?: string;
  /**
   * Keep the scratch workspace (its path is printed and recorded in the report).
   * @default false
   */
  keep?: boolean;
  /**
   * Where rehearsal-report.json is written.
   * @default ".nx-wheels/reports/rehearsal/{projectRoot}/rehearsal-report.json"
   */
  reportFile?: string;
  /** Interpreter (CPython >= 3.11, command or path) that runs the pinned toolchain; default python3. */
  python?: string;
}
