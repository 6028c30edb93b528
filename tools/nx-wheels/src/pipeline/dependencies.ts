/**
 * Which projects a wheel project's sources depend on, read from its files: the directories its
 * CMake files reference (`add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/../../libs/quiver)`) and
 * the project names in `[tool.nx-wheels] depends-on`. One discovery, used twice: for the project
 * graph's edges (`createDependencies` in index.ts) and for staging the sources a build needs
 * (build-wheels copies the project and these dependencies, transitively).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isWheelProject } from '../core/build-kind';
import { cmakeReferencedPaths } from '../core/cmake';
import { PythonProject, readPyProjectText } from '../core/pyproject';

/** A pyproject.toml as inference sees it (see {@link readForInference}). */
export interface InferredPyProject {
  /** The parsed project, or null when the file has a `[build-system]` / `[tool.cibuildwheel]` header but does not parse. */
  project: PythonProject | null;
  /** `[tool.cibuildwheel]` (empty when absent). */
  cibuildwheel: Record<string, unknown>;
}

/** Memo of {@link readForInference}: absolute path -> the file's identity when read, and the result. */
const inferenceMemo = new Map<string, { key: string; relFile: string; result: InferredPyProject | null }>();

/**
 * Read a pyproject.toml for inference. Returns null when it is no wheel project
 * (core/build-kind's isWheelProject: neither `[build-system]` nor `[tool.cibuildwheel]`, or
 * `[tool.nx-wheels] skip = true`). A file that does not parse but has a `[build-system]` or
 * `[tool.cibuildwheel]` header still counts, so that running a target reports the error as one
 * line (file:line:col, or the missing [project].name) instead of breaking the whole project graph.
 *
 * Memoized on the file's size, mtime, ctime and inode (one `stat` per call): createNodes,
 * createDependencies and source staging all ask for the same files during one graph computation,
 * and each is read and parsed once; any rewrite of the file (the daemon stays up across edits)
 * changes its ctime/mtime and so is read again.
 * @param absFile absolute path; @param relFile the workspace-relative path shown in messages
 * @throws the fs error when the file cannot be read (ENOENT, EACCES)
 */
export function readForInference(absFile: string, relFile: string): InferredPyProject | null {
  const st = statSync(absFile);
  const key = `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  const hit = inferenceMemo.get(absFile);
  if (hit && hit.key === key && hit.relFile === relFile) return hit.result;
  const result = parseForInference(readFileSync(absFile, 'utf8'), relFile);
  inferenceMemo.set(absFile, { key, relFile, result });
  return result;
}

function parseForInference(text: string, relFile: string): InferredPyProject | null {
  try {
    const p = readPyProjectText(text, relFile, { requireCibuildwheel: false });
    return isWheelProject(p) ? { project: p, cibuildwheel: p.cibuildwheel ?? {} } : null;
  } catch {
    return /^\s*\[\s*(tool\s*\.\s*cibuildwheel|build-system)\s*[\].]/m.test(text) ? { project: null, cibuildwheel: {} } : null;
  }
}

/**
 * The project whose root contains a workspace-relative path (deepest root wins), or null.
 * @param roots project root (posix, workspace-relative) -> project name
 */
export function owningProject(roots: ReadonlyMap<string, string>, path: string): string | null {
  let best: string | null = null;
  for (const root of roots.keys()) {
    if (root === '.' || root === '' || path === root || path.startsWith(root + '/')) {
      if (best === null || root.length > best.length) best = root;
    }
  }
  return best === null ? null : roots.get(best)!;
}

/** One dependency of a project's sources, and the file that declares it. */
export interface SourceDependency {
  /** Name of the project depended on. */
  target: string;
  /** Workspace-relative file that declares it (pyproject.toml or a CMake file). */
  sourceFile: string;
}

/**
 * The projects that the sources under `root` depend on: `[tool.nx-wheels] depends-on` names of
 * existing projects (when `root` has a wheel pyproject.toml) and the owners of the paths its
 * CMakeLists.txt / *.cmake files reference. The project itself is never listed.
 * @param roots every project: root (posix, workspace-relative) -> name
 */
export function sourceDependencies(workspaceRoot: string, root: string, roots: ReadonlyMap<string, string>): SourceDependency[] {
  const self = roots.get(root);
  const names = new Set(roots.values());
  const out: SourceDependency[] = [];
  const seen = new Set<string>();
  const add = (target: string, sourceFile: string) => {
    if (target === self || seen.has(target)) return;
    seen.add(target);
    out.push({ target, sourceFile });
  };
  const pyprojectRel = posix.join(root, 'pyproject.toml');
  const pyproject = join(workspaceRoot, pyprojectRel);
  if (existsSync(pyproject)) {
    const found = readForInference(pyproject, pyprojectRel);
    for (const target of found?.project?.nxWheels.dependsOn ?? []) if (names.has(target)) add(target, pyprojectRel);
  }
  const dir = join(workspaceRoot, root);
  let entries: string[] = [];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const f of entries) {
    if (f !== 'CMakeLists.txt' && !f.endsWith('.cmake')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    for (const ref of cmakeReferencedPaths(text, root)) {
      const target = owningProject(roots, ref);
      if (target) add(target, posix.join(root, f));
    }
  }
  return out;
}

/**
 * The roots of the projects `root`'s sources need, transitively (through each dependency's own
 * CMake files and depends-on), without `root` itself; sorted.
 * @param roots every project: root -> name
 */
export function dependencyRoots(workspaceRoot: string, root: string, roots: ReadonlyMap<string, string>): string[] {
  const rootOf = new Map([...roots].map(([r, n]) => [n, r] as const));
  const done = new Set<string>([root]);
  const queue = [root];
  while (queue.length) {
    const current = queue.shift()!;
    for (const d of sourceDependencies(workspaceRoot, current, roots)) {
      const r = rootOf.get(d.target);
      if (r !== undefined && !done.has(r)) {
        done.add(r);
        queue.push(r);
      }
    }
  }
  done.delete(root);
  return [...done].sort();
}
