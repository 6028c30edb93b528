/** The sdist family on gzipped tars built in the test (tar-stream's pack, zlib), read by the real sdist reader: one valid and one broken case per rule. */
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { readSdistArchive } from '../sdist';
import { checkSdists } from './check-sdist';
import { Expectation, InspectedFile } from './types';

const exp: Expectation = { name: 'Demo.Pkg', pyprojectFile: 'pkg/pyproject.toml', version: '1.0', dynamicVersion: false, tag: null, identifiers: [], maxSize: 1e9, sdist: true };
const config = { projectVersion: '1.0', tagVersion: null };
const codes = (fs: Array<{ code: string }>) => fs.map((f) => f.code).sort();
const PKG_INFO = 'Metadata-Version: 2.1\nName: Demo.Pkg\nVersion: 1.0\n\n';

/** A gzipped tar of `members` (path -> text). */
async function tarGz(members: Record<string, string>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((res) => p.on('end', () => res()));
  for (const [name, text] of Object.entries(members)) p.entry({ name }, text);
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

const validMembers = (root = 'demo_pkg-1.0', pkgInfo = PKG_INFO) => ({ [`${root}/pyproject.toml`]: '[project]\nname = "Demo.Pkg"\n', [`${root}/PKG-INFO`]: pkgInfo, [`${root}/demo/__init__.py`]: '' });

async function sdist(name: string, members: Record<string, string> | Buffer): Promise<InspectedFile> {
  const bytes = Buffer.isBuffer(members) ? members : await tarGz(members);
  return { name, kind: 'file', size: bytes.length, sha256: null, readError: null, archive: null, sdist: await readSdistArchive(bytes) };
}
const run = async (files: InspectedFile[]) => codes(checkSdists(files, exp, config));

describe('check-sdist', () => {
  it('one {name}-{version}.tar.gz with one top directory, pyproject.toml and a matching PKG-INFO passes', async () => {
    expect(await run([await sdist('demo_pkg-1.0.tar.gz', validMembers())])).toEqual([]);
  });
  it('SDIST_MISSING', async () => expect(await run([])).toEqual(['SDIST_MISSING']));
  it('SDIST_EXTRA: a second sdist', async () => {
    expect(await run([await sdist('demo_pkg-1.0.tar.gz', validMembers()), await sdist('demo_pkg-0.9.tar.gz', validMembers('demo_pkg-0.9'))])).toEqual(['SDIST_EXTRA']);
  });
  it('SDIST_FILENAME_INVALID: the name not normalized (PEP 625)', async () => {
    expect(await run([await sdist('Demo.Pkg-1.0.tar.gz', validMembers('Demo.Pkg-1.0'))])).toContain('SDIST_FILENAME_INVALID');
  });
  it('VERSION_MISMATCH_PYPROJECT: an sdist of another version', async () => {
    expect(await run([await sdist('demo_pkg-1.1.tar.gz', validMembers('demo_pkg-1.1', PKG_INFO.replace('1.0', '1.1')))])).toEqual(['VERSION_MISMATCH_PYPROJECT']);
  });
  it('SDIST_INVALID: not a gzipped tar; two top directories; no pyproject.toml', async () => {
    expect(await run([await sdist('demo_pkg-1.0.tar.gz', Buffer.from('<html>not found</html>'))])).toEqual(['SDIST_INVALID']);
    expect(await run([await sdist('demo_pkg-1.0.tar.gz', { ...validMembers(), 'stray/file.txt': 'x' })])).toEqual(['SDIST_INVALID']);
    const noPyproject = Object.fromEntries(Object.entries(validMembers()).filter(([k]) => !k.endsWith('pyproject.toml')));
    expect(await run([await sdist('demo_pkg-1.0.tar.gz', noPyproject)])).toEqual(['SDIST_INVALID']);
  });
  it('SDIST_PKG_INFO_MISSING', async () => {
    const members = Object.fromEntries(Object.entries(validMembers()).filter(([k]) => !k.endsWith('PKG-INFO')));
    expect(await run([await sdist('demo_pkg-1.0.tar.gz', members)])).toEqual(['SDIST_PKG_INFO_MISSING']);
  });
  it('SDIST_METADATA_MISMATCH: PKG-INFO of another version than the filename', async () => {
    expect(await run([await sdist('demo_pkg-1.0.tar.gz', validMembers('demo_pkg-1.0', PKG_INFO.replace('Version: 1.0', 'Version: 1.2')))])).toEqual(['SDIST_METADATA_MISMATCH']);
  });
});
