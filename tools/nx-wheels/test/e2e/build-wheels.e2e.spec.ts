/**
 * End to end, as a maintainer runs it: `nx run python:build-wheels` in a temporary copy of the
 * workspace, then the wheel installed into a fresh venv and the index used from Python; cache
 * replay; the separable test target; and the failures a user meets, each one line.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCPython } from '../../src/runners/python';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, edit, nx } from '../helpers/workspace';

const WHEEL = /^quiverdb-0\.1\.0-cp313-cp313-manylinux_2_\d+_x86_64\.whl$/;

/** The error block the executor printed: its lines that start with the executor's name. */
function errorLines(r: { stdout: string; stderr: string }, name = 'build-wheels'): string[] {
  return `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith(`${name}: `));
}

function expectOneLineFailure(r: { status: number | null; stdout: string; stderr: string }, pattern: RegExp, name = 'build-wheels') {
  expect(r.status).not.toBe(0);
  const lines = errorLines(r, name);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m); // no stack trace
}

describe('nx run python:build-wheels (native engine, real tools)', () => {
  let ws: string;
  let py313: string;

  beforeAll(async () => {
    await ensureWorkspaceToolchain();
    const i = await findCPython('3.13');
    if (!i) throw new Error('CPython 3.13 is needed for the cp313 wheel (pyenv install 3.13)');
    py313 = i.executable;
    ws = copyWorkspace();
    // Untracked, inside the package directory that scikit-build-core packs whole: the build's
    // staging of git-tracked files must keep it out of the wheel.
    writeFileSync(join(ws, 'bindings/python/src/quiverdb/stray.py'), 'raise SystemExit("an untracked file reached the wheel")\n');
  }, 900_000);

  afterAll(() => {
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('builds, repairs and tests one manylinux wheel, prints the plan and a summary, writes a report', () => {
    const r = nx(ws, ['run', 'python:build-wheels']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Build plan for python (bindings/python)');
    // No container starts here (no docker daemon; podman, where installed, is left with its default configuration).
    expect(r.stdout).toMatch(/platform linux: engine native \(auto: no container starts here \(docker /);
    expect(r.stdout).toContain('- cp313-manylinux_x86_64');
    expect(r.stdout).toMatch(/\[test cp313-manylinux_x86_64\] .*passed/);
    const files = readdirSync(join(ws, 'bindings/python/wheelhouse'));
    const wheels = files.filter((f) => f.endsWith('.whl'));
    expect(wheels).toHaveLength(1);
    expect(wheels[0]).toMatch(WHEEL);
    const report = JSON.parse(readFileSync(join(ws, 'bindings/python/wheelhouse/build-report.json'), 'utf8'));
    expect(report.wheels).toEqual([expect.objectContaining({ file: wheels[0], identifier: 'cp313-manylinux_x86_64', engine: 'native', tests: 'passed' })]);
    expect(r.stdout).toContain(report.wheels[0].sha256);
    expect(r.stdout).toMatch(/sources: \d+ git-tracked files \(.+\) of bindings\/python, libs\/quiver, staged in \.nx-wheels\/staging\/python-[0-9a-f]{8}/);
    expect(r.stdout).toMatch(/SOURCE_DATE_EPOCH: \d+ \(HEAD's commit time/);
  });

  it('an untracked file in the package directory does not end up in the wheel; the staging is gone afterwards', () => {
    const wheel = readdirSync(join(ws, 'bindings/python/wheelhouse')).find((f) => f.endsWith('.whl'))!;
    const names = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', join(ws, 'bindings/python/wheelhouse', wheel)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(names).toContain('quiverdb/__init__.py');
    expect(names).not.toContain('quiverdb/stray.py');
    expect(existsSync(join(ws, '.nx-wheels/staging')) ? readdirSync(join(ws, '.nx-wheels/staging')) : []).toEqual([]);
  });

  it('the wheel installs into a fresh venv and the index works from Python', () => {
    const venv = mkdtempSync(join(tmpdir(), 'quiver-use-'));
    try {
      execFileSync(py313, ['-m', 'venv', venv]);
      const wheel = readdirSync(join(ws, 'bindings/python/wheelhouse')).find((f) => f.endsWith('.whl'))!;
      execFileSync(join(venv, 'bin/python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', join(ws, 'bindings/python/wheelhouse', wheel)]);
      const script = [
        'import quiverdb, tempfile, os',
        'ix = quiverdb.Index(3, metric="l2")',
        'ix.add(1, [0.0, 0.0, 0.0]); ix.add(2, [1.0, 0.0, 0.0]); ix.add(3, [5.0, 5.0, 5.0])',
        'hits = ix.search([0.9, 0.0, 0.0], 2)',
        'p = os.path.join(tempfile.mkdtemp(), "ix.qvr"); ix.save(p)',
        'back = quiverdb.Index.load(p)',
        'print([h[0] for h in hits], len(back), quiverdb.__version__, quiverdb.__file__)',
      ].join('\n');
      const out = execFileSync(join(venv, 'bin/python'), ['-c', script], { cwd: venv, encoding: 'utf8' }).trim();
      expect(out).toMatch(/^\[2, 1\] 3 0\.1\.0 .*site-packages/);
    } finally {
      rmSync(venv, { recursive: true, force: true });
    }
  });

  it('a second run is replayed from the Nx cache', () => {
    const r = nx(ws, ['run', 'python:build-wheels']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/nx run python:build-wheels\s+\[(local cache|existing outputs match the cache)/);
  });

  it('a rebuild of the same commit gives byte-identical wheels (SOURCE_DATE_EPOCH from the commit)', () => {
    const sha = () => JSON.parse(readFileSync(join(ws, 'bindings/python/wheelhouse/build-report.json'), 'utf8')).wheels[0].sha256;
    const before = sha();
    const r = nx(ws, ['run', 'python:build-wheels', '--skip-nx-cache']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[build cp313-manylinux_x86_64]');
    expect(sha()).toBe(before);
  });

  it('editing a binding test re-runs the test target without rebuilding the wheel', () => {
    const first = nx(ws, ['run', 'python:test']);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/\[test cp313-manylinux_x86_64\] .*passed/);
    edit(join(ws, 'bindings/python/tests/test_package.py'), (t) => `${t}\n\ndef test_added_by_e2e():\n    assert 1 + 1 == 2\n`);
    const second = nx(ws, ['run', 'python:test']);
    expect(second.status).toBe(0);
    // the wheel is not rebuilt: its task is a cache hit; the test task runs
    expect(second.stdout).toMatch(/nx run python:build-wheels-untested\s+\[(local cache|existing outputs match the cache)/);
    const passed = (out: string) => Number(/\[test cp313-manylinux_x86_64\] =+ (\d+) passed/.exec(out)?.[1]);
    expect(passed(second.stdout)).toBe(passed(first.stdout) + 1); // the new test ran
    expect(second.stdout).not.toMatch(/nx run python:test\s+\[(local cache|existing outputs)/);
  });

  it('failing binding tests fail the task with one line, and the wheelhouse is left as it was', () => {
    const before = readdirSync(join(ws, 'bindings/python/wheelhouse')).map((f) => [f, readFileSync(join(ws, 'bindings/python/wheelhouse', f)).length]);
    edit(join(ws, 'bindings/python/tests/test_package.py'), (t) => `${t}\n\ndef test_broken_by_e2e():\n    assert False, "deliberately broken"\n`);
    const r = nx(ws, ['run', 'python:build-wheels']);
    expectOneLineFailure(r, /^build-wheels: TESTS_FAILED: test-command failed for cp313-manylinux_x86_64/);
    const after = readdirSync(join(ws, 'bindings/python/wheelhouse')).map((f) => [f, readFileSync(join(ws, 'bindings/python/wheelhouse', f)).length]);
    expect(after).toEqual(before);
  });

  it('a compiler error fails with one line and leaves no wheelhouse', () => {
    rmSync(join(ws, 'bindings/python/wheelhouse'), { recursive: true, force: true });
    edit(join(ws, 'bindings/python/src/_core.cpp'), (t) => `${t}\nthis is not C++;\n`);
    const r = nx(ws, ['run', 'python:build-wheels']);
    expectOneLineFailure(r, /^build-wheels: NATIVE_BUILD_FAILED: building cp313-manylinux_x86_64 from bindings\/python failed/);
    expect(existsSync(join(ws, 'bindings/python/wheelhouse'))).toBe(false);
  });

  it('windows on a Linux host stops before building, naming the fix', () => {
    const r = nx(ws, ['run', 'python:build-wheels', '--platform=windows']);
    expectOneLineFailure(r, /^build-wheels: WINDOWS_NEEDS_WINDOWS_HOST: platform windows: Windows wheels are built only on a Windows host .*runs-on: windows-latest/);
  });

  it('engine cibuildwheel for linux without a container engine stops, naming both ways out', () => {
    const r = nx(ws, ['run', 'python:build-wheels', '--engine=cibuildwheel'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock', CIBW_CONTAINER_ENGINE: 'docker' });
    expectOneLineFailure(r, /^build-wheels: NO_CONTAINER_ENGINE: engine cibuildwheel: Linux wheels are built in a container and none starts here \(docker cannot reach its daemon \(.*\)\); start docker or podman .*--engine=native/);
  });

  it('an unknown engine is refused by the option check with the allowed values', () => {
    const r = nx(ws, ['run', 'python:build-wheels', '--engine=docker']);
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/engine/);
  });

  it('a TOML syntax error is reported as file:line:col', () => {
    edit(join(ws, 'bindings/python/pyproject.toml'), (t) => t.replace('[tool.cibuildwheel]\n', '[tool.cibuildwheel]\nbuild-verbosity = = 1\n'));
    const r = nx(ws, ['run', 'python:build-wheels']);
    expectOneLineFailure(r, /^build-wheels: PYPROJECT_SYNTAX: bindings\/python\/pyproject\.toml:\d+:\d+: TOML syntax error/);
  });
});
