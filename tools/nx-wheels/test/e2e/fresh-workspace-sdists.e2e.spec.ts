/**
 * Real third-party sdists, unmodified, in a fresh Nx workspace with the packed plugin (`npm pack`,
 * `nx add`), one of each class: markupsafe 3.0.2 (setuptools, C extension), Levenshtein 0.27.1
 * (scikit-build-core + CMake, Cython-generated C++, version read by a regex provider), tomli 2.0.1
 * (flit-core, pure Python) and pluggy 1.6.0 (setuptools-scm: its version is the git tag). Each sits
 * in packages/<name>/ of one repository, as in any monorepo. The build selection of the compiled two
 * is given once, as plugin options in nx.json. Each builds, validates, publishes to a real local
 * pypiserver and installs from it; `nx release` after a `fix(tomli):` commit bumps and tags tomli
 * only; pluggy is released from its tag (`nx release 1.7.0 --projects=pluggy`) and installs as 1.7.0.
 * Sdists are cached in the user's cache (test/helpers/sdists.ts). Real npm, Nx, git, pip, pypa/build,
 * setuptools, scikit-build-core, CMake, flit-core, setuptools-scm, auditwheel, twine and pypiserver;
 * needs the npm registry and PyPI (rapidfuzz, Levenshtein's dependency, is installed from PyPI).
 */
import { parse } from 'yaml';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyNxWorkspace, nx, packPlugin, readJson, write } from '../helpers/packed-workspace';
import { cachedSdist, unpackSdist } from '../helpers/sdists';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { git } from '../helpers/workspace';
import { PypiServer, startPypiServer } from '../publish/servers';

const SDISTS = [
  { project: 'markupsafe', name: 'markupsafe', version: '3.0.2', compiled: true },
  { project: 'levenshtein', name: 'Levenshtein', version: '0.27.1', compiled: true },
  { project: 'tomli', name: 'tomli', version: '2.0.1', compiled: false },
  { project: 'pluggy', name: 'pluggy', version: '1.6.0', compiled: false },
];
const COMPILED = SDISTS.filter((s) => s.compiled).map((s) => `packages/${s.project}/**`);
/** The build selection of the compiled two: this host's CPython (the toolchain's), natively, for a Linux-only release. */
const selection = (minor: string) => ({ engine: 'native', build: `cp3${minor}-manylinux_x86_64`, releasePlatforms: ['linux'] });
const PASSWORD = 'fresh-sdists-e2e-token';
const PUBLISH_ENV = { PYPI_API_TOKEN: PASSWORD, GITHUB_ACTIONS: '', ACTIONS_ID_TOKEN_REQUEST_URL: '', GITHUB_REF: '', GITHUB_REF_NAME: '' };

let tmp: string;
let ws: string;
let python: string;
let minor: string;
let server: PypiServer;
const wheels = (p: string) => readdirSync(join(ws, 'packages', p, 'wheelhouse')).filter((f) => f.endsWith('.whl'));
const text = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;
const tail = (r: { stdout: string; stderr: string }) => `${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`;

