/**
 * Finding Python interpreters and managing virtual environments (venv, PEP 405).
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { QuiverError } from '../core/errors';
import { capture } from './process';

/** A usable interpreter. */
export interface Interpreter {
  /** Absolute path of the executable (`sys.executable`). */
  executable: string;
  /** `major.minor`, e.g. `3.13`. */
  version: string;
  /** Full version, e.g. `3.13.0`. */
  fullVersion: string;
  /** `sys.implementation.name`, e.g. `cpython`. */
  implementation: string;
}

const PROBE = 'import sys,platform;print(sys.executable);print(platform.python_version());print(sys.implementation.name)';

/** Ask `command` what it is; `null` when it does not run. */
async function probeInterpreter(command: string, args: string[] = []): Promise<Interpreter | null> {
  try {
    const r = await capture(command, [...args, '-c', PROBE], { timeoutMs: 30_000 });
    if (r.exitCode !== 0) return null;
    const [executable, fullVersion, implementation] = r.stdout.trim().split(/\r?\n/);
    if (!executable || !fullVersion) return null;
    return { executable, fullVersion, version: fullVersion.split('.').slice(0, 2).join('.'), implementation };
  } catch (e) {
    if (e instanceof QuiverError) return null; // not installed / cannot start
    throw e;
  }
}

/**
 * The interpreter that runs the toolchain (cibuildwheel, auditwheel, twine).
 * @param explicit the `python` option, if given (a command or path)
 * @throws QuiverError `NO_PYTHON` naming the option and the fix.
 */
export async function hostInterpreter(explicit?: string): Promise<Interpreter> {
  const candidates = explicit ? [explicit] : process.platform === 'win32' ? ['python', 'py'] : ['python3', 'python'];
  for (const c of candidates) {
    const i = await probeInterpreter(c);
    if (i && i.implementation === 'cpython' && Number(i.version.split('.')[1]) >= 11) return i;
  }
  throw new QuiverError(
    'NO_PYTHON',
    explicit
      ? `option python: "${explicit}" is not a usable CPython >= 3.11; pass --python=/path/to/python3.11+ (it runs cibuildwheel and the toolchain).`
      : `no usable python: neither python3 nor python on PATH is CPython >= 3.11; install one or pass --python=/path/to/python3.`,
  );
}

/**
 * Find a CPython `major.minor` interpreter for building a wheel of that version.
 * Looks at, in order: `preferred` (when it has that version), `pythonX.Y` on PATH,
 * pyenv's versions (`$PYENV_ROOT` or `~/.pyenv`), and `py -X.Y` on Windows.
 * @returns the interpreter, or `null` when none is found.
 */
export async function findCPython(version: string, preferred?: Interpreter): Promise<Interpreter | null> {
  if (preferred && preferred.version === version && preferred.implementation === 'cpython') return preferred;
  const tries: Array<[string, string[]]> = [[`python${version}`, []]];
  const pyenvRoot = process.env['PYENV_ROOT'] || join(homedir(), '.pyenv');
  const versionsDir = join(pyenvRoot, 'versions');
  if (existsSync(versionsDir)) {
    const matches = readdirSync(versionsDir)
      .filter((d) => d === version || d.startsWith(version + '.'))
      .filter((d) => /^\d+\.\d+(\.\d+)?$/.test(d))
      .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
    for (const d of matches) tries.push([join(versionsDir, d, 'bin', `python${version}`), []]);
  }
  if (process.platform === 'win32') tries.push(['py', [`-${version}`]]);
  for (const [cmd, args] of tries) {
    if (cmd.includes('/') && !existsSync(cmd)) continue;
    const i = await probeInterpreter(cmd, args);
    if (i && i.version === version && i.implementation === 'cpython') return i;
  }
  return null;
}

/** Path of an executable inside a venv (`bin/` on POSIX, `Scripts/` on Windows). */
export function venvBin(venvDir: string, name: string): string {
  return process.platform === 'win32' ? join(venvDir, 'Scripts', `${name}.exe`) : join(venvDir, 'bin', name);
}
