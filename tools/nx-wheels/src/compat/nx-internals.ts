/**
 * The Nx internals quiver's release integration calls or replaces, checked before use.
 *
 * nx-release.ts replaces four functions inside Nx's own modules and the release modules call a few
 * more; none of them is public API, so an Nx release may rename, drop or re-shape them. Before
 * anything is installed or called, {@link nxInternals} checks that
 * - the workspace's Nx (`nx/package.json`, resolved from this plugin as Nx's modules are) is in
 *   {@link TESTED_NX_RANGE} (semver), the versions the suite runs a real `nx release` against; and
 * - every export in {@link NX_EXPORTS} exists, is a function (or the object named) and has the
 *   expected arity (`fn.length`, parameters before the first default).
 * Otherwise `nx release` stops with one line, code `NX_RELEASE_UNSUPPORTED`, instead of silently
 * running Nx's SemVer-minded behaviour (wrong tags, wrong notes). `NX_WHEELS_UNTESTED_NX=1` lets
 * an Nx outside the tested range through (with a warning line) when every export still checks out;
 * it never lets a missing or re-shaped export through.
 */
import { satisfies, valid } from 'semver';
import { QuiverError } from '../core/errors';

/**
 * Nx versions the release integration is tested with: the workspace's pinned Nx (24.0.6) and the
 * newest Nx 24 on the registry (24.0.7); `test/release/nx-versions.spec.ts` runs a real
 * `nx release` on the highest version this range names. Widen it only together with that test.
 */
export const TESTED_NX_RANGE = '>=24.0.6 <=24.0.7';

/** The Nx versions the suite runs `nx release` against (both ends of {@link TESTED_NX_RANGE}). */
export const TESTED_NX_VERSIONS = ['24.0.6', '24.0.7'] as const;

/** The environment variable that lets an Nx outside {@link TESTED_NX_RANGE} through. */
const UNTESTED_NX_ENV = 'NX_WHEELS_UNTESTED_NX';

/** One Nx export the release integration relies on. */
export interface NxExportSpec {
  /** Module path under `nx/` (`src/command-line/release/utils/git`). */
  module: string;
  name: string;
  /** `fn.length` in the tested versions; `null` for a non-function export (checked to be an object). */
  arity: number | null;
  /** True for the exports nx-release.ts replaces (they must also be writable). */
  replaced?: boolean;
}

const GIT = 'src/command-line/release/utils/git';
const COMMIT_UTILS = 'src/command-line/release/changelog/commit-utils';
const FILE_MAP = 'src/project-graph/file-map-utils';

/** Every Nx export used by src/release, with its arity in the tested versions. */
export const NX_EXPORTS: readonly NxExportSpec[] = [
  { module: GIT, name: 'getLatestGitTagForPattern', arity: 1, replaced: true },
  { module: 'src/command-line/release/changelog/version-plan-filtering', name: 'resolveChangelogFromSHA', arity: 1, replaced: true },
  { module: COMMIT_UTILS, name: 'createChangesFromCommits', arity: 4, replaced: true },
  { module: FILE_MAP, name: 'createFileMapUsingProjectGraph', arity: 1, replaced: true },
  { module: GIT, name: 'getCommitHash', arity: 1 },
  { module: GIT, name: 'getGitDiff', arity: 1 },
  { module: GIT, name: 'parseCommits', arity: 1 },
  { module: COMMIT_UTILS, name: 'filterHiddenChanges', arity: 2 },
  { module: COMMIT_UTILS, name: 'mapCommitToChange', arity: 2 },
  { module: COMMIT_UTILS, name: 'createFileToProjectMap', arity: 1 },
  { module: 'src/project-graph/project-graph', name: 'createProjectGraphAsync', arity: 0 },
  { module: 'src/command-line/release/utils/exec-command', name: 'execCommand', arity: 3 },
  { module: 'src/command-line/release/utils/markdown', name: 'parseChangelogMarkdown', arity: 1 },
  { module: 'src/command-line/release/config/conventional-commits', name: 'DEFAULT_CONVENTIONAL_COMMITS_CONFIG', arity: null },
];

/** A loaded Nx module's exports. */
export type NxModule = Record<string, unknown>;

/**
 * What is wrong with this Nx for the release integration, as short phrases (empty when all is well).
 * Pure apart from `load`, which is given each module path of {@link NX_EXPORTS} (`null` when it does
 * not resolve).
 * @param version `nx/package.json` version
 * @param allowUntested {@link UNTESTED_NX_ENV} is set: a version outside the range is not a problem
 */
export function nxInternalsProblems(version: string, load: (module: string) => NxModule | null, allowUntested = false): string[] {
  const problems: string[] = [];
  if (!valid(version)) problems.push(`its version "${version}" is not semver`);
  else if (!allowUntested && !satisfies(version, TESTED_NX_RANGE, { includePrerelease: true })) problems.push(`version ${version} is outside the tested range ${TESTED_NX_RANGE}`);
  const modules = new Map<string, NxModule | null>();
  for (const spec of NX_EXPORTS) {
    if (!modules.has(spec.module)) modules.set(spec.module, load(spec.module));
    const mod = modules.get(spec.module);
    const where = `nx/${spec.module}`;
    if (!mod) {
      if (!problems.includes(`${where} is missing`)) problems.push(`${where} is missing`);
      continue;
    }
    const value = mod[spec.name];
    if (spec.arity === null) {
      if (typeof value !== 'object' || value === null) problems.push(`${where} has no ${spec.name} object`);
      continue;
    }
    if (typeof value !== 'function') problems.push(`${where} has no function ${spec.name}`);
    else if (value.length !== spec.arity) problems.push(`${where} ${spec.name} takes ${value.length} parameters, not ${spec.arity}`);
    else if (spec.replaced && !Object.getOwnPropertyDescriptor(mod, spec.name)?.writable) problems.push(`${where} ${spec.name} cannot be replaced`);
  }
  return problems;
}

