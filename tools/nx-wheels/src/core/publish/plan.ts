/**
 * What to do with each local wheel given what the index already has: upload it, skip it (same
 * filename with the same sha256 is already there), or refuse (same filename, different bytes:
 * indexes never let a file be replaced, PyPI not even after deletion). Pure.
 */
import { QuiverError } from '../errors';
import { IndexFile } from './simple-index';

/** A local file about to be published. */
export interface LocalFile {
  file: string;
  sha256: string;
  size: number;
}

/** The decision for one file. */
export interface PlannedFile extends LocalFile {
  action: 'upload' | 'skip' | 'conflict';
  /** The index's sha256 when the file is already there. */
  remoteSha256: string | null;
}

/**
 * Compare local files with the index's listing (by exact filename, as indexes do).
 * @param remote files the index lists for the project; those without a sha256 must have been
 *   hashed by the caller (download) before calling, or they count as conflicts
 */
export function planUploads(local: readonly LocalFile[], remote: readonly IndexFile[]): PlannedFile[] {
  const byName = new Map(remote.map((r) => [r.filename, r]));
  return local.map((l) => {
    const r = byName.get(l.file);
    if (!r) return { ...l, action: 'upload', remoteSha256: null };
    return { ...l, action: r.sha256 === l.sha256 ? 'skip' : 'conflict', remoteSha256: r.sha256 };
  });
}

/** The error for a file the index holds with other bytes. */
export function conflictError(f: { file: string; sha256: string; remoteSha256: string | null }, indexUrl: string): QuiverError {
  return new QuiverError(
    'INDEX_FILE_CONFLICT',
    `${f.file} is already on ${indexUrl} with different bytes (index sha256 ${f.remoteSha256 ?? 'unknown'}, local sha256 ${f.sha256}); an index never replaces a file: bump [project].version and rebuild; nothing further was uploaded.`,
  );
}
