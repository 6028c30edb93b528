// Generated from schema.json by tools/nx-wheels/scripts/schema-types.js: do not edit; run the script after changing schema.json.

/** Build, repair and test the wheels [tool.cibuildwheel] selects, with cibuildwheel or the native engine, replacing the output directory only on success. See docs/executors.md#build-wheels. */
export interface BuildWheelsExecutorSchema {
  /**
   * cibuildwheel --platform to build: linux, windows (on a Windows host) or auto (the host's).
   * @default "auto"
   */
  platform?: 'linux' | 'windows' | 'auto';
  /** Platforms to build in one run (linux, windows or linux,windows); windows on a Linux host is cross-built with zig and tested under wine. */
  platforms?: string;
  /** cibuildwheel, native (pypa/build + auditwheel on a Linux host) or auto (cibuildwheel where a container starts); default [tool.nx-wheels] engine, else auto. */
  engine?: 'cibuildwheel' | 'native' | 'auto';
  /** Native engine's manylinux policy (PEP 600): host, or 2_<minor> such as 2_28 (built with the pinned zig); default [tool.nx-wheels] manylinux, else cibuildwheel's image policy, else host. */
  manylinux?: string;
  /**
   * Directory that receives the wheels and build-report.json, replaced as a whole on success.
   * @default "{projectRoot}/wheelhouse"
   */
  outputDir?: string;
  /** Interpreter (CPython >= 3.11, command or path) that creates the pinned toolchain venv; default python3 (python on Windows). */
  python?: string;
  /**
   * Run [tool.cibuildwheel] test-command against each built wheel.
   * @default true
   */
  test?: boolean;
  /** Also build the source distribution (linux platform only); default [tool.nx-wheels] sdist, else false. */
  sdist?: boolean;
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
