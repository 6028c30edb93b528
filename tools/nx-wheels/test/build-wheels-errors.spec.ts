/**
 * Bad input to build-wheels, through the real pipeline (real cibuildwheel where the check needs
 * it): each stops with one QuiverError line naming the file or option and the fix, and no
 * wheelhouse appears.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuiverError } from '../src/core/errors';
import { HostInfo } from '../src/core/plan';
import { buildWheels, BuildWheelsOptions } from '../src/pipeline/build-wheels';
import { ensureWorkspaceToolchain } from './helpers/toolchain';
import { WORKSPACE } from './helpers/workspace';

const linux: HostInfo = { os: 'linux', arch: 'x64', containerEngine: null };
const quiet = { out: () => undefined, err: () => undefined };
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CIBW_')));

let ws: string;
beforeAll(async () => {
  await ensureWorkspaceToolchain();
  ws = mkdtempSync(join(tmpdir(), 'quiver-bad-'));
  mkdirSync(join(ws, '.nx-wheels'));
  symlinkSync(join(WORKSPACE, '.nx-wheels', 'toolchain'), join(ws, '.nx-wheels', 'toolchain'), 'dir');
}, 600_000);
afterAll(() => rmSync(ws, { recursive: true, force: true }));

function project(name: string, pyproject: string | null): string {
  const root = join(ws, name);
  mkdirSync(root, { recursive: true });
  if (pyproject !== null) writeFileSync(join(root, 'pyproject.toml'), pyproject);
  return name;
}

async function failure(o: Partial<BuildWheelsOptions> & { projectRoot: string }): Promise<QuiverError> {
  const e = await buildWheels({ workspaceRoot: ws, projectName: 'p', ...o }, quiet, { host: linux, env: cleanEnv }).catch((x) => x);
  expect(e).toBeInstanceOf(QuiverError);
  expect(e.message).not.toContain('\n');
  expect(existsSync(join(ws, o.projectRoot, 'wheelhouse'))).toBe(false);
  return e as QuiverError;
}

const ok = '[project]\nname = "demo"\nversion = "1.0"\n[tool.cibuildwheel]\nbuild = ["cp313-manylinux_x86_64"]\n';

it('pyproject.toml missing', async () => {
  const e = await failure({ projectRoot: project('none', null) });
  expect(e.code).toBe('PYPROJECT_MISSING');
  expect(e.message).toMatch(/^none\/pyproject\.toml not found/);
});

it('TOML syntax error names file:line:col', async () => {
  const e = await failure({ projectRoot: project('syntax', '[project]\nname = "demo"\n[tool.cibuildwheel\n') });
  expect(e.code).toBe('PYPROJECT_SYNTAX');
  expect(e.message).toMatch(/^syntax\/pyproject\.toml:3:\d+: /);
});

it('no [tool.cibuildwheel]', async () => {
  const e = await failure({ projectRoot: project('nocibw', '[project]\nname = "demo"\nversion = "1.0"\n') });
  expect(e.code).toBe('PYPROJECT_NO_CIBUILDWHEEL');
});

it('a build selector that matches nothing (real cibuildwheel)', async () => {
  const e = await failure({ projectRoot: project('empty', ok.replace('cp313-manylinux_x86_64', 'cp313-win_amd64')), platform: 'linux' });
  expect(e.code).toBe('BUILD_SELECTOR_EMPTY');
  expect(e.message).toContain('empty/pyproject.toml [tool.cibuildwheel]');
});

it.each([
  [{ platform: 'macos' }, 'BAD_OPTION_PLATFORM', /option platform: "macos"/],
  [{ engine: 'docker' }, 'BAD_OPTION_ENGINE', /option engine: "docker"/],
  [{ platform: 'windows' }, 'WINDOWS_NEEDS_WINDOWS_HOST', /Windows host/],
  [{ engine: 'cibuildwheel' }, 'NO_CONTAINER_ENGINE', /--engine=native/],
  [{ python: '/nonexistent/python3' }, 'NO_PYTHON', /option python: "\/nonexistent\/python3"/],
])('option %j -> %s', async (opts, code, msg) => {
  const e = await failure({ projectRoot: project('opts', ok), ...(opts as Partial<BuildWheelsOptions>) });
  expect(e.code).toBe(code);
  expect(e.message).toMatch(msg);
});

it('native engine refuses identifiers it cannot build (musllinux) before building', async () => {
  const e = await failure({ projectRoot: project('musl', ok.replace('manylinux', 'musllinux')), engine: 'native' });
  expect(e.code).toBe('NATIVE_UNSUPPORTED');
  expect(e.message).toContain('cp313-musllinux_x86_64');
});

it('outside a git repository: STAGING_NEEDS_GIT after the plan, before anything is built', async () => {
  const e = await failure({ projectRoot: project('nogit', ok), engine: 'native' });
  expect(e.code).toBe('STAGING_NEEDS_GIT');
  expect(e.message).toMatch(/is not inside a git repository: build-wheels builds from the git-tracked files of nogit; run it in a clone/);
  expect(existsSync(join(ws, '.nx-wheels', 'staging'))).toBe(false);
  expect(existsSync(join(ws, '.nx-wheels', 'build-env'))).toBe(false);
});
