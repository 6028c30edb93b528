/**
 * `nx release` end to end with our VersionActions, in a temporary workspace that is a real git
 * repository (no mocked git): conventional-commit bumps, PEP 440 pre-release round trip, byte-exact
 * pyproject.toml edits, dry-run, dynamic version, and the validate-release executor.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findChangelogSection } from '../../src/core/changelog';
import { parseExplicitVersion } from '../../src/core/pep440';
import { validateRelease } from '../../src/pipeline/validate-release';
import { commitAll, git, GIT_ENV, PYPROJECT, write } from './git-fixture';

const MAIN = resolve(__dirname, '../../../..');
const NX = join(MAIN, 'node_modules/nx/dist/bin/nx.js');
const PY = 'bindings/python/pyproject.toml';
const CL = 'bindings/python/CHANGELOG.md';

/** Options of {@link workspace}. */
interface WorkspaceOptions {
  /** Initial bindings/python/CHANGELOG.md (default `## 1.2.3` with one entry). */
  changelog?: string;
  /** Add the C++ library project `quiver` (libs/quiver) that python's CMakeLists.txt builds, and a docs/ folder. */
  quiver?: boolean;
}

function workspace(pyproject: string, o: WorkspaceOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-nx-release-'));
  const nxJson = JSON.parse(readFileSync(join(MAIN, 'nx.json'), 'utf8'));
  write(dir, 'nx.json', JSON.stringify({ release: nxJson.release, plugins: nxJson.plugins }, null, 2));
  write(dir, 'package.json', JSON.stringify({ name: 'ws', private: true }));
  write(dir, '.gitignore', 'node_modules\n.nx\ndist\n');
  symlinkSync(join(MAIN, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(MAIN, 'tools'), join(dir, 'tools'));
  write(dir, PY, pyproject);
  write(dir, CL, o.changelog ?? '## 1.2.3\n\n- first\n');
  if (o.quiver) {
    write(dir, 'libs/quiver/project.json', JSON.stringify({ name: 'quiver', projectType: 'library' }));
    write(dir, 'libs/quiver/src/core.cpp', 'int f() { return 1; }\n');
    write(dir, 'bindings/python/CMakeLists.txt', 'cmake_minimum_required(VERSION 3.15)\nadd_subdirectory(../../libs/quiver quiver)\n');
    write(dir, 'docs/guide.md', '# Guide\n');
    write(dir, 'README.md', '# quiver\n');
  }
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

/** Commit `message` with a new file under `where` (default the python project's src/). */
function change(dir: string, message: string, where = 'bindings/python/src') {
  write(dir, `${where}/m${Date.now()}${Math.random()}.py`, 'x = 1\n');
  commitAll(dir, message);
}

/** Lines of nx's output that nx-wheels or Nx wrote as errors/log: the output without colour codes. */
const text = (r: { out: string; err: string }) => (r.out + r.err).replace(/\x1b\[[0-9;]*m/g, '');

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
    expect(lines).toEqual([expect.stringMatching(/^validate-release: TAG_VERSION_MISMATCH: tag v2\.2\.1 names version 2\.2\.1 but bindings\/python\/pyproject\.toml \[project\]\.version is 2\.2\.0rc1; /)]);
  });

  it('a dynamic version not from git tags fails with one line saying how to make it static; nothing changes', () => {
    const dir = workspace(PYPROJECT('1.0.0').replace(/^version.*$/m, 'dynamic = ["version"]'));
    dirs.push(dir);
    const r = nx(dir, 'release', 'patch', '--skip-publish');
    expect(r.code).not.toBe(0);
    expect(r.out + r.err).toContain('bindings/python/pyproject.toml: [project].version is dynamic and not from git tags, so nx release cannot write a new version; set version = "X.Y.Z" under [project] (and remove "version" from [project].dynamic), or let a VCS back-end (setuptools-scm, hatch-vcs) take the version from the release tag. Nothing was written, committed or tagged.');
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
    expect(readFileSync(join(dir, PY), 'utf8')).toContain('dynamic = ["version"]');
  });
});

