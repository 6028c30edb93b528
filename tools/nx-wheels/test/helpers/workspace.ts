/**
 * Test helpers: the real workspace root, a temporary copy of it (git-tracked and untracked,
 * non-ignored files; node_modules and the toolchain venvs linked, not copied), and running Nx
 * in it as a user would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');

/** Files of the workspace as git sees them (tracked + untracked, minus ignored). */
export function workspaceFiles(root = WORKSPACE): string[] {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter((f) => f && existsSync(join(root, f)));
}

/**
 * Copy the workspace to a new temporary directory and make it a git repository with one commit.
 * The toolchain venvs of the real workspace are linked in (they must exist: call
 * `ensureWorkspaceToolchain()` first) so no test re-installs them.
 */
export function copyWorkspace(prefix = 'quiver-ws-'): string {
  const dest = mkdtempSync(join(tmpdir(), prefix));
  for (const f of workspaceFiles()) {
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(join(WORKSPACE, f), join(dest, f));
  }
  linkNodeModules(dest);
  const state = join(WORKSPACE, '.nx-wheels');
  mkdirSync(join(dest, '.nx-wheels'), { recursive: true });
  for (const d of ['toolchain', 'build-env']) {
    if (existsSync(join(state, d))) symlinkSync(join(state, d), join(dest, '.nx-wheels', d), 'dir');
  }
  git(dest, 'init', '-q', '-b', 'main');
  git(dest, 'add', '-A');
  git(dest, 'commit', '-q', '-m', 'chore: initial');
  return dest;
}

/**
 * node_modules of the copy: each package linked to the real workspace's, except the workspace's
 * own packages (@quiver/*), which point into the copy as npm workspaces do, so Nx loads the
 * copy's plugin from the copy.
 */
function linkNodeModules(dest: string): void {
  const src = join(WORKSPACE, 'node_modules');
  mkdirSync(join(dest, 'node_modules', '@quiver'), { recursive: true });
  for (const entry of readdirSync(src)) {
    if (entry === '@quiver') continue;
    symlinkSync(join(src, entry), join(dest, 'node_modules', entry), 'dir');
  }
  for (const pkg of readdirSync(join(src, '@quiver'))) {
    symlinkSync(join('..', '..', 'tools', pkg), join(dest, 'node_modules', '@quiver', pkg), 'dir');
    // The package's own nested dependencies (e.g. execa 9 beside a hoisted execa 5).
    const nested = join(WORKSPACE, 'tools', pkg, 'node_modules');
    if (existsSync(nested)) symlinkSync(nested, join(dest, 'tools', pkg, 'node_modules'), 'dir');
  }
}

/** Run git with a fixed identity. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=quiver-test', '-c', 'user.email=test@quiver.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

/** Result of a command run in a test. */
export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Run `npx nx ...` in `cwd` with the daemon off (as CI does). */
export function nx(cwd: string, args: string[], env: Record<string, string> = {}): Ran {
  const started = Date.now();
  const r = spawnSync(join(cwd, 'node_modules', '.bin', 'nx'), args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
}

/** Edit a file in place. */
export function edit(file: string, fn: (text: string) => string): void {
  writeFileSync(file, fn(readFileSync(file, 'utf8')));
}
