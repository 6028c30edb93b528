// Generated from schema.json by tools/nx-wheels/scripts/schema-types.js: do not edit; run the script after changing schema.json.

/** Prove a directory of wheels is exactly the release: one wheel per cibuildwheel identifier, names, versions, tags, archive and RECORD hashes; writes validation-report.json and SHA256SUMS. See docs/executors.md#validate-wheels. */
export interface ValidateWheelsExecutorSchema {
  /**
   * Directory holding the wheels (in CI: the downloaded artifacts).
   * @default "{projectRoot}/wheelhouse"
   */
  wheelDir?: string;
  /**
   * Platforms whose wheels are expected: host, release ([tool.nx-wheels] release-platforms), or a list such as linux,windows.
   * @default "host"
   */
  platforms?: string | string[];
  /** Git tag being released, whose version every wheel must carry; default GITHUB_REF / GITHUB_REF_NAME on a tag push, else no tag check. */
  tag?: string;
  /**
   * Largest acceptable wheel in bytes (PyPI's per-file limit, 100 MiB, by default).
   * @minimum 1
   * @default 104857600
   */
  maxSize?: number;
  /**
   * Also run twine check --strict on every wheel and auditwheel show on Linux wheels, with the pinned toolchain.
   * @default true
   */
  externalChecks?: boolean;
  /** Where the JSON report is written; default <wheelDir>/validation-report.json. */
  reportFile?: string;
  /** Where SHA256SUMS is written when every check passed; default <wheelDir>/SHA256SUMS. */
  sha256sums?: string;
  /** Interpreter (CPython >= 3.11, command or path) that creates the pinned toolchain venv; default python3 (python on Windows). */
  python?: string;
  /** Expect and validate exactly one source distribution beside the wheels; default [tool.nx-wheels] sdist, else false. */
  sdist?: boolean;
  /**
   * Make twine check --strict warnings fatal (by default only its errors fail).
   * @default false
   */
  twineStrict?: boolean;
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
