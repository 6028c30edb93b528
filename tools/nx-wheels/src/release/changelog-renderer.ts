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
 * Which commits are listed is decided in compat/nx-release.ts (commits touching the project's files or its
 * dependencies'; a final release lists everything since the previous final release). A version whose
 * range lists nothing gets a section that says why (release-notes.ts: first release, pre-releases
 * promoted, only commits of hidden types) instead of Nx's "This was a version bump only"; a
 * release that was asked for is never refused for its notes.
 */
import DefaultChangelogRenderer from 'nx/release/changelog-renderer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPrerelease, isValidVersion, normalizeVersion } from '../core/pep440';
import { tagPrefixFor } from '../core/release-tag';
import * as nxReleaseCompat from '../compat/nx-release';
import { releaseState } from './release-state';
import { collectReleaseNotesFacts, describeEmptySection } from './release-notes';

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

/**
 * The project's release tag prefix: from the pattern the VersionActions recorded, else nx.json's
 * `release.releaseTag.pattern`, else `v`; `{projectName}` resolved to `project`.
 */
function tagPrefix(project: string): string {
  const own = releaseState.projects[project]?.prefix;
  if (own) return own;
  let pattern = releaseState.tagPattern;
  if (pattern === null) {
    try {
      const nxJson = JSON.parse(readFileSync(join(process.cwd(), 'nx.json'), 'utf8'));
      pattern = String(nxJson?.release?.releaseTag?.pattern ?? 'v{version}');
    } catch {
      pattern = 'v{version}';
    }
  }
  return tagPrefixFor(pattern, { projectName: project, releaseGroupName: releaseState.projects[project]?.group }) ?? 'v';
}

export default class Pep440ChangelogRenderer extends DefaultChangelogRenderer {
  constructor(config: ConstructorParameters<typeof DefaultChangelogRenderer>[0]) {
    super(config);
    nxReleaseCompat.install();
  }

  /** `## <version>`, see the module comment. */
  protected override renderVersionTitle(): string {
    return versionTitle(this.changelogEntryVersion, this.changelogRenderOptions as VersionTitleOptions, new Date().toISOString().slice(0, 10));
  }

  /**
   * Nx's entry, except when the project's range lists nothing: then the heading and a line saying
   * why ({@link describeEmptySection}).
   */
  override async render(): Promise<string> {
    this.preprocessChanges();
    const version = normalizeVersion(this.changelogEntryVersion);
    if (!this.project || !version || !this.shouldRenderEmptyEntry()) return super.render();
    const prefix = tagPrefix(this.project);
    const facts = await collectReleaseNotesFacts({ projectName: this.project, version, prefix });
    const shown = Object.entries(this.conventionalCommitsConfig?.types ?? {})
      .filter(([type, t]) => type !== '__INVALID__' && !(t as { changelog?: { hidden?: boolean } }).changelog?.hidden)
      .map(([type]) => type);
    return `${this.renderVersionTitle()}\n\n${describeEmptySection(this.project, version, facts, shown, prefix)}`;
  }
}
