/** File helpers for all-or-nothing outputs. */
import { createHash } from 'node:crypto';
import { cpSync, createReadStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Write a file so that readers see the old or the new content, never a half-written one. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** sha256 of a file, lower-case hex, streamed. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/**
 * Replace directory `dest` by `src` as one step: the old `dest` is moved aside, `src` renamed into
 * place, then the old one deleted (copy + delete when they are on different file systems).
 */
export function replaceDir(src: string, dest: string): void {
  mkdirSync(dirname(dest), { recursive: true });
  const aside = `${dest}.old-${process.pid}-${Date.now()}`;
  const hadOld = existsSync(dest);
  if (hadOld) renameSync(dest, aside);
  try {
    try {
      renameSync(src, dest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      cpSync(src, dest, { recursive: true });
      rmSync(src, { recursive: true, force: true });
    }
  } catch (e) {
    if (hadOld) renameSync(aside, dest);
    throw e;
  }
  if (hadOld) rmSync(aside, { recursive: true, force: true });
}
