/**
 * The release validator's decisions: does the pyproject.toml version, the changelog and the git
 * tag agree? Pure: the pipeline gathers file contents and git facts, this module judges them.
 *
 * - branch mode: `[project].version` is valid PEP 440, newer than the latest `<prefix>*` tag, and
 *   has a changelog section;
 * - tag mode: tag version == `[project].version` == changelog section, after PEP 440 normalization.
 * A dynamic `[project].version` is the version the build back-end computes (PEP 517, given in
 * `computed`); for a VCS-derived version (setuptools-scm, hatch-vcs...) the tag is the version: tag mode
 * compares the tag with what the back-end computes on the tag's checkout, branch mode has no version
 * to check before the tag exists. Tags are `<prefix><version>`, the prefix possibly naming the
 * project (`quiverdb-v`, core/release-tag.ts).
 * Every failure is one actionable line naming the file, field or option and the fix.
 */
import { ChangelogSection, findChangelogSection } from './changelog';
import { isQuiverError } from './errors';
import type { ErrorCode } from './error-catalog';
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
  /** The version the build back-end computes (PEP 517) when `[project].version` is dynamic; `null`/absent when not computed. */
  computed?: string | null;
  /** The VCS versioning back-end when the version comes from git tags (`hatch-vcs`...), else `null`/absent. */
  vcs?: string | null;
}

