/** Options of the `ci` generator (schema.json). */
export interface CiGeneratorSchema {
  /** Write nothing; fail when a workflow differs from the generator's output. Default false. */
  check?: boolean;
}
