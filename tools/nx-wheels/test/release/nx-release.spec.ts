/**
 * `nx release` end to end with our VersionActions, in a temporary workspace that is a real git
 * repository (no mocked git): conventional-commit bumps, PEP 440 pre-release round trip, byte-exact
 * pyproject.toml edits, dry-run, dynamic version, and the validate-release executor.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findChangelogSection } from '../../src/core/changelog';
import { commitAll, git, GIT_ENV, PYPROJECT, write } from './git-fixture';

const MAIN = resolve(__dirname, '../../../..');
const NX = join(MAIN, 'node_modules/nx/dist/bin/nx.js');
const PY = 'bindings/python/pyproject.toml';
const CL = 'bindings/python/CHANGELOG.md';

function workspace(pyproject: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-nx-release-'));
  const nxJson = JSON.parse(readFileSync(join(MAIN, 'nx.json'), 'utf8'));
  write(dir, 'nx.json', JSON.stringify({ release: nxJson.release, plugins: nxJson.plugins }, null, 2));
  write(dir, 'package.json', JSON.stringify({ name: 'ws', private: true }));
  write(dir, 'tsconfig.base.json', readFileSync(join(MAIN, 'tsconfig.base.json'), 'utf8'));
  write(dir, '.gitignore', 'node_modules\n.nx\ndist\n');
  symlinkSync(join(MAIN, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(MAIN, 'tools'), join(dir, 'tools'));
  write(dir, PY, pyproject);
  write(dir, CL, '## 1.2.3\n\n- first\n');
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'chore: initial');
  return dir;
}

function nx(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [NX, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...GIT_ENV, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NX_SKIP_NX_CACHE: 'true' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function change(dir: string, message: string) {
  write(dir, `bindings/python/src/m${Date.now()}${Math.random()}.py`, 'x = 1\n');
  commitAll(dir, message);
}

const version = (dir: string) => /^version\s*=\s*'([^']*)'/m.exec(readFileSync(join(dir, PY), 'utf8'))![1];

/** The pyproject diff of the last commit touches exactly one line, the version line. */
function expectOnlyVersionLineChanged(dir: string, from: string, to: string) {
  const diff = git(dir, 'diff', '--unified=0', 'HEAD~1', 'HEAD', '--', PY);
  const changed = diff.split('\n').filter((l) => /^[+-](?![+-])/.test(l));
  expect(changed).toEqual([`-version   =  '${from}'   # keep this comment`, `+version   =  '${to}'   # keep this comment`]);
  expect(readFileSync(join(dir, PY), 'utf8')).toBe(PYPROJECT(to));
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('nx release with the pyproject VersionActions', () => {
  it('bumps patch, minor and major from conventional commits, editing only the version line', () => {
    const dir = workspace(PYPROJECT('1.2.3'));
    dirs.push(dir);
    git(dir, 'tag', 'v1.2.3');
    const steps: Array<[string, string, string]> = [
      ['fix(python): off by one', '1.2.3', '1.2.4'],
      ['feat(python): new search mode', '1.2.4', '1.3.0'],
      ['feat(python)!: drop the old API', '1.3.0', '2.0.0'],
    ];
    for (const [msg, from, to] of steps) {
      change(dir, msg);
      const r = nx(dir, 'release', '--skip-publish');
      expect(r.code).toBe(0);
      expect(version(dir)).toBe(to);
      expectOnlyVersionLineChanged(dir, from, to);
      expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe(`v${to}`);
      const section = findChangelogSection(readFileSync(join(dir, CL), 'utf8'), to);
      expect(section?.heading).toMatch(new RegExp(`^## ${to.replace(/\./g, '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)$`));
      expect(section?.body).toContain(msg.replace(/^\w+\(python\)!?: /, ''));
    }
  });

  it('dry-run shows the plan and writes nothing', () => {
    const dir = workspace(PYPROJECT('1.2.3'));
    dirs.push(dir);
    git(dir, 'tag', 'v1.2.3');
    change(dir, 'feat(python): something');
    const head = git(dir, 'rev-parse', 'HEAD');
    const before = [readFileSync(join(dir, PY), 'utf8'), readFileSync(join(dir, CL), 'utf8')];
    const r = nx(dir, 'release', '--dry-run', '--skip-publish');
    expect(r.code).toBe(0);
    expect(r.out).toContain('to get new version 1.3.0');
    expect(r.out).toContain("+ version   =  '1.3.0'");
    expect([readFileSync(join(dir, PY), 'utf8'), readFileSync(join(dir, CL), 'utf8')]).toEqual(before);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'tag').trim()).toBe('v1.2.3');
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
  });

  it('pre-release round trip in PEP 440: rc0 -> rc1 -> final -> next patch, tags v2.1.0rc0..., validator agrees', () => {
    const dir = workspace(PYPROJECT('2.0.0'));
    dirs.push(dir);
    git(dir, 'tag', 'v2.0.0');
    change(dir, 'feat(python): rc feature');
    expect(nx(dir, 'release', 'preminor', '--preid', 'rc', '--skip-publish').code).toBe(0);
    expect(version(dir)).toBe('2.1.0rc0');
    expectOnlyVersionLineChanged(dir, '2.0.0', '2.1.0rc0');
    change(dir, 'fix(python): rc fix');
    const rc1 = nx(dir, 'release', '--skip-publish'); // conventional commits on a pre-release -> prerelease
    expect(rc1.code).toBe(0);
    expect(version(dir)).toBe('2.1.0rc1');
    expect(nx(dir, 'release', '2.1.0', '--skip-publish').code).toBe(0);
    expect(version(dir)).toBe('2.1.0');
    change(dir, 'fix(python): after final');
    const next = nx(dir, 'release', '--skip-publish');
    expect(next.out).toContain('Resolved the current version as 2.1.0 from git tag "v2.1.0"');
    expect(version(dir)).toBe('2.1.1');
    expect(git(dir, 'tag').trim().split('\n').sort()).toEqual(['v2.0.0', 'v2.1.0', 'v2.1.0rc0', 'v2.1.0rc1', 'v2.1.1']);
    const changelog = readFileSync(join(dir, CL), 'utf8');
    for (const v of ['2.1.0rc0', '2.1.0rc1', '2.1.0', '2.1.1']) expect(findChangelogSection(changelog, v)).not.toBeNull();

    // An explicit SemVer pre-release is written in PEP 440, tag included.
    change(dir, 'feat(python): more');
    expect(nx(dir, 'release', '2.2.0-rc.1', '--skip-publish').code).toBe(0);
    expect(version(dir)).toBe('2.2.0rc1');
    expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('v2.2.0rc1');

    const ok = nx(dir, 'run', 'python:validate-release', '--tag=v2.2.0rc1');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('prerelease: true');
    const bad = nx(dir, 'run', 'python:validate-release', '--tag=v2.2.1');
    expect(bad.code).not.toBe(0);
    const lines = bad.err.split('\n').filter((l) => l.startsWith('validate-release:'));
    expect(lines).toEqual([expect.stringMatching(/^validate-release: tag v2\.2\.1 names version 2\.2\.1 but bindings\/python\/pyproject\.toml \[project\]\.version is 2\.2\.0rc1; /)]);
  });

  it('a dynamic version fails with a message saying how to make it static', () => {
    const dir = workspace(PYPROJECT('1.0.0').replace(/^version.*$/m, 'dynamic = ["version"]'));
    dirs.push(dir);
    const r = nx(dir, 'release', 'patch', '--skip-publish');
    expect(r.code).not.toBe(0);
    expect(r.out + r.err).toContain('[project].version is dynamic; quiver needs a static version: remove "version" from [project].dynamic and set version = "X.Y.Z".');
    expect(readFileSync(join(dir, PY), 'utf8')).toContain('dynamic = ["version"]');
  });
});
