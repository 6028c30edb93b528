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
  /**
   * The first bytes of the content (up to {@link HEAD_BYTES}), kept only for entries that may be
   * binaries: an executable suffix (`.so`, `.pyd`, `.dll`, `.dylib`) or content starting with an
   * ELF, MZ (PE) or Mach-O magic number. null otherwise.
   */
  head: Buffer | null;
  /** What the central directory says about the entry's storage. */
  central: { offset: number; method: number; crc32: number; compressedSize: number; uncompressedSize: number; flags: number; rawName: Buffer };
  /** The entry's local file header as read at `central.offset`, or why it could not be read; null when not read. */
  local: LocalHeader | { error: string } | null;
}

/** A local file header (zip APPNOTE 4.3.7), with the data descriptor's values when general purpose bit 3 is set. */
export interface LocalHeader {
  rawName: Buffer;
  method: number;
  flags: number;
  /** CRC-32 and sizes: the header's, or the data descriptor's when bit 3 is set; null when neither holds a value. */
  crc32: number | null;
  compressedSize: number | null;
  uncompressedSize: number | null;
  /** Byte range [start, end) the entry occupies in the file: header, name, extra, data and data descriptor. */
  start: number;
  end: number;
}

/** What is wrong with the archive as a whole, when it cannot be read as a zip. */
interface ArchiveProblem {
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
  /** Where the central directory starts and the file's size, in bytes (0 when the zip could not be opened). */
  centralDirectoryOffset: number;
  fileSize: number;
}

/** Bytes of content kept in {@link ArchiveEntry.head}: enough for the ELF, PE (e_lfanew + COFF header) and Mach-O headers. */
const HEAD_BYTES = 4096;

/** Names of entries that are binaries by suffix: extension modules and shared libraries of every platform. */
export const BINARY_SUFFIX = /\.(so(\.\d+)*|pyd|dll|dylib)$/i;

