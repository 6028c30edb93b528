/**
 * End to end, as a maintainer cuts a first release: in a temporary copy of the workspace (no
 * release tag, one non-feat commit), `nx release 1.2.3 --skip-publish` commits and tags, then a real
 * `nx run python:build-wheels` (the engine auto picks: cibuildwheel's container where one starts, else native) builds the cp313 wheel and runs the package's own pytest suite
 * against it, which must pass for the new version (the version test reads pyproject.toml), and
 * validate-release accepts the tag, the version and the changelog section written.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findChangelogSection } from '../../src/core/changelog';
import { findCPython } from '../../src/runners/python';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, git, nx } from '../helpers/workspace';

describe('nx release, then build-wheels for the released version', () => {
  let ws: string;

  beforeAll(async () => {
    await ensureWorkspaceToolchain();
    if (!(await findCPython('3.13'))) throw new Error('CPython 3.13 is needed for the cp313 wheel (pyenv install 3.13)');
    ws = copyWorkspace('quiver-release-build-');
    git(ws, 'config', 'user.name', 'quiver-test');
    git(ws, 'config', 'user.email', 'test@quiver.invalid');
    git(ws, 'config', 'commit.gpgsign', 'false');
    git(ws, 'config', 'tag.gpgsign', 'false');
  }, 900_000);

  afterAll(() => {
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('nx release 1.2.3 in a fresh clone without release tags commits, tags and writes a section validate-release accepts', () => {
    const r = nx(ws, ['release', '1.2.3', '--skip-publish'], { CI: 'true' });
    expect([r.status, r.stderr.split('\n').filter((l) => /nx-wheels|NX_RELEASE|Error/.test(l))]).toEqual([0, []]);
    expect(git(ws, 'tag', '--points-at', 'HEAD').trim()).toBe('v1.2.3');
    expect(git(ws, 'status', '--porcelain').trim()).toBe('');
    expect(readFileSync(join(ws, 'bindings/python/pyproject.toml'), 'utf8')).toMatch(/^version = "1\.2\.3"$/m);
    const section = findChangelogSection(readFileSync(join(ws, 'bindings/python/CHANGELOG.md'), 'utf8'), '1.2.3');
    expect(section?.body).toMatch(/^First release of python \(no earlier release tag v…\)\./);
    const check = nx(ws, ['run', 'python:validate-release', '--tag=v1.2.3']);
    expect(check.status).toBe(0);
  });

  it('build-wheels builds quiverdb 1.2.3 and its own tests pass for that version', () => {
    const r = nx(ws, ['run', 'python:build-wheels', '--skip-nx-cache']);
    // On failure, the lines the executor printed about it are in the diff.
    expect([r.status, `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /^build-wheels: |FAILED|Error/.test(l))]).toEqual([0, []]);
    expect(r.stdout).toMatch(/\[test cp313-manylinux_x86_64\] .*passed/);
    const wheels = readdirSync(join(ws, 'bindings/python/wheelhouse')).filter((f) => f.endsWith('.whl'));
    expect(wheels).toEqual([expect.stringMatching(/^quiverdb-1\.2\.3-cp313-cp313-manylinux_2_\d+_x86_64\.whl$/)]);
    const report = JSON.parse(readFileSync(join(ws, 'bindings/python/wheelhouse/build-report.json'), 'utf8'));
    expect(report.wheels).toEqual([expect.objectContaining({ file: wheels[0], tests: 'passed' })]);
  });
});
