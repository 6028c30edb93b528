/**
 * The plan comes from the real, pinned cibuildwheel: --print-build-identifiers for each platform
 * of bindings/python's [tool.cibuildwheel] (works on a Linux host for Windows too).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listIdentifiers } from '../src/pipeline/identifiers';
import { QuiverError } from '../src/core/errors';
import { ensureWorkspaceToolchain } from './helpers/toolchain';
import { WORKSPACE } from './helpers/workspace';

const pkg = join(WORKSPACE, 'bindings', 'python');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CIBW_')));

describe('cibuildwheel --print-build-identifiers (real)', () => {
  let cibw: string;
  beforeAll(async () => {
    cibw = (await ensureWorkspaceToolchain()).bin('cibuildwheel');
  }, 600_000);

  it('linux -> exactly cp313-manylinux_x86_64', async () => {
    expect((await listIdentifiers(cibw, WORKSPACE, pkg, 'linux', env)).map((i) => i.id)).toEqual(['cp313-manylinux_x86_64']);
  });

  it('windows -> exactly cp313-win_amd64 (no win32: archs pinned to AMD64)', async () => {
    expect((await listIdentifiers(cibw, WORKSPACE, pkg, 'windows', env)).map((i) => i.id)).toEqual(['cp313-win_amd64']);
  });

  it('CIBW_* in the environment is honoured: CIBW_SKIP=* selects nothing and says which variable', async () => {
    await expect(listIdentifiers(cibw, WORKSPACE, pkg, 'linux', { ...env, CIBW_SKIP: '*' })).rejects.toThrow(/CIBW_SKIP/);
  });

  it('a package directory without pyproject.toml is a CIBUILDWHEEL_CONFIG error, not a crash', async () => {
    const err = await listIdentifiers(cibw, WORKSPACE, join(WORKSPACE, 'docs-does-not-exist'), 'linux', env).catch((e) => e);
    expect(err).toBeInstanceOf(QuiverError);
    expect((err as QuiverError).code).toBe('CIBUILDWHEEL_CONFIG');
  });
});

describe('the identifier query is cached on disk, keyed by everything the answer depends on', () => {
  let cibw: string;
  let ws: string;
  let pkgDir: string;
  const cacheDir = () => join(ws, '.nx-wheels', 'cache', 'identifiers');
  const ids = async (platform: 'linux' | 'windows', e = env) => (await listIdentifiers(cibw, ws, pkgDir, platform, e)).map((i) => i.id);

  beforeAll(async () => {
    cibw = (await ensureWorkspaceToolchain()).bin('cibuildwheel');
    ws = mkdtempSync(join(tmpdir(), 'quiver-idcache-'));
    pkgDir = join(ws, 'pkg');
    mkdirSync(pkgDir);
    copyFileSync(join(pkg, 'pyproject.toml'), join(pkgDir, 'pyproject.toml'));
  }, 600_000);
  afterAll(() => rmSync(ws, { recursive: true, force: true }));

  it('the first query asks cibuildwheel and stores its answer; the same query is then answered from the store', async () => {
    expect(await ids('linux')).toEqual(['cp313-manylinux_x86_64']);
    const stored = readdirSync(cacheDir());
    expect(stored).toHaveLength(1);
    expect(readFileSync(join(cacheDir(), stored[0]), 'utf8')).toContain('cp313-manylinux_x86_64');
    // Proof that the second answer comes from the store and not from cibuildwheel: plant another answer there.
    writeFileSync(join(cacheDir(), stored[0]), 'cp312-manylinux_x86_64\n');
    expect(await ids('linux')).toEqual(['cp312-manylinux_x86_64']);
  });

  it('another platform, another CIBW_* variable or an edited pyproject.toml is asked of cibuildwheel again', async () => {
    expect(await ids('windows')).toEqual(['cp313-win_amd64']);
    expect(await ids('linux', { ...env, CIBW_BUILD: 'cp312-manylinux_*' })).toEqual(['cp312-manylinux_x86_64']);
    const before = readdirSync(cacheDir()).length;
    const file = join(pkgDir, 'pyproject.toml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^build = .*$/m, 'build = "cp312-manylinux_* cp313-manylinux_*"'));
    expect(await ids('linux')).toEqual(['cp312-manylinux_x86_64', 'cp313-manylinux_x86_64']);
    expect(readdirSync(cacheDir()).length).toBe(before + 1);
  });

  it('a query cibuildwheel fails is not stored', async () => {
    const before = readdirSync(cacheDir()).length;
    const broken = join(ws, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'pyproject.toml'), '[tool.cibuildwheel\n');
    const err = await listIdentifiers(cibw, ws, broken, 'linux', env).catch((e) => e);
    expect((err as QuiverError).code).toBe('CIBUILDWHEEL_CONFIG');
    expect(readdirSync(cacheDir()).length).toBe(before);
  });
});
