/**
 * A failed `nx release` leaves the working tree and the index as they were before it started.
 *
 * Nx writes pyproject.toml and stages it in the version step, writes and stages CHANGELOG.md in the
 * changelog step, then commits and tags. A failure after the first write (a changelog file Nx cannot
 * write, a pre-commit hook that refuses, any error in between) used to leave the new version on disk
 * and staged. {@link armReleaseRollback}, called by the VersionActions before anything is written,
 * records HEAD, `git status` and, for every path already changed at that point, its bytes and index
 * entry; when the process exits with a non-zero code and HEAD has not moved, every path whose state
 * differs from that record is put back ({@link planRollback}) and one line names them. When HEAD
 * moved (the release commit was made, a later step failed) nothing is touched and the line says so:
 * the commit holds the edits and `git reset --soft HEAD~1` undoes it.
 */
import { gitHead, gitIndexEntry, gitStatus, gitTopLevel, checkoutFromHead, inHead, readWorktreeFile, setIndexEntry, worktreeFileSize, writeWorktreeFile } from '../runners/git-sync';

/** Paths already changed when the release started are saved up to this size each (larger ones are never touched). */
const MAX_SAVED_BYTES = 16 * 1024 * 1024;
/** At most this many already-changed paths are saved (the rest are never touched). */
const MAX_SAVED_PATHS = 5000;

/** State of one path that was already changed (dirty, staged or untracked) when the release started. */
interface SavedPath {
  /** Two-letter `git status --porcelain` code at the start. */
  status: string;
  /** The file's bytes at the start, `null` when it did not exist. */
  bytes: Buffer | null;
  /** Its index entry at the start (`git ls-files -s`), `''` when not in the index. */
  index: string;
}

/** What the release started from. */
export interface ReleaseStart {
  root: string;
  head: string | null;
  /** Paths changed at the start; paths over the size or count limit are absent from `saved`. */
  status: Map<string, string>;
  saved: Map<string, SavedPath>;
}

/** One restoring step. */
type RollbackAction =
  | { kind: 'restore-saved'; path: string; saved: SavedPath }
  | { kind: 'checkout-head'; path: string }
  | { kind: 'remove-new'; path: string };

/**
 * The steps that bring a path set back to `start`. Pure.
 * @param now `git status` now
 * @param current the bytes and index entry now of a path saved at the start
 * @param tracked is a path in HEAD's tree
 */
function planRollback(
  start: Pick<ReleaseStart, 'status' | 'saved'>,
  now: Map<string, string>,
  current: (path: string) => { bytes: Buffer | null; index: string },
  tracked: (path: string) => boolean,
): RollbackAction[] {
  const actions: RollbackAction[] = [];
  const paths = [...new Set([...start.status.keys(), ...now.keys()])].sort();
  for (const path of paths) {
    const saved = start.saved.get(path);
    if (start.status.has(path)) {
      if (!saved) continue; // too large or too many to save: never touched
      const cur = current(path);
      const same = cur.index === saved.index && (cur.bytes === null ? saved.bytes === null : saved.bytes !== null && cur.bytes.equals(saved.bytes));
      if (!same) actions.push({ kind: 'restore-saved', path, saved });
    } else {
      // Clean at the start (or absent): HEAD's copy, or nothing for a path HEAD does not have.
      actions.push(tracked(path) ? { kind: 'checkout-head', path } : { kind: 'remove-new', path });
    }
  }
  return actions;
}

/** Record the state a release starts from (see the module comment); `null` outside a git repository. */
export function recordReleaseStart(cwd: string): ReleaseStart | null {
  const root = gitTopLevel(cwd);
  if (!root) return null;
  const status = gitStatus(root);
  const saved = new Map<string, SavedPath>();
  for (const [path, code] of status) {
    if (saved.size >= MAX_SAVED_PATHS) break;
    const size = worktreeFileSize(root, path);
    if (size !== null && size > MAX_SAVED_BYTES) continue;
    saved.set(path, { status: code, bytes: readWorktreeFile(root, path), index: gitIndexEntry(root, path) });
  }
  return { root, head: gitHead(root), status, saved };
}

/**
 * Put the tree back to `start` when HEAD has not moved; returns the line to print, or `null` when
 * nothing differed.
 */
export function rollBack(start: ReleaseStart): string | null {
  const { root } = start;
  const head = gitHead(root);
  const now = gitStatus(root);
  if (head !== start.head) {
    return `nx-wheels: nx release failed after making commit ${head?.slice(0, 12)} (HEAD was ${start.head?.slice(0, 12) ?? 'unborn'}); the files it wrote are in that commit: nothing was restored (git reset --soft HEAD~1 undoes the commit, git tag -d the tag if one was made).`;
  }
  const actions = planRollback(start, now, (p) => ({ bytes: readWorktreeFile(root, p), index: gitIndexEntry(root, p) }), (p) => inHead(root, p));
  if (!actions.length) return null;
  const failed: string[] = [];
  for (const a of actions) {
    try {
      if (a.kind === 'restore-saved') {
        writeWorktreeFile(root, a.path, a.saved.bytes);
        setIndexEntry(root, a.path, a.saved.index);
      } else if (a.kind === 'checkout-head') {
        checkoutFromHead(root, a.path);
      } else {
        setIndexEntry(root, a.path, '');
        writeWorktreeFile(root, a.path, null);
      }
    } catch {
      failed.push(a.path);
    }
  }
  const done = actions.map((a) => a.path).filter((p) => !failed.includes(p));
  const restored = done.length ? `restored ${done.join(', ')} to the state before the release started` : '';
  const left = failed.length ? `${restored ? '; ' : ''}could not restore ${failed.join(', ')} (git status shows them)` : '';
  return `nx-wheels: nx release failed; ${restored}${left}.`;
}

/** Armed once per process (on `globalThis`: this module can have two instances, see release-state.ts). */
const arming = ((globalThis as unknown as Record<symbol, { armed: boolean }>)[Symbol.for('@quiver/nx-wheels/release-rollback')] ??= { armed: false });

/**
 * Record the start state of the running `nx release` (once per process) and restore it if the
 * process exits with a non-zero code. Outside a git repository it does nothing.
 */
export function armReleaseRollback(cwd: string = process.cwd()): void {
  if (arming.armed) return;
  arming.armed = true;
  let start: ReleaseStart | null;
  try {
    start = recordReleaseStart(cwd);
  } catch {
    start = null;
  }
  if (!start) return;
  const s = start;
  process.on('exit', (code) => {
    if (!code) return;
    try {
      const line = rollBack(s);
      if (line) process.stderr.write(`${line}\n`);
    } catch (e) {
      process.stderr.write(`nx-wheels: nx release failed and the working tree could not be checked against its start (${(e as Error).message.split('\n')[0]}); see git status.\n`);
    }
  });
}
