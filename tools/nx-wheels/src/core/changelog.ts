/**
 * Reading release sections of a CHANGELOG.md. Headings in the styles of Keep a Changelog
 * (https://keepachangelog.com/en/1.1.0/: `## [1.2.0] - 2024-05-01`) and of Nx release
 * (`## 1.2.0 (2024-05-01)`, pre-releases `## v1.4.0rc1 (2024-05-01)`) and of conventional-changelog
 * (https://github.com/conventional-changelog/conventional-changelog: `## [1.2.0](compare-url) (2024-05-01)`,
 * `### [1.2.1](compare-url) (2024-05-02)` for patches) are accepted, with or without the date, with or
 * without a leading `v`, at level `##` (or `#`, which Nx's default renderer uses for X.0.0; `###` for
 * conventional-changelog's linked headings). Versions are compared
 * after PEP 440 normalization, so `## 1.4.0-rc.1` is the section of `1.4.0rc1`. Pure.
 */
import { normalizeVersion } from './pep440';

/** One version section. */
export interface ChangelogSection {
  /** The version as written in the heading. */
  version: string;
  /** PEP 440 normalized, or `null` when the heading's version is not PEP 440 (e.g. `Unreleased`). */
  normalizedVersion: string | null;
  /** The heading line as written. */
  heading: string;
  /** 1-based line number of the heading. */
  line: number;
  /** Text between this heading and the next version heading (or a `#`/`##` heading), trimmed. */
  body: string;
}

// `## [1.2.0] - 2024-05-01`, `## 1.2.0 (2024-05-01)`, `# v1.2.0`, `## [Unreleased]`
const HEADING = /^(#{1,2})[ \t]+(?:\[([^\]\s]+)\]|([vV]?\d[^\s()]*))(?:[ \t]+(?:-[ \t]+)?\(?\d{4}-\d{2}-\d{2}\)?)?[ \t]*$/;
// conventional-changelog: `## [1.2.0](https://github.com/o/r/compare/v1.1.0...v1.2.0) (2024-05-01)`, `### [1.2.1](url) (2024-05-02)`
const LINKED_HEADING = /^(#{1,3})[ \t]+\[([vV]?\d[^\]\s]*)\]\([^)\s]*\)(?:[ \t]+\(?\d{4}-\d{2}-\d{2}\)?)?[ \t]*$/;
const UNRELEASED = /^#{1,2}[ \t]+\[?unreleased\]?/i;

/** Every version section of a changelog, in file order (`Unreleased` sections are skipped). */
export function listChangelogSections(text: string): ChangelogSection[] {
  const lines = text.split(/\r?\n/);
  const starts: Array<{ idx: number; version: string | null; heading: string }> = [];
  let fence = false;
  lines.forEach((l, idx) => {
    if (/^\s*(```|~~~)/.test(l)) fence = !fence;
    if (fence) return;
    const m = HEADING.exec(l) ?? LINKED_HEADING.exec(l);
    if (m) starts.push({ idx, version: (m[2] ?? m[3]).replace(/^[vV](?=\d)/, ''), heading: l });
    else if (UNRELEASED.test(l) || /^#{1,2}[ \t]/.test(l)) starts.push({ idx, version: null, heading: l });
  });
  const out: ChangelogSection[] = [];
  starts.forEach((s, k) => {
    if (s.version === null || !/^\d/.test(s.version)) return;
    const end = k + 1 < starts.length ? starts[k + 1].idx : lines.length;
    out.push({
      version: s.version,
      normalizedVersion: normalizeVersion(s.version),
      heading: s.heading,
      line: s.idx + 1,
      body: lines.slice(s.idx + 1, end).join('\n').trim(),
    });
  });
  return out;
}

/**
 * The section for `version` (compared after PEP 440 normalization).
 * @returns the first matching section, or `null` when the changelog has none
 */
export function findChangelogSection(text: string, version: string): ChangelogSection | null {
  const want = normalizeVersion(version) ?? version.trim();
  return listChangelogSections(text).find((s) => (s.normalizedVersion ?? s.version) === want) ?? null;
}
