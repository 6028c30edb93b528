/**
 * Synchronous git for the release rollback (src/release/release-rollback.ts), which runs in a
 * process `exit` handler where no asynchronous work can run, and for the ci generator's default
 * branch lookup (Nx runs that generator synchronously); every other spawn goes through
 * process.ts. Reads and restores the state `git status` reports: HEAD, status entries, index
 * entries, file bytes. No policy here: what to restore, or which branch wins, is decided by the caller.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** The repository's top-level directory, or `null` outside a git repository (or without git). */
export function gitTopLevel(cwd: string): string | null {
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']).trim() || null;
  } catch {
    return null;
  }
}

/**
 * What git knows of a repository's default branch, each `null` when git has no answer (no
 * repository at `cwd`, no such ref or setting, no git, or `cwd` does not exist):
 * `originHead` is the branch `refs/remotes/origin/HEAD` points at (`git symbolic-ref`; a clone sets
 * it, `git remote set-head origin --auto` refreshes it), `initDefaultBranch` is
 * `git config init.defaultBranch` (the repository's, else the user's or system's setting).
 */
export function gitDefaultBranchHints(cwd: string): { originHead: string | null; initDefaultBranch: string | null } {
  const ask = (args: string[]) => {
    try {
      return git(cwd, args).trim() || null;
    } catch {
      return null;
    }
  };
  const ref = ask(['symbolic-ref', '-q', 'refs/remotes/origin/HEAD']);
  return {
    originHead: ref?.startsWith('refs/remotes/origin/') ? ref.slice('refs/remotes/origin/'.length) : null,
    initDefaultBranch: ask(['config', '--get', 'init.defaultBranch']),
  };
}

/** HEAD's commit id, or `null` before the first commit. */
export function gitHead(root: string): string | null {
  try {
    return git(root, ['rev-parse', '-q', '--verify', 'HEAD']).trim() || null;
  } catch {
    return null;
  }
}

/**
 * `git status --porcelain=v1 -uall` as a map path -> two-letter status (`" M"`, `"A "`, `"??"`);
 * a rename or copy is listed under both of its paths. Paths are relative to `root`, with `/`.
 */
export function gitStatus(root: string): Map<string, string> {
  const out = git(root, ['status', '--porcelain=v1', '-z', '-uall']).split('\0');
  const map = new Map<string, string>();
  for (let i = 0; i < out.length; i++) {
    const e = out[i];
    if (e.length < 4) continue;
    const xy = e.slice(0, 2);
    map.set(e.slice(3), xy);
    if (xy[0] === 'R' || xy[0] === 'C') map.set(out[++i], xy);
  }
  return map;
}

/** The index entry of `path` as `git ls-files -s` writes it (`<mode> <sha> <stage>\t<path>`), or `''` when not in the index. */
export function gitIndexEntry(root: string, path: string): string {
  return git(root, ['ls-files', '-s', '-z', '--', path]).split('\0')[0] ?? '';
}

/** The file's bytes, or `null` when it does not exist (a symlink is read as its target text). */
export function readWorktreeFile(root: string, path: string): Buffer | null {
  const p = join(root, path);
  if (!existsSync(p)) return null;
  return lstatSync(p).isFile() ? readFileSync(p) : null;
}

/** Size in bytes of a regular file, or `null`. */
export function worktreeFileSize(root: string, path: string): number | null {
  const p = join(root, path);
  try {
    const st = lstatSync(p);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** Write `bytes` to `path` (creating directories), or delete it when `bytes` is `null`. */
export function writeWorktreeFile(root: string, path: string, bytes: Buffer | null): void {
  const p = join(root, path);
  if (bytes === null) {
    rmSync(p, { force: true });
    return;
  }
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, bytes);
}

/** Put `entry` (from {@link gitIndexEntry}) back into the index for `path`, or remove `path` from the index when `entry` is `''`. */
export function setIndexEntry(root: string, path: string, entry: string): void {
  if (entry) git(root, ['update-index', '-z', '--index-info'], `${entry}\0`);
  else git(root, ['update-index', '--force-remove', '--', path]);
}

/** Is `path` in HEAD's tree? */
export function inHead(root: string, path: string): boolean {
  try {
    git(root, ['cat-file', '-e', `HEAD:${path}`]);
    return true;
  } catch {
    return false;
  }
}

/** Index and working-tree copy of `path` as in HEAD (`git checkout HEAD -- path`). */
export function checkoutFromHead(root: string, path: string): void {
  git(root, ['checkout', '-q', 'HEAD', '--', path]);
}
