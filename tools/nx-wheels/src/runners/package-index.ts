/**
 * A throwaway package index for rehearse-release: the pinned pypiserver
 * (toolchain/index-requirements.txt, in its own venv `.nx-wheels/index`) on 127.0.0.1, a free port,
 * uploads behind a generated password (htpasswd), reads open (as on PyPI). Stopped by its PID in
 * every exit path: {@link ThrowawayIndex.stop}, process exit, SIGINT and SIGTERM.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { QuiverError } from '../core/errors';
import { capture, LineSink } from './process';
import { Interpreter } from './python';
import { ensureVenv, readRequirements, stateDir, Venv } from './toolchain';

const INDEX_REQUIREMENTS_FILE = resolve(__dirname, '..', '..', 'toolchain', 'index-requirements.txt');

/** A running throwaway index. */
export interface ThrowawayIndex {
  /** Upload URL (twine `--repository-url`), `http://127.0.0.1:<port>/`. */
  url: string;
  /** PEP 503 simple index, `http://127.0.0.1:<port>/simple/` (readable without credentials). */
  simpleUrl: string;
  port: number;
  pid: number;
  username: string;
  /** The generated upload password (a secret: never printed). */
  password: string;
  /** Where pypiserver keeps the uploaded files. */
  packagesDir: string;
  /** Stop the server (SIGTERM, then SIGKILL after 5 s) and remove its directory; idempotent. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => res(p));
    });
  });
}

/** Pids of the indexes this process started and has not stopped: killed when the process exits. */
const live = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const pid of live) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
    live.clear();
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig);
    });
  }
}

/**
 * Start a throwaway pypiserver. Retries with another port when the chosen one is taken meanwhile.
 * @throws QuiverError `TOOLCHAIN_INSTALL` (the index venv), `INDEX_START_FAILED`
 */
export async function startThrowawayIndex(workspaceRoot: string, python: Interpreter, sink?: LineSink): Promise<ThrowawayIndex> {
  const venv = await ensureVenv(join(stateDir(workspaceRoot), 'index'), python, readRequirements(INDEX_REQUIREMENTS_FILE), { prefix: '[index] ', sink });
  const root = mkdtempSync(join(stateDir(workspaceRoot), 'tmp-index-'));
  const packagesDir = join(root, 'packages');
  mkdirSync(packagesDir, { recursive: true });
  const password = randomBytes(24).toString('base64url');
  const username = 'rehearsal';
  const htpasswd = join(root, 'htpasswd');
  await writeHtpasswd(venv, htpasswd, username, password);
  installExitHook();
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(venv.bin('pypi-server'), ['run', '-p', String(port), '-i', '127.0.0.1', '-P', htpasswd, '-a', 'update', '--hash-algo', 'sha256', '--disable-fallback', packagesDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
    live.add(child.pid!);
    const url = `http://127.0.0.1:${port}/`;
    if (await waitUntilServing(`${url}simple/`, child)) {
      return { url, simpleUrl: `${url}simple/`, port, pid: child.pid!, username, password, packagesDir, stop: stopper(child, root) };
    }
    child.kill('SIGKILL');
    live.delete(child.pid!);
    lastError = stderr.trim().split('\n').pop() ?? `exit ${child.exitCode}`;
  }
  rmSync(root, { recursive: true, force: true });
  throw new QuiverError('INDEX_START_FAILED', `the throwaway pypiserver on 127.0.0.1 did not start (3 ports tried): ${lastError}; check that nothing blocks local ports, or delete .nx-wheels/index to reinstall it.`);
}

/**
 * Write an htpasswd file (passlib, installed with pypiserver) holding one user; the password goes
 * through stdin and is redacted from any output.
 * @throws QuiverError `INDEX_START_FAILED`
 */
async function writeHtpasswd(venv: Venv, htpasswd: string, username: string, password: string): Promise<void> {
  const script = 'import sys\nfrom passlib.apache import HtpasswdFile\nh = HtpasswdFile(sys.argv[1], new=True)\nh.set_password(sys.argv[2], sys.stdin.read())\nh.save()';
  const hp = await capture(venv.bin('python'), ['-c', script, htpasswd, username], { input: password, secrets: [password] });
  if (hp.exitCode !== 0) throw new QuiverError('INDEX_START_FAILED', `writing the throwaway index's htpasswd failed (exit ${hp.exitCode}): ${hp.stderr.trim().split('\n').pop() ?? ''}`);
}

/** Poll the simple index every 100 ms for up to 30 s; false when the server exited or never answered 200. */
async function waitUntilServing(simpleUrl: string, child: ChildProcess): Promise<boolean> {
  const end = Date.now() + 30_000;
  while (Date.now() < end && child.exitCode === null) {
    try {
      const r = await fetch(simpleUrl, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return true;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** {@link ThrowawayIndex.stop} for this server: SIGTERM, SIGKILL after 5 s, then remove its directory; idempotent. */
function stopper(child: ChildProcess, root: string): () => Promise<void> {
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((res) => {
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => (clearTimeout(t), res()));
        child.kill('SIGTERM');
      });
    }
    live.delete(child.pid!);
    rmSync(root, { recursive: true, force: true });
  };
}
