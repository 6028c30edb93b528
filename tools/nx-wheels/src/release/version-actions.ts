/**
 * `nx release` VersionActions for Python projects (`@quiver/nx-wheels/release/version-actions`).
 *
 * - reads `[project].version` (PEP 621) from pyproject.toml; a dynamic version is an error that
 *   says how to make it static;
 * - writes the new version by replacing only the characters of the version string
 *   ({@link setProjectVersion}); all through Nx's virtual Tree, so `--dry-run` writes nothing;
 * - computes new versions in PEP 440 (https://peps.python.org/pep-0440/): `prerelease --preid rc`
 *   gives `1.3.0rc0`, `1.3.0rc1`; an explicit `1.3.0-rc.1` is written `1.3.0rc1`; existing
 *   `1.2.0rc1`, `1.2.0.post1`, `1.2.0.dev3`, `1!2.0` are read as PEP 440. The returned version is
 *   what Nx puts in the changelog heading and the tag (`v{version}` -> `v1.3.0rc1`);
 * - `currentVersionResolver: "registry"` asks the index's JSON API
 *   (`currentVersionResolverMetadata.registry`, default https://pypi.org/pypi);
 * - with `currentVersionResolver: "git-tag"`, makes the `git` Nx spawns sort PEP 440 tags
 *   correctly (see git-tag-sort.ts; `versionActionsOptions.pep440TagSort: false` turns it off).
 */
import { join } from 'node:path';
import type { ProjectGraph, Tree } from '@nx/devkit';
import { VersionActions } from 'nx/release';
import { QuiverError } from '../core/errors';
import { bumpVersion, isBumpKeyword, isPrerelease, normalizeVersion, parseExplicitVersion, preidToPhase } from '../core/pep440';
import { readPyProjectText, requireStaticVersion } from '../core/pyproject';
import { pep440TagSortEnv } from './git-tag-sort';
import { setProjectVersion } from './pyproject-version';
import { DEFAULT_JSON_API, latestIndexVersion } from './registry';

const MANIFEST = 'pyproject.toml';

/** Why Nx asked for a new version (the `newVersionInputReason` values Nx 24 passes). */
const REASON_TEXT: Record<string, string> = {
  USER_SPECIFIER: ' from the command line',
  PROMPTED_USER_SPECIFIER: ' from the prompt',
  CONVENTIONAL_COMMITS: ' derived from conventional commits',
  VERSION_PLANS: ' from version plans',
  DEPENDENCY_WAS_BUMPED: ' because a dependency was bumped',
  OTHER_PROJECT_WAS_BUMPED: ' because another project in the fixed release group was bumped',
};

/** Options under `release.version.versionActionsOptions` in nx.json. */
export interface PyprojectVersionActionsOptions {
  /** Add PEP 440 `versionsort.suffix` entries for the git processes Nx runs (default true). */
  pep440TagSort?: boolean;
  /** JSON API base used when `currentVersionResolverMetadata.registry` is not set. */
  registry?: string;
}

/** VersionActions for pyproject.toml; see the module comment. */
export default class PyprojectVersionActions extends VersionActions {
  validManifestFilenames = [MANIFEST];

  private get actionOptions(): PyprojectVersionActionsOptions {
    return (this.finalConfigForProject.versionActionsOptions ?? {}) as PyprojectVersionActionsOptions;
  }

  private manifestPath(): string {
    return this.manifestsToUpdate[0]?.manifestPath ?? join(this.projectGraphNode.data.root, MANIFEST);
  }

  /**
   * Nx hook: resolve manifest paths, then fail early (with our one-line message, before Nx's
   * generic "does not have a pyproject.toml" wrapper could hide it) when the version is dynamic,
   * missing or not PEP 440.
   * @throws QuiverError from {@link readPyProjectText} / {@link requireStaticVersion}
   */
  override async init(tree: Tree): Promise<void> {
    await super.init(tree);
    this.excludeManifestsFromFormatting = true;
    if (this.actionOptions.pep440TagSort !== false) Object.assign(process.env, pep440TagSortEnv(process.env));
    for (const m of this.manifestsToUpdate) {
      if (tree.exists(m.manifestPath)) this.readVersion(tree, m.manifestPath);
    }
  }

  private readVersion(tree: Tree, path: string): string {
    const text = tree.read(path, 'utf-8');
    if (text === null) throw new QuiverError('PYPROJECT_MISSING', `${path} not found; nx release needs a pyproject.toml with [project].version in ${this.projectGraphNode.data.root}.`);
    return requireStaticVersion(readPyProjectText(text, path, { requireCibuildwheel: false }));
  }

