/**
 * The pinned Python toolchain (toolchain/requirements.txt) installed into a venv inside the
 * workspace, re-installed only when the requirements file's sha256 or the interpreter changes.
 * A lock directory serializes concurrent Nx tasks that need it at the same time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QuiverError } from '../core/errors';
import { Interpreter, venvBin } from './python';
import { LineSink, consoleSink, stream } from './process';

/** The requirements file shipped with the plugin. */
const REQUIREMENTS_FILE = resolve(__dirname, '..', '..', 'toolchain', 'requirements.txt');

/** Where a workspace keeps its toolchain venv and per-interpreter build envs. */
export function stateDir(workspaceRoot: string): string {
  return join(workspaceRoot, '.nx-wheels');
}

/** An installed venv. */
export interface Venv {
  dir: string;
  /** Absolute path of a console script or `python` inside the venv. */
  bin(name: string): string;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The `==` pin of `pkg` in the requirements file (e.g. `build==1.6.1`). */
function pinnedRequirement(pkg: string, file = REQUIREMENTS_FILE): string {
  const line = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .find((l) => l.toLowerCase().startsWith(pkg.toLowerCase() + '=='));
  if (!line) throw new QuiverError('TOOLCHAIN_PIN', `${file}: no pin for ${pkg}; add ${pkg}==<version>.`);
  return line;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Run `fn` while holding `lockDir` (created atomically); stale locks of dead pids are taken over. */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 20 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if ((Number.isFinite(holder) && !pidAlive(holder)) || (!Number.isFinite(holder) && age > 30_000)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new QuiverError('LOCK_TIMEOUT', `${lockDir}: held by pid ${holder} for too long; delete it if no build is running.`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Ensure a venv at `dir` built by `python` with `requirements` installed; a stamp of
 * sha256(requirements + interpreter) makes a second call a no-op. On failure the venv is removed,
 * so a half-installed toolchain is never taken for a good one.
 * @param requirements pip requirement lines
 * @throws QuiverError `TOOLCHAIN_INSTALL` when venv creation or pip fails.
 */
export async function ensureVenv(
  dir: string,
  python: Interpreter,
  requirements: string[],
  opts: { prefix?: string; sink?: LineSink } = {},
): Promise<Venv & { installed: boolean }> {
  const stampFile = join(dir, '.quiver-stamp');
  const stamp = sha256(JSON.stringify({ requirements, python: python.executable, version: python.fullVersion }));
  const venv = { dir, bin: (n: string) => venvBin(dir, n) };
  const fresh = () => existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(venv.bin('python'));
  if (fresh()) return { ...venv, installed: false };
  mkdirSync(resolve(dir, '..'), { recursive: true });
  return withLock(dir + '.lock', async () => {
    if (fresh()) return { ...venv, installed: false };
    const prefix = opts.prefix ?? '[toolchain] ';
    const sink = opts.sink ?? consoleSink;
    rmSync(dir, { recursive: true, force: true });
    const steps: Array<[string, string[]]> = [
      [python.executable, ['-m', 'venv', dir]],
      [venv.bin('python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', ...requirements]],
    ];
    for (const [cmd, args] of steps) {
      const r = await stream(cmd, args, prefix, {}, sink);
      if (r.exitCode !== 0) {
        rmSync(dir, { recursive: true, force: true });
        throw new QuiverError('TOOLCHAIN_INSTALL', `installing the Python toolchain into ${dir} failed (${cmd} exited ${r.exitCode}); see the [toolchain] lines above.`);
      }
    }
    writeFileSync(stampFile, stamp);
    return { ...venv, installed: true };
  });
}

/** Requirement lines of a requirements file (comments and blanks dropped). */
export function readRequirements(file = REQUIREMENTS_FILE): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+#.*$/, '').replace(/^#.*/, '').trim())
    .filter(Boolean);
}

/**
 * The workspace toolchain venv (`.nx-wheels/toolchain`): cibuildwheel, build, auditwheel,
 * pytest, twine, pinned by {@link REQUIREMENTS_FILE}.
 */
export function ensureToolchain(workspaceRoot: string, python: Interpreter, sink?: LineSink) {
  return ensureVenv(join(stateDir(workspaceRoot), 'toolchain'), python, readRequirements(), { sink });
}

/** A venv of a target interpreter holding pypa/build (pinned), for the native engine. */
export function ensureBuildEnv(workspaceRoot: string, python: Interpreter, sink?: LineSink) {
  const tag = `cp${python.version.replace('.', '')}`;
  return ensureVenv(join(stateDir(workspaceRoot), 'build-env', tag), python, [pinnedRequirement('build')], {
    prefix: `[build-env ${tag}] `,
    sink,
  });
}
