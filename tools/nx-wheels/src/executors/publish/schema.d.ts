/** Options of the publish executor (see schema.json for each one's meaning). */
export interface PublishExecutorSchema {
  wheelDir?: string;
  repositoryUrl?: string;
  indexUrl?: string;
  oidcUrl?: string;
  dryRun?: boolean;
  attestations?: boolean | 'auto' | 'true' | 'false';
  validate?: boolean;
  platforms?: string | string[];
  tag?: string;
  externalChecks?: boolean;
  python?: string;
  retries?: number;
  timeoutSeconds?: number;
  reportFile?: string;
}
