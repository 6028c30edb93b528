/**
 * PEP 440 version handling (https://peps.python.org/pep-0440/), delegated to
 * `@renovatebot/pep440`. Only thin, named wrappers live here so the rest of the plugin speaks in
 * terms of "normalized version", "pre-release" and "git tag".
 */
import * as pep440 from '@renovatebot/pep440';
import { parse as parseSemver } from 'semver';
import { QuiverError } from './errors';

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

// ---------------------------------------------------------------------------------------------
// Bumping, and the PEP 440 <-> SemVer bridge that `nx release` needs (Nx thinks in SemVer:
// `1.3.0-rc.1`; Python publishes PEP 440: `1.3.0rc1`).
// ---------------------------------------------------------------------------------------------

/** A relative bump, as Nx / node-semver name them. */
export type BumpKeyword = 'major' | 'minor' | 'patch' | 'premajor' | 'preminor' | 'prepatch' | 'prerelease';

const BUMP_KEYWORDS: readonly string[] = ['major', 'minor', 'patch', 'premajor', 'preminor', 'prepatch', 'prerelease'];

/** True when `value` is one of {@link BumpKeyword}. */
export function isBumpKeyword(value: string): value is BumpKeyword {
  return BUMP_KEYWORDS.includes(value);
}

/** A PEP 440 pre-release phase (`dev` counts as one for bumping: `1.3.0.dev0`). */
export type PrePhase = 'a' | 'b' | 'rc' | 'dev';

/**
 * Map a pre-release identifier (Nx's `--preid`) to its PEP 440 phase: `alpha`/`a` -> `a`,
 * `beta`/`b` -> `b`, `rc`/`c`/`pre`/`preview` -> `rc`, `dev` -> `dev` (case-insensitive).
 * @returns the phase, or `null` when `preid` is empty.
 * @throws QuiverError `PEP440_BAD_PREID` for any other identifier (PEP 440 has no `next`, `canary`...).
 */
export function preidToPhase(preid: string | undefined | null): PrePhase | null {
  const p = (preid ?? '').trim().toLowerCase();
  if (!p) return null;
  if (p === 'a' || p === 'alpha') return 'a';
  if (p === 'b' || p === 'beta') return 'b';
  if (p === 'rc' || p === 'c' || p === 'pre' || p === 'preview') return 'rc';
  if (p === 'dev') return 'dev';
  throw new QuiverError('PEP440_BAD_PREID', `--preid "${preid}" has no PEP 440 equivalent; use --preid rc, beta (b), alpha (a) or dev.`);
}

interface Parsed {
  epoch: number;
  release: [number, number, number];
  pre: [string, number] | null;
  post: number | null;
  dev: number | null;
}

function parseForBump(version: string, what: string): Parsed {
  const e = pep440.explain(version.trim());
  if (!e) {
    throw new QuiverError('PEP440_INVALID', `${what} "${version}" is not a PEP 440 version; write it like 1.2.3, 1.2.3rc1 or 1.2.3.post1.`);
  }
  if (e.local) {
    throw new QuiverError('PEP440_LOCAL', `${what} "${version}" has a local label (+${e.local}), which package indexes reject; remove it.`);
  }
  if (e.release.length > 3) {
    throw new QuiverError('PEP440_LONG_RELEASE', `${what} "${version}" has ${e.release.length} release numbers; relative bumps need at most 3 (X.Y.Z): give the new version explicitly.`);
  }
  const r = [...e.release, 0, 0].slice(0, 3) as [number, number, number];
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(Array.isArray(v) ? v[v.length - 1] : v));
  return { epoch: e.epoch, release: r, pre: e.pre ? [String(e.pre[0]), Number(e.pre[1])] : null, post: num(e.post), dev: num(e.dev) };
}

/**
 * The SemVer spelling of a PEP 440 version, for tools that only understand SemVer (Nx's
 * version math): `1.3.0rc1` -> `1.3.0-rc.1`, `1.3.0a2` -> `1.3.0-a.2`, `1.3.0.dev3` ->
 * `1.3.0-dev.3`, `1.3.0rc1.dev2` -> `1.3.0-rc.1.dev.2`, `1.2` -> `1.2.0`. A post-release keeps
 * its base (`1.2.0.post1` -> `1.2.0`, SemVer has no post-releases) and the epoch is dropped
 * (see {@link bumpVersion}, which keeps it).
 * @throws QuiverError `PEP440_INVALID`, `PEP440_LOCAL`, `PEP440_LONG_RELEASE`
 */
export function pep440ToSemver(version: string): string {
  const p = parseForBump(version, 'version');
  const ids: Array<string | number> = [];
  if (p.pre) ids.push(p.pre[0], p.pre[1]);
  if (p.dev !== null) ids.push('dev', p.dev);
  return p.release.join('.') + (ids.length ? `-${ids.join('.')}` : '');
}

