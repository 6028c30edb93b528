/**
 * A new, empty Nx workspace (at this repository's nx and @nx/devkit versions) and the plugin as
 * another workspace gets it: the built package packed with `npm pack`, nothing else copied from
 * this repository. npm installs from the registry with the user's npm cache; the pinned Python
 * toolchain of this checkout is linked into the new workspace's .nx-wheels/ (as copyWorkspace does).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, WORKSPACE } from './workspace';

export const PKG = join(WORKSPACE, 'tools', 'nx-wheels');
export const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Environment for npm, nx and git children: no npm per-run variables, no Jest markers, a fixed git identity. */
export function freshEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|JEST_)/i.test(k)) out[k] = v;
  const identity = {
    GIT_AUTHOR_NAME: 'quiver-test',
    GIT_AUTHOR_EMAIL: 'test@quiver.invalid',
    GIT_COMMITTER_NAME: 'quiver-test',
    GIT_COMMITTER_EMAIL: 'test@quiver.invalid',
  };
  return { ...out, ...identity, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', CI: 'true', ...extra };
}

/** Run a command; stdout and stderr joined. */
export function run(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: freshEnv(extra), maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/** `nx <args>` in `cwd` with the workspace's own nx binary; stdout/stderr kept apart. */
export function nx(cwd: string, args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(join(cwd, 'node_modules', '.bin', 'nx'), args, {
    cwd,
    encoding: 'utf8',
    env: freshEnv(extra),
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/**
 * Build the plugin when dist/ does not match its sources, then `npm pack` it into `dest`.
 * @returns the tarball's absolute path and the packed file list
 */
export function packPlugin(dest: string): { tarball: string; files: string[] } {
  // loader.js is the package's plain CommonJS entry (no types), loaded at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { staleReason } = require(join(PKG, 'loader.js')) as { staleReason(): string | null };
  if (staleReason() !== null) {
    const b = run(process.execPath, [join(PKG, 'build.js')], WORKSPACE);
    if (b.status !== 0) throw new Error(b.out);
  }
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: PKG, encoding: 'utf8', env: freshEnv() });
  if (pack.status !== 0) throw new Error(pack.stderr);
  const info = JSON.parse(pack.stdout)[0] as { filename: string; files: { path: string }[] };
  return { tarball: join(dest, info.filename), files: info.files.map((f) => f.path) };
}

/**
 * An empty Nx workspace in `ws` (package.json with nx and @nx/devkit, nx.json, .gitignore), npm
 * installed, the toolchain linked, one commit on `main`. Throws with npm's output when it fails.
 */
export function emptyNxWorkspace(ws: string): void {
  const nxVersion = readJson(join(WORKSPACE, 'node_modules', 'nx', 'package.json')).version as string;
  const devkitVersion = readJson(join(WORKSPACE, 'node_modules', '@nx', 'devkit', 'package.json')).version as string;
  const pkg = { name: 'fresh', version: '0.0.0', private: true, devDependencies: { nx: nxVersion, '@nx/devkit': devkitVersion } };
  write(ws, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  write(ws, 'nx.json', `${JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json', analytics: false }, null, 2)}\n`);
  write(ws, '.gitignore', 'node_modules/\n.nx/\n');
  const install = run('npm', ['install', '--no-audit', '--no-fund'], ws);
  if (install.status !== 0) throw new Error(install.out);
  mkdirSync(join(ws, '.nx-wheels'), { recursive: true });
  for (const d of ['toolchain', 'build-env']) {
    const from = join(WORKSPACE, '.nx-wheels', d);
    if (existsSync(from)) symlinkSync(from, join(ws, '.nx-wheels', d), 'dir');
  }
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'chore: empty nx workspace');
}
