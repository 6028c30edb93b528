/**
 * Staging the sources of a wheel build (policy in core/staging.ts): the git-tracked files of the
 * project and of the projects its sources depend on (the same discovery as the project graph's
 * edges, pipeline/dependencies.ts), copied as they are in the working tree to a deterministic
 * directory under `.nx-wheels/staging/`, replaced on every run.
 *
 * Outside a git repository there is no staging and no build: which files are sources is what git
 * says, and guessing it from a directory listing would let untracked files reach a release.
 * The error says so in one line (`STAGING_NEEDS_GIT`).
 */
import { copyFileSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { QuiverError } from '../core/errors';
import { selectStagedFiles, stagingDir, stagingRoots } from '../core/staging';
import { trackedFiles } from '../runners/git';
import { stateDir } from '../runners/toolchain';
import { dependencyRoots } from './dependencies';

/** A finished staging. */
export interface Staging {
  /** Absolute staging root: the workspace's layout, sources only. */
  dir: string;
  /** Workspace-relative paths that were staged (the project, its dependencies, outside test paths). */
  roots: string[];
  /** Number of files copied (symlinks included). */
  files: number;
  /** Their total size in bytes. */
  bytes: number;
}

/** Inputs of {@link stageSources}. */
export interface StageOptions {
  workspaceRoot: string;
  /** Workspace-relative project root (posix). */
  projectRoot: string;
  projectName: string;
  /** The build's output directory (keys the staging directory). */
  outputDir: string;
  /** Every project of the workspace: name -> root (the Nx project configurations). */
  projects: Record<string, { root: string }>;
  /** Workspace-relative paths the test-command reads (staged when outside the project). */
  testPaths?: string[];
}

/**
 * Copy the git-tracked files of the project and its dependencies into the staging directory
 * (the old one is removed first).
 * @throws QuiverError `STAGING_NEEDS_GIT` outside a git repository, `GIT_FAILED`, `TOOL_NOT_FOUND`
 */
export async function stageSources(o: StageOptions): Promise<Staging> {
  const rootsByPath = new Map(Object.entries(o.projects).map(([name, p]) => [p.root.replace(/\\/g, '/'), name] as const));
  if (!rootsByPath.has(o.projectRoot)) rootsByPath.set(o.projectRoot, o.projectName);
  const roots = stagingRoots(o.projectRoot, dependencyRoots(o.workspaceRoot, o.projectRoot, rootsByPath), o.testPaths ?? []);
  let tracked: string[];
  try {
    tracked = await trackedFiles(o.workspaceRoot, roots);
  } catch (e) {
    if (e instanceof QuiverError && e.code === 'NOT_A_GIT_REPO') {
      throw new QuiverError(
        'STAGING_NEEDS_GIT',
        `${o.workspaceRoot} is not inside a git repository: build-wheels builds from the git-tracked files of ${roots.join(', ')}; run it in a clone of the repository (or git init && git add -A && git commit first).`,
      );
    }
    throw e;
  }
  const dir = stagingDir(stateDir(o.workspaceRoot), o.projectName, o.outputDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let files = 0;
  let bytes = 0;
  for (const rel of selectStagedFiles(tracked)) {
    const src = join(o.workspaceRoot, rel);
    const st = lstatSync(src, { throwIfNoEntry: false });
    if (!st) continue; // deleted in the working tree
    const dest = join(dir, rel);
    if (st.isSymbolicLink()) {
      mkdirSync(dirname(dest), { recursive: true });
      symlinkSync(readlinkSync(src), dest);
    } else if (st.isFile()) {
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(src, dest); // keeps the mode (executable scripts stay executable)
      bytes += st.size;
    } else {
      continue; // a submodule (gitlink) directory: not staged
    }
    files++;
  }
  return { dir, roots, files, bytes };
}
