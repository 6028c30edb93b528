/**
 * Releases for several packages and VCS-derived versions, with real git, real `nx release` and (for
 * the VCS package) a real third-party sdist from PyPI used unmodified:
 * - three packages released independently ({projectName}-v{version} tags, what init writes): a fix
 *   in one package bumps and tags only that one; an explicit `nx release patch` moves each package
 *   from its own version (never onto a shared one);
 * - the same packages in a fixed group (the 2.33.0 / 5.3.1 / 3.0.2 case) stop nx release
 *   with one RELEASE_FIXED_GROUP_VERSIONS line, nothing written;
 * - pluggy 1.6.0 (setuptools + setuptools-scm, version from git tags): nx release writes nothing into
 *   pyproject.toml and tags pluggy-v1.7.0; the version setuptools-scm computes at that tag is 1.7.0
 *   (validate-release agrees, PEP 517 read cached); a wheel built from the staging (no .git) carries
 *   1.7.0 thanks to the pretend variable, and 1.6.0 (the sdist's PKG-INFO fallback) without it.
 *   (A hatchling sdist such as iniconfig is not used: hatchling takes the version from a PKG-INFO
 *   at the project root before asking hatch-vcs, so a committed sdist never follows its tags.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultReleaseConfig } from '../../src/generators/init/generator';
import { readProjectVersion, stagingVersionEnv } from '../../src/pipeline/project-version';
import { stageSources } from '../../src/pipeline/staging';
import { loadToolchain } from '../../src/pipeline/toolchain';
import { validateRelease } from '../../src/pipeline/validate-release';
import { buildWheel } from '../../src/runners/native';
import { cachedSdist, unpackSdist } from '../helpers/sdists';
import { commitAll, git, GIT_ENV, write } from './git-fixture';

const MAIN = resolve(__dirname, '../../../..');
const NX = join(MAIN, 'node_modules/nx/dist/bin/nx.js');
const quiet = { out: () => undefined, err: () => undefined };

function nx(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [NX, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...GIT_ENV, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NX_SKIP_NX_CACHE: 'true' },
  });
  return { code: r.status, text: (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '') };
}

/** An Nx workspace in `dir` (nx.json with `release`, the plugin and Nx linked from this checkout; workspace files kept out of git by .git/info/exclude). */
function nxWorkspace(dir: string, release: unknown): void {
  write(dir, 'nx.json', JSON.stringify({ release, plugins: ['@quiver/nx-wheels'] }, null, 2));
  write(dir, 'package.json', JSON.stringify({ name: 'ws', private: true }));
  symlinkSync(join(MAIN, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(MAIN, 'tools'), join(dir, 'tools'));
  git(dir, 'init', '-q', '-b', 'main');
  write(dir, '.git/info/exclude', 'node_modules\ntools\n.nx\n.nx-wheels\ndist\n');
}

const PACKAGES: Array<[string, string]> = [['alpha', '2.33.0'], ['beta', '5.3.1'], ['gamma', '3.0.2']];
const pyVersion = (dir: string, p: string) => /^version = "([^"]*)"/m.exec(readFileSync(join(dir, 'packages', p, 'pyproject.toml'), 'utf8'))![1];

