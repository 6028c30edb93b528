/**
 * What the running `nx release` shares between the VersionActions, the changelog renderer and the
 * Nx compatibility hooks (compat/nx-release.ts): the release groups, tag patterns and versions.
 */
import { tagPrefixFor } from '../core/release-tag';

/** Per project of the running release: its group, and its versions. */
export interface ReleaseProjectState {
  /** Release group name (`__default__` for top-level `release.projects`). */
  group: string;
  /** The group is fixed (one version for all its members). */
  fixed: boolean;
  /** The version on disk (static, or computed through PEP 517); `null` for a VCS version (the tag is the version). */
  disk: string | null;
  /** The version being released, once computed. */
  next: string | null;
  /** The project's release tag prefix (its group's pattern, `{projectName}` resolved), `null` when not `<prefix>{version}`. */
  prefix: string | null;
}

/** What the VersionActions record for the hooks and the renderer. */
export interface ReleaseState {
  /** Version being produced by the last project computed (single-project workspaces). */
  newVersion: string | null;
  /** Version on disk of the last project initialised (single-project workspaces). */
  diskVersion: string | null;
  manifests: string[];
  /** Tag prefix of `<prefix>{version}` patterns without placeholders, else `null`. */
  tagPrefix: string | null;
  /** The release tag pattern as configured (`{projectName}-v{version}`), once known. */
  tagPattern: string | null;
  /** Per Nx project name. */
  projects: Record<string, ReleaseProjectState>;
}

/**
 * One state per process, kept on `globalThis`: Nx loads the VersionActions and the changelog renderer
 * through different loaders (require, its TypeScript registration), which can give this module two
 * instances in one process; the version must be seen by both.
 */
const shared = ((globalThis as unknown as Record<symbol, { release: ReleaseState }>)[Symbol.for('@quiver/nx-wheels/release-state')] ??= {
  release: { newVersion: null, diskVersion: null, manifests: [], tagPrefix: null, tagPattern: null, projects: {} },
});

/** The version the running `nx release` is producing and its tag prefix, recorded by the VersionActions. */
export const releaseState: ReleaseState = shared.release;

/**
 * The literal prefix of a tag pattern `<prefix>{version}` (`v{version}` -> `v`), or `null` for
 * patterns with other placeholders or text after `{version}`.
 */
export function tagPrefixOf(pattern: string): string | null {
  return tagPrefixFor(pattern);
}

/** The version a project's release is about (being released, else on disk), else the single-project values. */
export function releasingVersionOf(projectName: string | undefined): string | null {
  const p = projectName ? releaseState.projects[projectName] : undefined;
  return p ? (p.next ?? p.disk) : (releaseState.newVersion ?? releaseState.diskVersion);
}
