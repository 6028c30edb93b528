/**
 * The opt-in sdist path: a real sdist built by pypa/build (buildSdist), read with tar-stream,
 * judged by the sdist rules; broken copies of it each give their own code.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { Readable } from 'node:stream';
import { readSdistArchive } from '../src/core/sdist';
import { checkSdists, Expectation, InspectedFile, validateFiles } from '../src/core/validation/rules';
import { buildSdist } from '../src/runners/native';
import { ensureWorkspaceToolchain } from './helpers/toolchain';

const quiet = { out: () => undefined, err: () => undefined };
let dir: string;
let sdistPath: string;
let bytes: Buffer;

const exp: Expectation = { name: 'Demo.Pkg', pyprojectFile: 'demo/pyproject.toml', version: '1.0.0', dynamicVersion: false, tag: { value: 'v1.0.0', source: 'option tag' }, identifiers: [], maxSize: 1e9, sdist: true };
const config = { projectVersion: '1.0.0', tagVersion: '1.0.0' };

beforeAll(async () => {
  const tc = await ensureWorkspaceToolchain();
  dir = mkdtempSync(join(tmpdir(), 'quiver-sdist-'));
  const pkg = join(dir, 'demo');
  mkdirSync(join(pkg, 'src', 'demo_pkg'), { recursive: true });
  writeFileSync(join(pkg, 'pyproject.toml'), '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "Demo.Pkg"\nversion = "1.0.0"\n');
  writeFileSync(join(pkg, 'src', 'demo_pkg', '__init__.py'), '');
  sdistPath = await buildSdist(tc.bin('python'), { workspaceRoot: dir, packageDir: 'demo', outDir: join(dir, 'out'), env: process.env }, quiet);
  bytes = readFileSync(sdistPath);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function inspected(name: string, data: Buffer): Promise<InspectedFile> {
  return { name, kind: 'file', size: data.length, sha256: 'x', readError: null, archive: null, sdist: await readSdistArchive(data) };
}

/** Rewrite the sdist's members through `fn` (name, content) -> [name, content] | null. */
async function repack(fn: (name: string, data: Buffer) => [string, Buffer] | null): Promise<Buffer> {
  const members: Array<[string, Buffer]> = [];
  await new Promise<void>((resolve, reject) => {
    const ex = extract();
    ex.on('entry', (h, s, next) => {
      const chunks: Buffer[] = [];
      s.on('data', (c: unknown) => chunks.push(c as Buffer));
      s.on('end', () => {
        if (h.type === 'file') members.push([h.name, Buffer.concat(chunks)]);
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
    Readable.from([gunzipSync(bytes)]).pipe(ex);
  });
  const p = pack();
  const out: Buffer[] = [];
  p.on('data', (c: unknown) => {
    out.push(c as Buffer);
  });
  for (const [n, d] of members) {
    const r = fn(n, d);
    if (r) p.entry({ name: r[0] }, r[1]);
  }
  p.finalize();
  await new Promise<void>((r) => p.on('end', () => r()));
  return gzipSync(Buffer.concat(out));
}

const codes = (fs: Array<{ code: string }>) => fs.map((f) => f.code).sort();

it('pypa/build names it by PEP 625 and the rules accept it', async () => {
  expect(sdistPath).toMatch(/demo_pkg-1\.0\.0\.tar\.gz$/);
  const f = await inspected('demo_pkg-1.0.0.tar.gz', bytes);
  expect(f.sdist!.topDirs).toEqual(['demo_pkg-1.0.0']);
  expect(f.sdist!.pkgInfo['demo_pkg-1.0.0']).toMatch(/^Name: Demo\.Pkg$/m);
  expect(checkSdists([f], exp, config)).toEqual([]);
});

it.each([
  ['missing', async () => [] as InspectedFile[], ['SDIST_MISSING']],
  ['two sdists', async () => [await inspected('demo_pkg-1.0.0.tar.gz', bytes), await inspected('demo_pkg-1.0.0.post1.tar.gz', bytes)], ['SDIST_EXTRA']],
  ['renamed to another version', async () => [await inspected('demo_pkg-1.0.1.tar.gz', bytes)], ['SDIST_INVALID', 'SDIST_METADATA_MISMATCH', 'VERSION_MISMATCH_PYPROJECT', 'VERSION_MISMATCH_TAG']],
  ['name not normalized', async () => [await inspected('Demo.Pkg-1.0.0.tar.gz', bytes)], ['SDIST_FILENAME_INVALID', 'SDIST_INVALID']],
  ['not name-version.tar.gz', async () => [await inspected('demo_pkg.tar.gz', bytes)], ['SDIST_FILENAME_INVALID']],
  ['truncated gzip', async () => [await inspected('demo_pkg-1.0.0.tar.gz', bytes.subarray(0, bytes.length / 2))], ['SDIST_INVALID']],
  ['PKG-INFO removed', async () => [await inspected('demo_pkg-1.0.0.tar.gz', await repack((n, d) => (n.endsWith('/PKG-INFO') && n.split('/').length === 2 ? null : [n, d])))], ['SDIST_PKG_INFO_MISSING']],
  ['PKG-INFO version changed', async () => [await inspected('demo_pkg-1.0.0.tar.gz', await repack((n, d) => [n, n === 'demo_pkg-1.0.0/PKG-INFO' ? Buffer.from(d.toString().replace('Version: 1.0.0', 'Version: 9.9.9')) : d]))], ['SDIST_METADATA_MISMATCH']],
  ['members outside the top directory', async () => [await inspected('demo_pkg-1.0.0.tar.gz', await repack((n, d) => [n.replace('demo_pkg-1.0.0/', 'other/'), d]))], ['SDIST_INVALID']],
])('%s', async (_label, files, want) => {
  expect(codes(checkSdists(await files(), exp, config))).toEqual(want);
});

it('an sdist where none is expected is SDIST_UNEXPECTED; when expected it is not', async () => {
  const f = await inspected('demo_pkg-1.0.0.tar.gz', bytes);
  expect(codes(validateFiles([f], { ...exp, sdist: false }).findings)).toContain('SDIST_UNEXPECTED');
  expect(codes(validateFiles([f], exp).findings)).not.toContain('SDIST_UNEXPECTED');
});
