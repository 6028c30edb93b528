/** Options of the rehearse-release executor (see schema.json for each one's meaning). */
export interface RehearseReleaseExecutorSchema {
  version?: string;
  preid?: string;
  platforms?: string;
  keep?: boolean;
  reportFile?: string;
  python?: string;
}
