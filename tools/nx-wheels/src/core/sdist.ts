/**
 * Source distributions (https://packaging.python.org/en/latest/specifications/source-distribution-format/):
 * `{name}-{version}.tar.gz` (PEP 625: normalized, escaped name), a gzipped tar with one top-level
 * directory `{name}-{version}/` holding `PKG-INFO` (core metadata) and `pyproject.toml`.
 * Reading uses tar-stream and zlib; the rules live in validation/rules.ts.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';

/** A parsed sdist filename. */
export interface SdistFilename {
  filename: string;
  /** Distribution part as written (`quiverdb`, escaped per PEP 625). */
  distribution: string;
  version: string;
}

/** `quiverdb-1.2.0.tar.gz` -> parts; `null` when not `{name}-{version}.tar.gz` with one `-`. */
export function parseSdistFilename(filename: string): SdistFilename | null {
  const m = /^([A-Za-z0-9_.]+)-([A-Za-z0-9_.!+]+)\.tar\.gz$/.exec(filename);
  return m ? { filename, distribution: m[1], version: m[2] } : null;
}

/** What reading an sdist found. */
export interface SdistArchive {
  /** Top-level directory names of the members. */
  topDirs: string[];
  /** Member paths (files only). */
  files: string[];
  /** Text of each `<top>/PKG-INFO`, keyed by the top-level directory. */
  pkgInfo: Record<string, string>;
  /** Why the archive could not be read as a gzipped tar, or null. */
  problem: string | null;
}

/**
 * Read an sdist (path or bytes): member names and the top-level PKG-INFO. Never throws for a bad
 * archive: `problem` says what is wrong.
 */
export function readSdistArchive(source: string | Buffer): Promise<SdistArchive> {
  return new Promise((resolve) => {
    const result: SdistArchive = { topDirs: [], files: [], pkgInfo: {}, problem: null };
    const tops = new Set<string>();
    const ex = extract();
    let settled = false;
    const done = (problem: string | null) => {
      if (settled) return;
      settled = true;
      result.problem = problem;
      result.topDirs = [...tops].sort();
      resolve(result);
    };
    ex.on('entry', (header, stream, next) => {
      const name = header.name.replace(/^\.\//, '');
      const top = name.split('/')[0];
      if (top) tops.add(top);
      const isPkgInfo = header.type === 'file' && /^[^/]+\/PKG-INFO$/.test(name);
      if (header.type === 'file') result.files.push(name);
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => {
        if (isPkgInfo) chunks.push(c as Buffer);
      });
      stream.on('end', () => {
        if (isPkgInfo && !(top in result.pkgInfo)) result.pkgInfo[top] = Buffer.concat(chunks).toString('utf8');
        next();
      });
      stream.resume();
    });
    ex.on('finish', () => done(tops.size === 0 ? 'the archive has no members' : null));
    ex.on('error', (e: Error) => done(`not a valid tar archive (${e.message})`));
    const gunzip = createGunzip();
    gunzip.on('error', (e: Error) => done(`not a valid gzip stream (${e.message})`));
    const input = typeof source === 'string' ? createReadStream(source) : Readable.from([source]);
    input.on('error', (e: Error) => done(`unreadable (${e.message})`));
    input.pipe(gunzip).pipe(ex);
  });
}
