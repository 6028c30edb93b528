/**
 * Changelog renderer for PEP 440 versions: Nx's default renderer with these version headings:
 * - final releases: `## 1.4.0 (YYYY-MM-DD)` (Nx's default writes `# X.0.0` for majors, and
 *   `#` for every version it cannot parse as SemVer);
 * - pre-releases (a/b/rc/dev): `## v1.4.0rc1 (YYYY-MM-DD)`. The `v` is deliberate: Nx 24 looks
 *   for an existing entry with the SemVer regex `#+ \[?(\d+\.\d+\.\d+(-…)?)`, which reads
 *   `## 1.4.0rc1` as version 1.4.0 and then silently drops the entry of the final 1.4.0.
 *   `renderOptions.prereleaseHeadingPrefix` changes the prefix ("" gives `## 1.4.0rc1` and
 *   that Nx behaviour).
 * The date is written when `renderOptions.versionTitleDate` is true (Nx's default). Keep a
 * Changelog (https://keepachangelog.com/) and the validate-release executor read these headings.
 */
import DefaultChangelogRenderer from 'nx/release/changelog-renderer';
import { isPrerelease, isValidVersion } from '../core/pep440';

export default class Pep440ChangelogRenderer extends DefaultChangelogRenderer {
  /** `## <version>`, see the module comment. */
  protected override renderVersionTitle(): string {
    const v = this.changelogEntryVersion;
    const opts = this.changelogRenderOptions as { versionTitleDate?: boolean; prereleaseHeadingPrefix?: string };
    const prefix = isValidVersion(v) && isPrerelease(v) ? (opts.prereleaseHeadingPrefix ?? 'v') : '';
    const date = opts.versionTitleDate ? ` (${new Date().toISOString().slice(0, 10)})` : '';
    return `## ${prefix}${v}${date}`;
  }
}
