/** Options of the build-wheels executor (see schema.json for each one's meaning). */
export interface BuildWheelsExecutorSchema {
  platform?: 'linux' | 'windows' | 'auto';
  engine?: 'cibuildwheel' | 'native' | 'auto';
  outputDir?: string;
  python?: string;
  test?: boolean;
  sdist?: boolean;
}
