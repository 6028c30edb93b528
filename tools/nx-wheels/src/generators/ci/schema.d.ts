/** Options of the `ci` generator (schema.json). */
export interface CiGeneratorSchema {
  /** Write nothing; fail when a workflow differs from the generator's output. Default false. */
  check?: boolean;
  /** The repository's default branch (ci.yml's push trigger and nx affected base); default: origin's HEAD, else nx.json defaultBase, else git config init.defaultBranch. */
  defaultBranch?: string;
}
