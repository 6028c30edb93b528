/**
 * Reading a wheel as a zip archive (the binary distribution format is a zip:
 * https://packaging.python.org/en/latest/specifications/binary-distribution-format/).
 *
 * Zip parsing is yauzl's. This module reads every entry exactly once, hashing (sha256, urlsafe
 * base64 without padding, as RECORD writes it) and CRC-checking the bytes as they are inflated:
 * no temporary files, no second pass. It never throws for a bad archive: what is wrong is
 * returned as data ({@link WheelArchive.problem}, {@link ArchiveEntry.error}) for the validation
 * rules to judge. No processes are spawned.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import * as yauzl from 'yauzl';

/** One entry of the zip's central directory. */
export interface ArchiveEntry {
  /** Decoded name as stored (not normalized: `/`-separated per the zip spec, backslashes kept). */
  name: string;
  /** Why the name is unsafe to extract (absolute path, `..` segment, backslash, drive letter), or null. */
  unsafeReason: string | null;
  /** Directory entry (name ends with `/`). */
  isDirectory: boolean;
  /** Unix symlink entry (made by Unix, mode S_IFLNK in the external attributes). */
  isSymlink: boolean;
  /** Size the central directory declares. */
  declaredSize: number;
  compressedSize: number;
  /** Bytes actually produced by inflating the entry (equals `declaredSize` when it reads cleanly). */
  size: number;
  /** Digests of the content, keyed by algorithm (`sha256`), urlsafe base64 without padding; empty when unread. */
  hashes: Record<string, string>;
  /** Why the content could not be read (bad local header, inflate error, CRC mismatch), or null. */
  error: string | null;
}

/** What is wrong with the archive as a whole, when it cannot be read as a zip. */
export interface ArchiveProblem {
  /** `not-zip`: no zip signature at all; `truncated`: starts like a zip but its end is missing; `corrupt`: anything else. */
  kind: 'not-zip' | 'truncated' | 'corrupt';
  message: string;
}

/** A read wheel archive. */
export interface WheelArchive {
  /** Central directory entries in order (those read before a fatal problem, if any). */
  entries: ArchiveEntry[];
  /** Fatal problem reading the zip, or null when the central directory was read completely. */
  problem: ArchiveProblem | null;
  /** Contents of the small metadata files that were asked for (see {@link ReadArchiveOptions.keep}), by entry name. */
  files: Map<string, Buffer>;
}

/** Options of {@link readWheelArchive}. */
export interface ReadArchiveOptions {
  /** Entries whose content is kept in {@link WheelArchive.files}. Default: `*.dist-info/{WHEEL,METADATA,RECORD}`. */
  keep?: (name: string) => boolean;
  /** Digest algorithms (Node names: `sha256`, `sha384`, `sha512`). Default `['sha256']`. */
  algorithms?: string[];
  /** Content kept per entry is capped at this many bytes (default 16 MiB); larger entries are hashed but not kept. */
  keepLimit?: number;
}

/** Output chunk size of the inflater. */
const INFLATE_CHUNK = 1024 * 1024;

/** Metadata files of a `.dist-info` directory that the validation rules read. */
export const DIST_INFO_FILE = /^[^/]+\.dist-info\/(WHEEL|METADATA|RECORD)$/;

/** RECORD's digest form: urlsafe base64 without `=` padding. */
export function recordDigest(digest: Buffer): string {
  return digest.toString('base64url');
}

// yauzl 3 functions that @types/yauzl (2.10) does not declare.
const yz = yauzl as unknown as {
  getFileNameLowLevel(flag: number, name: Buffer, extraFields: unknown[], strictFileNames: boolean): string;
  validateFileName(name: string): string | null;
};

function openZip(source: Buffer | string): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true };
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: yauzl.ZipFile) => (err || !zip ? reject(err ?? new Error('no zip')) : resolve(zip));
    if (typeof source === 'string') yauzl.open(source, options, done);
    else yauzl.fromBuffer(source, options, done);
  });
}

function classify(err: Error, head: Buffer | null): ArchiveProblem {
  const msg = err.message;
  if (/end of central directory record signature not found/i.test(msg)) {
    // A zip starts with a local file header (PK\3\4) or, when empty, with the end record (PK\5\6).
    const looksLikeZip = head !== null && head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
    return looksLikeZip
      ? { kind: 'truncated', message: 'the file starts like a zip but its end (central directory) is missing: the file is cut short' }
      : { kind: 'not-zip', message: 'not a zip archive (no zip signature)' };
  }
  return { kind: 'corrupt', message: msg };
}

