/**
 * Changelog renderer for PEP 440 versions: Nx's default renderer with these version headings:
 * - final releases: `## 1.4.0 (YYYY-MM-DD)` (Nx's default writes `# X.0.0` for majors, and
 *   `#` for every version it cannot parse as SemVer);
 * - pre-releases (a/b/rc/dev): `## v1.4.0rc1 (YYYY-MM-DD)`. The `v` is deliberate: Nx 24 looks
 *   for an existing entry with the SemVer regex `#+ \[?(\d+\.\d+\.\d+(-…)?)`, which reads
 *   `## 1.4.0rc1` as version 1.4.0 and then silently drops the entry of the final 1.4.0 (the
 *   VersionActions refuse to start a release in that state, see changelog-guard.ts).
 *   `renderOptions.prereleaseHeadingPrefix` changes the prefix.
 * The date is written when `renderOptions.versionTitleDate` is true (Nx's default). Keep a
 * Changelog (https://keepachangelog.com/) and the validate-release executor read these headings.
 *
 * Which commits are listed is decided in nx-hooks.ts (commits touching the project's files or its
 * dependencies'; a final release lists everything since the previous final release). A final
 * release with nothing to list is refused (one line) instead of "This was a version bump only".
 */
import DefaultChangelogRenderer from 'nx/release/changelog-renderer';
import { QuiverError } from '../core/errors';
import { isPrerelease, isValidVersion } from '../core/pep440';
import { installReleaseHooks, releaseState } from './nx-hooks';

installReleaseHooks();

/** Options of {@link versionTitle} (from `renderOptions` in nx.json). */
export interface VersionTitleOptions {
  versionTitleDate?: boolean;
  prereleaseHeadingPrefix?: string;
}

/**
 * The heading line of a version's section: `## 1.4.0 (2026-05-01)`, `## v1.4.0rc1 (2026-05-01)`.
 * @param date `YYYY-MM-DD`, written when `opts.versionTitleDate` is true
 */
export function versionTitle(version: string, opts: VersionTitleOptions, date: string): string {
  const prefix = isValidVersion(version) && isPrerelease(version) ? (opts.prereleaseHeadingPrefix ?? 'v') : '';
  return `## ${prefix}${version}${opts.versionTitleDate ? ` (${date})` : ''}`;
}

export default class Pep440ChangelogRenderer extends DefaultChangelogRenderer {
  /** `## <version>`, see the module comment. */
  protected override renderVersionTitle(): string {
    return versionTitle(this.changelogEntryVersion, this.changelogRenderOptions as VersionTitleOptions, new Date().toISOString().slice(0, 10));
  }

  /**
   * A final release's entry always lists changes.
   * @throws QuiverError `CHANGELOG_NOTHING_TO_LIST` when a final version would get an empty
   *   ("version bump only") entry; the release stops before the commit and the tag
   */
  protected override renderEmptyEntry(): string {
    const v = this.changelogEntryVersion;
    if (this.project && isValidVersion(v) && !isPrerelease(v) && !this.hasDependencyBumps()) {
      throw new QuiverError(
        'CHANGELOG_NOTHING_TO_LIST',
        `${this.project} ${v}: no commit since the previous final release touches ${this.project} or its dependencies, so its changelog section would say only "version bump only"; release after a fix or feature lands (nothing was committed or tagged; undo the version edit with git checkout -- ${releaseState.manifests.join(' ') || 'pyproject.toml'}).`,
      );
    }
    return super.renderEmptyEntry();
  }
}
