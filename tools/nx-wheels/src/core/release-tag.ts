/**
 * Release tag patterns as nx.json writes them (`release.releaseTag.pattern`, Nx 24): `{version}`
 * preceded by literal text and the placeholders `{projectName}` / `{releaseGroupName}`, e.g.
 * `v{version}` (one fixed group, quiver's own workspace) or `{projectName}-v{version}` (independent
 * releases: one tag per project, `quiverdb-v1.2.3`). Every part of the plugin that reads or writes
 * release tags (the nx release hooks, validate-release, validate-wheels' and publish's tag check)
 * resolves a project's pattern to the literal prefix before `{version}` with {@link tagPrefixFor}
 * and reads tags with {@link versionOfTag}. Pure.
 *
 * Patterns with text after `{version}` or other placeholders are not understood here (`null`):
 * the nx release hooks then leave the decision to Nx, the executors say so in one line.
 */
import { QuiverError } from './errors';
import { normalizeVersion } from './pep440';

/** Values of the placeholders of a tag pattern, as Nx interpolates them. */
export interface TagPatternValues {
  /** Nx project name (`{projectName}`). */
  projectName?: string;
  /** Release group name (`{releaseGroupName}`). */
  releaseGroupName?: string;
}

/** The default pattern Nx 24 uses for a fixed group (`v{version}`) and for independent projects. */
export const DEFAULT_FIXED_TAG_PATTERN = 'v{version}';
/** The pattern `init` writes for independent releases. */
export const DEFAULT_INDEPENDENT_TAG_PATTERN = '{projectName}-v{version}';

/**
 * The literal text before `{version}` once `{projectName}` / `{releaseGroupName}` are replaced by
 * `values` (`{projectName}-v{version}` with projectName `quiverdb` -> `quiverdb-v`; `v{version}` ->
 * `v`), or `null` when the pattern has text after `{version}`, another placeholder, or a
 * placeholder without a value.
 */
export function tagPrefixFor(pattern: string, values: TagPatternValues = {}): string | null {
  let p = pattern;
  if (values.projectName !== undefined) p = p.split('{projectName}').join(values.projectName);
  if (values.releaseGroupName !== undefined) p = p.split('{releaseGroupName}').join(values.releaseGroupName);
  const m = /^([^{}]*)\{version\}$/.exec(p);
  return m ? m[1] : null;
}

/**
 * The normalized PEP 440 version a tag (or `refs/tags/...` ref) names under `prefix`, or `null`
 * when the tag does not start with `prefix` followed by a digit, has a local label, or the rest is
 * not PEP 440 (`quiverdb-v1.4.0rc1` with prefix `quiverdb-v` -> `1.4.0rc1`; `other-v1.0.0` -> null).
 */
export function versionOfTag(tagOrRef: string, prefix: string): string | null {
  const tag = tagOrRef.trim().replace(/^refs\/tags\//, '');
  if (!tag.startsWith(prefix)) return null;
  const rest = tag.slice(prefix.length);
  if (!/^\d/.test(rest) || rest.includes('+')) return null;
  return normalizeVersion(rest);
}

/** One release group of nx.json as far as tags are concerned. */
interface GroupLike {
  projects?: unknown;
  projectsRelationship?: unknown;
  releaseTag?: { pattern?: unknown } | unknown;
}

function patternOf(x: unknown): string | undefined {
  const rt = (x as { releaseTag?: { pattern?: unknown } } | undefined)?.releaseTag;
  return typeof rt?.pattern === 'string' ? rt.pattern : undefined;
}

/** Does a release group's `projects` entry (name, `tag:<tag>`, glob) select the project? */
function selects(entries: unknown, projectName: string, projectTags: readonly string[], glob: (pattern: string, name: string) => boolean): boolean {
  const list = Array.isArray(entries) ? entries : typeof entries === 'string' ? [entries] : [];
  let hit = false;
  for (const raw of list) {
    if (typeof raw !== 'string') continue;
    const neg = raw.startsWith('!');
    const e = neg ? raw.slice(1) : raw;
    const match = e.startsWith('tag:') ? projectTags.includes(e.slice(4)) : e === projectName || (/[*?[\]{}]/.test(e) && glob(e, projectName));
    if (match) hit = !neg;
  }
  return hit;
}

/** Where a project's release tag pattern comes from, and its prefix. */
export interface ProjectTagPattern {
  /** The pattern as configured (or Nx's default). */
  pattern: string;
  /** Literal prefix for this project ({@link tagPrefixFor}). */
  prefix: string;
  /** The release group (`__default__` for top-level `release.projects`), `null` when nx.json has no release config for the project. */
  group: string | null;
  /** `fixed` or `independent`. */
  relationship: 'fixed' | 'independent';
}

/**
 * The release tag pattern of `projectName` per nx.json `release` (Nx 24 semantics): the group in
 * `release.groups` whose `projects` selects it (its `releaseTag.pattern`, else the top-level one),
 * else the top-level `release.releaseTag.pattern`; Nx's defaults when absent (`v{version}` for a
 * fixed group, `{projectName}@{version}` for independent projects).
 * @param release nx.json `release` (anything; missing means Nx's defaults)
 * @param glob picomatch-style matcher for glob entries in `projects`
 * @throws QuiverError `RELEASE_TAG_PATTERN` when the pattern has text after `{version}` or a
 *   placeholder the plugin does not resolve
 */
export function projectTagPattern(release: unknown, projectName: string, projectTags: readonly string[], glob: (pattern: string, name: string) => boolean = () => false): ProjectTagPattern {
  const r = (release ?? {}) as { groups?: Record<string, GroupLike>; projectsRelationship?: unknown; releaseTag?: unknown };
  let group: string | null = null;
  let relationship: 'fixed' | 'independent' = r.projectsRelationship === 'independent' ? 'independent' : 'fixed';
  let pattern = patternOf(r);
  if (r.groups && typeof r.groups === 'object') {
    for (const [name, g] of Object.entries(r.groups)) {
      if (!selects(g?.projects, projectName, projectTags, glob)) continue;
      group = name;
      relationship = g.projectsRelationship === 'independent' ? 'independent' : 'fixed';
      pattern = patternOf(g) ?? pattern;
      break;
    }
  } else if (release) {
    group = '__default__';
  }
  const effective = pattern ?? (relationship === 'independent' ? '{projectName}@{version}' : DEFAULT_FIXED_TAG_PATTERN);
  const prefix = tagPrefixFor(effective, { projectName, releaseGroupName: group ?? '__default__' });
  if (prefix === null) {
    throw new QuiverError('RELEASE_TAG_PATTERN', `nx.json release.releaseTag.pattern "${effective}" (project ${projectName}) is not <text>{version}; write e.g. "v{version}" or "{projectName}-v{version}" (text and {projectName} before {version}, nothing after it).`);
  }
  return { pattern: effective, prefix, group, relationship };
}
