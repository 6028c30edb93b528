/** Options of the validate-release executor (see schema.json for each one's meaning). */
export interface ValidateReleaseExecutorSchema {
  mode?: 'auto' | 'branch' | 'tag';
  tag?: string;
  changelog?: string;
  notesFile?: string;
  tagPrefix?: string;
  python?: string;
}
