/**
 * Before `nx release` writes anything: will its changelog step leave a section for the new version
 * that validate-release accepts? Nx 24 (changelog.js) finds an existing entry with
 * `parseChangelogMarkdown` (SemVer heading regex) and, when one "has" the new version, replaces
 * the text `## <version>\n\n\n<body>` with the new entry; otherwise it prepends the new entry. A
 * hand-edited pre-release heading (`## 1.4.0rc1`, `## [1.4.0rc1] - date`) is read as `1.4.0`, the
 * replacement finds nothing, and the final 1.4.0 gets no section while the release is committed
 * and tagged. This module replays Nx's step on the current text with a stand-in entry and checks
 * the outcome with validate-release's own reader ({@link findChangelogSection}). Pure.
 */
import { findChangelogSection } from '../core/changelog';
import { QuiverError } from '../core/errors';
import { nxInternals } from '../compat/nx-internals';

/** Nx's reader of existing changelog entries (the function Nx's changelog step calls). */
function nxReleases(text: string): Array<{ version: string; body: string }> {
  return nxInternals().parseChangelogMarkdown(text).releases;
}

const MARK = '- (new entry)';

/**
 * Check that Nx's changelog step will leave a section for `version` in `file`.
 * @param existing the changelog's current text, or `null` when the file does not exist yet
 * @param heading the heading the renderer writes (`## 1.4.0 (2026-05-01)`)
 * @throws QuiverError `CHANGELOG_HEADING_CONFLICT` naming the heading line Nx misreads and the fix
 */
export function assertChangelogSectionWillExist(existing: string | null, version: string, heading: string, file: string): void {
  if (existing === null || existing === '') return;
  const entry = `${heading}\n\n${MARK}`;
  const hit = nxReleases(existing).find((r) => r.version === version);
  const result = hit ? existing.replace(`## ${version}\n\n\n${hit.body}`, entry) : `${entry}\n\n${existing}`;
  if (findChangelogSection(result, version)) return;
  const lines = existing.split(/\r?\n/);
  const idx = lines.findIndex((l) => new RegExp(`^#+\\s*\\[?${version.replace(/\./g, '\\.')}(?![\\d.])`).test(l) && !findChangelogSection(l, version));
  const where = idx >= 0 ? `${file}:${idx + 1}: nx release reads the heading "${lines[idx].trim()}" as version ${version}` : `${file}: nx release finds an entry it reads as version ${version}`;
  const shown = idx >= 0 ? /^#+\s*\[?([^\]\s(]+)/.exec(lines[idx])?.[1] : undefined;
  const fix = shown ? `write that heading "## v${shown.replace(/^[vV]/, '')}" (how nx release writes pre-release headings)` : `rename that heading so it starts with "## v"`;
  throw new QuiverError(
    'CHANGELOG_HEADING_CONFLICT',
    `${where} and would write no ${version} section (the tag's release would then fail on CHANGELOG_NO_SECTION); ${fix}, then run nx release again. Nothing was written, committed or tagged.`,
  );
}
