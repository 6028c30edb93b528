/**
 * `nx release` VersionActions for Python projects (`@quiver/nx-wheels/release/version-actions`).
 *
 * - reads `[project].version` (PEP 621) from pyproject.toml; a dynamic version is read through
 *   PEP 517 (pipeline/project-version.ts: the back-end computes it, cached);
 * - VCS-derived versions (setuptools-scm, hatch-vcs, pdm-backend's scm source, versioningit:
 *   core/dynamic-version.ts): the release tag is the version, so nothing is written; Nx's changelog
 *   and tag steps run as for any project, and the back-end computes the tag's version at that tag.
 *   Another dynamic version (from a file the back-end reads) cannot be written: init stops with one line;
 * - tags may name the project (`{projectName}-v{version}`, independent releases: core/release-tag.ts);
 * - a fixed release group whose members are at different versions stops the release before anything
 *   is written, with one line naming each member and its version (`RELEASE_FIXED_GROUP_VERSIONS`):
 *   releasing them together would move every member onto one version, a downgrade for some;
 * - writes the new version by replacing only the characters of the version string
 *   ({@link setProjectVersion}); all through Nx's virtual Tree, so `--dry-run` writes nothing;
 * - computes new versions in PEP 440 (https://peps.python.org/pep-0440/): `prerelease --preid rc`
 *   gives `1.3.0rc0`, `1.3.0rc1`; an explicit `1.3.0-rc.1` is written `1.3.0rc1`; existing
 *   `1.2.0rc1`, `1.2.0.post1`, `1.2.0.dev3`, `1!2.0` are read as PEP 440. The returned version is
 *   what Nx puts in the changelog heading and the tag (`v{version}` -> `v1.3.0rc1`, `{projectName}-v{version}` -> `quiverdb-v1.3.0rc1`);
 * - `currentVersionResolver: "registry"` asks the index's JSON API
 *   (`currentVersionResolverMetadata.registry`, default https://pypi.org/pypi);
 * - with `currentVersionResolver: "git-tag"`, only release tags count: `v` + a PEP 440 version, in
 *   PEP 440 order (stray `vendor-import`, `vNext` are ignored), the rule validate-release uses
 *   (see compat/nx-release.ts, installed by {@link PyprojectVersionActions.init} after compat/nx-internals.ts checked
 *   the workspace's Nx: an untested Nx stops the release with `NX_RELEASE_UNSUPPORTED`);
 * - 0.x policy (https://peps.python.org/pep-0440/ says nothing; this follows python-semantic-release's
 *   `major_on_zero = false` and commitizen's `major_version_zero`): a relative specifier typed on the
 *   command line is never adjusted (`nx release minor` on 0.1.0 gives 0.2.0, `major` gives 1.0.0);
 *   from conventional commits `feat:` is minor and `fix:` patch as on 1.x, and a breaking change on
 *   0.x is `versionActionsOptions.zeroMajorBreaking` (`"minor"`, the default: 0.1.0 -> 0.2.0;
 *   `"major"`: 0.1.0 -> 1.0.0). Nx's `adjustSemverBumpsForZeroMajorVersion` must be false (nx.json
 *   says so); when true it still applies, to conventional-commit bumps only. The log line names the
 *   bump applied;
 * - refuses local versions (`2.1.0+local`: package indexes refuse them) and writes versions with
 *   three release numbers (`nx release 2.2` gives 2.2.0 and the tag `v2.2.0`, which the release
 *   workflow's `v*.*.*` trigger matches);
 * - before writing anything, checks that Nx's changelog step will leave a section for the new
 *   version (changelog-guard.ts); a section with nothing to list says why (release-notes.ts), it
 *   never stops a release that was asked for;
 * - a release that fails after files were written leaves the working tree and the index as they
 *   were before it started (release-rollback.ts).
 */
