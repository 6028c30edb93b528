/**
 * The plan comes from the real, pinned cibuildwheel: --print-build-identifiers for each platform
 * of bindings/python's [tool.cibuildwheel] (works on a Linux host for Windows too).
 */
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
