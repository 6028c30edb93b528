/**
 * Real packages from PyPI, dropped unmodified into a copy of the workspace: the sdists of
 * markupsafe 3.0.2 (setuptools with a C extension, no [tool.cibuildwheel]; its setup.py makes a
 * failed C build fatal only when CIBUILDWHEEL=1) and tomli 2.0.1 (flit-core, pure-Python), fetched
 * at test time with `pip download --no-binary :all: --no-deps` at pinned versions and unpacked as
 * they are. Each goes through inference (`nx show projects`), build-wheels, validate-wheels,
 * publish to a real local pypiserver and `pip install` from it. The build selection of markupsafe
 * is given once, as plugin options in nx.json scoped with `include` (no CIBW_* on any command).
 * Real Nx, git, pip, pypa/build, setuptools, flit-core, auditwheel, twine and pypiserver; needs
 * network access to PyPI (slow: e2e).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, git, nx } from '../helpers/workspace';
import { PypiServer, startPypiServer, testEnv } from '../publish/servers';

const SDISTS = [
  { name: 'markupsafe', spec: 'markupsafe==3.0.2' },
  { name: 'tomli', spec: 'tomli==2.0.1' },
];
const PASSWORD = 'third-party-e2e-token';
const PY = `python3.${process.env['QUIVER_THIRD_PARTY_MINOR'] ?? '11'}`;

let ws: string;
let downloads: string;
let server: PypiServer;

beforeAll(async () => {
  await ensureWorkspaceToolchain();
  ws = copyWorkspace('quiver-3p-');
  downloads = mkdtempSync(join(tmpdir(), 'quiver-3p-sdists-'));
  const venv = await testEnv();
  execFileSync(join(venv, 'bin', 'python'), ['-m', 'pip', 'download', '--no-binary', ':all:', '--no-deps', '-q', '-d', downloads, ...SDISTS.map((s) => s.spec)], { stdio: 'inherit' });
  mkdirSync(join(ws, 'vendor'));
  for (const s of SDISTS) {
    const file = readdirSync(downloads).find((f) => f.toLowerCase().startsWith(`${s.name}-`) && f.endsWith('.tar.gz'))!;
    execFileSync('tar', ['xzf', join(downloads, file), '-C', join(ws, 'vendor')]);
    // The unpacked directory (e.g. markupsafe-3.0.2) gets the project's name; its files are untouched.
    renameSync(join(ws, 'vendor', file.replace(/\.tar\.gz$/, '')), join(ws, 'vendor', s.name));
  }
  // The build selection, once, as project configuration: markupsafe builds the host's CPython natively for a Linux-only release.
  const nxJson = JSON.parse(readFileSync(join(ws, 'nx.json'), 'utf8'));
  nxJson.plugins = [
    { plugin: '@quiver/nx-wheels', exclude: ['vendor/markupsafe/**'] },
    { plugin: '@quiver/nx-wheels', include: ['vendor/markupsafe/**'], options: { engine: 'native', build: `cp3${PY.split('.')[1]}-manylinux_x86_64`, releasePlatforms: ['linux'] } },
  ];
  writeFileSync(join(ws, 'nx.json'), JSON.stringify(nxJson, null, 2) + '\n');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'chore: vendor markupsafe and tomli sdists');
  server = await startPypiServer({ password: PASSWORD, publicRead: true });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (ws) rmSync(ws, { recursive: true, force: true });
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const env = { PYPI_API_TOKEN: PASSWORD, GITHUB_ACTIONS: '', ACTIONS_ID_TOKEN_REQUEST_URL: '' };

it('nx show projects lists both unmodified sdists beside the workspace projects', () => {
  const r = nx(ws, ['show', 'projects', '--json']);
  expect(r.stderr).not.toMatch(/error/i);
  expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining(['markupsafe', 'tomli', 'python', 'quiver']));
  const tomli = JSON.parse(nx(ws, ['show', 'project', 'tomli', '--json']).stdout);
  expect(tomli.metadata.description).toBe('Python distribution tomli (pure-Python: back-end flit-core builds pure wheels only)');
  const markupsafe = JSON.parse(nx(ws, ['show', 'project', 'markupsafe', '--json']).stdout);
  expect(markupsafe.metadata.description).toBe('Python distribution MarkupSafe (compiled: setuptools.build_meta; setup.py declares extension modules)');
  expect(markupsafe.targets['validate-wheels'].options.projectConfig).toEqual({ engine: 'native', build: `cp3${PY.split('.')[1]}-manylinux_x86_64`, releasePlatforms: ['linux'] });
});

it('tomli (flit-core): one py3-none-any wheel, built once with pypa/build, validated and published; pip installs it', () => {
  const v = nx(ws, ['run', 'tomli:validate-wheels', '--skip-nx-cache']);
  expect({ status: v.status, out: v.stdout + v.stderr }).toEqual({ status: 0, out: expect.stringContaining('pure-Python: back-end flit-core') });
  expect(v.stdout).toContain('no cibuildwheel, no auditwheel');
  expect(readdirSync(join(ws, 'vendor', 'tomli', 'wheelhouse')).filter((f) => f.endsWith('.whl'))).toEqual(['tomli-2.0.1-py3-none-any.whl']);
  const p = nx(ws, ['run', 'tomli:publish', `--repositoryUrl=${server.url}`, '--skip-nx-cache'], env);
  expect({ status: p.status, out: p.stdout + p.stderr }).toEqual({ status: 0, out: expect.stringContaining('tomli-2.0.1-py3-none-any.whl') });
  expect(readdirSync(server.packagesDir)).toContain('tomli-2.0.1-py3-none-any.whl');
});

it('markupsafe (setuptools C extension): the selection from nx.json builds, validates and publishes the compiled wheel; pip installs it with its speedups', () => {
  const v = nx(ws, ['run', 'markupsafe:validate-wheels', '--skip-nx-cache']);
  expect({ status: v.status, out: v.stdout + v.stderr }).toEqual({ status: 0, out: expect.stringContaining('requested by the plugin option engine (nx.json)') });
  const wheels = readdirSync(join(ws, 'vendor', 'markupsafe', 'wheelhouse')).filter((f) => f.endsWith('.whl'));
  expect(wheels).toEqual([expect.stringMatching(new RegExp(`^markupsafe-3\\.0\\.2-cp3${PY.split('.')[1]}-cp3${PY.split('.')[1]}-manylinux[\\w.]*_x86_64\\.whl$`))]);
  // publish (platforms = release = linux from nx.json) expects exactly what the build made: no CIBW_BUILD on this command either.
  const p = nx(ws, ['run', 'markupsafe:publish', `--repositoryUrl=${server.url}`, '--skip-nx-cache'], env);
  expect({ status: p.status, out: p.stdout + p.stderr }).toEqual({ status: 0, out: expect.stringContaining(wheels[0]) });

  const venv = mkdtempSync(join(tmpdir(), 'quiver-3p-venv-'));
  try {
    execFileSync(PY, ['-m', 'venv', venv]);
    const pip = spawnSync(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--index-url', `${server.url}simple/`, 'markupsafe==3.0.2', 'tomli==2.0.1'], { encoding: 'utf8' });
    expect({ status: pip.status, out: pip.stdout + pip.stderr }).toEqual({ status: 0, out: expect.stringContaining('Successfully installed') });
    const check = execFileSync(join(venv, 'bin', 'python'), ['-c', 'import markupsafe._speedups, tomli; print(markupsafe.escape("<a>"), tomli.loads("x = 1"))'], { encoding: 'utf8' });
    expect(check.trim()).toBe("&lt;a&gt; {'x': 1}");
  } finally {
    rmSync(venv, { recursive: true, force: true });
  }
});

it('the native engine sets CIBUILDWHEEL=1: with a broken C compiler markupsafe fails to build instead of shipping its pure fallback', () => {
  const r = nx(ws, ['run', 'markupsafe:build-wheels', '--skip-nx-cache'], { CC: '/bin/false' });
  expect(r.status).not.toBe(0);
  expect(r.stderr + r.stdout).toContain('python -m build exited');
  expect(r.stderr + r.stdout).not.toContain('COMPILED_WHEEL_IS_PURE');
  expect(r.stderr + r.stdout).not.toContain('a pure-Python wheel');
});
