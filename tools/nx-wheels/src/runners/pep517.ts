/**
 * The version of a Python project read through PEP 517 (https://peps.python.org/pep-0517/): pypa/build's
 * `ProjectBuilder` in an isolated environment (the project's `[build-system].requires` installed by
 * pip, as any wheel build does), then the back-end's `prepare_metadata_for_build_wheel` hook (or, for a
 * back-end without it, a wheel build whose METADATA is read), in the given interpreter (the toolchain's,
 * which has the pinned `build`). Also the git facts a versioning back-end computes from.
 */
import { QuiverError } from '../core/errors';
import { capture } from './process';

/** Metadata read through PEP 517. */
export interface Pep517Metadata {
  /** Core metadata `Name`. */
  name: string;
  /** Core metadata `Version`, as the back-end wrote it. */
  version: string;
}

const MARK = 'NX_WHEELS_PEP517_METADATA ';

/** The script run in the interpreter: `build.util.project_wheel_metadata` (ProjectBuilder + DefaultIsolatedEnv, quiet runner). */
const SCRIPT = `
import json, sys
import build.util
m = build.util.project_wheel_metadata(sys.argv[1], isolated=True)
print(${JSON.stringify(MARK)} + json.dumps({"name": m["Name"], "version": m["Version"]}))
`;

/**
 * Read `Name` and `Version` of the project in `projectDir` through PEP 517.
 * @param python interpreter with pypa/build installed (the toolchain venv's python)
 * @param env extra environment for the back-end (pretend variables...)
 * @param shown the project's pyproject path as messages show it
 * @throws QuiverError `PEP517_METADATA_FAILED` naming the file, the back-end's last error line and the fix
 */
export async function readPep517Metadata(python: string, projectDir: string, shown: string, env: Record<string, string | undefined> = {}): Promise<Pep517Metadata> {
  const r = await capture(python, ['-c', SCRIPT, projectDir], { cwd: projectDir, env: { PIP_DISABLE_PIP_VERSION_CHECK: '1', ...env }, timeoutMs: 15 * 60_000 });
  const line = r.stdout.split('\n').reverse().find((l) => l.startsWith(MARK));
  if (r.exitCode !== 0 || !line) {
    const last = (r.stderr.trim().split('\n').filter((l) => l.trim()).pop() ?? `exit code ${r.exitCode}`).trim();
    throw new QuiverError('PEP517_METADATA_FAILED', `${shown}: [project].version is dynamic and its build back-end could not compute it (prepare_metadata_for_build_wheel: ${last}); fix the back-end configuration (for a VCS version: a git checkout with its tags, fetch-depth: 0) or set a static version = "X.Y.Z".`);
  }
  return JSON.parse(line.slice(MARK.length)) as Pep517Metadata;
}

async function gitOut(cwd: string, args: string[]): Promise<string> {
  const r = await capture('git', args, { cwd });
  return r.exitCode === 0 ? r.stdout.trim() : '';
}

/** What a VCS versioning back-end reads from git, for a cache key: HEAD, `git describe`, and the project's uncommitted changes. Empty strings outside git. */
export async function gitVersionFacts(projectDir: string): Promise<{ head: string; describe: string; status: string }> {
  const [head, describe, status] = await Promise.all([
    gitOut(projectDir, ['rev-parse', 'HEAD']),
    gitOut(projectDir, ['describe', '--tags', '--long', '--dirty', '--always']),
    gitOut(projectDir, ['status', '--porcelain', '--untracked-files=all', '--', '.']),
  ]);
  return { head, describe, status };
}

/** Where the project sits in its repository (`git rev-parse --show-prefix`, empty at the root or outside git) and the tags at HEAD. */
export async function gitTagsAtHead(projectDir: string): Promise<{ subdir: string; tags: string[] }> {
  const [subdir, tags] = await Promise.all([gitOut(projectDir, ['rev-parse', '--show-prefix']), gitOut(projectDir, ['tag', '--points-at', 'HEAD'])]);
  return { subdir, tags: tags.split('\n').filter(Boolean) };
}
