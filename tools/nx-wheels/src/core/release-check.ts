/**
 * The release validator's decisions: does the pyproject.toml version, the changelog and the git
 * tag agree? Pure: the pipeline gathers file contents and git facts, this module judges them.
 *
 * - branch mode: `[project].version` is valid PEP 440, newer than the latest `<prefix>*` tag, and
 *   has a changelog section;
 * - tag mode: tag version == `[project].version` == changelog section, after PEP 440 normalization.
 * Every failure is one actionable line naming the file, field or option and the fix.
 */
import { ChangelogSection, findChangelogSection } from './changelog';
import { isQuiverError } from './errors';
import { compareVersions, isPrerelease, normalizeVersion } from './pep440';
import { readPyProjectText, requireStaticVersion } from './pyproject';

/** What the validator judges. */
export interface ReleaseCheckInput {
  mode: 'branch' | 'tag';
  /** Path of pyproject.toml for messages (workspace-relative). */
  pyprojectFile: string;
  /** Its text, or `null` when the file does not exist. */
  pyprojectText: string | null;
  /** Path of the changelog for messages. */
  changelogFile: string;
  /** Its text, or `null` when the file does not exist. */
  changelogText: string | null;
  /** Tag mode: the tag or ref (`v1.2.3`, `refs/tags/v1.2.3`), or `null` when none was found. */
  tag?: string | null;
  /** Where the tag came from, for messages (`--tag`, `GITHUB_REF_NAME`, `GITHUB_REF`). */
  tagSource?: string;
  /** Branch mode: every tag name in the repository. */
  tags?: string[];
  /** Tag prefix of release tags (`v` for the pattern `v{version}`). */
  tagPrefix: string;
  /** Branch mode: the clone is shallow (`git rev-parse --is-shallow-repository`). */
  shallow?: boolean;
}

/** One failed check. */
export interface ReleaseFailure {
  /** Stable identifier, e.g. `TAG_VERSION_MISMATCH`. */
  code: string;
  /** One line: what disagrees, where, and the fix. */
  message: string;
}

/** The validator's verdict. */
export interface ReleaseCheckResult {
  ok: boolean;
  mode: 'branch' | 'tag';
  /** Normalized `[project].version`, or `null` when it could not be read. */
  version: string | null;
  /** True for a/b/rc/dev versions (mark the GitHub Release as a pre-release); `null` when unknown. */
  prerelease: boolean | null;
  /** Tag mode: the tag checked. */
  tag: string | null;
  /** Branch mode: the highest release tag, or `null` when there is none. */
  latestTag: string | null;
  /** The changelog section of `version`, when found. */
  section: ChangelogSection | null;
  failures: ReleaseFailure[];
  /** Informational lines for the summary. */
  notes: string[];
}

/** The highest `<prefix><PEP 440 version>` tag; other tags are ignored. */
export function latestReleaseTag(tags: readonly string[], prefix: string): { tag: string; version: string } | null {
  let best: { tag: string; version: string } | null = null;
  for (const t of tags) {
    if (!t.startsWith(prefix)) continue;
    const v = normalizeVersion(t.slice(prefix.length));
    if (!v || !/^\d/.test(t.slice(prefix.length))) continue;
    if (!best || compareVersions(v, best.version) > 0) best = { tag: t, version: v };
  }
  return best;
}

/**
 * Judge a release (see the module comment). Never throws for user-caused problems: each becomes
 * a {@link ReleaseFailure}.
 */
