/**
 * `nx run python:rehearse-release` for real, in a temporary copy of the workspace: nx release 1.2.3
 * in a scratch clone, the Linux wheel in cibuildwheel's container (REAL podman with the Debian-made
 * manylinux-shaped image), the Windows wheel through the cross route (zig, tests under wine),
 * validate-release and validate-wheels in tag mode, publish twice to a REAL throwaway pypiserver,
 * install `quiverdb==1.2.3` from it and run the test suite on Linux and under wine. The copy's
 * `git status`, tags and wheelhouse are the same afterwards and no index is left running. A test
 * that fails only on Windows makes the rehearsal fail at that step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReport } from '../../src/core/rehearsal';
import { ensureDebianPackages, ensureManylinuxTestImage, WORKING_CONTAINERS_CONF, writeContainersConf } from '../helpers/podman';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, git, nx, Ran } from '../helpers/workspace';

let ws: string;
let confDir: string;
let env: Record<string, string>;

const output = (r: Ran) => `${r.stdout}\n${r.stderr}`;
const indexesRunning = () => {
  try {
    return execFileSync('pgrep', ['-f', 'pypi-server run'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};
const state = () => ({ status: git(ws, 'status', '--porcelain'), tags: git(ws, 'tag', '--list'), head: git(ws, 'rev-parse', 'HEAD'), wheelhouse: existsSync(join(ws, 'bindings/python/wheelhouse')) });
const report = () => JSON.parse(readFileSync(join(ws, '.nx-wheels/reports/rehearsal/bindings/python/rehearsal-report.json'), 'utf8')) as RehearsalReport;

beforeAll(async () => {
  await ensureWorkspaceToolchain();
  ensureDebianPackages({ wine: 'wine', wine64: 'wine64', mvn: 'maven' });
  confDir = mkdtempSync(join(tmpdir(), 'quiver-rehearsal-conf-'));
  const conf = writeContainersConf(confDir, WORKING_CONTAINERS_CONF);
  env = { CONTAINERS_CONF: conf, CIBW_MANYLINUX_X86_64_IMAGE: await ensureManylinuxTestImage(conf) };
  ws = copyWorkspace('quiver-rehearsal-');
}, 1_800_000);

afterAll(() => {
  for (const d of [ws, confDir]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('rehearse-release', () => {
  it('1.2.3: container-built Linux wheel and cross-built Windows wheel, tag-mode validation, publish twice, install by exact version and tests on both platforms; the tree untouched', () => {
    const before = state();
    const running = indexesRunning();
    const r = nx(ws, ['run', 'python:rehearse-release', '--specifier=1.2.3', '--outputStyle=static'], env);
    if (r.status !== 0) throw new Error(output(r).slice(-6000));
    expect(r.stdout).toMatch(/REHEARSAL PASSED: 1\.2\.3 built, validated, published, installed and tested on linux and windows in \d+ s\./);
    const rep = report();
    expect(rep).toMatchObject({ ok: true, version: '1.2.3', tag: 'v1.2.3', partial: false, platforms: ['linux', 'windows'], scratch: null });
    expect(rep.wheels.map((w) => [w.file, w.engine]).sort()).toEqual([
      [expect.stringMatching(/^quiverdb-1\.2\.3-cp313-cp313-manylinux_2_\d+_x86_64\.whl$/), 'cibuildwheel'],
      ['quiverdb-1.2.3-cp313-cp313-win_amd64.whl', 'cross'],
    ]);
    expect(rep.steps.map((s) => [s.step, s.platform, s.verdict])).toEqual([
      ['prepare', null, 'passed'],
      ['build', 'linux', 'passed'],
      ['build', 'windows', 'passed'],
      ['validate-release', null, 'passed'],
      ['validate-wheels', null, 'passed'],
      ['publish', null, 'passed'],
      ['publish again', null, 'passed'],
      ['install + test', 'linux', 'passed'],
      ['install + test', 'windows', 'passed'],
    ]);
    expect(rep.steps.find((s) => s.step === 'publish again')!.detail).toMatch(/^2 file\(s\) skipped/);
    expect(rep.steps.filter((s) => s.step === 'install + test').map((s) => s.detail)).toEqual([expect.stringContaining('quiverdb==1.2.3'), expect.stringContaining('quiverdb==1.2.3')]);
    // The tests ran against the installed release on both platforms.
    expect(r.stdout).toMatch(/\[test cp313-manylinux_x86_64\][^\n]*113 passed/);
    expect(r.stdout).toMatch(/\[test cp313-win_amd64\][^\n]*113 passed/);
    expect(state()).toEqual(before);
    expect(indexesRunning()).toBe(running);
    expect(existsSync(join(ws, '.nx-wheels/rehearsal')) ? execFileSync('ls', [join(ws, '.nx-wheels/rehearsal')], { encoding: 'utf8' }).trim() : '').toBe('');
    // The upload password is in no file the rehearsal left.
    expect(readFileSync(join(ws, '.nx-wheels/reports/rehearsal/bindings/python/rehearsal-report.json'), 'utf8')).not.toMatch(/password/i);
  });

  it('a test that fails only on Windows: the rehearsal exits non-zero naming the Windows build step, and nothing is left running', () => {
    writeFileSync(join(ws, 'bindings/python/tests/test_windows_only.py'), 'import sys\n\n\ndef test_not_on_windows() -> None:\n    assert sys.platform != "win32", "fails on Windows only"\n');
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'test: a Windows-only failure');
    const before = state();
    const running = indexesRunning();
    const r = nx(ws, ['run', 'python:rehearse-release', '--specifier=1.2.4', '--platforms=windows', '--outputStyle=static'], env);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/REHEARSAL FAILED at build \(windows\): TESTS_FAILED: /);
    // The executor's one line names the failed step's code.
    expect(output(r)).toMatch(/^rehearse-release: TESTS_FAILED: test-command failed for cp313-win_amd64 under wine/m);
    expect(report()).toMatchObject({ ok: false, partial: true, platforms: ['windows'] });
    expect(state()).toEqual(before);
    expect(indexesRunning()).toBe(running);
  });

  it('refuses a specifier that is not newer than the latest release, before anything runs', () => {
    git(ws, 'tag', 'v2.0.0');
    const r = nx(ws, ['run', 'python:rehearse-release', '--specifier=1.9.0', '--outputStyle=static'], env);
    git(ws, 'tag', '-d', 'v2.0.0');
    expect(r.status).not.toBe(0);
    expect(output(r)).toMatch(/^rehearse-release: REHEARSAL_VERSION_NOT_NEWER: option specifier: 1\.9\.0 is not newer than the latest release v2\.0\.0; pass a newer version or major\|minor\|patch\.$/m);
    expect(r.stdout).not.toContain('=== rehearse-release');
  });
});
