// Generated from schema.json by tools/nx-wheels/scripts/schema-types.js: do not edit; run the script after changing schema.json.

/** Upload the validated wheels of a release to a package index with the pinned twine (skipping files already there, refusing different bytes), or with --preflight decide without credentials what to upload. See docs/executors.md#publish. */
export interface PublishExecutorSchema {
  /**
   * Directory holding the wheels (in CI: the downloaded artifacts).
   * @default "{projectRoot}/wheelhouse"
   */
  wheelDir?: string;
  /**
   * Upload URL (twine --repository-url) of an index with the legacy upload API, without credentials in it.
   * @default "https://upload.pypi.org/legacy/"
   */
  repositoryUrl?: string;
  /** Simple index (PEP 503/691) read to find files already uploaded; default derived from repositoryUrl. */
  indexUrl?: string;
  /** Base URL of the index's trusted-publishing endpoints; default derived from repositoryUrl. */
  oidcUrl?: string;
  /** Do everything but upload; default true when NX_DRY_RUN=true (nx release publish --dry-run). */
  dryRun?: boolean;
  /**
   * Decide per file upload / skip / refuse without uploading and without credentials, then write uploadDir for an upload-only job.
   * @default false
   */
  preflight?: boolean;
  /** With preflight (required then, refused otherwise): the directory written for the upload job (dist/, SHA256SUMS, publish-plan.json). */
  uploadDir?: string;
  /**
   * Publish what is present of the requested platforms' identifiers even though the release is incomplete (a PARTIAL RELEASE).
   * @default false
   */
  allowPartial?: boolean;
  /**
   * Create and upload PEP 740 publish attestations: auto = on for trusted publishing to pypi.org or test.pypi.org.
   * @default "auto"
   */
  attestations?: boolean | 'auto' | 'true' | 'false';
  /**
   * Run validate-wheels on the files; false instead requires a passed <wheelDir>/validation-report.json matching the files.
   * @default true
   */
  validate?: boolean;
  /**
   * Platforms whose build identifiers must each have a wheel: release ([tool.nx-wheels] release-platforms), host, or a list such as linux,windows.
   * @default "release"
   */
  platforms?: string | ('linux' | 'windows' | 'host' | 'release')[];
  /** Release tag for validate-wheels' tag check; default GITHUB_REF / GITHUB_REF_NAME on a tag push. */
  tag?: string;
  /**
   * Run validate-wheels' twine check --strict and auditwheel show.
   * @default true
   */
  externalChecks?: boolean;
  /** Interpreter (CPython >= 3.11) of the pinned toolchain venv whose twine uploads; default python3. */
  python?: string;
  /**
   * Retries of one file (or one index request) after a network error, per-request timeout, HTTP 5xx or 429.
   * @minimum 0
   * @maximum 20
   * @default 3
   */
  retries?: number;
  /**
   * Time limit in seconds of one upload attempt of one file or one request to the index.
   * @default 300
   */
  timeoutSeconds?: number;
  /**
   * Time limit in seconds of the whole exchange with the index, from its first request.
   * @default 1200
   */
  deadlineSeconds?: number;
  /** Where publish-report.json is written (a dry run writes <name>.dry-run.json beside it). */
  reportFile?: string;
  /** Build selection from the plugin options in nx.json (engine, build, skip, archs, releasePlatforms, manylinux, pure), inferred so every target of the project builds and expects the same wheels. */
  projectConfig?: {
    /** Build engine when --engine is not given. */
    engine?: 'auto' | 'cibuildwheel' | 'native';
    /** cibuildwheel build selector (as CIBW_BUILD), e.g. "cp313-manylinux_x86_64". */
    build?: string;
    /** cibuildwheel skip selector (as CIBW_SKIP), e.g. "*-musllinux_*". */
    skip?: string;
    /** cibuildwheel archs (as CIBW_ARCHS), e.g. "x86_64". */
    archs?: string;
    /**
     * Platforms a release ships (as [tool.nx-wheels] release-platforms).
     * @minItems 1
     */
    releasePlatforms?: ('linux' | 'windows')[];
    /** Native engine's manylinux policy (as [tool.nx-wheels] manylinux), e.g. "2_28" or "host". */
    manylinux?: string;
    /** true: one py3-none-any wheel built with pypa/build; false: compiled wheels per identifier. */
    pure?: boolean;
  };
}