beforeAll(async () => {
  const toolchain = await ensureWorkspaceToolchain();
  python = toolchain.bin('python');
  minor = execFileSync(python, ['-c', 'import sys; print(sys.version_info[1])'], { encoding: 'utf8' }).trim();
  tmp = mkdtempSync(join(tmpdir(), 'nxw-fresh-sdists-'));
  const { tarball } = packPlugin(tmp);
  ws = join(tmp, 'ws');
  emptyNxWorkspace(ws);
  const add = nx(ws, ['add', `@quiver/nx-wheels@file:${tarball}`]);
  if (add.status !== 0) throw new Error(tail(add));
  for (const s of SDISTS) unpackSdist(cachedSdist(python, s.name, s.version), join(ws, 'packages', s.project));
  // The selection, given once, as project configuration.
  const nxJson = readJson(join(ws, 'nx.json'));
  nxJson.plugins = [
    { plugin: '@quiver/nx-wheels', exclude: COMPILED },
    { plugin: '@quiver/nx-wheels', include: COMPILED, options: selection(minor) },
  ];
  write(ws, 'nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
  // Every file of each sdist committed (-f): Levenshtein's own .gitignore ignores *.cxx, which would
  // leave its Cython-generated C++ out of git, and the build (from the tracked files) without it.
  git(ws, 'add', '-A');
  git(ws, 'add', '-f', 'packages');
  git(ws, 'commit', '-q', '-m', 'chore: add the nx-wheels plugin and four sdists');
  // The versions they arrive at, as released upstream.
  for (const s of SDISTS) git(ws, 'tag', `${s.project}-v${s.version}`);
  server = await startPypiServer({ password: PASSWORD, publicRead: true });
}, 900_000);

afterAll(async () => {
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

it('nx show projects lists every unmodified sdist; the selection reaches only the compiled two', () => {
  const r = nx(ws, ['show', 'projects', '--json']);
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout).sort()).toEqual(SDISTS.map((s) => s.project).sort());
  const graphFile = join(tmp, 'graph.json');
  expect(nx(ws, ['graph', `--file=${graphFile}`]).status).toBe(0);
  const nodes = readJson(graphFile).graph.nodes;
  for (const s of SDISTS) {
    const p = nodes[s.project].data;
    expect(Object.keys(p.targets)).toEqual(expect.arrayContaining(['build-wheels', 'validate-wheels', 'publish', 'nx-release-publish']));
    expect(p.targets['validate-wheels'].options.projectConfig ?? {}).toEqual(s.compiled ? selection(minor) : {});
  }
  expect(git(ws, 'status', '--porcelain')).toBe('');
});

it.each(SDISTS.filter((s) => s.project !== 'pluggy'))(
  '$project builds, validates and publishes to a local pypiserver',
  ({ project, version, compiled }) => {
    const v = nx(ws, ['run', `${project}:validate-wheels`, '--outputStyle=stream']);
    if (v.status !== 0) throw new Error(tail(v));
    const dist = project === 'levenshtein' ? 'levenshtein' : project;
    const tag = compiled ? `cp3${minor}-cp3${minor}-manylinux[\\w.]*_x86_64` : 'py3-none-any';
    expect(wheels(project)).toEqual([expect.stringMatching(new RegExp(`^${dist}-${version.replace(/\./g, '\\.')}-${tag}\\.whl$`))]);
    const p = nx(ws, ['run', `${project}:publish`, `--repositoryUrl=${server.url}`, '--outputStyle=stream'], PUBLISH_ENV);
    if (p.status !== 0) throw new Error(tail(p));
    expect(readdirSync(server.packagesDir)).toContain(wheels(project)[0]);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  },
);

it('nx release after a fix(tomli) commit bumps and tags tomli only; its 2.0.2 wheel publishes', () => {
  write(ws, 'packages/tomli/tests/test_issue.py', 'def test_nothing():\n    pass\n');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'fix(tomli): a regression test');
  const before = git(ws, 'tag', '--list').trim().split('\n').sort();
  const r = nx(ws, ['release', '--skip-publish']);
  if (r.status !== 0) throw new Error(tail(r));
  expect(git(ws, 'tag', '--points-at', 'HEAD').trim()).toBe('tomli-v2.0.2');
  expect(git(ws, 'tag', '--list').trim().split('\n').sort()).toEqual([...before, 'tomli-v2.0.2'].sort());
  expect(git(ws, 'diff', '--name-only', 'HEAD~1', 'HEAD').trim().split('\n').sort()).toEqual([
    'packages/tomli/CHANGELOG.md',
    'packages/tomli/pyproject.toml',
  ]);
  expect(readFileSync(join(ws, 'packages/tomli/pyproject.toml'), 'utf8')).toMatch(/^version = "2\.0\.2"/m);

  // publish uploads what validate-wheels (which builds) proved for this tag.
  const v = nx(ws, ['run', 'tomli:validate-wheels', '--tag=tomli-v2.0.2', '--outputStyle=stream']);
  if (v.status !== 0) throw new Error(tail(v));
  expect(wheels('tomli')).toEqual(['tomli-2.0.2-py3-none-any.whl']);
  const p = nx(ws, ['run', 'tomli:publish', `--repositoryUrl=${server.url}`, '--tag=tomli-v2.0.2', '--outputStyle=stream'], PUBLISH_ENV);
  if (p.status !== 0) throw new Error(tail(p));
  expect(readdirSync(server.packagesDir)).toContain('tomli-2.0.2-py3-none-any.whl');
});

