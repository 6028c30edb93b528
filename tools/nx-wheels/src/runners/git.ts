/** git: tags and shallowness (release validator), HEAD's commit time and tracked files (build-wheels). */
import { QuiverError } from '../core/errors';
import { capture } from './process';

async function git(cwd: string, args: string[]): Promise<string> {
  const r = await capture('git', args, { cwd });
  if (r.exitCode !== 0) {
    const why = (r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`).trim();
    if (/not a git repository/i.test(why)) {
      throw new QuiverError('NOT_A_GIT_REPO', `${cwd} is not inside a git repository; run validate-release in a clone of the repository.`);
    }
    throw new QuiverError('GIT_FAILED', `git ${args.join(' ')} failed in ${cwd}: ${why}.`);
  }
  return r.stdout;
}

/**
 * Names of the tags in the repository at `cwd` matching a glob (`v*`).
 * @throws QuiverError `NOT_A_GIT_REPO`, `GIT_FAILED`, `TOOL_NOT_FOUND`
 */
export async function listTags(cwd: string, glob = '*'): Promise<string[]> {
  const out = await git(cwd, ['tag', '--list', glob]);
  return out.split('\n').map((t) => t.trim()).filter(Boolean);
}

/**
 * True when the clone at `cwd` is shallow (`git clone --depth`, actions/checkout's default).
 * @throws QuiverError `NOT_A_GIT_REPO`, `GIT_FAILED`, `TOOL_NOT_FOUND`
 */
export async function isShallowRepository(cwd: string): Promise<boolean> {
  return (await git(cwd, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/**
 * Commit time of HEAD in seconds since the epoch (for `SOURCE_DATE_EPOCH`, which makes wheel
 * builds reproducible: https://reproducible-builds.org/specs/source-date-epoch/), or `null`
 * outside a git repository or without git.
 */
export async function headCommitTime(cwd: string): Promise<string | null> {
  try {
    const t = (await git(cwd, ['log', '-1', '--format=%ct'])).trim();
    return /^\d+$/.test(t) ? t : null;
  } catch (e) {
    if (e instanceof QuiverError) return null;
    throw e;
  }
}

/**
 * The files git tracks (index entries) under `paths`, relative to `cwd`, posix separators
 * (`git ls-files -z --cached --recurse-submodules -- <paths>`): the files of checked-out
 * submodules are listed too (binding projects often vendor pybind11 / nanobind / a C++ library
 * as a submodule). Files deleted from the working tree but not yet from the index are still
 * listed: the caller skips paths that no longer exist.
 * @throws QuiverError `NOT_A_GIT_REPO`, `GIT_FAILED`, `TOOL_NOT_FOUND`
 */
export async function trackedFiles(cwd: string, paths: readonly string[]): Promise<string[]> {
  const out = await git(cwd, ['ls-files', '-z', '--cached', '--recurse-submodules', '--', ...paths]);
  return out.split('\0').filter(Boolean);
}