function threePackages(release: unknown, tags: (p: string, v: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-independent-'));
  nxWorkspace(dir, release);
  for (const [p, v] of PACKAGES) {
    write(dir, `packages/${p}/pyproject.toml`, `[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "${p}"\nversion = "${v}"\n\n[tool.cibuildwheel]\nbuild = ["cp313-manylinux_x86_64"]\n`);
    write(dir, `packages/${p}/src/${p}/__init__.py`, 'x = 1\n');
  }
  commitAll(dir, 'chore: initial');
  for (const [p, v] of PACKAGES) git(dir, 'tag', tags(p, v));
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('independent releases (init default)', () => {
  it('a fix in one package bumps and tags only that package; each keeps its own version', () => {
    const dir = threePackages(defaultReleaseConfig('independent'), (p, v) => `${p}-v${v}`);
    dirs.push(dir);
    write(dir, 'packages/beta/src/beta/__init__.py', 'x = 2\n');
    commitAll(dir, 'fix(beta): off by one');
    const r = nx(dir, 'release', '--skip-publish');
    expect(r.code).toBe(0);
    expect(PACKAGES.map(([p]) => pyVersion(dir, p))).toEqual(['2.33.0', '5.3.2', '3.0.2']);
    expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('beta-v5.3.2');
    expect(git(dir, 'diff', '--name-only', 'HEAD~1', 'HEAD').trim().split('\n').sort()).toEqual(['packages/beta/CHANGELOG.md', 'packages/beta/pyproject.toml']);
    expect(readFileSync(join(dir, 'packages/beta/CHANGELOG.md'), 'utf8')).toMatch(/^## 5\.3\.2 \(\d{4}-\d{2}-\d{2}\)\n[\s\S]*off by one/);
    expect(existsSync(join(dir, 'packages/alpha/CHANGELOG.md'))).toBe(false);

    // validate-release reads the project's tag prefix from nx.json: beta-v5.3.2, not v5.3.2.
    return validateRelease({ workspaceRoot: dir, projectRoot: 'packages/beta', projectName: 'beta', mode: 'tag', tag: 'beta-v5.3.2', env: {} }).then(async ({ result }) => {
      expect(result.failures).toEqual([]);
      expect(result.version).toBe('5.3.2');
      const other = await validateRelease({ workspaceRoot: dir, projectRoot: 'packages/alpha', projectName: 'alpha', mode: 'tag', tag: 'beta-v5.3.2', env: {} });
      expect(other.result.failures.map((f) => f.code)).toEqual(['TAG_PATTERN', 'CHANGELOG_MISSING']);
      expect(other.result.failures[0].message).toContain('alpha-v{version}');
      const branch = await validateRelease({ workspaceRoot: dir, projectRoot: 'packages/gamma', projectName: 'gamma', mode: 'branch', env: {}, changelog: 'packages/beta/CHANGELOG.md' });
      expect(branch.result.latestTag).toBe('gamma-v3.0.2');
      expect(branch.result.failures.map((f) => f.code)).toContain('VERSION_NOT_NEWER');
    });
  });

  it('a package whose version is dynamic and not from tags (hatchling reads it from its module) stops only its own bump', () => {
    const dir = threePackages(defaultReleaseConfig('independent'), (p, v) => `${p}-v${v}`);
    dirs.push(dir);
    const gamma = 'packages/gamma/pyproject.toml';
    write(dir, gamma, readFileSync(join(dir, gamma), 'utf8').replace('version = "3.0.2"', 'dynamic = ["version"]') + '\n[tool.hatch.version]\npath = "src/gamma/__init__.py"\n');
    write(dir, 'packages/gamma/src/gamma/__init__.py', '__version__ = "3.0.2"\n');
    commitAll(dir, 'chore(gamma): version from the module');
    write(dir, 'packages/beta/src/beta/__init__.py', 'x = 2\n');
    commitAll(dir, 'fix(beta): off by one');
    const r = nx(dir, 'release', '--skip-publish');
    expect(r.text).not.toContain('PYPROJECT_DYNAMIC_VERSION');
    expect(r.code).toBe(0);
    expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('beta-v5.3.2');
    expect(pyVersion(dir, 'beta')).toBe('5.3.2');

    const head = git(dir, 'rev-parse', 'HEAD');
    const bump = nx(dir, 'release', 'patch', '--projects=gamma', '--skip-publish');
    expect(bump.code).not.toBe(0);
    expect(bump.text).toContain(`${gamma}: [project].version is dynamic and not from git tags, so nx release cannot write a new version;`);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
  });

  it('an explicit nx release patch moves each package from its own version (dry run)', () => {
    const dir = threePackages(defaultReleaseConfig('independent'), (p, v) => `${p}-v${v}`);
    dirs.push(dir);
    const r = nx(dir, 'release', 'patch', '--skip-publish', '--dry-run');
    expect(r.code).toBe(0);
    for (const [p, from, to] of [['alpha', '2.33.0', '2.33.1'], ['beta', '5.3.1', '5.3.2'], ['gamma', '3.0.2', '3.0.3']]) {
      expect(r.text).toContain(`${p} ❓ Applied "patch" from the command line to ${from} to get new version ${to}`);
    }
  });
});

describe('fixed group with members at different versions', () => {
  it('stops nx release with one line naming each member and its version; nothing written, committed or tagged', () => {
    const dir = threePackages(defaultReleaseConfig('fixed'), (p, v) => (p === 'gamma' ? `v${v}` : `old-${p}`));
    dirs.push(dir);
    write(dir, 'packages/beta/src/beta/__init__.py', 'x = 2\n');
    commitAll(dir, 'fix(beta): off by one');
    const head = git(dir, 'rev-parse', 'HEAD');
    const r = nx(dir, 'release', 'patch', '--skip-publish');
    expect(r.code).not.toBe(0);
    const lines = r.text.split('\n').filter((l) => l.includes('RELEASE_FIXED_GROUP_VERSIONS') || l.includes('is a fixed release group'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/nx\.json release is a fixed release group .*: alpha 2\.33\.0, beta 5\.3\.1, gamma 3\.0\.2; release them independently/);
    expect(r.text).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
    expect(PACKAGES.map(([p]) => pyVersion(dir, p))).toEqual(['2.33.0', '5.3.1', '3.0.2']);
    expect(git(dir, 'tag').trim().split('\n').sort()).toEqual(['old-alpha', 'old-beta', 'v3.0.2']);
  });
});

describe('a VCS-versioned package (pluggy 1.6.0, setuptools-scm), unmodified from its sdist', () => {
  jest.setTimeout(10 * 60_000);

  it('nx release tags it, setuptools-scm computes the tag version, validate-release agrees, the staged wheel carries it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quiver-vcs-'));
    dirs.push(root);
    const toolchain = await loadToolchain(MAIN, undefined, quiet);
    const dl = join(root, 'dl');
    mkdirSync(dl);
    execFileSync(toolchain.bin('python'), ['-m', 'pip', 'download', '--no-binary', ':all:', '--no-deps', '--disable-pip-version-check', 'pluggy==1.6.0', '-d', dl], { stdio: 'ignore' });
    execFileSync('tar', ['--no-same-owner', '-xzf', join(dl, 'pluggy-1.6.0.tar.gz'), '-C', root]);
    const dir = join(root, 'pluggy-1.6.0');
    const original = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    nxWorkspace(dir, defaultReleaseConfig('independent'));
    // The project at the workspace root (the sdist is the repository, as upstream's is).
    write(dir, 'project.json', JSON.stringify({ name: 'pluggy', tags: ['type:python-wheels'] }));
    commitAll(dir, 'chore: import pluggy 1.6.0 sdist');
    // The .nx-wheels toolchain of this checkout, so the test installs nothing twice.
    symlinkSync(join(MAIN, '.nx-wheels'), join(dir, '.nx-wheels'));

    const r = nx(dir, 'release', '1.7.0', '--skip-publish');
    expect(r.text).toContain('the version comes from the git tag (setuptools-scm); nothing written');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(original);
    expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('pluggy-v1.7.0');
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toMatch(/^## 1\.7\.0/);

    const first = await readProjectVersion({ workspaceRoot: dir, projectRoot: '.', env: {} });
    expect(first).toMatchObject({ version: '1.7.0', source: 'pep517', vcs: 'setuptools-scm', cached: false });
    expect((await readProjectVersion({ workspaceRoot: dir, projectRoot: '.', env: {} })).cached).toBe(true);

    const ok = await validateRelease({ workspaceRoot: dir, projectRoot: '.', projectName: 'pluggy', mode: 'tag', tag: 'pluggy-v1.7.0', env: {} });
    expect(ok.result.failures).toEqual([]);
    expect(ok.result.version).toBe('1.7.0');
    const wrong = await validateRelease({ workspaceRoot: dir, projectRoot: '.', projectName: 'pluggy', mode: 'tag', tag: 'pluggy-v1.8.0', env: {} });
    expect(wrong.result.failures.map((f) => f.code)).toEqual(['TAG_VERSION_MISMATCH']);
    expect(wrong.result.failures[0].message).toContain('(setuptools-scm) computes 1.7.0 on this checkout');

    // The build runs from a staging of the tracked files without .git.
    const staging = await stageSources({ workspaceRoot: dir, projectRoot: '.', projectName: 'pluggy', outputDir: 'wheelhouse', projects: { pluggy: { root: '.' } } });
    expect(existsSync(join(staging.dir, '.git'))).toBe(false);
    const env = await stagingVersionEnv({ workspaceRoot: dir, projectRoot: '.', distName: 'pluggy', env: {} });
    expect(env).toEqual({ SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PLUGGY: '1.7.0', SETUPTOOLS_SCM_PRETEND_VERSION: '1.7.0' });
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SETUPTOOLS_SCM')));
    const withEnv = await buildWheel(toolchain.bin('python'), { workspaceRoot: staging.dir, packageDir: '.', outDir: join(root, 'w1'), identifier: 'py3-none-any', env: { ...clean, ...env } }, quiet);
    expect(withEnv).toMatch(/pluggy-1\.7\.0-py3-none-any\.whl$/);
    const without = await buildWheel(toolchain.bin('python'), { workspaceRoot: staging.dir, packageDir: '.', outDir: join(root, 'w2'), identifier: 'py3-none-any', env: clean }, quiet);
    expect(readdirSync(join(root, 'w2'))).toEqual([expect.not.stringContaining('1.7.0')]);
    expect(without).toMatch(/pluggy-1\.6\.0-py3-none-any\.whl$/);
  });
  it('in a subdirectory of the repository, as in a monorepo, the release tag of the project at HEAD is its version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-vcs-subdir-'));
    dirs.push(dir);
    const toolchain = await loadToolchain(MAIN, undefined, quiet);
    unpackSdist(cachedSdist(toolchain.bin('python'), 'pluggy', '1.6.0'), join(dir, 'packages', 'pluggy'));
    nxWorkspace(dir, defaultReleaseConfig('independent'));
    symlinkSync(join(MAIN, '.nx-wheels'), join(dir, '.nx-wheels'));
    commitAll(dir, 'chore: import pluggy 1.6.0 sdist');
    // setuptools-scm reads git only at the project root (pluggy's config has no `root`): there it sees no repository and falls back to PKG-INFO.
    git(dir, 'tag', 'other-v9.9.9');
    const o = { workspaceRoot: dir, projectRoot: 'packages/pluggy', env: {} };
    expect((await readProjectVersion(o)).version).toBe('1.6.0');

    git(dir, 'tag', 'pluggy-v1.7.0');
    expect(await readProjectVersion(o)).toMatchObject({ version: '1.7.0', source: 'pep517', vcs: 'setuptools-scm' });
    // validate-release agrees with the tag (the changelog is nx release's part, not made here).
    const ok = await validateRelease({ ...o, projectName: 'pluggy', mode: 'tag', tag: 'pluggy-v1.7.0' });
    expect({ version: ok.result.version, failures: ok.result.failures.map((f) => f.code) }).toEqual({ version: '1.7.0', failures: ['CHANGELOG_MISSING'] });
    expect(await stagingVersionEnv({ ...o, projectName: 'pluggy', distName: 'pluggy' })).toEqual({ SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PLUGGY: '1.7.0', SETUPTOOLS_SCM_PRETEND_VERSION: '1.7.0' });
    // A pretend variable set by the user still wins.
    expect((await readProjectVersion({ ...o, env: { SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PLUGGY: '1.7.0.post1' } })).version).toBe('1.7.0.post1');
  });
});
