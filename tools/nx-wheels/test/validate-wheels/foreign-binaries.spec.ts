/**
 * `[tool.nx-wheels] foreign-binaries` on a real case: debugpy 1.8.17's win_amd64 wheel from PyPI
 * (pip download at test time, cached under .nx-wheels/test-downloads/) ships 32-bit attach helpers
 * (`attach_x86.dll`, `inject_dll_x86.exe`, PE32 i386) on purpose beside its PE32+ AMD64 modules,
 * and its manylinux wheel ships only ELF x86-64. Without a declaration the i386 helpers are
 * BINARY_ARCH_MISMATCH; declared, they are skipped; a glob that matches nothing is a warning.
 * External checks are off and the identifiers are given: no process runs but pip, once.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuiverError } from '../../src/core/errors';
import { readPyProjectText } from '../../src/core/pyproject';
import { reportCodes } from '../../src/core/validation/report';
import { validateWheels } from '../../src/pipeline/validate-wheels';
import { WORKSPACE } from './fixtures';

const VERSION = '1.8.17';
const PLATFORMS = ['manylinux_2_34_x86_64', 'win_amd64'];

/** debugpy's manylinux x86_64 and win_amd64 wheels for CPython 3.13 (downloaded once, cached). */
function debugpyWheels(): string[] {
  const dir = join(WORKSPACE, '.nx-wheels', 'test-downloads', `debugpy-${VERSION}-cp313`);
  const have = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.whl')).sort() : []);
  if (have().length !== PLATFORMS.length) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    for (const p of PLATFORMS) {
      execFileSync('python3', ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--only-binary=:all:', '--no-deps', '--platform', p, '--python-version', '3.13', '--implementation', 'cp', '--abi', 'cp313', '-d', tmp, `debugpy==${VERSION}`], { stdio: 'pipe' });
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return have().map((f) => join(dir, f));
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
let WHEELS: string[];
beforeAll(() => {
  WHEELS = debugpyWheels();
}, 5 * 60_000);

/** Validate the real pair as the debugpy project's release, with `extra` appended to its pyproject.toml. */
async function run(extra: string) {
  const ws = mkdtempSync(join(tmpdir(), 'quiver-foreign-'));
  dirs.push(ws);
  const wheelDir = join(ws, 'pkg', 'wheelhouse');
  mkdirSync(wheelDir, { recursive: true });
  writeFileSync(join(ws, 'pkg', 'pyproject.toml'), `[project]\nname = "debugpy"\nversion = "${VERSION}"\n\n[tool.cibuildwheel]\nbuild = "cp313-*"\n${extra}`);
  for (const w of WHEELS) copyFileSync(w, join(wheelDir, w.split('/').pop()!));
  const report = await validateWheels(
    { workspaceRoot: ws, projectRoot: 'pkg', projectName: 'pkg', externalChecks: false },
    { out: () => undefined, err: () => undefined },
    { env: {}, identifiers: ['cp313-manylinux_x86_64', 'cp313-win_amd64'] },
  );
  return { report, codes: reportCodes(report) };
}

describe('[tool.nx-wheels] foreign-binaries (real debugpy 1.8.17 wheels)', () => {
  it('undeclared, the 32-bit attach helpers in the win_amd64 wheel are BINARY_ARCH_MISMATCH and the release fails', async () => {
    const { report, codes } = await run('');
    expect(report.ok).toBe(false);
    expect(codes).toEqual(['BINARY_ARCH_MISMATCH']);
    expect([...new Set(report.findings.map((f) => f.subject))].sort()).toEqual([
      'debugpy/_vendored/pydevd/pydevd_attach_to_process/attach_x86.dll',
      'debugpy/_vendored/pydevd/pydevd_attach_to_process/inject_dll_x86.exe',
      'debugpy/_vendored/pydevd/pydevd_attach_to_process/run_code_on_dllmain_x86.dll',
    ]);
    expect(report.findings.every((f) => f.file!.endsWith('win_amd64.whl'))).toBe(true);
  });

  it('declared, they are skipped (named in the table) and the release passes', async () => {
    const { report, codes } = await run('\n[tool.nx-wheels]\nforeign-binaries = ["debugpy/_vendored/pydevd/pydevd_attach_to_process/*_x86.*"]\n');
    expect(codes).toEqual([]);
    expect(report.ok).toBe(true);
    const win = report.wheels.find((w) => w.file.endsWith('win_amd64.whl'))!;
    expect(win.checks.find((c) => c.check === 'binaries')).toEqual({ check: 'binaries', status: 'ok', detail: '5 binaries, all PE32+ AMD64; 3 foreign by [tool.nx-wheels] foreign-binaries, not judged' });
  });

  it('a glob that matches no binary in any wheel is FOREIGN_BINARIES_UNUSED, a warning naming the glob; the other glob still applies', async () => {
    const { report, codes } = await run('\n[tool.nx-wheels]\nforeign-binaries = ["debugpy/_vendored/**/*_x86.*", "debugpy/attach/*.dylib"]\n');
    expect(codes).toEqual(['FOREIGN_BINARIES_UNUSED']);
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'FOREIGN_BINARIES_UNUSED', severity: 'warning', subject: 'debugpy/attach/*.dylib', file: null })]);
  });

  it('a foreign-binaries value that is not a list of globs is one PYPROJECT_BAD_FIELD line with the fix', () => {
    for (const bad of ['"*.dll"', '[1]', '[""]']) {
      let err: unknown;
      try {
        readPyProjectText(`[project]\nname = "x"\nversion = "1"\n[tool.cibuildwheel]\n[tool.nx-wheels]\nforeign-binaries = ${bad}\n`, 'pkg/pyproject.toml');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(QuiverError);
      expect((err as QuiverError).message).toBe('pkg/pyproject.toml: [tool.nx-wheels].foreign-binaries must be a list of globs of paths inside the wheel, e.g. foreign-binaries = ["debugpy/_vendored/**/*.dll"].');
    }
  });
});