/** Typed access to the checked Nx functions (the module objects Nx itself uses). */
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface NxInternals {
  version: string;
  git: Record<string, (...args: any[]) => any>;
  commitUtils: Record<string, (...args: any[]) => any>;
  plans: Record<string, (...args: any[]) => any>;
  fileMapUtils: Record<string, (...args: any[]) => any>;
  getCommitHash(ref: string): Promise<string>;
  getGitDiff(from: string | undefined, to?: string): Promise<unknown[]>;
  parseCommits(commits: unknown[]): unknown[];
  createFileToProjectMap(projectFileMap: unknown): Record<string, string>;
  createProjectGraphAsync(opts?: { exitOnError?: boolean }): Promise<any>;
  createFileMapUsingProjectGraph(graph: unknown): Promise<{ fileMap: { projectFileMap: unknown } }>;
  execCommand(cmd: string, args: string[], options?: unknown): Promise<string>;
  parseChangelogMarkdown(text: string): { releases: Array<{ version: string; body: string }> };
  defaultConventionalCommits: { types: Record<string, { changelog: { hidden: boolean } }> };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Require `nx/<module>` from this plugin's location (the workspace's Nx), `null` when it does not resolve. */
function requireNx(module: string): NxModule | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`nx/${module}`) as NxModule;
  } catch {
    return null;
  }
}

/** Checked once per process (on `globalThis`: this module can have two instances, see nx-release.ts), before any export is replaced. */
const cache = ((globalThis as unknown as Record<symbol, { checked: NxInternals | null }>)[Symbol.for('@quiver/nx-wheels/nx-internals')] ??= { checked: null });

/**
 * The checked Nx internals (checked once per process).
 * @throws QuiverError `NX_RELEASE_UNSUPPORTED` naming the Nx version, every problem and the fix
 */
export function nxInternals(): NxInternals {
  if (cache.checked) return cache.checked;
  const version = String((requireNx('package.json') as { version?: unknown } | null)?.version ?? 'unknown');
  const allow = process.env[UNTESTED_NX_ENV] === '1';
  const problems = nxInternalsProblems(version, requireNx, allow);
  if (problems.length) {
    throw new QuiverError(
      'NX_RELEASE_UNSUPPORTED',
      `NX_RELEASE_UNSUPPORTED: @quiver/nx-wheels' PEP 440 release integration cannot run on this Nx (${problems.join('; ')}); install an Nx in ${TESTED_NX_RANGE} (npm install -D nx@${TESTED_NX_VERSIONS[TESTED_NX_VERSIONS.length - 1]}), or update the plugin for it${problems.every((p) => p.includes('outside the tested range')) ? ` (${UNTESTED_NX_ENV}=1 runs it untested)` : ''}. Nothing was written, committed or tagged.`,
    );
  }
  if (allow && !satisfies(version, TESTED_NX_RANGE, { includePrerelease: true })) {
    process.stderr.write(`nx-wheels: ${UNTESTED_NX_ENV}=1: running the release integration on Nx ${version}, outside the tested range ${TESTED_NX_RANGE}.\n`);
  }
  const m = (p: string) => requireNx(p) as Record<string, never>;
  const git = m(GIT);
  const commitUtils = m(COMMIT_UTILS);
  const fileMapUtils = m(FILE_MAP);
  const fn = <T>(mod: NxModule, name: string) => ((...args: unknown[]) => (mod[name] as (...a: unknown[]) => unknown)(...args)) as T;
  cache.checked = {
    version,
    git,
    commitUtils,
    plans: m('src/command-line/release/changelog/version-plan-filtering'),
    fileMapUtils,
    // Called through the module object at call time, so a replaced export is the one called.
    getCommitHash: fn(git, 'getCommitHash'),
    getGitDiff: fn(git, 'getGitDiff'),
    parseCommits: fn(git, 'parseCommits'),
    createFileToProjectMap: fn(commitUtils, 'createFileToProjectMap'),
    createProjectGraphAsync: fn(m('src/project-graph/project-graph'), 'createProjectGraphAsync'),
    createFileMapUsingProjectGraph: fn(fileMapUtils, 'createFileMapUsingProjectGraph'),
    execCommand: fn(m('src/command-line/release/utils/exec-command'), 'execCommand'),
    parseChangelogMarkdown: fn(m('src/command-line/release/utils/markdown'), 'parseChangelogMarkdown'),
    defaultConventionalCommits: m('src/command-line/release/config/conventional-commits')['DEFAULT_CONVENTIONAL_COMMITS_CONFIG'],
  };
  return cache.checked;
}