  /** Nx hook for `currentVersionResolver: "disk"`: the normalized `[project].version`. */
  async readCurrentVersionFromSourceManifest(tree: Tree): Promise<{ currentVersion: string; manifestPath: string } | null> {
    const manifestPath = this.manifestPath();
    return { currentVersion: this.readVersion(tree, manifestPath), manifestPath };
  }

  /**
   * Nx hook for `currentVersionResolver: "registry"`: the highest non-yanked release on the
   * index's JSON API (`metadata.registry`, else `versionActionsOptions.registry`, else PyPI).
   * @throws QuiverError `REGISTRY_UNREACHABLE`, `REGISTRY_BAD_RESPONSE`
   */
  async readCurrentVersionFromRegistry(tree: Tree, metadata: Record<string, unknown> | undefined): Promise<{ currentVersion: string | null; logText: string }> {
    const base = String(metadata?.['registry'] ?? this.actionOptions.registry ?? DEFAULT_JSON_API);
    const project = readPyProjectText(tree.read(this.manifestPath(), 'utf-8') ?? '', this.manifestPath(), { requireCibuildwheel: false });
    const { version, url } = await latestIndexVersion(base, project.normalizedName);
    return { currentVersion: version, logText: `JSON API ${url}` };
  }

  /** Python dependencies are not versioned by Nx: nothing to report. */
  async readCurrentVersionOfDependency(_tree: Tree, _graph: ProjectGraph, _dep: string): Promise<{ currentVersion: string | null; dependencyCollection: string | null }> {
    return { currentVersion: null, dependencyCollection: null };
  }

  /** Python dependencies are not versioned by Nx: nothing to update. */
  async updateProjectDependencies(): Promise<string[]> {
    return [];
  }

  /**
   * Nx hook: the new PEP 440 version.
   * - relative keyword (`patch`, `preminor`, `prerelease`...): {@link bumpVersion}; when the
   *   keyword came from conventional commits and the current version is a pre-release, the bump
   *   is `prerelease` (Nx's rule: leaving a pre-release takes an explicit version);
   * - anything else is an explicit version, SemVer or PEP 440 ({@link parseExplicitVersion}).
   * @throws QuiverError from those functions, `RELEASE_NO_CURRENT_VERSION` for a relative bump without current version
   */
  override async calculateNewVersion(
    currentVersion: string | null,
    newVersionInput: string,
    newVersionInputReason: string,
    _newVersionInputReasonData: Record<string, unknown>,
    preid: string,
  ): Promise<{ newVersion: string; logText: string }> {
    const why = REASON_TEXT[newVersionInputReason] ?? '';
    if (!isBumpKeyword(newVersionInput)) {
      const newVersion = parseExplicitVersion(newVersionInput);
      const shown = newVersion === newVersionInput ? '' : ` (PEP 440 form of "${newVersionInput}")`;
      return { newVersion, logText: `❓ Applied explicit version ${newVersion}${shown}${why}` };
    }
    if (!currentVersion) {
      throw new QuiverError('RELEASE_NO_CURRENT_VERSION', `project "${this.projectGraphNode.name}": no current version to apply "${newVersionInput}" to; set [project].version in ${this.manifestPath()} or give an explicit version (nx release 1.2.3).`);
    }
    const current = normalizeVersion(currentVersion) ?? currentVersion;
    let bump = newVersionInput;
    if (newVersionInputReason === 'CONVENTIONAL_COMMITS' && isPrerelease(current) && !bump.startsWith('pre')) bump = 'prerelease';
    const newVersion = bumpVersion(current, bump, preidToPhase(preid), {
      adjustZeroMajor: this.finalConfigForProject.adjustSemverBumpsForZeroMajorVersion,
    });
    const detail = bump === newVersionInput ? '' : ` (as "prerelease": ${current} is a pre-release)`;
    return { newVersion, logText: `❓ Applied "${newVersionInput}"${detail}${preid ? ` with preid ${preid}` : ''}${why} to ${current} to get new version ${newVersion}` };
  }

  /**
   * Nx hook: write `newVersion` into every manifest to update, changing only the version string.
   * @throws QuiverError from {@link setProjectVersion}
   */
  async updateProjectVersion(tree: Tree, newVersion: string): Promise<string[]> {
    const version = normalizeVersion(newVersion) ?? parseExplicitVersion(newVersion);
    const logs: string[] = [];
    for (const m of this.manifestsToUpdate) {
      const text = tree.read(m.manifestPath, 'utf-8');
      if (text === null) throw new QuiverError('PYPROJECT_MISSING', `${m.manifestPath} not found; add it or fix release.version.manifestRootsToUpdate in nx.json.`);
      const updated = setProjectVersion(text, version, m.manifestPath);
      if (updated !== text) tree.write(m.manifestPath, updated);
      logs.push(`✍️  New version ${version} written to manifest: ${m.manifestPath}`);
    }
    return logs;
  }
}

export { PyprojectVersionActions };
