/** Reading a wheel project's pyproject.toml (and what its back-end needs for the build kind) from disk. */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BackendFiles, BuildKindDecision, decideBuildKind, hatchHooks, needsSetupPy } from '../core/build-kind';
import { QuiverError } from '../core/errors';
import { PythonProject, readPyProjectText } from '../core/pyproject';

/**
 * Read `<workspaceRoot>/<projectRoot>/pyproject.toml`.
 * @throws QuiverError `PYPROJECT_MISSING` and everything {@link readPyProjectText} throws.
 */
export function loadPythonProject(workspaceRoot: string, projectRoot: string, opts?: { requireCibuildwheel?: boolean }): PythonProject {
  const abs = join(workspaceRoot, projectRoot, 'pyproject.toml');
  const shown = relative(workspaceRoot, abs) || abs;
  if (!existsSync(abs)) {
    throw new QuiverError('PYPROJECT_MISSING', `${shown} not found; the project root ${projectRoot || '.'} must contain a pyproject.toml with [project] and [build-system] (or [tool.cibuildwheel]).`);
  }
  return readPyProjectText(readFileSync(abs, 'utf8'), shown, opts);
}

/**
 * The files beside pyproject.toml that core/build-kind reads, only those the rule needs for this
 * back-end (setup.py for setuptools, a hatchling custom hook's file): at most two small reads.
 * @param dir absolute project directory
 */
export function readBackendFiles(dir: string, p: PythonProject): BackendFiles {
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return null;
    }
  };
  const files: BackendFiles = {};
  if (needsSetupPy(p)) files.setupPy = read('setup.py');
  if (p.nxWheels.pure === undefined && p.buildSystem?.backend === 'hatchling.build') {
    const { customPath } = hatchHooks(p.tool);
    if (customPath) files.hatchCustomHook = read(customPath);
  }
  return files;
}

/**
 * The build kind of the project at `projectRoot` (core/build-kind's rule). build-wheels,
 * validate-wheels, test and publish all take it from here, so the build and the expectation agree.
 * @param pureOption the plugin option `pure` for this project (target option), when given
 */
export function loadBuildKind(workspaceRoot: string, projectRoot: string, p: PythonProject, pureOption?: boolean): BuildKindDecision {
  return decideBuildKind(p, readBackendFiles(join(workspaceRoot, projectRoot), p), pureOption);
}