import { join } from 'node:path';
import type { ProjectGraph, Tree } from '@nx/devkit';
import { VersionActions } from 'nx/release';
import { QuiverError } from '../core/errors';
import { BumpKeyword, bumpVersion, isBumpKeyword, isPrerelease, normalizeVersion, parseExplicitVersion, preidToPhase } from '../core/pep440';
import { VcsVersionSource, vcsVersionSource } from '../core/dynamic-version';
import { parseToml, readPyProjectText, requireStaticVersion } from '../core/pyproject';
import { tagPrefixFor } from '../core/release-tag';
import { readProjectVersion } from '../pipeline/project-version';
import { assertChangelogSectionWillExist } from './changelog-guard';
import { versionTitle, VersionTitleOptions } from './changelog-renderer';
import * as nxReleaseCompat from '../compat/nx-release';
import { ReleaseProjectState, releaseState, tagPrefixOf } from './release-state';
import { setProjectVersion } from './pyproject-version';
import { armReleaseRollback } from './release-rollback';
import { DEFAULT_JSON_API, latestIndexVersion } from './registry';

const MANIFEST = 'pyproject.toml';

/** Reasons under which the specifier was typed by the user: never adjusted. */
const USER_REASONS = new Set(['USER_SPECIFIER', 'PROMPTED_USER_SPECIFIER']);

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
  /**
   * What a breaking change (`feat!:`, `BREAKING CHANGE:`) does on 0.x when the bump comes from
   * conventional commits: `"minor"` (default; 0.1.0 -> 0.2.0) or `"major"` (0.1.0 -> 1.0.0).
   */
  zeroMajorBreaking?: 'minor' | 'major';
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

  /** How the version is kept: `static` ([project].version), `vcs` (the git tag), `dynamic` (computed by the back-end from elsewhere). */
  private versionKind: 'static' | 'vcs' | 'dynamic' = 'static';
  private vcs: VcsVersionSource | null = null;

  /**
   * Nx hook: check the workspace's Nx and install the release hooks (compat/nx-release.ts `install()`),
   * record the tree's state for a rollback on failure ({@link armReleaseRollback}), resolve manifest
   * paths, then fail early (with our one-line message, before Nx's
   * generic "does not have a pyproject.toml" wrapper could hide it) when the version is missing or
   * not PEP 440; record the project's group, tag prefix and version on disk for the hooks and the
   * fixed-group check.
   * @throws QuiverError from {@link readPyProjectText} / {@link requireStaticVersion} / {@link readProjectVersion}
   */
  override async init(tree: Tree): Promise<void> {
    nxReleaseCompat.install();
    armReleaseRollback(tree.root);
    await super.init(tree);
    const pattern = this.releaseGroup.releaseTag?.pattern ?? '';
    releaseState.tagPrefix = tagPrefixOf(pattern);
    releaseState.tagPattern = pattern || null;
    this.excludeManifestsFromFormatting = true;
    const z = this.actionOptions.zeroMajorBreaking;
    if (z !== undefined && z !== 'minor' && z !== 'major') {
      throw new QuiverError('BAD_OPTION', `nx.json release.version.versionActionsOptions.zeroMajorBreaking is "${String(z)}"; use "minor" (a breaking change on 0.x gives 0.(x+1).0) or "major" (it gives 1.0.0).`);
    }
    const name = this.projectGraphNode.name;
    const state: ReleaseProjectState = {
      group: this.releaseGroup.name,
      fixed: this.releaseGroup.projectsRelationship === 'fixed',
      disk: null,
      next: null,
      prefix: tagPrefixFor(pattern, { projectName: name, releaseGroupName: this.releaseGroup.name }),
    };
    for (const m of this.manifestsToUpdate) {
      if (!tree.exists(m.manifestPath)) continue;
      const text = tree.read(m.manifestPath, 'utf-8') ?? '';
      const project = readPyProjectText(text, m.manifestPath, { requireCibuildwheel: false });
      if (project.dynamicVersion) {
        this.vcs = vcsVersionSource(parseToml(text, m.manifestPath));
        this.versionKind = this.vcs ? 'vcs' : 'dynamic';
      }
      // A dynamic version is read (PEP 517) only when Nx asks for it: it stops the release only when this project is bumped.
      if (this.versionKind === 'static') state.disk = await this.readVersion(tree, m.manifestPath);
      releaseState.diskVersion = state.disk;
      if (!releaseState.manifests.includes(m.manifestPath)) releaseState.manifests.push(m.manifestPath);
    }
    releaseState.projects[name] = state;
  }

  /** The version on disk: `[project].version`, or the back-end's through PEP 517 when dynamic. */
  private async readVersion(tree: Tree, path: string): Promise<string> {
    const text = tree.read(path, 'utf-8');
    if (text === null) throw new QuiverError('PYPROJECT_MISSING', `${path} not found; nx release needs a pyproject.toml with [project].version in ${this.projectGraphNode.data.root}.`);
    const project = readPyProjectText(text, path, { requireCibuildwheel: false });
    if (!project.dynamicVersion) return requireStaticVersion(project);
    const v = await readProjectVersion({ workspaceRoot: tree.root, projectRoot: this.projectGraphNode.data.root, projectName: this.projectGraphNode.name });
    return v.version;
  }

  /**
   * A version computed from a file nx release does not write (not from git tags) cannot be bumped;
   * called for a project Nx bumps or has no release tag of, so such a project with a release tag
   * never stops the release of the others.
   * @throws QuiverError `PYPROJECT_DYNAMIC_VERSION`
   */
  private refuseDynamicVersion(): void {
    if (this.versionKind !== 'dynamic') return;
    throw new QuiverError('PYPROJECT_DYNAMIC_VERSION', `${this.manifestPath()}: [project].version is dynamic and not from git tags, so nx release cannot write a new version; set version = "X.Y.Z" under [project] (and remove "version" from [project].dynamic), or let a VCS back-end (setuptools-scm, hatch-vcs) take the version from the release tag. Nothing was written, committed or tagged.`);
  }

  /**
   * A fixed group moves every member to one version: refuse when the members' versions on disk
   * differ (VCS members, whose version is the tag, are not compared).
   * @throws QuiverError `RELEASE_FIXED_GROUP_VERSIONS` naming each member and its version
   */
  private checkFixedGroup(): void {
    if (this.releaseGroup.projectsRelationship !== 'fixed') return;
    const names = (this.releaseGroup as { projects?: unknown }).projects;
    const members: Array<[string, string]> = [];
    for (const p of Array.isArray(names) ? (names as string[]) : []) {
      const disk = releaseState.projects[p]?.disk;
      if (disk) members.push([p, disk]);
    }
    members.sort((a, b) => a[0].localeCompare(b[0]));
    const distinct = new Set(members.map(([, v]) => v));
    if (distinct.size <= 1) return;
    const group = this.releaseGroup.name === '__default__' ? 'nx.json release' : `nx.json release.groups.${this.releaseGroup.name}`;
    throw new QuiverError(
      'RELEASE_FIXED_GROUP_VERSIONS',
      `${group} is a fixed release group (one version for every member) but its members are at different versions: ${members.map(([p, v]) => `${p} ${v}`).join(', ')}; release them independently (projectsRelationship "independent" with releaseTag.pattern "{projectName}-v{version}", what nx g @quiver/nx-wheels:init writes) or give them one version first. Nothing was written, committed or tagged.`,
    );
  }

  /**
   * Nx hook for `currentVersionResolver: "disk"` (and the fallback when no release tag exists): the
   * normalized `[project].version`; for a VCS version (no tag yet) the back-end's version without its
   * local label (`0.1.dev3+gabc` -> `0.1.dev3`).
   * @throws QuiverError `PYPROJECT_DYNAMIC_VERSION` for a dynamic version not from git tags
   */
  async readCurrentVersionFromSourceManifest(tree: Tree): Promise<{ currentVersion: string; manifestPath: string } | null> {
    const manifestPath = this.manifestPath();
    // No release tag yet: nx release would need a version it cannot write back.
    this.refuseDynamicVersion();
    if (this.versionKind === 'vcs') {
      const v = await readProjectVersion({ workspaceRoot: tree.root, projectRoot: this.projectGraphNode.data.root, projectName: this.projectGraphNode.name });
      return { currentVersion: v.version.split('+')[0], manifestPath };
    }
    return { currentVersion: await this.readVersion(tree, manifestPath), manifestPath };
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
    this.refuseDynamicVersion();
    this.checkFixedGroup();
    const why = REASON_TEXT[newVersionInputReason] ?? '';
    const own = releaseState.projects[this.projectGraphNode.name];
    if (!isBumpKeyword(newVersionInput)) {
      const newVersion = parseExplicitVersion(newVersionInput);
      releaseState.newVersion = newVersion;
      if (own) own.next = newVersion;
      const shown = newVersion === newVersionInput ? '' : ` (PEP 440 form of "${newVersionInput}")`;
      return { newVersion, logText: `❓ Applied explicit version ${newVersion}${shown}${why}` };
    }
    if (!currentVersion) {
      throw new QuiverError('RELEASE_NO_CURRENT_VERSION', `project "${this.projectGraphNode.name}": no current version to apply "${newVersionInput}" to; set [project].version in ${this.manifestPath()} or give an explicit version (nx release 1.2.3).`);
    }
    const current = normalizeVersion(currentVersion) ?? currentVersion;
    const byUser = USER_REASONS.has(newVersionInputReason);
    let bump: BumpKeyword = newVersionInput;
    const notes: string[] = [];
    if (newVersionInputReason === 'CONVENTIONAL_COMMITS' && isPrerelease(current) && !bump.startsWith('pre')) {
      bump = 'prerelease';
      notes.push(`${current} is a pre-release`);
    }
    const zeroMajor = /^(\d+!)?0\./.test(current);
    if (zeroMajor && !byUser && bump === 'major' && (this.actionOptions.zeroMajorBreaking ?? 'minor') === 'minor') {
      bump = 'minor';
      notes.push('breaking change on 0.x, versionActionsOptions.zeroMajorBreaking "minor"');
    }
    const adjustZeroMajor = !byUser && this.finalConfigForProject.adjustSemverBumpsForZeroMajorVersion === true;
    if (zeroMajor && adjustZeroMajor && ['major', 'minor', 'premajor', 'preminor'].includes(bump)) {
      const was = bump;
      bump = ({ major: 'minor', minor: 'patch', premajor: 'preminor', preminor: 'prepatch' } as Record<string, BumpKeyword>)[bump];
      notes.push(`"${was}" lowered on 0.x by adjustSemverBumpsForZeroMajorVersion`);
    }
    const newVersion = bumpVersion(current, bump, preidToPhase(preid));
    releaseState.newVersion = newVersion;
    if (own) own.next = newVersion;
    const asked = bump === newVersionInput ? '' : ` (asked "${newVersionInput}": ${notes.join('; ')})`;
    return { newVersion, logText: `❓ Applied "${bump}"${asked}${preid ? ` with preid ${preid}` : ''}${why} to ${current} to get new version ${newVersion}` };
  }

  /**
   * The release group's project changelog will get a section for `version`
   * ({@link assertChangelogSectionWillExist}); nothing to check when project changelogs are off.
   */
  private checkChangelog(tree: Tree, version: string): void {
    const cfg = (this.releaseGroup as { changelog?: unknown }).changelog as { file?: string | false; renderOptions?: VersionTitleOptions } | false | undefined;
    if (!cfg || typeof cfg !== 'object' || !cfg.file) return;
    const root = this.projectGraphNode.data.root;
    const file = cfg.file
      .replace(/\{projectRoot\}/g, root)
      .replace(/\{projectName\}/g, this.projectGraphNode.name)
      .replace(/\{workspaceRoot\}\/?/g, '');
    const text = tree.exists(file) ? tree.read(file, 'utf-8') : null;
    assertChangelogSectionWillExist(text, version, versionTitle(version, cfg.renderOptions ?? {}, new Date().toISOString().slice(0, 10)), file);
  }

  /**
   * Nx hook: write `newVersion` into every manifest to update, changing only the version string;
   * nothing for a VCS version (the tag is the version).
   * @throws QuiverError from {@link setProjectVersion}, `RELEASE_FIXED_GROUP_VERSIONS`
   */
  async updateProjectVersion(tree: Tree, newVersion: string): Promise<string[]> {
    const version = parseExplicitVersion(newVersion);
    this.checkFixedGroup();
    this.checkChangelog(tree, version);
    if (this.versionKind === 'vcs') {
      return [`🏷️  ${this.manifestPath()}: the version comes from the git tag (${this.vcs}); nothing written, the release tag sets ${version}`];
    }
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
