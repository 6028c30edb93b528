/** The shape of one catalog entry (see ../error-catalog.ts). */

/** The pages whose code tables the docs test checks against the catalog. */
export type DocPage =
  | 'README.md'
  | 'docs/publishing.md'
  | 'docs/release-guide.md'
  | 'docs/validation-codes.md'
  | 'docs/windows-from-linux.md'
  | 'docs/error-codes.md';

/** One code: what it means, the fix, and the page whose code table documents it. */
export interface ErrorInfo {
  /** What went wrong, one sentence. */
  readonly summary: string;
  /** The one-line fix. */
  readonly fix: string;
  /** The page (relative to the workspace root) that documents the code in a table row. */
  readonly doc: DocPage;
}

/** Build an entry; the argument order reads like a table row: page, summary, fix. */
export const entry = (doc: DocPage, summary: string, fix: string): ErrorInfo => ({ summary, fix, doc });
