/** Options of the test-wheels executor (see schema.json). */
export interface TestWheelsExecutorSchema {
  wheelDir?: string;
  python?: string;
}
