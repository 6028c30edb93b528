/**
 * PEP 440 version handling (https://peps.python.org/pep-0440/), delegated to
 * `@renovatebot/pep440`. Only thin, named wrappers live here so the rest of the plugin speaks in
 * terms of "normalized version", "pre-release" and "git tag".
 */
import * as pep440 from '@renovatebot/pep440';

/**
 * Normalize a PEP 440 version string (`1.2.3-RC1` -> `1.2.3rc1`, `1.0.0-post.1` -> `1.0.0.post1`).
 * @returns the canonical form, or `null` when `version` is not a valid PEP 440 version.
 */
export function normalizeVersion(version: string): string | null {
  const v = version.trim();
  if (!pep440.valid(v)) return null;
  return pep440.clean(v);
}

/** True when `version` is a valid PEP 440 version (non-normalized spellings allowed). */
export function isValidVersion(version: string): boolean {
  return pep440.valid(version.trim()) !== null;
}

/**
 * Compare two PEP 440 versions.
 * @returns negative when a < b, 0 when equal after normalization, positive when a > b.
 * @throws Error when either is not valid PEP 440.
 */
export function compareVersions(a: string, b: string): number {
  if (!isValidVersion(a) || !isValidVersion(b)) {
    throw new Error(`not PEP 440 versions: ${a}, ${b}`);
  }
  return pep440.compare(a.trim(), b.trim());
}

/** True for pre-releases and development releases (`a`, `b`, `rc`, `.dev`), per PEP 440. */
export function isPrerelease(version: string): boolean {
  const e = pep440.explain(version.trim());
  return !!e && (e.is_prerelease || e.is_devrelease);
}

/**
 * Turn a git tag or ref into the version it names: `refs/tags/v1.2.3-rc1` -> `1.2.3rc1`.
 * Strips `refs/tags/` and one leading `v`/`V`, then normalizes.
 * @returns the normalized version, or `null` when the remainder is not PEP 440.
 */
export function versionFromTag(tagOrRef: string): string | null {
  const tag = tagOrRef.trim().replace(/^refs\/tags\//, '').replace(/^[vV](?=\d)/, '');
  return normalizeVersion(tag);
}
