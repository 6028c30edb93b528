/** Reading a wheel project's pyproject.toml from disk. */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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
    throw new QuiverError('PYPROJECT_MISSING', `${shown} not found; the project root ${projectRoot || '.'} must contain a pyproject.toml with [project] and [tool.cibuildwheel].`);
  }
  return readPyProjectText(readFileSync(abs, 'utf8'), shown, opts);
}
