/**
 * The build identifiers cibuildwheel selects for a project, per platform: asked of the real
 * cibuildwheel once, then answered from `.nx-wheels/cache/identifiers/<key>` while nothing the
 * answer depends on has changed (core/identifier-query.ts says what that is). build-wheels,
 * validate-wheels and publish share the cache, which saves a Python start-up and cibuildwheel's
 * option parsing (0.3 to 0.5 s) per platform on every run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { BuildIdentifier, Platform, pureIdentifier } from '../core/identifiers';
import type { BuildKind } from '../core/build-kind';
import { identifierQueryKey } from '../core/identifier-query';
import { identifiersFromOutput } from '../core/plan';
import { printBuildIdentifiers } from '../runners/cibuildwheel';
import { stateDir } from '../runners/toolchain';
import { writeFileAtomic } from './files';

const read = (file: string): string | null => (existsSync(file) ? readFileSync(file, 'utf8') : null);

/**
 * The cache file of this query, or null when it cannot be keyed safely (a cibuildwheel outside a
 * stamped toolchain venv: its version is then unknown).
 */
function cacheFile(cibuildwheel: string, workspaceRoot: string, packageDir: string, platform: Platform, env: Record<string, string | undefined>): string | null {
  // <venv>/bin/cibuildwheel or <venv>\Scripts\cibuildwheel.exe; ensureVenv writes <venv>/.quiver-stamp.
  const stamp = read(join(dirname(dirname(cibuildwheel)), '.quiver-stamp'));
  if (stamp === null) return null;
  const files: Record<string, string | null> = {};
  for (const name of ['pyproject.toml', 'setup.cfg', 'setup.py']) files[name] = read(join(packageDir, name));
  const configFile = env['CIBW_CONFIG_FILE'];
  if (configFile) files[`CIBW_CONFIG_FILE:${basename(configFile)}`] = read(isAbsolute(configFile) ? configFile : resolve(packageDir, configFile));
  const key = identifierQueryKey({ toolchainStamp: stamp, platform, hostOs: process.platform, hostArch: process.arch, env, files });
  return join(stateDir(workspaceRoot), 'cache', 'identifiers', key);
}

/**
 * Ask the real cibuildwheel which identifiers `[tool.cibuildwheel]` (plus `CIBW_*` in `env`)
 * selects for `platform`, or take its earlier answer to the very same question from the cache.
 * Runs on any host: no container, no Windows needed.
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
  const cache = cacheFile(cibuildwheel, workspaceRoot, packageDir, platform, env);
  let out = cache ? read(cache) : null;
  if (out === null) {
    out = await printBuildIdentifiers(cibuildwheel, { workspaceRoot, packageDir: rel, platform, env });
    // Only answers cibuildwheel gave with exit 0 are kept (a failed query throws above).
    if (cache) writeFileAtomic(cache, out);
  }
  return identifiersFromOutput(out, platform, `${rel}/pyproject.toml`, env);
}

/**
 * The wheels a project's release consists of, for build-wheels, validate-wheels and publish alike:
 * a pure project (core/build-kind) has exactly one, the PURE_IDENTIFIER (core/identifiers), whatever the
 * platforms; a compiled project has cibuildwheel's identifiers of each platform ({@link listIdentifiers}).
 * @param cibuildwheel the toolchain's cibuildwheel (not called for a pure project)
 * @throws QuiverError `BUILD_SELECTOR_EMPTY`, `CIBUILDWHEEL_CONFIG` (compiled projects)
 */
export async function expectedIdentifiers(
  a: { kind: BuildKind; cibuildwheel: () => string; workspaceRoot: string; packageDir: string; platforms: readonly Platform[]; env: Record<string, string | undefined> },
): Promise<BuildIdentifier[]> {
  if (a.kind === 'pure') return [pureIdentifier()];
  const out: BuildIdentifier[] = [];
  for (const platform of a.platforms) out.push(...(await listIdentifiers(a.cibuildwheel(), a.workspaceRoot, a.packageDir, platform, a.env)));
  return out;
}
