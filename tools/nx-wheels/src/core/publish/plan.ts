/**
 * The publish decision, one pure function shared by `publish --preflight`, the upload and the
 * re-check after an index answers "file exists":
 *
 *  1. the release: every build identifier of the release must have its wheel, or the run stops
 *     with `RELEASE_INCOMPLETE` (a partial release needs `allowPartial`, and is then called one);
 *  2. each local file against the index's listing (by exact filename, as indexes do): upload it,
 *     skip it (same filename with the same sha256 is already there), or refuse (same filename,
 *     other bytes: indexes never let a file be replaced, PyPI not even after deletion:
 *     `INDEX_FILE_CONFLICT`).
 *
 * No file system, no network: names, digests and listings in, decisions out.
 */
import { QuiverError } from '../errors';
import { BuildIdentifier, Platform } from '../identifiers';
import { matchIdentifiers } from '../validation/rules';
import { parseWheelFilename, WheelFilename } from '../wheel-filename';
import { IndexFile } from './simple-index';

/** A local file about to be published. */
export interface LocalFile {
  file: string;
  /** Lower-case hex sha256 of the file. */
  sha256: string;
  /** Bytes. */
  size: number;
}

/** The decision for one file. */
export interface PlannedFile extends LocalFile {
  action: 'upload' | 'skip' | 'conflict';
  /** The index's sha256 when the file is already there. */
  remoteSha256: string | null;
}

/** What the release must contain and what the wheel directory has. */
export interface ReleaseScope {
  /** `[tool.nx-wheels] release-platforms` (default linux, windows). */
  releasePlatforms: readonly Platform[];
  /** The platforms asked for (option `platforms`; `release` expanded). */
  requestedPlatforms: readonly Platform[];
  /**
   * The identifiers cibuildwheel selects for the requested platforms. When `exact` is set they
   * are the whole release (identifiers given directly, e.g. by tests) and platforms are not compared.
   */
  expected: readonly BuildIdentifier[];
  exact?: boolean;
  /** Names of the wheel files (`*.whl`) in the wheel directory. */
  wheels: readonly string[];
  /** Upload what is present of the requested identifiers even when the release is incomplete. */
  allowPartial: boolean;
}

/** The release part of the decision. */
export interface ReleaseDecision {
  /** Expected identifiers (requested platforms), in cibuildwheel's order. */
  expected: string[];
  /** Expected identifiers with a wheel in the directory. */
  present: string[];
  /** Expected identifiers without a wheel. */
  missing: string[];
  /** Release platforms that were not requested (their identifiers were not even listed). */
  platformsNotRequested: Platform[];
  /** The identifiers whose wheels are validated and published: `present` when allowed, else `expected`. */
  selected: string[];
  /** True when the release is incomplete and `allowPartial` lets the present part through. */
  partial: boolean;
}

/** Why a run must stop before uploading anything (more). */
export type PublishStop =
  | { code: 'RELEASE_INCOMPLETE'; missing: string[]; platformsNotRequested: Platform[]; nothingPresent: boolean }
  | { code: 'INDEX_FILE_CONFLICT'; file: PlannedFile };

/** The whole decision. */
export interface PublishPlan {
  release: ReleaseDecision;
  /** One per local file, in the given order; empty while the index has not been read (`remote` null). */
  files: PlannedFile[];
  /** Files to upload, in order. */
  uploads: string[];
  /** Files already on the index with the same sha256. */
  skips: string[];
  /** The first reason to stop (release first, then the first conflict), or null to go ahead. */
  stop: PublishStop | null;
}

/** Input of {@link planPublish}. */
export interface PublishPlanInput {
  scope: ReleaseScope;
  /** The validated local files (wheels and sdist); may be empty before validation. */
  local: readonly LocalFile[];
  /**
   * The files the index lists for the project, each with its sha256 (files listed without one
   * must have been hashed by the caller, or they count as conflicts); null when the index has not
   * been read yet: then only the release is decided.
   */
  remote: readonly IndexFile[] | null;
}

function decideRelease(s: ReleaseScope): ReleaseDecision {
  const parsed = s.wheels.map((file) => ({ file, parsed: parseWheelFilename(file) })).filter((w): w is { file: string; parsed: WheelFilename } => w.parsed !== null);
  // A stable-ABI wheel (cpXY-abi3) covers every identifier from cpXY on, as validate-wheels counts it.
  const { covers } = matchIdentifiers(parsed, s.expected);
  const have = new Set([...covers.values()].flat().map((i) => i.id));
  const expected = s.expected.map((i) => i.id);
  const present = expected.filter((id) => have.has(id));
  const missing = expected.filter((id) => !have.has(id));
  const platformsNotRequested = s.exact ? [] : s.releasePlatforms.filter((p) => !s.requestedPlatforms.includes(p));
  const incomplete = missing.length > 0 || platformsNotRequested.length > 0;
  const partial = incomplete && s.allowPartial && present.length > 0;
  return { expected, present, missing, platformsNotRequested, selected: partial ? present : expected, partial };
}

