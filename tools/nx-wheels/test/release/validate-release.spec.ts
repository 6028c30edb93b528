/** validate-release against real git repositories (no mocked git). */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { validateRelease } from '../../src/pipeline/validate-release';
import { commitAll, git, PYPROJECT, tempRepo, write } from './git-fixture';

const ROOT = 'bindings/python';
const CHANGELOG = `# Changelog

## [1.4.0rc1] - 2026-01-02

- release candidate

## 1.3.0 (2025-12-01)

- feature
`;

function repo(version: string, changelog = CHANGELOG): string {
  const dir = tempRepo();
  write(dir, `${ROOT}/pyproject.toml`, PYPROJECT(version));
  write(dir, `${ROOT}/CHANGELOG.md`, changelog);
  commitAll(dir, 'feat: initial');
  return dir;
}

const run = (dir: string, o: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
  validateRelease({ workspaceRoot: dir, projectRoot: ROOT, projectName: 'python', env, ...o });

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('validate-release, tag mode', () => {
  let dir: string;
  beforeAll(() => {
    dir = repo('1.4.0rc1');
    dirs.push(dir);
    git(dir, 'tag', 'v1.4.0rc1');
  });

  it('passes when tag, version and changelog agree, writes the notes and says pre-release', async () => {
    const { result, notesFile } = await run(dir, { tag: 'v1.4.0rc1' });
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.prerelease).toBe(true);
    expect(readFileSync(notesFile!, 'utf8')).toBe('- release candidate\n');
  });

  it('normalizes: refs/tags/v1.4.0-rc.1 from GITHUB_REF is the same version', async () => {
    const { result } = await run(dir, {}, { GITHUB_REF: 'refs/tags/v1.4.0-rc.1' });
    expect(result.mode).toBe('tag');
    expect(result.ok).toBe(true);
  });

  it('a tag that names another version fails with one line naming both and the file', async () => {
    const { result } = await run(dir, { tag: 'v1.4.1' });
    expect(result.failures.map((f) => f.code)).toEqual(['TAG_VERSION_MISMATCH']);
    expect(result.failures[0].message).toMatch(/^tag v1\.4\.1 names version 1\.4\.1 but bindings\/python\/pyproject\.toml \[project\]\.version is 1\.4\.0rc1; /);
    expect(result.failures[0].message).not.toContain('\n');
  });

  it('GITHUB_REF_NAME on a tag push is used when --tag is absent', async () => {
    const { result } = await run(dir, {}, { GITHUB_REF_NAME: 'v9.9.9', GITHUB_REF_TYPE: 'tag' });
    expect(result.failures.map((f) => f.code)).toEqual(['TAG_VERSION_MISMATCH']);
  });

  it('a tag outside the pattern, and a tag that is not PEP 440, fail with their own codes', async () => {
    expect((await run(dir, { tag: '1.4.0rc1' })).result.failures.map((f) => f.code)).toEqual(['TAG_PATTERN']);
    expect((await run(dir, { tag: 'v1.4.0-next.1' })).result.failures.map((f) => f.code)).toEqual(['TAG_NOT_VERSION']);
  });

  it('a version without changelog section fails with CHANGELOG_NO_SECTION', async () => {
    const d = repo('1.4.0rc1', '# Changelog\n\n## 1.3.0\n- x\n');
    dirs.push(d);
    const { result, notesFile } = await run(d, { tag: 'v1.4.0rc1' });
    expect(result.failures.map((f) => f.code)).toEqual(['CHANGELOG_NO_SECTION']);
    expect(result.failures[0].message).toContain('## 1.4.0rc1');
    expect(notesFile).toBeNull();
  });

  it('writes the summary to $GITHUB_STEP_SUMMARY and outputs to $GITHUB_OUTPUT', async () => {
    const summary = join(dir, 'summary.md');
    const output = join(dir, 'output.txt');
    await run(dir, { tag: 'v1.4.0rc1' }, { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output });
    expect(readFileSync(summary, 'utf8')).toContain('validate-release: python passed (tag mode)');
    const lines = readFileSync(output, 'utf8').split('\n');
    expect(lines).toEqual(expect.arrayContaining(['codes=', 'version=1.4.0rc1', 'prerelease=true', 'tag=v1.4.0rc1']));
  });
});

