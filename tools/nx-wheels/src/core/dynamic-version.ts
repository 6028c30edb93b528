/**
 * Dynamic versions (`version` listed in `[project].dynamic`, PEP 621): where the version comes from,
 * what a build from the clean staging (which has no `.git`) must be told, and the cache key of a
 * version read through PEP 517. Pure: TOML in, decisions out; the reading itself is
 * runners/pep517.ts.
 *
 * VCS-derived versions (the release tag is the version): recognised back-ends and the variables a
 * build without `.git` honours ({@link vcsVersionSource}, {@link pretendVersionEnv}):
 * - setuptools-scm (`[tool.setuptools_scm]`, or `setuptools-scm` in `[build-system].requires` with a
 *   dynamic version; also scikit-build-core's `scikit_build_core.metadata.setuptools_scm` provider):
 *   `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST>` and `SETUPTOOLS_SCM_PRETEND_VERSION`;
 * - hatch-vcs (`[tool.hatch.version] source = "vcs"`): runs setuptools-scm, same variables;
 * - pdm-backend (`[tool.pdm.version] source = "scm"`): `PDM_BUILD_SCM_VERSION`;
 * - versioningit (`[tool.versioningit]`): recognised (nx release writes nothing, validate-release
 *   compares the tag with its version), but it documents no pretend variable: a build from the
 *   staging gets the version its fallbacks give (PKG-INFO, `default-version`), and validate-wheels'
 *   tag check refuses a wheel whose version is not the tag's.
 */
import { createHash } from 'node:crypto';
import { compareVersions } from './pep440';
import { parseToml } from './pyproject';
import { versionOfTag } from './release-tag';

/** A back-end family whose version is the git tag. */
export type VcsVersionSource = 'setuptools-scm' | 'hatch-vcs' | 'pdm-scm' | 'versioningit';