/**
 * Decide the release and every file. Used by the preflight (anonymous listing), before the upload
 * (listing read with the credentials) and after an index says a file exists (fresh listing).
 * @returns the plan; `stop` says whether and why nothing (more) may be uploaded
 */
export function planPublish(i: PublishPlanInput): PublishPlan {
  const release = decideRelease(i.scope);
  const incomplete = release.missing.length > 0 || release.platformsNotRequested.length > 0;
  let stop: PublishStop | null = null;
  if (incomplete && !release.partial) {
    stop = { code: 'RELEASE_INCOMPLETE', missing: release.missing, platformsNotRequested: release.platformsNotRequested, nothingPresent: release.present.length === 0 };
  }
  if (i.remote === null) return { release, files: [], uploads: [], skips: [], stop };
  const byName = new Map(i.remote.map((r) => [r.filename, r]));
  const files: PlannedFile[] = i.local.map((l) => {
    const r = byName.get(l.file);
    if (!r) return { ...l, action: 'upload', remoteSha256: null };
    return { ...l, action: r.sha256 === l.sha256 ? 'skip' : 'conflict', remoteSha256: r.sha256 };
  });
  const conflict = files.find((f) => f.action === 'conflict');
  if (!stop && conflict) stop = { code: 'INDEX_FILE_CONFLICT', file: conflict };
  return {
    release,
    files,
    uploads: files.filter((f) => f.action === 'upload').map((f) => f.file),
    skips: files.filter((f) => f.action === 'skip').map((f) => f.file),
    stop,
  };
}

/**
 * Compare local files with the index's listing only (no release check): {@link planPublish}'s
 * per-file part, for callers that have no release scope.
 */
export function planUploads(local: readonly LocalFile[], remote: readonly IndexFile[]): PlannedFile[] {
  return planPublish({ scope: { releasePlatforms: [], requestedPlatforms: [], expected: [], exact: true, wheels: [], allowPartial: false }, local, remote }).files;
}

/** The error for a file the index holds with other bytes. */
export function conflictError(f: { file: string; sha256: string; remoteSha256: string | null }, indexUrl: string): QuiverError {
  return new QuiverError(
    'INDEX_FILE_CONFLICT',
    `${f.file} is already on ${indexUrl} with different bytes (index sha256 ${f.remoteSha256 ?? 'unknown'}, local sha256 ${f.sha256}); an index never replaces a file: bump [project].version and rebuild; nothing further was uploaded.`,
  );
}

/** Where the names in the release messages come from. */
export interface ReleaseContext {
  distribution: string;
  version: string | null;
  /** The wheel directory as shown to the user. */
  wheelDir: string;
  /** Where the release platforms come from, e.g. `[tool.nx-wheels] release-platforms in bindings/python/pyproject.toml` or `the default`. */
  releasePlatformsSource: string;
  releasePlatforms: readonly Platform[];
}

function missingText(stop: { missing: readonly string[]; platformsNotRequested: readonly Platform[] }): string {
  const parts: string[] = [];
  if (stop.missing.length) parts.push(`no wheel for ${stop.missing.join(', ')}`);
  if (stop.platformsNotRequested.length) parts.push(`platform${stop.platformsNotRequested.length > 1 ? 's' : ''} ${stop.platformsNotRequested.join(', ')} not requested (option platforms)`);
  return parts.join('; ');
}

/**
 * The one-line `RELEASE_INCOMPLETE` error: what is missing and the fix (build the rest on its
 * hosts or take the release workflow's artifacts, or `--allowPartial` for a test index).
 */
export function releaseIncompleteError(stop: Extract<PublishStop, { code: 'RELEASE_INCOMPLETE' }>, release: ReleaseDecision, ctx: ReleaseContext): QuiverError {
  const what = `${ctx.distribution}${ctx.version ? ` ${ctx.version}` : ''}`;
  const partial = stop.nothingPresent
    ? 'there is nothing of it to upload even with --allowPartial'
    : `or pass --allowPartial to upload only ${release.present.join(', ')} (a partial release: for a test index)`;
  return new QuiverError(
    'RELEASE_INCOMPLETE',
    `RELEASE_INCOMPLETE: release ${what} is incomplete in ${ctx.wheelDir}: ${missingText(stop)}; a release is every identifier of ${ctx.releasePlatforms.join(', ')} (${ctx.releasePlatformsSource}); nothing was uploaded: build the missing wheels on their hosts (the release workflow builds every platform) and put them in ${ctx.wheelDir} (or pass --wheelDir=<the downloaded artifacts>), ${partial}.`,
  );
}

/** The `PARTIAL RELEASE` line a partial plan starts with (printed first, first note of the report). */
export function partialReleaseLine(release: ReleaseDecision): string {
  return `PARTIAL RELEASE (--allowPartial): ${missingText({ missing: release.missing, platformsNotRequested: release.platformsNotRequested })}; only ${release.present.join(', ')} will be published.`;
}