/** True when `head` starts with the magic number of an ELF, PE (MZ) or Mach-O (thin or fat) file. */
function hasExecutableMagic(head: Buffer): boolean {
  if (head.length < 4) return false;
  const be = head.readUInt32BE(0);
  return be === 0x7f454c46 || head.readUInt16BE(0) === 0x4d5a || [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xcafebabf].includes(be);
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
function recordDigest(digest: Buffer): string {
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
      const heads: Buffer[] = [];
      let headLen = 0;
      stream.on('data', (chunk: Buffer) => {
        if (headLen < HEAD_BYTES) {
          const part = chunk.subarray(0, HEAD_BYTES - headLen);
          heads.push(part);
          headLen += part.length;
        }
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
        const head = Buffer.concat(heads, headLen);
        if (BINARY_SUFFIX.test(out.name) || hasExecutableMagic(head)) out.head = Buffer.from(head);
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
  const archive: WheelArchive = { entries: [], problem: null, files: new Map(), centralDirectoryOffset: 0, fileSize: 0 };
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(source);
  } catch (e) {
    archive.problem = classify(e as Error, await firstBytes(source));
    return archive;
  }
  const internals = zip as unknown as { readEntryCursor: number; fileSize: number };
  archive.centralDirectoryOffset = internals.readEntryCursor;
  archive.fileSize = internals.fileSize;
  await readEntries(zip, archive, {
    keep: opts.keep ?? ((n: string) => DIST_INFO_FILE.test(n)),
    algorithms: opts.algorithms ?? ['sha256'],
    keepLimit: opts.keepLimit ?? 16 * 1024 * 1024,
  });
  if (!archive.problem) await readLocalHeaders(source, archive);
  return archive;
}

/** The first 4 bytes of the source (what {@link classify} tells a non-zip by). */
async function firstBytes(source: Buffer | string): Promise<Buffer> {
  if (typeof source !== 'string') return source.subarray(0, 4);
  const { openSync, readSync, closeSync } = await import('node:fs');
  const fd = openSync(source, 'r');
  const h = Buffer.alloc(4);
  try {
    readSync(fd, h, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return h;
}

/**
 * Walk the central directory one entry at a time, reading each entry's content before the next
 * (yauzl's lazy mode); a zip-level error ends the walk as `archive.problem`.
 */
function readEntries(zip: yauzl.ZipFile, archive: WheelArchive, opts: Required<ReadArchiveOptions>): Promise<void> {
  return new Promise<void>((resolve) => {
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
      const e = toArchiveEntry(entry);
      archive.entries.push(e);
      const next = () => (finished ? undefined : zip.readEntry());
      if (e.isDirectory && entry.uncompressedSize === 0) return next();
      if ((entry.generalPurposeBitFlag & 0x1) !== 0 || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) {
        e.error = entry.generalPurposeBitFlag & 0x1 ? 'entry is encrypted' : `unsupported compression method ${entry.compressionMethod} (wheels use stored or deflate)`;
        return next();
      }
      void readEntry(zip, entry, e, opts.algorithms, opts.keep(e.name), opts.keepLimit).then((content) => {
        if (content) archive.files.set(e.name, content);
        next();
      });
    });
    zip.readEntry();
  });
}

/** An entry as the central directory describes it; content facts (size, hashes, head) are filled in by readEntry. */
function toArchiveEntry(entry: yauzl.Entry): ArchiveEntry {
  const raw = entry.fileName as unknown as Buffer;
  const name = yz.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
  return {
    name,
    unsafeReason: yz.validateFileName(name),
    isDirectory: name.endsWith('/'),
    isSymlink: isUnixSymlink(entry),
    declaredSize: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    size: 0,
    hashes: {},
    error: null,
    head: null,
    central: {
      offset: entry.relativeOffsetOfLocalHeader,
      method: entry.compressionMethod,
      crc32: entry.crc32 >>> 0,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      flags: entry.generalPurposeBitFlag,
      rawName: Buffer.from(raw),
    },
    local: null,
  };
}

/** Read `length` bytes at `position` of the source (fewer at the end of the file). */
type ReadAt = (position: number, length: number) => Buffer;

/**
 * Read each entry's local file header (and data descriptor) so the rules can compare it with the
 * central directory and check that entries neither overlap nor leave bytes unaccounted for.
 */
async function readLocalHeaders(source: Buffer | string, archive: WheelArchive): Promise<void> {
  if (typeof source !== 'string') {
    const at: ReadAt = (p, n) => source.subarray(p, Math.min(source.length, p + n));
    for (const e of archive.entries) e.local = parseLocalHeader(at, e);
    return;
  }
  const { open } = await import('node:fs/promises');
  const fh = await open(source, 'r');
  try {
    for (const e of archive.entries) {
      // Header + name + extra (at most 30 + 2 * 65535), then the descriptor after the data.
      const c = e.central;
      const headBuf = Buffer.alloc(30 + 0x1ffff);
      const { bytesRead } = await fh.read(headBuf, 0, headBuf.length, c.offset);
      const hb = headBuf.subarray(0, bytesRead);
      const descPos = c.offset + 30 + (hb.length >= 30 ? hb.readUInt16LE(26) + hb.readUInt16LE(28) : 0) + c.compressedSize;
      const descBuf = Buffer.alloc(24);
      const d = await fh.read(descBuf, 0, 24, descPos);
      const at: ReadAt = (p, n) => {
        if (p >= c.offset && p < c.offset + hb.length) return hb.subarray(p - c.offset, Math.min(hb.length, p - c.offset + n));
        if (p === descPos) return descBuf.subarray(0, Math.min(d.bytesRead, n));
        return Buffer.alloc(0);
      };
      e.local = parseLocalHeader(at, e);
    }
  } finally {
    await fh.close();
  }
}

function parseLocalHeader(at: ReadAt, e: ArchiveEntry): LocalHeader | { error: string } {
  const c = e.central;
  const h = at(c.offset, 30);
  if (h.length < 30 || h.readUInt32LE(0) !== 0x04034b50) return { error: `no local file header at offset ${c.offset}` };
  const flags = h.readUInt16LE(6);
  const method = h.readUInt16LE(8);
  let crc32: number | null = h.readUInt32LE(14);
  let compressedSize: number | null = h.readUInt32LE(18);
  let uncompressedSize: number | null = h.readUInt32LE(22);
  const nameLen = h.readUInt16LE(26);
  const extraLen = h.readUInt16LE(28);
  const rawName = Buffer.from(at(c.offset + 30, nameLen));
  const extra = at(c.offset + 30 + nameLen, extraLen);
  let zip64 = false;
  if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) {
    // ZIP64 extended information extra field (0x0001): original size, then compressed size.
    for (let i = 0; i + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(i);
      const len = extra.readUInt16LE(i + 2);
      if (id === 0x0001 && len >= 16 && i + 4 + 16 <= extra.length) {
        uncompressedSize = Number(extra.readBigUInt64LE(i + 4));
        compressedSize = Number(extra.readBigUInt64LE(i + 12));
        zip64 = true;
      }
      i += 4 + len;
    }
    if (!zip64) compressedSize = uncompressedSize = null;
  }
  const start = c.offset;
  const dataStart = start + 30 + nameLen + extraLen;
  // The data's length comes from the central directory (the local one may be 0 with bit 3).
  let end = dataStart + c.compressedSize;
  if (flags & 0x8) {
    zip64 = zip64 || c.compressedSize >= 0xffffffff || c.uncompressedSize >= 0xffffffff;
    const d = at(end, 24);
    let i = 0;
    if (d.length >= 4 && d.readUInt32LE(0) === 0x08074b50) i = 4;
    const need = i + (zip64 ? 20 : 12);
    if (d.length >= need) {
      crc32 = d.readUInt32LE(i);
      compressedSize = zip64 ? Number(d.readBigUInt64LE(i + 4)) : d.readUInt32LE(i + 4);
      uncompressedSize = zip64 ? Number(d.readBigUInt64LE(i + 12)) : d.readUInt32LE(i + 8);
      end += need;
    } else {
      crc32 = compressedSize = uncompressedSize = null;
    }
  }
  return { rawName, method, flags, crc32: crc32 === null ? null : crc32 >>> 0, compressedSize, uncompressedSize, start, end };
}
