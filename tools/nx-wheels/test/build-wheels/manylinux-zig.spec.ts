/**
 * `nx run python:build-wheels --manylinux=2_28` in a copy of the workspace, with real tools: the
 * pinned ziglang compiles for x86_64-linux-gnu.2.28, real auditwheel repairs to manylinux_2_28,
 * the full pytest suite of bindings/python runs in a fresh venv (it raises and catches the
 * C++-mapped exceptions), and a rebuild is byte-identical. The GLIBC symbol versions are read
 * from readelf's output, not taken from auditwheel's word.
 * A cold zig cache compiles glibc stubs and libc++ first (minutes); the workspace's
 * .nx-wheels/zig and zig-cache are shared with the copy, as the toolchain is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findCPython } from '../../src/runners/python';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, nx } from '../helpers/workspace';

const MAIN = resolve(__dirname, '..', '..', '..', '..');
const WHEEL = 'quiverdb-0.1.0-cp313-cp313-manylinux_2_28_x86_64.whl';

/** `2.27` -> [2, 27] for comparing versions. */
const ver = (v: string) => v.split('.').map(Number) as [number, number];

describe('build-wheels --manylinux=2_28 (zig, real tools)', () => {
  let ws: string;
  let first: ReturnType<typeof nx>;
  let report: { wheels: Array<{ file: string; sha256: string; toolchain: string; tests: string }> };
  const wheelhouse = () => join(ws, 'bindings/python/wheelhouse');

  beforeAll(async () => {
    const tc = await ensureWorkspaceToolchain();
    if (!(await findCPython('3.13'))) throw new Error('CPython 3.13 is needed for the cp313 wheel (pyenv install 3.13)');
    ws = copyWorkspace('quiver-zig-');
    for (const d of ['zig', 'zig-cache']) {
      mkdirSync(join(MAIN, '.nx-wheels', d), { recursive: true });
      if (!existsSync(join(ws, '.nx-wheels', d))) symlinkSync(join(MAIN, '.nx-wheels', d), join(ws, '.nx-wheels', d), 'dir');
    }
    void tc;
    first = nx(ws, ['run', 'python:build-wheels', '--manylinux=2_28', '--skip-nx-cache']);
    if (first.status === 0) report = JSON.parse(readFileSync(join(wheelhouse(), 'build-report.json'), 'utf8'));
  }, 1_800_000);

  afterAll(() => {
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('produces the manylinux_2_28 wheel; the plan and the report say zig and the target; the full pytest suite passed', () => {
    expect(`${first.stdout}\n${first.stderr}`.slice(-3000)).not.toMatch(/^build-wheels: /m);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/toolchain: zig 0\.15\.2 \(pinned ziglang\) -target x86_64-linux-gnu\.2\.28, static libc\+\+; auditwheel repair --plat manylinux_2_28_x86_64 --only-plat/);
    expect(readdirSync(wheelhouse()).filter((f) => f.endsWith('.whl'))).toEqual([WHEEL]);
    expect(report.wheels).toEqual([expect.objectContaining({ file: WHEEL, toolchain: 'zig 0.15.2 x86_64-linux-gnu.2.28 -> manylinux_2_28_x86_64', tests: 'passed' })]);
    // the whole tests/ directory ran (its test-command), including the exception-mapping tests
    const passed = Number(/\[test cp313-manylinux_x86_64\] =+ (\d+) passed/.exec(first.stdout)?.[1]);
    expect(passed).toBeGreaterThan(100);
    expect(first.stdout).not.toMatch(/\[test cp313-manylinux_x86_64\] .*\d+ failed/);
  });

  it('readelf: the extension needs GLIBC <= 2.28, no libstdc++ or libc++ from the host; auditwheel show agrees', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-zig-so-'));
    try {
      const whl = join(wheelhouse(), WHEEL);
      execFileSync('python3', ['-m', 'zipfile', '-e', whl, dir]);
      const so = readdirSync(join(dir, 'quiverdb')).find((f) => f.endsWith('.so'))!;
      expect(so).toMatch(/^_core\.cpython-313-x86_64-linux-gnu\.so$/);
      const versions = execFileSync('readelf', ['-V', '-W', join(dir, 'quiverdb', so)], { encoding: 'utf8' });
      const glibc = [...new Set([...versions.matchAll(/GLIBC_(2\.\d+)/g)].map((m) => m[1]))].sort((a, b) => ver(a)[1] - ver(b)[1]);
      expect(glibc.length).toBeGreaterThan(0);
      const highest = ver(glibc[glibc.length - 1]);
      expect(highest[0]).toBe(2);
      expect(highest[1]).toBeLessThanOrEqual(28);
      expect(versions).not.toMatch(/GLIBCXX_|CXXABI_/); // no libstdc++ symbol versions
      const needed = [...execFileSync('readelf', ['-d', '-W', join(dir, 'quiverdb', so)], { encoding: 'utf8' }).matchAll(/\(NEEDED\)\s+Shared library: \[(.+?)\]/g)].map((m) => m[1]);
      expect(needed.filter((n) => /libstdc\+\+|libc\+\+|libgcc_s/.test(n))).toEqual([]);
      const show = execFileSync(join(MAIN, '.nx-wheels/toolchain/bin/auditwheel'), ['show', whl], { encoding: 'utf8' });
      const tag = /platform tag:\s*"manylinux_2_(\d+)_x86_64"/.exec(show.replace(/\s+/g, ' '));
      expect(tag).not.toBeNull();
      expect(Number(tag![1])).toBeLessThanOrEqual(28);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validate-wheels accepts it, auditwheel show and twine check included', () => {
    const r = nx(ws, ['run', 'python:validate-wheels', '--wheelDir=bindings/python/wheelhouse', '--platforms=linux', '--externalChecks', '--exclude-task-dependencies', '--skip-nx-cache']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`ok\\s+${WHEEL.replace(/\./g, '\\.')}\\s+cp313-manylinux_x86_64`));
    expect(r.stdout).toContain('validate-wheels: PASSED: 1 wheel');
    const v = readFileSync(join(wheelhouse(), 'validation-report.json'), 'utf8');
    expect(v).toContain('"auditwheel"');
  }, 600_000);

  it('a rebuild is byte-identical', () => {
    const again = nx(ws, ['run', 'python:build-wheels', '--manylinux=2_28', '--skip-nx-cache']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('[build cp313-manylinux_x86_64]');
    const sha = JSON.parse(readFileSync(join(wheelhouse(), 'build-report.json'), 'utf8')).wheels[0].sha256;
    expect(sha).toBe(report.wheels[0].sha256);
  }, 1_800_000);

  it('unsupported targets fail with one line and the fix, before anything is built', () => {
    for (const [value, re] of [
      ['musllinux_1_2', /^build-wheels: BAD_OPTION_MANYLINUX: option manylinux: "musllinux_1_2" is a musllinux policy; .*--engine=cibuildwheel/],
      ['manylinux_2_28_aarch64', /^build-wheels: BAD_OPTION_MANYLINUX: option manylinux: "manylinux_2_28_aarch64" targets aarch64, /],
    ] as const) {
      const r = nx(ws, ['run', 'python:build-wheels', `--manylinux=${value}`, '--skip-nx-cache']);
      expect(r.status).not.toBe(0);
      const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith('build-wheels: '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(re);
      expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
      expect(r.stdout).not.toContain('[build ');
    }
    // the wheelhouse of the good build is untouched
    expect(readdirSync(wheelhouse()).filter((f) => f.endsWith('.whl'))).toEqual([WHEEL]);
  }, 600_000);
});
