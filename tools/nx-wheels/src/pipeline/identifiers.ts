/** The build identifiers cibuildwheel selects for a project, per platform. */
import { relative } from 'node:path';
import { BuildIdentifier, Platform } from '../core/identifiers';
import { identifiersFromOutput } from '../core/plan';
import { printBuildIdentifiers } from '../runners/cibuildwheel';

/**
 * Ask the real cibuildwheel which identifiers `[tool.cibuildwheel]` (plus `CIBW_*` in `env`)
 * selects for `platform`. Runs on any host: no container, no Windows needed.
 * @param packageDir absolute package directory
 * @throws QuiverError `BUILD_SELECTOR_EMPTY`, `CIBUILDWHEEL_CONFIG`
 */
export async function listIdentifiers(
  cibuildwheel: string,
  workspaceRoot: string,
  packageDir: string,
  platform: Platform,
  env: Record<string, string | undefined>,
): Promise<BuildIdentifier[]> {
  const rel = relative(workspaceRoot, packageDir) || '.';
  const out = await printBuildIdentifiers(cibuildwheel, { workspaceRoot, packageDir: rel, platform, env });
  return identifiersFromOutput(out, platform, `${rel}/pyproject.toml`, env);
}
