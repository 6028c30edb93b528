/** Options of the `init` generator (schema.json). */
export interface InitGeneratorSchema {
  /** Wheel directory relative to each project root (plugin option `wheelDir`). Default: nx.json's, else `wheelhouse`. */
  wheelDir?: string;
  /** Fill in nx.json `release` for the wheel projects. Default: true. */
  release?: boolean;
  /** `independent` (default): each wheel project its own version and `{projectName}-v{version}` tag; `fixed`: one version and `v{version}` tag for all. */
  projectsRelationship?: 'independent' | 'fixed';
  /** Skip Prettier on the changed files. Default: false. */
  skipFormat?: boolean;
}
