/** Options of the python-toolchain executor (see schema.json). */
export interface ToolchainExecutorSchema {
  python?: string;
}