/** One failed check. */
interface ReleaseFailure {
  /** Stable identifier, e.g. `TAG_VERSION_MISMATCH`. */
  code: ErrorCode;
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

/** A release tag and the normalized PEP 440 version it names. */
export interface ReleaseTag {
  tag: string;
  version: string;
}

/**
 * The release tags among `tags`, highest PEP 440 version first. A release tag is `<prefix>` followed
 * by a PEP 440 version that starts with a digit and has no local label (`v1.4.0`, `v1.4.0rc1`,
 * `v1.4.0-rc.1`, `v1!2.0`); every other tag (`vendor-import`, `vNext`, `vscode-x`, `v1.2.3+local`,
 * `latest`) is ignored. This is the one tag rule of the plugin: validate-release (branch mode) and
 * `nx release` (current version from git tags, changelog start) both use it. Pure.
 */
export function releaseTags(tags: readonly string[], prefix: string): ReleaseTag[] {
  const out: ReleaseTag[] = [];
  for (const t of tags) {
    if (!t.startsWith(prefix)) continue;
    const rest = t.slice(prefix.length);
    if (!/^\d/.test(rest) || rest.includes('+')) continue;
    const v = normalizeVersion(rest);
    if (v) out.push({ tag: t, version: v });
  }
  return out.sort((a, b) => compareVersions(b.version, a.version) || a.tag.localeCompare(b.tag));
}

/** Options of {@link latestReleaseTag}. */
export interface LatestReleaseTagOptions {
  /** Only final releases (no a/b/rc/dev): the previous final release of a final release's changelog. */
  finalOnly?: boolean;
  /** Only versions lower than this one (PEP 440). */
  below?: string;
}

/** The highest release tag (see {@link releaseTags}), or `null` when there is none. */
export function latestReleaseTag(tags: readonly string[], prefix: string, opts: LatestReleaseTagOptions = {}): ReleaseTag | null {
  for (const t of releaseTags(tags, prefix)) {
    if (opts.finalOnly && isPrerelease(t.version)) continue;
    if (opts.below && compareVersions(t.version, opts.below) >= 0) continue;
    return t;
  }
  return null;
}

/** The local label of a PEP 440 version (`2.1.0+local` -> `local`), or `null`. */
function localLabel(version: string): string | null {
  const i = version.indexOf('+');
  return i < 0 ? null : version.slice(i + 1);
}

/** Where the checks below record what they find. */
interface Findings {
  failures: ReleaseFailure[];
  notes: string[];
}

function fail(f: Findings, code: ErrorCode, message: string): void {
  f.failures.push({ code, message });
}

/**
 * Judge a release (see the module comment). Never throws for user-caused problems: each becomes
 * a {@link ReleaseFailure}.
 */
export function checkRelease(i: ReleaseCheckInput): ReleaseCheckResult {
  const f: Findings = { failures: [], notes: [] };
  const versionField = i.computed ? `the version its build back-end computes${i.vcs ? ` (${i.vcs}) on this checkout` : ''}` : '[project].version';
  const version = releaseVersion(i, versionField, f);
  let tag: string | null = null;
  let latestTag: string | null = null;
  if (i.mode === 'tag') tag = checkTag(i, version, versionField, f);
  else latestTag = checkNewerThanLatest(i, version, versionField, f);
  const section = version ? checkChangelog(i, version, f) : null;
  return {
    ok: f.failures.length === 0,
    mode: i.mode,
    version,
    prerelease: version ? isPrerelease(version) : null,
    tag,
    latestTag,
    section,
    failures: f.failures,
    notes: f.notes,
  };
}

/**
 * The normalized version to release: static `[project].version`, or the computed one when dynamic;
 * null when unreadable, not decidable yet (VCS version in branch mode) or carrying a local label.
 */
function releaseVersion(i: ReleaseCheckInput, versionField: string, f: Findings): string | null {
  let version: string | null = null;
  if (i.pyprojectText === null) {
    fail(f, 'PYPROJECT_MISSING', `${i.pyprojectFile} not found; run validate-release in a project whose root has a pyproject.toml.`);
    return null;
  }
  try {
    const p = readPyProjectText(i.pyprojectText, i.pyprojectFile, { requireCibuildwheel: false });
    if (!p.dynamicVersion) version = requireStaticVersion(p);
    else if (i.vcs && i.mode === 'branch') f.notes.push(`${i.pyprojectFile}: the version comes from git tags (${i.vcs}); the release tag sets it, nx release creates the tag.`);
    else if (i.computed) version = normalizeVersion(i.computed) ?? i.computed;
    else requireStaticVersion(p);
  } catch (e) {
    if (!isQuiverError(e)) throw e;
    fail(f, e.code, e.message);
  }
  const vcsTag = !!(i.vcs && i.mode === 'tag');
  if (version && localLabel(version) !== null && !vcsTag) {
    fail(f, 'VERSION_LOCAL', `${i.pyprojectFile} ${versionField} ${version} has a local label (+${localLabel(version)}), which PyPI and every package index refuse; set version = "${version.split('+')[0]}" (nx release ${version.split('+')[0]}).`);
    return null;
  }
  return version;
}

/** Tag mode: the tag matches `<prefix>{version}` and names the version being released. Returns the tag checked. */
function checkTag(i: ReleaseCheckInput, version: string | null, versionField: string, f: Findings): string | null {
  const tag = i.tag ? i.tag.trim().replace(/^refs\/tags\//, '') : null;
  const source = i.tagSource ?? '--tag';
  if (!tag) {
    fail(f, 'NO_TAG', `tag mode needs a tag: pass --tag=${i.tagPrefix}X.Y.Z, or run on a tag push (GITHUB_REF_NAME / GITHUB_REF = refs/tags/...).`);
    return tag;
  }
  if (!tag.startsWith(i.tagPrefix) || !/^\d/.test(tag.slice(i.tagPrefix.length))) {
    fail(f, 'TAG_PATTERN', `tag "${tag}" (${source}) does not match the release tag pattern ${i.tagPrefix}{version}; push a tag such as ${i.tagPrefix}${version ?? '1.2.3'}.`);
    return tag;
  }
  const tagVersion = normalizeVersion(tag.slice(i.tagPrefix.length));
  if (!tagVersion) {
    fail(f, 'TAG_NOT_VERSION', `tag "${tag}" (${source}) does not name a PEP 440 version; use ${i.tagPrefix}1.2.3, ${i.tagPrefix}1.2.3rc1 or ${i.tagPrefix}1.2.3.post1.`);
  } else if (version && tagVersion !== version && i.vcs) {
    fail(f, 'TAG_VERSION_MISMATCH', `tag ${tag} names version ${tagVersion} but ${i.pyprojectFile}'s build back-end (${i.vcs}) computes ${version} on this checkout; run on a clean checkout of the tag itself with its history and tags (actions/checkout with ref: ${tag}, fetch-depth: 0), and make the back-end read tags named ${i.tagPrefix}X.Y.Z (setuptools-scm / hatch-vcs tag_regex).`);
  } else if (version && tagVersion !== version) {
    fail(f, 'TAG_VERSION_MISMATCH', `tag ${tag} names version ${tagVersion} but ${i.pyprojectFile} ${versionField} is ${version}; tag the commit whose pyproject.toml says ${tagVersion} (nx release ${tagVersion} does both), or delete the tag and push ${i.tagPrefix}${version}.`);
  }
  return tag;
}

/** Branch mode: the version is newer than the latest release tag. Returns that tag, or null when there is none. */
function checkNewerThanLatest(i: ReleaseCheckInput, version: string | null, versionField: string, f: Findings): string | null {
  const latest = latestReleaseTag(i.tags ?? [], i.tagPrefix);
  if (!latest) {
    if (i.shallow) {
      fail(f, 'NO_TAGS_SHALLOW', `no ${i.tagPrefix}* tags in this shallow clone, so the version cannot be compared with the last release; check out with full history and tags (actions/checkout with fetch-depth: 0) or run git fetch --tags --unshallow.`);
    } else {
      f.notes.push(`No ${i.tagPrefix}* release tag yet: treating ${version ?? 'this version'} as the first release.`);
    }
  } else if (version && compareVersions(version, latest.version) <= 0) {
    fail(f, 'VERSION_NOT_NEWER', `${i.pyprojectFile} ${versionField} ${version} is not newer than the latest release tag ${latest.tag}; bump it (nx release version, or edit version = "..." under [project]).`);
  }
  return latest?.tag ?? null;
}

/** The changelog has a (non-empty) section for `version`. Returns the section, or null when missing. */
function checkChangelog(i: ReleaseCheckInput, version: string, f: Findings): ChangelogSection | null {
  if (i.changelogText === null) {
    fail(f, 'CHANGELOG_MISSING', `${i.changelogFile} not found; create it with a "## ${version}" section (nx release changelog writes one), or point --changelog at the right file.`);
    return null;
  }
  const section = findChangelogSection(i.changelogText, version);
  if (!section) {
    fail(f, 'CHANGELOG_NO_SECTION', `${i.changelogFile} has no section for ${version}; add a heading "## ${version}" or "## [${version}] - YYYY-MM-DD" with the release notes (nx release changelog writes it).`);
  } else if (!section.body) {
    f.notes.push(`${i.changelogFile}:${section.line}: the ${version} section is empty.`);
  }
  return section;
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
