// Generated from schema.json by tools/nx-wheels/scripts/schema-types.js: do not edit; run the script after changing schema.json.

/** Run [tool.cibuildwheel] test-command against already-built wheels, each installed into a fresh venv of its identifier's CPython. See docs/executors.md#test-wheels. */
export interface TestWheelsExecutorSchema {
  /**
   * Directory holding the wheels and their build-report.json (the output of the build-wheels-untested target).
   * @default "dist/{projectRoot}/wheelhouse"
   */
  wheelDir?: string;
  /** Interpreter to test with when its major.minor matches a wheel's identifier; otherwise pythonX.Y is looked up on PATH and in pyenv. */
  python?: string;
}