describe('validate-release, branch mode', () => {
  it('passes when the version is newer than the latest v* tag (PEP 440 order) and has a section', async () => {
    const dir = repo('1.4.0rc1');
    dirs.push(dir);
    for (const t of ['v1.3.0', 'v1.4.0a1', 'v1.3.0.post1', 'not-a-version']) git(dir, 'tag', t);
    const { result } = await run(dir);
    expect(result.mode).toBe('branch');
    expect(result.latestTag).toBe('v1.4.0a1');
    expect(result.ok).toBe(true);
  });

  it('fails when the version is not newer than the latest tag', async () => {
    const dir = repo('1.3.0');
    dirs.push(dir);
    git(dir, 'tag', 'v1.4.0rc1');
    const { result } = await run(dir);
    expect(result.failures.map((f) => f.code)).toEqual(['VERSION_NOT_NEWER']);
    expect(result.failures[0].message).toContain('latest release tag v1.4.0rc1');
  });

  it('$GITHUB_OUTPUT names every finding code, so a workflow can tell "already released" from a broken release', async () => {
    // The version is tagged (VERSION_NOT_NEWER) and the changelog was deleted: both codes are listed.
    const dir = repo('1.3.0');
    dirs.push(dir);
    git(dir, 'tag', 'v1.3.0');
    rmSync(join(dir, ROOT, 'CHANGELOG.md'));
    commitAll(dir, 'chore: drop the changelog');
    const output = join(dir, 'output.txt');
    const { result } = await run(dir, {}, { GITHUB_OUTPUT: output });
    expect(result.failures.map((f) => f.code)).toEqual(['VERSION_NOT_NEWER', 'CHANGELOG_MISSING']);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines).toEqual(['codes=VERSION_NOT_NEWER,CHANGELOG_MISSING', 'version=1.3.0', 'prerelease=false', 'tag=v1.3.0']);
  });

  it('$GITHUB_OUTPUT: codes without version when the version cannot be read; empty codes when all passed', async () => {
    const bad = repo('1.3.0-banana');
    dirs.push(bad);
    const out1 = join(bad, 'output.txt');
    await run(bad, {}, { GITHUB_OUTPUT: out1 });
    expect(readFileSync(out1, 'utf8')).toBe('codes=PYPROJECT_BAD_VERSION\n');
    const good = repo('1.4.0rc1');
    dirs.push(good);
    git(good, 'tag', 'v1.3.0');
    const out2 = join(good, 'output.txt');
    await run(good, {}, { GITHUB_OUTPUT: out2 });
    expect(readFileSync(out2, 'utf8').split('\n')[0]).toBe('codes=');
  });

  it('an invalid PEP 440 version fails with the pyproject message', async () => {
    const dir = repo('1.3.0-banana');
    dirs.push(dir);
    const { result } = await run(dir);
    expect(result.failures.map((f) => f.code)).toEqual(['PYPROJECT_BAD_VERSION']);
  });

  it('no tags in a full clone: first release, passes', async () => {
    const dir = repo('1.3.0');
    dirs.push(dir);
    const { result } = await run(dir);
    expect(result.ok).toBe(true);
    expect(result.notes.join(' ')).toMatch(/first release/);
  });

  it('a shallow clone without tags names fetch-depth: 0 and git fetch --tags', async () => {
    const origin = repo('1.3.0');
    dirs.push(origin);
    git(origin, 'tag', 'v1.2.0', 'HEAD');
    write(origin, 'other.txt', 'x');
    commitAll(origin, 'chore: later commit');
    const clone = join(origin, '..', `${origin.split('/').pop()}-shallow`);
    dirs.push(clone);
    git(join(origin, '..'), 'clone', '-q', '--depth', '1', '--no-tags', `file://${origin}`, clone);
    expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const { result } = await run(clone);
    expect(result.failures.map((f) => f.code)).toEqual(['NO_TAGS_SHALLOW']);
    expect(result.failures[0].message).toContain('fetch-depth: 0');
    expect(result.failures[0].message).toContain('git fetch --tags');
    // After fetching the tags the same shallow clone passes.
    git(clone, 'fetch', '-q', '--tags', 'origin');
    expect((await run(clone)).result.ok).toBe(true);
  });

  it('outside a git repository it says so', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'quiver-nogit-'));
    dirs.push(dir);
    write(dir, `${ROOT}/pyproject.toml`, PYPROJECT('1.0.0'));
    await expect(run(dir)).rejects.toThrow(/not inside a git repository|not a git repository/i);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });
});

describe('validate-release: heading styles, local versions, file-system errors (docs/release-guide.md "Release rules")', () => {
  it('rule 6: accepts the conventional-changelog heading ## [1.2.3](compare-url) (date) and writes its notes', async () => {
    const dir = repo('1.2.3', '# Changelog\n\n## [1.2.3](https://github.com/quiver-dev/quiver/compare/v1.2.2...v1.2.3) (2026-02-01)\n\n### Bug Fixes\n\n* off by one\n\n## [1.2.2](https://github.com/quiver-dev/quiver/compare/v1.2.1...v1.2.2) (2026-01-01)\n\n* older\n');
    dirs.push(dir);
    git(dir, 'tag', 'v1.2.3');
    const { result, notesFile } = await run(dir, { tag: 'v1.2.3' });
    expect(result.failures).toEqual([]);
    expect(readFileSync(notesFile!, 'utf8')).toBe('### Bug Fixes\n\n* off by one\n');
  });

  it('rule 3: a local version (+local) fails with VERSION_LOCAL, one line with the fix', async () => {
    const dir = repo('2.1.0+local', '## 2.1.0+local\n\n- x\n');
    dirs.push(dir);
    git(dir, 'tag', 'v2.0.0');
    const { result } = await run(dir);
    expect(result.failures).toEqual([
      { code: 'VERSION_LOCAL', message: 'bindings/python/pyproject.toml [project].version 2.1.0+local has a local label (+local), which PyPI and every package index refuse; set version = "2.1.0" (nx release 2.1.0).' },
    ]);
  });

  it('rule 6: a CHANGELOG.md that is a directory names the file and the fix; nothing is written', async () => {
    const dir = tempRepo();
    dirs.push(dir);
    write(dir, `${ROOT}/pyproject.toml`, PYPROJECT('1.3.0'));
    mkdirSync(join(dir, ROOT, 'CHANGELOG.md'));
    write(dir, `${ROOT}/CHANGELOG.md/keep`, '');
    commitAll(dir, 'feat: initial');
    await expect(run(dir, { tag: 'v1.3.0' })).rejects.toThrow(
      'bindings/python/CHANGELOG.md is a directory, not a file; make it a Markdown file with a "## <version>" section per release, or point --changelog at the changelog file.',
    );
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('rule 6: a notes file path that cannot be created names it and --notesFile', async () => {
    const dir = repo('1.4.0rc1');
    dirs.push(dir);
    write(dir, 'dist', 'a file where a directory is needed');
    await expect(run(dir, { tag: 'v1.4.0rc1' })).rejects.toThrow(/^dist\/bindings\/python\/release-notes\.md cannot be written \((ENOTDIR|EEXIST)\); remove what is in the way or pass --notesFile=<path of a file to create>\.$/);
  });
});
