// Generated from schema.json by tools/nx-wheels/scripts/schema-types.js: do not edit; run the script after changing schema.json.

/** Install the pinned Python toolchain into .nx-wheels/toolchain, again only when its requirements file or the interpreter changes. See docs/executors.md#python-toolchain. */
export interface ToolchainExecutorSchema {
  /** CPython >= 3.11 (command or path) that creates the venv; default python3 (python on Windows). */
  python?: string;
}
