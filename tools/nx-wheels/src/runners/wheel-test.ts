/**
 * Testing a wheel as cibuildwheel does: a fresh venv of the identifier's interpreter, the wheel
 * (plus `test-extras`) and `test-requires` installed, then `test-command` run by the shell from
 * an empty temporary directory (so the source tree cannot shadow the installed package).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { QuiverError } from '../core/errors';
import { venvBin } from './python';
import { LineSink, consoleSink, stream } from './process';

/** What to test. */
export interface WheelTest {
  identifier: string;
  /** Absolute wheel path. */
  wheel: string;
  /** Interpreter that makes the venv (same major.minor as the identifier). */
  python: string;
  testCommand: string;
  testRequires: string[];
  testExtras: string[];
  env?: Record<string, string | undefined>;
}

/**
 * Run one wheel's tests; the venv is removed afterwards.
 * @returns seconds taken
 * @throws QuiverError `TEST_INSTALL_FAILED` or `TESTS_FAILED`
 */
export async function testWheel(t: WheelTest, sink: LineSink = consoleSink): Promise<number> {
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), `quiver-test-${t.identifier}-`));
  const venv = join(root, 'venv');
  const cwd = join(root, 'cwd');
  const prefix = `[test ${t.identifier}] `;
  try {
    const mk = await stream(t.python, ['-m', 'venv', venv], prefix, {}, sink);
    if (mk.exitCode !== 0) throw new QuiverError('TEST_INSTALL_FAILED', `creating a test venv with ${t.python} failed (exit ${mk.exitCode}).`);
    const py = venvBin(venv, 'python');
    const wheelReq = t.testExtras.length ? `${t.wheel}[${t.testExtras.join(',')}]` : t.wheel;
    const pip = await stream(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', wheelReq, ...t.testRequires], prefix, { env: t.env }, sink);
    if (pip.exitCode !== 0) {
      throw new QuiverError('TEST_INSTALL_FAILED', `installing ${t.wheel} and test-requires into a fresh venv failed (pip exited ${pip.exitCode}); see the ${prefix.trim()} lines above.`);
    }
    mkdirSync(cwd);
    const shell = process.platform === 'win32' ? ['cmd.exe', ['/d', '/s', '/c', t.testCommand]] : ['/bin/sh', ['-c', t.testCommand]];
    const env = {
      ...t.env,
      VIRTUAL_ENV: venv,
      PATH: `${dirname(py)}${delimiter}${process.env['PATH'] ?? ''}`,
      PYTHONNOUSERSITE: '1',
    };
    const r = await stream(shell[0] as string, shell[1] as string[], prefix, { cwd, env }, sink);
    if (r.exitCode !== 0) {
      throw new QuiverError('TESTS_FAILED', `test-command failed for ${t.identifier} (exit ${r.exitCode}): ${t.testCommand}; see the ${prefix.trim()} lines above.`);
    }
    return (Date.now() - started) / 1000;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