/**
 * The PEP 440 spelling of a SemVer version: `1.3.0-rc.1` -> `1.3.0rc1`, `1.3.0-alpha.0` ->
 * `1.3.0a0`, `1.3.0-beta.2` -> `1.3.0b2`, `1.3.0-dev.4` -> `1.3.0.dev4`, `1.3.0-rc.1.dev.2` ->
 * `1.3.0rc1.dev2`, `1.3.0-rc` -> `1.3.0rc0`; build metadata is dropped.
 * @returns the normalized PEP 440 version, or `null` when `semver` is not SemVer or its
 *   pre-release part has no PEP 440 meaning (`1.3.0-next.1`, `1.3.0-0`).
 */
export function semverToPep440(semver: string): string | null {
  // node-semver, which is what Nx parses versions with (a leading `v` is accepted, build metadata kept apart).
  const parsed = parseSemver(semver.trim());
  if (!parsed) return null;
  const base = `${parsed.major}.${parsed.minor}.${parsed.patch}`;
  if (!parsed.prerelease.length) return base;
  const ids = parsed.prerelease.map(String);
  let out = base;
  let i = 0;
  const num = () => (i < ids.length && /^\d+$/.test(ids[i]) ? Number(ids[i++]) : 0);
  let phase: PrePhase | null;
  try {
    phase = preidToPhase(ids[0]);
  } catch {
    return null;
  }
  i = 1;
  if (phase && phase !== 'dev') {
    out += `${phase}${num()}`;
    if (i < ids.length) {
      if (ids[i].toLowerCase() !== 'dev') return null;
      i++;
      out += `.dev${num()}`;
    }
  } else if (phase === 'dev') {
    out += `.dev${num()}`;
  } else {
    return null;
  }
  if (i !== ids.length) return null;
  return normalizeVersion(out);
}

/**
 * Read a version the user typed (`nx release 1.3.0-rc.1`, `nx release 1.3.0rc1`): SemVer
 * pre-release spellings are translated with {@link semverToPep440}, anything else must be PEP 440.
 * The result is written with at least three release numbers ({@link padRelease}: `2.2` -> `2.2.0`).
 * @returns the normalized PEP 440 version
 * @throws QuiverError `PEP440_INVALID` naming both accepted spellings; `PEP440_LOCAL` for a local
 *   version (`2.1.0+local`), which no package index accepts
 */
export function parseExplicitVersion(input: string): string {
  const v = input.trim().replace(/^[vV](?=\d)/, '');
  // SemVer first: `1.3.0-1` is a SemVer pre-release but a PEP 440 post-release.
  if (/^\d+\.\d+\.\d+-/.test(v)) {
    const fromSemver = semverToPep440(v);
    if (fromSemver) return fromSemver;
    throw new QuiverError('PEP440_INVALID', `version "${input}" has a pre-release part PEP 440 cannot express; use a, b, rc or dev, e.g. 1.3.0-rc.1 (written 1.3.0rc1) or 1.3.0rc1.`);
  }
  const n = normalizeVersion(v);
  if (!n) {
    throw new QuiverError('PEP440_INVALID', `version "${input}" is neither PEP 440 (1.3.0rc1, 1.3.0.post1) nor SemVer (1.3.0-rc.1); give a version such as 1.3.0 or 1.3.0rc1.`);
  }
  const plus = n.indexOf('+');
  if (plus >= 0) {
    throw new QuiverError('PEP440_LOCAL', `version "${input}" has a local label (+${n.slice(plus + 1)}), which PyPI and every package index refuse; release ${padRelease(n.slice(0, plus))} instead (nx release ${padRelease(n.slice(0, plus))}).`);
  }
  return padRelease(n);
}

/**
 * Write the release segment with at least three numbers, the form the release tags take
 * (`v{version}` must match the release workflow's `v*.*.*` trigger): `2.2` -> `2.2.0`, `2` ->
 * `2.0.0`, `1!2.0rc1` -> `1!2.0.0rc1`, `2.2.post1` -> `2.2.0.post1`. PEP 440 compares release
 * segments zero-padded, so the version is the same one. Longer segments (`1.2.3.4`) are kept.
 * @param version a normalized PEP 440 version
 */
function padRelease(version: string): string {
  const m = /^(\d+!)?(\d+(?:\.\d+)*)(.*)$/s.exec(version);
  if (!m) return version;
  const parts = m[2].split('.');
  while (parts.length < 3) parts.push('0');
  return `${m[1] ?? ''}${parts.join('.')}${m[3]}`;
}

/** Options of {@link bumpVersion}. */
export interface BumpOptions {
  /** Nx's `adjustSemverBumpsForZeroMajorVersion`: on 0.x, major -> minor, minor -> patch (and pre- forms). */
  adjustZeroMajor?: boolean;
}

