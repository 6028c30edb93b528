/**
 * `nx run python:build-wheels --platforms=windows` on this Linux host, in a copy of the workspace,
 * with real tools only: the pinned ziglang cross-compiles cp313-win_amd64 through scikit-build-core +
 * CMake + nanobind against python.org's CPython for Windows (the pinned Maven package, sha256
 * checked), the full quiverdb pytest suite runs in that CPython under the host's wine, validate-wheels
 * accepts the wheel, and a rebuild gives the same sha256. The module's format and DLL imports are
 * read with binutils' objdump, not only with the plugin's own PE reader.
 * Slow parts live in the per-user cache (zig's Windows CRT and libc++, the CPython, the WINEPREFIX):
 * the first run on a machine takes minutes, later ones about a minute per build.
 * Needs: wine (apt-get install wine wine64), mvn and Maven Central (or a mirror), CPython 3.13.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCPython } from '../../src/runners/python';
import { ensureDebianPackages } from '../helpers/podman';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, nx, WORKSPACE } from '../helpers/workspace';

const WHEEL = 'quiverdb-0.1.0-cp313-cp313-win_amd64.whl';

describe('build-wheels --platforms=windows on Linux (zig cross-compile, tests under wine)', () => {
  let ws: string;
  let first: ReturnType<typeof nx>;
  let report: { wheels: Array<{ file: string; sha256: string; engine: string; toolchain: string; testInterpreter?: string; tests: string; platform: string }> };
  const wheelhouse = () => join(ws, 'bindings/python/wheelhouse');

  beforeAll(async () => {
    await ensureWorkspaceToolchain();
    if (!(await findCPython('3.13'))) throw new Error('CPython 3.13 is needed to run the build back-end (pyenv install 3.13)');
    // wine (and mvn, which fetches the pinned Windows CPython) from Debian's packages when missing, as on our machines and in .ci/run.
    ensureDebianPackages({ wine: 'wine', wine64: 'wine64', mvn: 'maven' });
    if (spawnSync('wine', ['--version']).status !== 0) throw new Error('wine is needed: apt-get install -y --no-install-recommends wine wine64');
    ws = copyWorkspace('quiver-wincross-');
    // the pinned ziglang venv is shared with the workspace, as the toolchain is
    mkdirSync(join(WORKSPACE, '.nx-wheels', 'zig'), { recursive: true });
    if (!existsSync(join(ws, '.nx-wheels', 'zig'))) symlinkSync(join(WORKSPACE, '.nx-wheels', 'zig'), join(ws, '.nx-wheels', 'zig'), 'dir');
    first = nx(ws, ['run', 'python:build-wheels', '--platforms=windows', '--skip-nx-cache']);
    if (first.status === 0) report = JSON.parse(readFileSync(join(wheelhouse(), 'build-report.json'), 'utf8'));
  }, 3_600_000);

  afterAll(() => {
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('the plan names the cross route; the wheel is cp313-cp313-win_amd64; the full pytest suite passed under wine in python.org CPython 3.13', () => {
    expect(`${first.stdout}\n${first.stderr}`.slice(-3000)).not.toMatch(/^build-wheels: /m);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/platform windows: engine cross \(linux host: zig cross-compiles win_amd64/);
    expect(first.stdout).toMatch(/toolchain: zig 0\.15\.2 \(pinned ziglang\) -target x86_64-windows-gnu/);
    expect(readdirSync(wheelhouse()).filter((f) => f.endsWith('.whl'))).toEqual([WHEEL]);
    expect(report.wheels).toEqual([
      expect.objectContaining({ file: WHEEL, platform: 'windows', engine: 'cross', tests: 'passed', toolchain: expect.stringMatching(/^zig 0\.15\.2 x86_64-windows-gnu \+ CPython 3\.13\.\d+ for Windows/), testInterpreter: expect.stringMatching(/^CPython 3\.13\.\d+ for Windows .* under wine, wine-/) }),
    ]);
    // pytest reports the Windows interpreter, and the whole tests/ directory passed
    expect(first.stdout).toMatch(/\[test cp313-win_amd64\] platform win32 -- Python 3\.13\.\d+/);
    const passed = Number(/\[test cp313-win_amd64\] .*?(\d+) passed/.exec(first.stdout.replace(/\x1b\[[0-9;]*m/g, ''))?.[1]);
    expect(passed).toBeGreaterThan(100);
    expect(first.stdout.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/\[test cp313-win_amd64\] .*\d+ failed/);
  });

  it('objdump: the .pyd is PE32+ x86-64 importing only python313.dll, KERNEL32.dll and api-ms-win-crt DLLs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-wincross-pyd-'));
    try {
      execFileSync('python3', ['-m', 'zipfile', '-e', join(wheelhouse(), WHEEL), dir]);
      const pyd = readdirSync(join(dir, 'quiverdb')).filter((f) => /\.(pyd|so|dll)$/.test(f));
      expect(pyd).toEqual(['_core.cp313-win_amd64.pyd']);
      const dump = execFileSync('objdump', ['-p', join(dir, 'quiverdb', pyd[0])], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      expect(dump).toMatch(/file format pei-x86-64/);
      expect(dump).toMatch(/Magic\s+020b\s+\(PE32\+\)/);
      const dlls = [...dump.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]);
      expect(dlls).toEqual(expect.arrayContaining(['python313.dll', 'KERNEL32.dll']));
      expect(dlls.filter((d) => d !== 'python313.dll' && d !== 'KERNEL32.dll' && !/^api-ms-win-crt-[\w-]+\.dll$/.test(d))).toEqual([]);
      expect(dump).toMatch(/Time\/Date\s+\w+\s+\(This is a reproducible build file hash, not a timestamp\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validate-wheels accepts it (binaries: PE32+ AMD64, DLL imports)', () => {
    const r = nx(ws, ['run', 'python:validate-wheels', '--wheelDir=bindings/python/wheelhouse', '--platforms=windows', '--exclude-task-dependencies', '--skip-nx-cache']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`ok\\s+${WHEEL.replace(/\./g, '\\.')}\\s+cp313-win_amd64`));
    expect(r.stdout).toContain('validate-wheels: PASSED: 1 wheel');
  }, 600_000);

  it('a --skip-nx-cache rebuild is byte-identical', () => {
    const again = nx(ws, ['run', 'python:build-wheels', '--platforms=windows', '--skip-nx-cache', '--test=false']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('[build cp313-win_amd64]');
    const sha = JSON.parse(readFileSync(join(wheelhouse(), 'build-report.json'), 'utf8')).wheels[0].sha256;
    expect(sha).toBe(report.wheels[0].sha256);
  }, 1_800_000);

  it('a bad platforms value fails in one line before anything is built', () => {
    const r = nx(ws, ['run', 'python:build-wheels', '--platforms=macos', '--skip-nx-cache']);
    expect(r.status).not.toBe(0);
    const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith('build-wheels: '));
    expect(lines).toEqual([expect.stringMatching(/^build-wheels: BAD_OPTION_PLATFORMS: option platforms: "macos" is not one of linux, windows, linux,windows; /)]);
    expect(r.stdout).not.toContain('[build ');
  }, 600_000);
});