export function checkRelease(i: ReleaseCheckInput): ReleaseCheckResult {
  const failures: ReleaseFailure[] = [];
  const notes: string[] = [];
  const fail = (code: string, message: string) => failures.push({ code, message });
  let version: string | null = null;

  if (i.pyprojectText === null) {
    fail('PYPROJECT_MISSING', `${i.pyprojectFile} not found; run validate-release in a project whose root has a pyproject.toml.`);
  } else {
    try {
      version = requireStaticVersion(readPyProjectText(i.pyprojectText, i.pyprojectFile, { requireCibuildwheel: false }));
    } catch (e) {
      if (!isQuiverError(e)) throw e;
      fail(e.code, e.message);
    }
  }

  let tag: string | null = null;
  let latestTag: string | null = null;
  if (i.mode === 'tag') {
    tag = i.tag ? i.tag.trim().replace(/^refs\/tags\//, '') : null;
    if (!tag) {
      fail('NO_TAG', `tag mode needs a tag: pass --tag=${i.tagPrefix}X.Y.Z, or run on a tag push (GITHUB_REF_NAME / GITHUB_REF = refs/tags/...).`);
    } else if (!tag.startsWith(i.tagPrefix) || !/^\d/.test(tag.slice(i.tagPrefix.length))) {
      fail('TAG_PATTERN', `tag "${tag}" (${i.tagSource ?? '--tag'}) does not match the release tag pattern ${i.tagPrefix}{version}; push a tag such as ${i.tagPrefix}${version ?? '1.2.3'}.`);
    } else {
      const tagVersion = normalizeVersion(tag.slice(i.tagPrefix.length));
      if (!tagVersion) {
        fail('TAG_NOT_VERSION', `tag "${tag}" (${i.tagSource ?? '--tag'}) does not name a PEP 440 version; use ${i.tagPrefix}1.2.3, ${i.tagPrefix}1.2.3rc1 or ${i.tagPrefix}1.2.3.post1.`);
      } else if (version && tagVersion !== version) {
        fail('TAG_VERSION_MISMATCH', `tag ${tag} names version ${tagVersion} but ${i.pyprojectFile} [project].version is ${version}; tag the commit whose pyproject.toml says ${tagVersion} (nx release ${tagVersion} does both), or delete the tag and push ${i.tagPrefix}${version}.`);
      }
    }
  } else {
    const latest = latestReleaseTag(i.tags ?? [], i.tagPrefix);
    latestTag = latest?.tag ?? null;
    if (!latest) {
      if (i.shallow) {
        fail('NO_TAGS_SHALLOW', `no ${i.tagPrefix}* tags in this shallow clone, so the version cannot be compared with the last release; check out with full history and tags (actions/checkout with fetch-depth: 0) or run git fetch --tags --unshallow.`);
      } else {
        notes.push(`No ${i.tagPrefix}* release tag yet: treating ${version ?? 'this version'} as the first release.`);
      }
    } else if (version && compareVersions(version, latest.version) <= 0) {
      fail('VERSION_NOT_NEWER', `${i.pyprojectFile} [project].version ${version} is not newer than the latest release tag ${latest.tag}; bump it (nx release version, or edit version = "..." under [project]).`);
    }
  }

  let section: ChangelogSection | null = null;
  if (version) {
    if (i.changelogText === null) {
      fail('CHANGELOG_MISSING', `${i.changelogFile} not found; create it with a "## ${version}" section (nx release changelog writes one), or point --changelog at the right file.`);
    } else {
      section = findChangelogSection(i.changelogText, version);
      if (!section) {
        fail('CHANGELOG_NO_SECTION', `${i.changelogFile} has no section for ${version}; add a heading "## ${version}" or "## [${version}] - YYYY-MM-DD" with the release notes (nx release changelog writes it).`);
      } else if (!section.body) {
        notes.push(`${i.changelogFile}:${section.line}: the ${version} section is empty.`);
      }
    }
  }

  return {
    ok: failures.length === 0,
    mode: i.mode,
    version,
    prerelease: version ? isPrerelease(version) : null,
    tag,
    latestTag,
    section,
    failures,
    notes,
  };
}

/** Markdown summary for `$GITHUB_STEP_SUMMARY` and the console. */
export function renderReleaseSummary(r: ReleaseCheckResult, projectName: string): string {
  const lines = [`### validate-release: ${projectName} ${r.ok ? 'passed' : 'FAILED'} (${r.mode} mode)`, ''];
  lines.push(`| check | value |`, `| --- | --- |`);
  lines.push(`| version | ${r.version ?? '(unreadable)'} |`);
  lines.push(`| pre-release | ${r.prerelease === null ? '?' : r.prerelease ? 'yes' : 'no'} |`);
  if (r.mode === 'tag') lines.push(`| tag | ${r.tag ?? '(none)'} |`);
  else lines.push(`| latest release tag | ${r.latestTag ?? '(none)'} |`);
  lines.push(`| changelog section | ${r.section ? `line ${r.section.line}: \`${r.section.heading.trim()}\`` : '(missing)'} |`);
  if (r.failures.length) {
    lines.push('', '**Failures**', '', ...r.failures.map((f) => `- \`${f.code}\`: ${f.message}`));
  }
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}