/**
 * Bump a PEP 440 version the way node-semver bumps SemVer (which is what Nx users expect), and
 * write the result in PEP 440:
 * - `major`/`minor`/`patch`: `1.2.3` -> `2.0.0`/`1.3.0`/`1.2.4`; a pre-release graduates
 *   (`1.3.0rc1` + minor -> `1.3.0`); a post-release bumps its base (`1.2.0.post1` + patch -> `1.2.1`).
 * - `premajor`/`preminor`/`prepatch` with preid `rc`: `1.2.3` -> `2.0.0rc0`/`1.3.0rc0`/`1.2.4rc0`.
 * - `prerelease`: `1.3.0rc0` -> `1.3.0rc1`; from a final `1.3.0` with preid `rc` -> `1.3.1rc0`;
 *   a new phase restarts at 0 (`1.3.0b2` + rc -> `1.3.0rc0`).
 * The epoch (`1!`) is kept. Preids: see {@link preidToPhase}.
 * @returns the normalized PEP 440 version, always newer than `current`
 * @throws QuiverError `PEP440_NEEDS_PREID` (a pre-bump of a final version without preid),
 *   `PEP440_NOT_NEWER` (e.g. `1.3.0rc1` + prerelease `alpha`), and what {@link pep440ToSemver} throws
 */
export function bumpVersion(current: string, bump: BumpKeyword, preid?: string | null, opts: BumpOptions = {}): string {
  const p = parseForBump(current, 'current version');
  let kind: BumpKeyword = bump;
  if (opts.adjustZeroMajor && p.release[0] === 0) {
    kind = ({ major: 'minor', minor: 'patch', premajor: 'preminor', preminor: 'prepatch' } as Record<string, BumpKeyword>)[bump] ?? bump;
  }
  let phase = preidToPhase(preid);
  const isPre = p.pre !== null || p.dev !== null;
  if (kind.startsWith('pre') && !phase) {
    if (kind === 'prerelease' && isPre) phase = (p.pre ? (p.pre[0] as PrePhase) : 'dev');
    else {
      throw new QuiverError('PEP440_NEEDS_PREID', `"${bump}" of ${current} needs a pre-release phase: pass --preid rc (or beta, alpha, dev).`);
    }
  }
  const [M, m, pt] = bumpRelease(kind, p.release, isPre);
  const { pre, dev } = kind.startsWith('pre') ? preAndDev(kind, phase!, p, isPre) : { pre: null, dev: null };
  const text =
    (p.epoch ? `${p.epoch}!` : '') + `${M}.${m}.${pt}` + (pre ? `${pre[0]}${pre[1]}` : '') + (dev !== null ? `.dev${dev}` : '');
  const next = normalizeVersion(text)!;
  if (pep440.compare(next, current.trim()) <= 0) {
    throw new QuiverError('PEP440_NOT_NEWER', `"${bump}"${phase ? ` with preid ${phase}` : ''} would take ${current} to ${next}, which is not newer (PEP 440 orders dev < a < b < rc < final); choose another --preid or give the version explicitly.`);
  }
  return next;
}

/** The X.Y.Z of a bump: a pre-release's own X.Y.Z is the release it leads to (1.3.0rc1 --minor-> 1.3.0). */
function bumpRelease(kind: BumpKeyword, release: [number, number, number], isPre: boolean): [number, number, number] {
  const [M, m, pt] = release;
  switch (kind) {
    case 'major':
      return [isPre && m === 0 && pt === 0 ? M : M + 1, 0, 0];
    case 'minor':
      return [M, isPre && pt === 0 ? m : m + 1, 0];
    case 'patch':
    case 'prerelease':
      return [M, m, isPre ? pt : pt + 1];
    case 'premajor':
      return [M + 1, 0, 0];
    case 'preminor':
      return [M, m + 1, 0];
    case 'prepatch':
      return [M, m, pt + 1];
  }
}

/** The pre-release and dev parts of a `pre*` bump to `phase`. */
function preAndDev(kind: BumpKeyword, phase: PrePhase, p: Parsed, isPre: boolean): { pre: [string, number] | null; dev: number | null } {
  const same = kind === 'prerelease' && isPre;
  if (phase === 'dev') {
    // `.devN` alone, or under the current pre-release (`1.3.0rc1.dev0`).
    return { pre: same && p.pre ? p.pre : null, dev: same && p.dev !== null ? p.dev + 1 : 0 };
  }
  // rc1 -> rc2; rc1.dev3 -> rc1 (the dev release of rc1 graduates to rc1)
  if (same && p.pre && p.pre[0] === phase) return { pre: [phase, p.dev !== null ? p.pre[1] : p.pre[1] + 1], dev: null };
  return { pre: [phase, 0], dev: null };
}
