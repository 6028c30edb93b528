// Generated from schema.json by tools/nx-wheels/scripts/schema-types.js: do not edit; run the script after changing schema.json.

/** Check that the project's [project].version, its changelog and the release tag agree (PEP 440), and write the version's release notes. See docs/executors.md#validate-release. */
export interface ValidateReleaseExecutorSchema {
  /**
   * branch = pre-release checks, tag = tag, version and changelog must agree, auto = tag mode when a tag is given or the workflow runs for one.
   * @default "auto"
   */
  mode?: 'auto' | 'branch' | 'tag';
  /** Release tag to check in tag mode, e.g. v1.4.0rc1; default GITHUB_REF_NAME on a tag push, else GITHUB_REF when it is refs/tags/... */
  tag?: string;
  /**
   * Changelog file, with sections headed `## X.Y.Z` or `## [X.Y.Z]`.
   * @default "{projectRoot}/CHANGELOG.md"
   */
  changelog?: string;
  /**
   * Where the body of the version's changelog section is written (for the GitHub Release notes).
   * @default "dist/{projectRoot}/release-notes.md"
   */
  notesFile?: string;
  /** Prefix of release tags (the text before {version}); default read from nx.json release.releaseTag.pattern. */
  tagPrefix?: string;
  /** Host Python for the toolchain that reads a dynamic [project].version through PEP 517; default python3 / python on PATH. */
  python?: string;
}
