/** Options of the validate-wheels executor (see schema.json for each one's meaning). */
export interface ValidateWheelsExecutorSchema {
  wheelDir?: string;
  platforms?: 'host' | string | Array<'linux' | 'windows'>;
  tag?: string;
  maxSize?: number;
  externalChecks?: boolean;
  reportFile?: string;
  sha256sums?: string;
  python?: string;
  sdist?: boolean;
}