function table(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** `[build-system].requires` entries reduced to normalized distribution names. */
function requiredNames(doc: Record<string, unknown>): string[] {
  const req = table(doc['build-system'])['requires'];
  if (!Array.isArray(req)) return [];
  return req
    .filter((r): r is string => typeof r === 'string')
    .map((r) => (/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(r)?.[1] ?? '').toLowerCase().replace(/[-_.]+/g, '-'));
}

/** True when `version` is in `[project].dynamic`. */
function isDynamicVersion(doc: Record<string, unknown>): boolean {
  const dyn = table(doc['project'])['dynamic'];
  return Array.isArray(dyn) && dyn.includes('version');
}

/**
 * Which VCS versioning back-end computes the version (see the module comment), or `null` when the
 * version is static or comes from elsewhere (a file, meson.build...).
 * @param doc the parsed pyproject.toml
 */
export function vcsVersionSource(doc: Record<string, unknown>): VcsVersionSource | null {
  if (!isDynamicVersion(doc)) return null;
  const tool = table(doc['tool']);
  if (table(tool['hatch'])['version'] !== undefined && table(table(tool['hatch'])['version'])['source'] === 'vcs') return 'hatch-vcs';
  if (table(table(tool['pdm'])['version'])['source'] === 'scm') return 'pdm-scm';
  if (tool['versioningit'] !== undefined) return 'versioningit';
  if (tool['setuptools_scm'] !== undefined || tool['setuptools-scm'] !== undefined) return 'setuptools-scm';
  const provider = table(table(table(tool['scikit-build'])['metadata'])['version'])['provider'];
  if (provider === 'scikit_build_core.metadata.setuptools_scm') return 'setuptools-scm';
  const names = requiredNames(doc);
  if (names.includes('versioningit')) return 'versioningit';
  if (names.includes('setuptools-scm')) return 'setuptools-scm';
  return null;
}

/** {@link vcsVersionSource} of pyproject.toml text. @throws QuiverError `PYPROJECT_SYNTAX` */
export function vcsVersionSourceOf(text: string, file: string): VcsVersionSource | null {
  return vcsVersionSource(parseToml(text, file));
}

/**
 * setuptools-scm's per-distribution suffix: the name canonicalized (PEP 503), `-` -> `_`, upper case
 * (`my.pkg` -> `MY_PKG`), as its `read_named_env` builds `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST>`.
 */
export function scmDistSuffix(distName: string): string {
  return distName.toLowerCase().replace(/[-_.]+/g, '-').replace(/-/g, '_').toUpperCase();
}

/**
 * The environment a build without `.git` needs so the back-end produces `version` (empty for
 * back-ends without such a variable: versioningit). See the module comment.
 */
export function pretendVersionEnv(source: VcsVersionSource, distName: string, version: string): Record<string, string> {
  switch (source) {
    case 'setuptools-scm':
    case 'hatch-vcs':
      return { [`SETUPTOOLS_SCM_PRETEND_VERSION_FOR_${scmDistSuffix(distName)}`]: version, SETUPTOOLS_SCM_PRETEND_VERSION: version };
    case 'pdm-scm':
      return { PDM_BUILD_SCM_VERSION: version };
    default:
      return {};
  }
}

/**
 * The version of a VCS-versioned project in a subdirectory of its repository, where its back-end
 * cannot tell it (setuptools-scm and hatch-vcs read git only at the project root unless configured
 * with `root`, and `git describe` would name any project's tag): the highest version among the
 * project's own release tags at HEAD (`pluggy-v1.7.0` with prefix `pluggy-v` -> `1.7.0`).
 * @param subdir the project's path inside the repository (`git rev-parse --show-prefix`; empty at the root)
 * @param tagsAtHead `git tag --points-at HEAD`
 * @param prefix the project's release tag prefix, `null` when its pattern has none
 * @returns `null` at the repository root (the back-end reads git itself), without a prefix, or without such a tag at HEAD
 */
export function subdirectoryTagVersion(subdir: string, tagsAtHead: readonly string[], prefix: string | null): string | null {
  if (!subdir.replace(/\/+$/, '') || prefix === null) return null;
  const versions = tagsAtHead.map((t) => versionOfTag(t, prefix)).filter((v): v is string => v !== null);
  return versions.sort((a, b) => compareVersions(b, a))[0] ?? null;
}

/** Environment variables that change what a versioning back-end computes (they enter the cache key). */
function versionEnvKeys(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((k) => /^(SETUPTOOLS_SCM_|HATCH_|VERSIONINGIT_|PDM_BUILD_SCM|SOURCE_DATE_EPOCH$)/.test(k))
    .sort();
}

/** What the version read through PEP 517 depends on. */
export interface VersionCacheInputs {
  /** pyproject.toml text. */
  pyproject: string;
  /** `git rev-parse HEAD` (empty outside git). */
  head: string;
  /** `git describe --tags --long --dirty --always` (the input of every VCS back-end). */
  describe: string;
  /** `git status --porcelain` of the project directory, plus the sha256 of each changed file. */
  dirty: string;
  /** The interpreter running the PEP 517 hooks. */
  python: string;
  /** Back-end variables of the environment ({@link versionEnvKeys}). */
  env: Record<string, string | undefined>;
}

/** sha256 hex of the inputs (what {@link VersionCacheInputs} lists, nothing else). */
export function versionCacheKey(i: VersionCacheInputs): string {
  const h = createHash('sha256');
  for (const part of [i.pyproject, i.head, i.describe, i.dirty, i.python]) h.update(part).update('\0');
  for (const k of versionEnvKeys(i.env)) h.update(`${k}=${i.env[k] ?? ''}\0`);
  return h.digest('hex');
}

/**
 * `env` with `vars` added and their names appended to `CIBW_ENVIRONMENT_PASS_LINUX` (space-separated,
 * no duplicates), so cibuildwheel passes them into its Linux container as it does for the native
 * engine's processes (https://cibuildwheel.pypa.io/en/stable/options/#environment-pass).
 */
export function withPassedEnv(env: Record<string, string | undefined>, vars: Record<string, string>): Record<string, string | undefined> {
  const names = Object.keys(vars);
  if (names.length === 0) return env;
  const pass = (env['CIBW_ENVIRONMENT_PASS_LINUX'] ?? '').split(/\s+/).filter(Boolean);
  for (const n of names) if (!pass.includes(n)) pass.push(n);
  return { ...env, ...vars, CIBW_ENVIRONMENT_PASS_LINUX: pass.join(' ') };
}