it('pluggy (setuptools-scm) releases from its tag: nx release writes nothing into it, the wheel validated in tag mode carries 1.7.0', () => {
  const original = readFileSync(join(ws, 'packages/pluggy/pyproject.toml'), 'utf8');
  const r = nx(ws, ['release', '1.7.0', '--projects=pluggy', '--skip-publish']);
  if (r.status !== 0) throw new Error(tail(r));
  expect(text(r)).toContain('the version comes from the git tag (setuptools-scm); nothing written');
  expect(readFileSync(join(ws, 'packages/pluggy/pyproject.toml'), 'utf8')).toBe(original);
  expect(git(ws, 'tag', '--points-at', 'HEAD').trim()).toBe('pluggy-v1.7.0');

  const v = nx(ws, ['run', 'pluggy:validate-wheels', '--tag=pluggy-v1.7.0', '--outputStyle=stream']);
  if (v.status !== 0) throw new Error(tail(v));
  expect(wheels('pluggy')).toEqual(['pluggy-1.7.0-py3-none-any.whl']);
  const p = nx(ws, ['run', 'pluggy:publish', `--repositoryUrl=${server.url}`, '--tag=pluggy-v1.7.0', '--outputStyle=stream'], PUBLISH_ENV);
  if (p.status !== 0) throw new Error(tail(p));
  expect(readdirSync(server.packagesDir)).toContain('pluggy-1.7.0-py3-none-any.whl');
});

it('pip installs every package from the local index into a fresh venv; each imports and works', () => {
  const venv = join(tmp, 'venv');
  execFileSync(python, ['-m', 'venv', venv]);
  const py = join(venv, 'bin', 'python');
  // Levenshtein's one dependency comes from PyPI; everything named below only from the local index.
  execFileSync(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', 'rapidfuzz==3.14.1']);
  const pins = ['markupsafe==3.0.2', 'levenshtein==0.27.1', 'tomli==2.0.2', 'pluggy==1.7.0'];
  const pip = spawnSync(
    py,
    ['-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--index-url', `${server.url}simple/`, ...pins],
    { encoding: 'utf8' },
  );
  expect({ status: pip.status, out: pip.stdout + pip.stderr }).toEqual({
    status: 0,
    out: expect.stringContaining('Successfully installed'),
  });
  const script =
    'import markupsafe._speedups, Levenshtein, tomli, pluggy, importlib.metadata as m\n' +
    'print(markupsafe.escape("<a>"), Levenshtein.distance("kitten", "sitting"), tomli.loads("x = 1"), pluggy.__version__, m.version("tomli"))';
  expect(execFileSync(py, ['-c', script], { encoding: 'utf8' }).trim()).toBe("&lt;a&gt; 3 {'x': 1} 1.7.0 2.0.2");
  expect(existsSync(join(ws, 'packages', 'pluggy', 'wheelhouse'))).toBe(true);
});

it("nx g @quiver/nx-wheels:ci writes workflows that build each package on its own release platforms, for the repository's default branch", () => {
  // What a clone of a repository whose default branch is "trunk" records.
  git(ws, 'update-ref', 'refs/remotes/origin/trunk', 'HEAD');
  git(ws, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
  const r = nx(ws, ['g', '@quiver/nx-wheels:ci']);
  expect({ status: r.status, out: tail(r) }).toEqual({ status: 0, out: expect.any(String) });
  const ci = parse(readFileSync(join(ws, '.github/workflows/ci.yml'), 'utf8')) as { on: { push: { branches: string[] } } };
  expect(ci.on.push.branches).toEqual(['trunk']);
  // The build legs' table: the compiled two (releasePlatforms: linux from their nx.json entry) on Linux only, the pure two on both.
  const table = (project: string) => new RegExp(`\\[["']?${project}["']?\\]=["']?([a-z ,]+)["']?`).exec(readFileSync(join(ws, '.github/workflows/ci.yml'), 'utf8'))?.[1];
  expect(Object.fromEntries(SDISTS.map((s) => [s.project, table(s.project)?.split(/[ ,]+/).sort()]))).toEqual({
    markupsafe: ['linux'],
    levenshtein: ['linux'],
    tomli: ['linux', 'windows'],
    pluggy: ['linux', 'windows'],
  });
});