/** State that must not change when nx release refuses: HEAD, tags, a clean working tree. */
function snapshot(dir: string) {
  return { head: git(dir, 'rev-parse', 'HEAD'), tags: git(dir, 'tag').trim(), status: git(dir, 'status', '--porcelain').trim() };
}

/** The lines nx-wheels printed for a refused release: exactly one names the problem. */
function refusal(r: { out: string; err: string }, needle: string): string[] {
  return text(r).split('\n').filter((l) => l.includes(needle));
}

describe('nx release: the rules of docs/release-guide.md ("Release rules")', () => {
  it('rule 1: stray v-tags (vendor-import, vNext, vscode-x, v1.2.3+local) are ignored, as validate-release ignores them', async () => {
    const dir = workspace(PYPROJECT('1.2.3'));
    dirs.push(dir);
    git(dir, 'tag', 'v1.2.3');
    for (const t of ['vendor-import', 'vNext', 'vscode-x', 'v1.2.3+local']) git(dir, 'tag', t);
    // validate-release's branch mode sees the same latest release tag (one shared function).
    const before = await validateRelease({ workspaceRoot: dir, projectRoot: 'bindings/python', projectName: 'python', env: {} });
    expect(before.result.latestTag).toBe('v1.2.3');
    change(dir, 'fix(python): off by one');
    const r = nx(dir, 'release', '--skip-publish');
    expect(r.code).toBe(0);
    expect(text(r)).toContain('Resolved the current version as 1.2.3 from git tag "v1.2.3"');
    expect(version(dir)).toBe('1.2.4');
    expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('v1.2.4');
    expect(nx(dir, 'run', 'python:validate-release', '--tag=v1.2.4').code).toBe(0);
  });

  it('rule 2: on 0.x feat is minor, fix is patch, a breaking change is minor; typed specifiers are never adjusted', () => {
    const dir = workspace(PYPROJECT('0.1.0'), { changelog: '## 0.1.0\n\n- first\n' });
    dirs.push(dir);
    git(dir, 'tag', 'v0.1.0');
    const steps: Array<[string | null, string[], string, string]> = [
      ['fix(python): off by one', [], '0.1.1', 'Applied "patch" derived from conventional commits to 0.1.0 to get new version 0.1.1'],
      ['feat(python): search mode', [], '0.2.0', 'Applied "minor" derived from conventional commits to 0.1.1 to get new version 0.2.0'],
      ['feat(python)!: drop the old API', [], '0.3.0', 'Applied "minor" (asked "major": breaking change on 0.x, versionActionsOptions.zeroMajorBreaking "minor") derived from conventional commits to 0.2.0 to get new version 0.3.0'],
      ['fix(python): typo', ['minor'], '0.4.0', 'Applied "minor" from the command line to 0.3.0 to get new version 0.4.0'],
      ['fix(python): another', ['major'], '1.0.0', 'Applied "major" from the command line to 0.4.0 to get new version 1.0.0'],
    ];
    for (const [msg, args, to, log] of steps) {
      if (msg) change(dir, msg);
      const r = nx(dir, 'release', ...args, '--skip-publish');
      expect(r.code).toBe(0);
      expect(text(r)).toContain(log);
      expect(version(dir)).toBe(to);
      expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe(`v${to}`);
    }
  });

  it('rule 3: a local version is refused with one line and nothing is written, committed or tagged', () => {
    const dir = workspace(PYPROJECT('2.0.0'));
    dirs.push(dir);
    git(dir, 'tag', 'v2.0.0');
    change(dir, 'feat(python): x');
    const before = snapshot(dir);
    const r = nx(dir, 'release', '2.1.0+local', '--skip-publish');
    expect(r.code).not.toBe(0);
    expect(refusal(r, 'local label')).toEqual([
      expect.stringContaining('version "2.1.0+local" has a local label (+local), which PyPI and every package index refuse; release 2.1.0 instead (nx release 2.1.0).'),
    ]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('rule 3: nx release 2.2 writes and tags 2.2.0, which release.yml\'s tag trigger matches', () => {
    const dir = workspace(PYPROJECT('2.1.0'));
    dirs.push(dir);
    git(dir, 'tag', 'v2.1.0');
    change(dir, 'feat(python): x');
    const r = nx(dir, 'release', '2.2', '--skip-publish');
    expect(r.code).toBe(0);
    expect(version(dir)).toBe('2.2.0');
    const tag = git(dir, 'tag', '--points-at', 'HEAD').trim();
    expect(tag).toBe('v2.2.0');
    expect(findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '2.2.0')).not.toBeNull();
    expect(releaseWorkflowFires(tag)).toBe(true);
  });

  it('rule 3: the tags nx release makes are the tags release.yml fires on (trigger read from the workflow)', () => {
    const nxJson = JSON.parse(readFileSync(join(MAIN, 'nx.json'), 'utf8'));
    const pattern: string = nxJson.release.releaseTag.pattern;
    expect(pattern).toBe('v{version}');
    // Every form nx release can write (explicit inputs as typed), tagged with nx.json's pattern.
    for (const input of ['2.2', '2', '0.3.0rc1', '1.4.0-rc.1', '1.2.0.post1', '1.3.0.dev2', '1!2.0', '2.2b1']) {
      const tag = pattern.replace('{version}', parseExplicitVersion(input));
      expect([input, releaseWorkflowFires(tag)]).toEqual([input, true]);
    }
    // Without the normalization the trigger would not fire: the test can fail.
    expect(releaseWorkflowFires('v2.2')).toBe(false);
  });

  it('rule 4: an rc heading edited by hand stops the final release before anything is written; fixed, the final lists everything since the last final', () => {
    const dir = workspace(PYPROJECT('1.3.0'), { changelog: '## 1.3.0\n\n- first\n' });
    dirs.push(dir);
    git(dir, 'tag', 'v1.3.0');
    change(dir, 'feat(python): rc feature');
    expect(nx(dir, 'release', 'preminor', '--preid', 'rc', '--skip-publish').code).toBe(0);
    change(dir, 'fix(python): rc fix');
    expect(nx(dir, 'release', '--skip-publish').code).toBe(0);
    expect(version(dir)).toBe('1.4.0rc1');
    const cl = readFileSync(join(dir, CL), 'utf8');
    expect(cl).toMatch(/^## v1\.4\.0rc1 \(\d{4}-\d{2}-\d{2}\)$/m);

    // A maintainer "tidies" the rc headings into the style of the older sections.
    write(dir, CL, cl.replace(/^## v1\.4\.0rc1 \(.*\)$/m, '## 1.4.0rc1').replace(/^## v1\.4\.0rc0 \((.*)\)$/m, '## [1.4.0rc0] - $1'));
    commitAll(dir, 'docs(python): tidy changelog headings');
    const before = snapshot(dir);
    const bad = nx(dir, 'release', '1.4.0', '--skip-publish');
    expect(bad.code).not.toBe(0);
    expect(refusal(bad, 'CHANGELOG_NO_SECTION')).toEqual([
      expect.stringContaining('bindings/python/CHANGELOG.md:1: nx release reads the heading "## 1.4.0rc1" as version 1.4.0 and would write no 1.4.0 section (the tag\'s release would then fail on CHANGELOG_NO_SECTION); write that heading "## v1.4.0rc1" (how nx release writes pre-release headings), then run nx release again. Nothing was written, committed or tagged.'),
    ]);
    expect(snapshot(dir)).toEqual(before);

    // The fix the line names (and the same for the rc0 heading), then the final release.
    write(dir, CL, readFileSync(join(dir, CL), 'utf8').replace('## 1.4.0rc1', '## v1.4.0rc1'));
    commitAll(dir, 'docs(python): heading fix');
    const again = nx(dir, 'release', '1.4.0', '--skip-publish');
    expect(refusal(again, 'nx release reads the heading')).toEqual([expect.stringContaining('"## [1.4.0rc0] - ')]);
    write(dir, CL, readFileSync(join(dir, CL), 'utf8').replace(/^## \[1\.4\.0rc0\] - (.*)$/m, '## v1.4.0rc0 ($1)'));
    commitAll(dir, 'docs(python): heading fix');
    const ok = nx(dir, 'release', '1.4.0', '--skip-publish');
    expect(ok.code).toBe(0);
    expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('v1.4.0');
    const section = findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.4.0')!;
    expect(section.body).toContain('rc feature');
    expect(section.body).toContain('rc fix');
    expect(section.body).not.toContain('version bump only');
    expect(nx(dir, 'run', 'python:validate-release', '--tag=v1.4.0').code).toBe(0);
  });

  it('rule 4: a release that was asked for is never refused for its notes; a section with nothing to list says why; conventional commits with nothing to release bump nothing', () => {
    const dir = workspace(PYPROJECT('1.3.0'), { changelog: '## 1.3.0\n\n- first\n', quiver: true });
    dirs.push(dir);
    git(dir, 'tag', 'v1.3.0');
    change(dir, 'feat: documented search mode', 'docs');
    change(dir, 'chore(python): tidy', 'bindings/python/src');
    // Conventional commits: nothing to release is Nx's "no changes", no bump, nothing written.
    const before = snapshot(dir);
    const none = nx(dir, 'release', '--skip-publish');
    expect(text(none)).toContain('No changes were detected');
    expect(version(dir)).toBe('1.3.0');
    expect(snapshot(dir)).toEqual(before);
    // An explicit patch with only a chore since 1.3.0: made, and its section says why it lists nothing.
    expect(nx(dir, 'release', '1.3.1', '--skip-publish').code).toBe(0);
    expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('v1.3.1');
    expect(findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.3.1')!.body).toBe(
      'No feat, fix or perf commit touching python or its dependencies since 1.3.0 (1 other commit: chore).',
    );
    expect(nx(dir, 'run', 'python:validate-release', '--tag=v1.3.1').code).toBe(0);
    // A release candidate with only a build: commit, then its promotion without new commits.
    change(dir, 'build(python): pin the compiler', 'bindings/python');
    expect(nx(dir, 'release', 'preminor', '--preid', 'rc', '--skip-publish').code).toBe(0);
    expect(version(dir)).toBe('1.4.0rc0');
    expect(findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.4.0rc0')!.body).toBe(
      'No feat, fix or perf commit touching python or its dependencies since 1.3.1 (1 other commit: build).',
    );
    const promote = nx(dir, 'release', '1.4.0', '--skip-publish');
    expect(promote.code).toBe(0);
    expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('v1.4.0');
    expect(findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.4.0')!.body).toBe(
      'Promotes 1.4.0rc0 to 1.4.0: no feat, fix or perf commit touching python or its dependencies since 1.3.1 (1 other commit: build).',
    );
    expect(nx(dir, 'run', 'python:validate-release', '--tag=v1.4.0').code).toBe(0);
    // A typed relative specifier with nothing to list: made as well.
    expect(nx(dir, 'release', 'minor', '--skip-publish').code).toBe(0);
    expect(version(dir)).toBe('1.5.0');
    expect(findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.5.0')!.body).toBe('No commit touches python or its dependencies since 1.4.0.');
  });

  it('rule 4: the first release of a repository without release tags and with non-conventional commits', () => {
    const dir = workspace(PYPROJECT('0.1.0'), { changelog: '<!-- changes to quiverdb, newest first -->\n' });
    dirs.push(dir);
    change(dir, 'Add the search mode');
    change(dir, 'Fix the off-by-one in search');
    const r = nx(dir, 'release', '1.2.3', '--skip-publish');
    expect(r.code).toBe(0);
    expect(git(dir, 'tag').trim()).toBe('v1.2.3');
    expect(findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.2.3')!.body.split('\n')[0]).toBe(
      'First release of python (no earlier release tag v…). None of the 3 commits touching python or its dependencies is a feat, fix or perf commit (conventional commits), so none is listed.',
    );
    expect(nx(dir, 'run', 'python:validate-release', '--tag=v1.2.3').code).toBe(0);
  });

  it('rule 4: a release failing after Nx wrote files (a pre-commit hook refuses) leaves the tree exactly as before', () => {
    const dir = workspace(PYPROJECT('1.3.0'), { changelog: '## 1.3.0\n\n- first\n' });
    dirs.push(dir);
    git(dir, 'tag', 'v1.3.0');
    change(dir, 'fix(python): off by one');
    // Work in progress: an unstaged changelog edit (Nx will prepend to it and stage it), a staged new file, an untracked file.
    write(dir, CL, readFileSync(join(dir, CL), 'utf8') + '\n- note in progress\n');
    write(dir, 'bindings/python/src/staged.py', 'y = 2\n');
    git(dir, 'add', 'bindings/python/src/staged.py');
    write(dir, 'scratch.txt', 'mine\n');
    write(dir, '.git/hooks/pre-commit', '#!/bin/sh\necho "pre-commit: refused" >&2\nexit 1\n');
    chmodSync(join(dir, '.git/hooks/pre-commit'), 0o755);
    const files = () => [PY, CL, 'bindings/python/src/staged.py', 'scratch.txt'].map((f) => readFileSync(join(dir, f), 'utf8'));
    const before = { ...snapshot(dir), files: files(), index: git(dir, 'ls-files', '-s') };
    const r = nx(dir, 'release', '1.3.1', '--skip-publish');
    expect(r.code).not.toBe(0);
    expect(refusal(r, 'nx-wheels: nx release failed')).toEqual([
      `nx-wheels: nx release failed; restored ${CL}, ${PY} to the state before the release started.`,
    ]);
    expect({ ...snapshot(dir), files: files(), index: git(dir, 'ls-files', '-s') }).toEqual(before);
  });

  it('rule 5: the notes list commits touching python or libs/quiver, never docs-only or README-only ones', () => {
    const dir = workspace(PYPROJECT('1.0.0'), { changelog: '## 1.0.0\n\n- first\n', quiver: true });
    dirs.push(dir);
    git(dir, 'tag', 'v1.0.0');
    change(dir, 'feat: documented search mode', 'docs');
    write(dir, 'README.md', '# quiver\n\nbetter words\n');
    commitAll(dir, 'fix: README wording');
    change(dir, 'fix(quiver): core off by one', 'libs/quiver/src');
    change(dir, 'fix(python): binding leak');
    const r = nx(dir, 'release', '--skip-publish');
    expect(r.code).toBe(0);
    expect(version(dir)).toBe('1.0.1'); // the docs-only feat: does not make it a minor release
    const body = findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.0.1')!.body;
    expect(body).toContain('core off by one');
    expect(body).toContain('binding leak');
    expect(body).not.toContain('documented search mode');
    expect(body).not.toContain('README wording');
  });
});

/** Does release.yml's `on.push.tags` (GitHub filter patterns, read with the yaml package) match `tag`? */
function releaseWorkflowFires(tag: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const picomatch = require('picomatch') as (p: string, o?: object) => (s: string) => boolean;
  const wf = parse(readFileSync(join(MAIN, '.github/workflows/release.yml'), 'utf8'));
  const patterns: string[] = wf.on.push.tags;
  expect(patterns.length).toBeGreaterThan(0);
  // GitHub: `*` matches any character but `/`; a pattern starting with `!` excludes.
  const inc = patterns.filter((p) => !p.startsWith('!'));
  const exc = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const m = (p: string) => picomatch(p, { dot: true, nobrace: true, noext: true });
  return inc.some((p) => m(p)(tag)) && !exc.some((p) => m(p)(tag));
}
