/**
 * The host interpreter without a process when nothing about it changed.
 *
 * Finding the host interpreter means running `python3 -c ...`; on pyenv hosts `python3` is a bash
 * shim that itself runs `pyenv`, about 0.3-0.4 s on our machines, paid by every validate-wheels,
 * publish and build-wheels run. The answer is kept in `.nx-wheels/cache/host-python.json`, keyed by
 * exactly the host facts the inferred targets' cache key already uses (toolchain/host-fingerprint.js,
 * called here in this process instead of in `node`): the first `python3` / `python` on PATH
 * resolved through symlinks with its size and mtime, the pyenv version a shim would pick
 * (PYENV_VERSION, `.python-version`, `$PYENV_ROOT/version`), platform, architecture and CIBW_*.
 * A hit is used only when the recorded interpreter's executable still has the same size and mtime.
 * Not kept (always probed): an explicit `python` option, a host where the facts name no python on
 * PATH (Windows' `python.exe`, the `py` launcher), and pyenv's `system` or multi-version selections,
 * whose answer depends on more than those facts.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_FINGERPRINT_SCRIPT } from '../plugin/inputs';
import { hostInterpreter, Interpreter } from '../runners/python';
import { stateDir } from '../runners/toolchain';
import { writeFileAtomic } from './files';

/** The output {@link HOST_FINGERPRINT_SCRIPT} prints, computed in this process (lines joined by `\n`). */
export function hostFingerprint(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { hostFacts } = require(HOST_FINGERPRINT_SCRIPT) as { hostFacts: (env?: NodeJS.ProcessEnv) => string[] };
  return hostFacts(process.env).join('\n');
}

/** Whether the facts pin the interpreter down: a python on PATH, and no pyenv `system` / `a:b` selection. */
function memoizable(facts: string): boolean {
  const lines = facts.split('\n');
  if (!lines.some((l) => /^python3? /.test(l))) return false;
  const pyenv = lines.find((l) => l.startsWith('pyenv '));
  return !pyenv || !/^pyenv (system|.*:.*|)$/.test(pyenv);
}

interface Entry {
  key: string;
  interpreter: Interpreter;
  size: number;
  mtimeMs: number;
}

/** The cache file (one entry: the last host seen). */
function hostPythonCacheFile(workspaceRoot: string): string {
  return join(stateDir(workspaceRoot), 'cache', 'host-python.json');
}

/**
 * {@link hostInterpreter}, answered from the cache when the host facts and the interpreter's
 * executable are unchanged (see the module comment).
 * @param explicit the `python` option; given, it is always probed.
 * @throws QuiverError `NO_PYTHON` as {@link hostInterpreter}.
 */
export async function cachedHostInterpreter(workspaceRoot: string, explicit?: string): Promise<Interpreter> {
  if (explicit) return hostInterpreter(explicit);
  const facts = hostFingerprint();
  if (!memoizable(facts)) return hostInterpreter();
  const key = createHash('sha256').update(facts).digest('hex');
  const file = hostPythonCacheFile(workspaceRoot);
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as Entry;
    const s = statSync(e.interpreter.executable);
    if (e.key === key && s.size === e.size && s.mtimeMs === e.mtimeMs) return e.interpreter;
  } catch {
    // no entry, unreadable, or the executable is gone: probe
  }
  const interpreter = await hostInterpreter();
  try {
    const s = statSync(interpreter.executable);
    writeFileAtomic(file, JSON.stringify({ key, interpreter, size: s.size, mtimeMs: s.mtimeMs } satisfies Entry) + '\n');
  } catch {
    // a read-only state dir only costs the next run a probe
  }
  return interpreter;
}
