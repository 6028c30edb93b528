/**
 * Staging policy for build-wheels: which files a wheel build sees, and where. Both engines build
 * from a clean copy of the git-tracked files (as they are in the working tree) of the project and
 * of the projects its sources depend on, at the same workspace-relative paths, so that
 * `../../libs/quiver` still resolves; node_modules, venvs, build state, wheel directories and
 * untracked files never reach a build or the manylinux container. Pure: file lists in, decisions out.
 */
import { createHash } from 'node:crypto';
import { join, posix } from 'node:path';

/** Directory names whose contents are never staged, even when tracked. */
const NEVER_STAGED_DIRS = ['.git', 'node_modules', '.nx', '.nx-wheels', '.venv', 'wheelhouse', '__pycache__', '.pytest_cache'] as const;

/**
 * The staging directory of one project and output directory: `<stateDir>/staging/<project>-<8 hex>`,
 * where the hex is the sha256 of the output directory. Deterministic, so a rebuild of the same
 * commit sees the same absolute source paths (a path embedded in a binary stays the same), and
 * distinct per output, so build-wheels and build-wheels-untested can run at the same time.
 * @param stateDir the workspace's `.nx-wheels` (git-ignored)
 * @param outputDir the output directory as given to build-wheels (absolute or workspace-relative)
 */
export function stagingDir(stateDir: string, projectName: string, outputDir: string): string {
  const safe = projectName.replace(/[^A-Za-z0-9._-]/g, '_');
  const hash = createHash('sha256').update(outputDir.replace(/\\/g, '/')).digest('hex').slice(0, 8);
  return join(stateDir, 'staging', `${safe}-${hash}`);
}

/**
 * The workspace-relative paths to stage: the project root, its dependencies' roots, and the
 * test-command's paths that lie outside all of them; nested paths are folded into their parent.
 * Sorted.
 */
export function stagingRoots(projectRoot: string, dependencyRoots: readonly string[], testPaths: readonly string[] = []): string[] {
  const all = [projectRoot, ...dependencyRoots, ...testPaths].map((p) => posix.normalize(p.replace(/\\/g, '/')).replace(/\/$/, '')).sort();
  const out: string[] = [];
  for (const p of all) {
    if (p === '.' || p === '') return ['.'];
    if (!out.some((r) => p === r || p.startsWith(r + '/'))) out.push(p);
  }
  return out;
}

/**
 * Filter `git ls-files` output (workspace-relative, posix) to the files to stage: drops anything
 * under {@link NEVER_STAGED_DIRS} and inside a tracked virtual environment (a directory holding
 * `pyvenv.cfg`). Sorted, without duplicates.
 */
export function selectStagedFiles(tracked: readonly string[]): string[] {
  const never = new Set<string>(NEVER_STAGED_DIRS);
  const venvs = tracked.filter((f) => posix.basename(f) === 'pyvenv.cfg').map((f) => posix.dirname(f));
  const keep = tracked.filter((f) => {
    const parts = f.split('/');
    if (parts.slice(0, -1).some((d) => never.has(d))) return false;
    return !venvs.some((v) => v === '.' || f === v || f.startsWith(v + '/'));
  });
  return [...new Set(keep)].sort();
}

/** `1234567` -> `1.2 MB` (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
