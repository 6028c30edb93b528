/**
 * The upload directory a preflight hands to the upload job (docs/publishing.md, "Preflight"):
 *
 *   <uploadDir>/dist/             copies of exactly the files to upload (possibly none)
 *   <uploadDir>/SHA256SUMS        `<hex>  <filename>` per file of dist/ (sha256sum format, names only;
 *                                 empty when dist/ is empty); check with
 *                                 `cd <uploadDir>/dist && sha256sum -c --strict ../SHA256SUMS`
 *   <uploadDir>/publish-plan.json the preflight's publish report
 *
 * Built in a temporary sibling and renamed into place, replacing the old directory as a whole;
 * a failure leaves the old one (or none) and no temporary directory behind.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { QuiverError } from '../../core/errors';
import { LocalFile } from '../../core/publish/plan';
import { replaceDir, sha256File } from '../files';

/** Name of the plan file in the upload directory. */
export const PUBLISH_PLAN_FILE = 'publish-plan.json';

const inside = (child: string, parent: string) => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !r.startsWith(sep));
};

/**
 * Refuse an upload directory that replacing would destroy something with: the workspace root or a
 * directory containing it, the wheel directory, one inside it or one containing it.
 * @param dir absolute upload directory
 * @throws QuiverError `BAD_OPTION_UPLOAD_DIR`
 */
export function checkUploadDir(dir: string, o: { workspaceRoot: string; wheelDir: string; shown: string }): void {
  const bad = (why: string) => new QuiverError('BAD_OPTION_UPLOAD_DIR', `option uploadDir: ${o.shown} ${why}, and the preflight replaces it as a whole; pass a directory of its own, e.g. --uploadDir=dist/pypi-upload.`);
  if (inside(o.workspaceRoot, dir)) throw bad('is the workspace root or contains it');
  if (inside(o.wheelDir, dir)) throw bad('is the wheel directory or contains it');
  if (inside(dir, o.wheelDir)) throw bad('is inside the wheel directory');
}

/**
 * The SHA256SUMS text: one `<hex>  <filename>` line per file, sorted by name; empty for no files
 * (`sha256sum -c` has nothing to check then: the upload job uploads only when there are files).
 */
function formatUploadSums(files: ReadonlyArray<{ file: string; sha256: string }>): string {
  return [...files]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.file}\n`)
    .join('');
}

/**
 * Write the upload directory (see the module comment). Each copy is hashed again and must equal
 * the validated sha256, so a file changed after validation is never handed over.
 * @param dir absolute upload directory (checked with {@link checkUploadDir} first)
 * @param wheelDir absolute directory the files are copied from
 * @param files the files to upload, with their validated sha256
 * @param planJson the text of publish-plan.json
 * @throws QuiverError `PUBLISH_FILE_CHANGED` when a copy's sha256 differs from the validated one
 */
export async function writeUploadDir(dir: string, wheelDir: string, files: readonly LocalFile[], planJson: string): Promise<void> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(join(tmp, 'dist'), { recursive: true });
  try {
    for (const f of files) {
      const copy = join(tmp, 'dist', f.file);
      copyFileSync(join(wheelDir, f.file), copy);
      const sha = await sha256File(copy);
      if (sha !== f.sha256) {
        throw new QuiverError('PUBLISH_FILE_CHANGED', `${f.file} changed after it was validated (sha256 ${sha}, validated ${f.sha256}); nothing was written: re-run the preflight on a wheel directory nothing else writes to.`);
      }
    }
    writeFileSync(join(tmp, 'SHA256SUMS'), formatUploadSums(files));
    writeFileSync(join(tmp, PUBLISH_PLAN_FILE), planJson);
    replaceDir(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