function isUnixSymlink(e: yauzl.Entry): boolean {
  const madeBy = e.versionMadeBy >> 8;
  const mode = (e.externalFileAttributes >>> 16) & 0o170000;
  return (madeBy === 3 || madeBy === 19) && mode === 0o120000;
}

function readEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  out: ArchiveEntry,
  algorithms: string[],
  keep: boolean,
  keepLimit: number,
): Promise<Buffer | null> {
  return new Promise((resolve) => {
    // Raw bytes from yauzl, inflated here with large output chunks: far fewer thread-pool round
    // trips than yauzl's default 16 KiB inflate chunks (the benchmark's hot path).
    zip.openReadStream(entry, { decodeFileData: false } as unknown as yauzl.ZipFileOptions, (err, raw) => {
      if (err || !raw) {
        out.error = err?.message ?? 'cannot open entry';
        return resolve(null);
      }
      let stream: NodeJS.ReadableStream = raw;
      if (entry.compressionMethod === 8) {
        const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
        raw.on('error', (e: Error) => inflate.destroy(e));
        stream = raw.pipe(inflate);
      }
      const hashes = algorithms.map((a) => createHash(a));
      const chunks: Buffer[] = [];
      let kept = 0;
      let crc = 0;
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        for (const h of hashes) h.update(chunk);
        crc = zlib.crc32(chunk, crc);
        if (keep && kept + chunk.length <= keepLimit) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      stream.on('error', (e: Error) => {
        out.error = e.message;
        out.size = size;
        resolve(null);
      });
      stream.on('end', () => {
        out.size = size;
        if (size !== entry.uncompressedSize) out.error = `inflates to ${size} bytes, the central directory says ${entry.uncompressedSize}`;
        else if (crc >>> 0 !== entry.crc32 >>> 0) out.error = `CRC-32 mismatch (stored ${(entry.crc32 >>> 0).toString(16)}, content ${(crc >>> 0).toString(16)})`;
        algorithms.forEach((a, i) => (out.hashes[a] = recordDigest(hashes[i].digest())));
        resolve(keep && kept === size ? Buffer.concat(chunks, size) : null);
      });
    });
  });
}

/**
 * Read a wheel: its central directory, every entry's content (hashed once while inflating), and
 * the content of the metadata files.
 * @param source the whole file as a Buffer (fastest), or a path (for files too large to hold)
 * @returns the archive; never rejects for a damaged or non-zip file (see {@link WheelArchive.problem})
 */
export async function readWheelArchive(source: Buffer | string, opts: ReadArchiveOptions = {}): Promise<WheelArchive> {
  const keep = opts.keep ?? ((n: string) => DIST_INFO_FILE.test(n));
  const algorithms = opts.algorithms ?? ['sha256'];
  const keepLimit = opts.keepLimit ?? 16 * 1024 * 1024;
  const archive: WheelArchive = { entries: [], problem: null, files: new Map() };
  const head = typeof source === 'string' ? null : source.subarray(0, 4);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(source);
  } catch (e) {
    let h = head;
    if (h === null) {
      const { openSync, readSync, closeSync } = await import('node:fs');
      const fd = openSync(source as string, 'r');
      h = Buffer.alloc(4);
      try {
        readSync(fd, h, 0, 4, 0);
      } finally {
        closeSync(fd);
      }
    }
    archive.problem = classify(e as Error, h);
    return archive;
  }
  await new Promise<void>((resolve) => {
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        resolve();
      }
    };
    zip.on('error', (e: Error) => {
      archive.problem = { kind: 'corrupt', message: e.message };
      finish();
    });
    zip.on('end', finish);
    zip.on('entry', (entry: yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      const name = yz.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
      const e: ArchiveEntry = {
        name,
        unsafeReason: yz.validateFileName(name),
        isDirectory: name.endsWith('/'),
        isSymlink: isUnixSymlink(entry),
        declaredSize: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        size: 0,
        hashes: {},
        error: null,
      };
      archive.entries.push(e);
      const next = () => (finished ? undefined : zip.readEntry());
      if (e.isDirectory && entry.uncompressedSize === 0) return next();
      if ((entry.generalPurposeBitFlag & 0x1) !== 0 || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) {
        e.error = entry.generalPurposeBitFlag & 0x1 ? 'entry is encrypted' : `unsupported compression method ${entry.compressionMethod} (wheels use stored or deflate)`;
        return next();
      }
      void readEntry(zip, entry, e, algorithms, keep(name), keepLimit).then((content) => {
        if (content) archive.files.set(name, content);
        next();
      });
    });
    zip.readEntry();
  });
  return archive;
}
