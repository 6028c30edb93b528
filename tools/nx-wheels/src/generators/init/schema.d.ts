/** Options of the `init` generator (schema.json). */
export interface InitGeneratorSchema {
  /** Wheel directory relative to each project root (plugin option `wheelDir`). Default: nx.json's, else `wheelhouse`. */
  wheelDir?: string;
  /** Fill in nx.json `release` for the wheel projects. Default: true. */
  release?: boolean;
  /** Skip Prettier on the changed files. Default: false. */
  skipFormat?: boolean;
}
