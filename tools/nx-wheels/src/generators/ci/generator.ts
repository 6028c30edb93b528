/**
 * `nx g @quiver/nx-wheels:ci`: writes `.github/workflows/ci.yml`, `release.yml` and
 * `release-readiness.yml` for every wheel project of the workspace (found as the plugin infers them,
 * {@link findWheelProjects}; named as the plugin names them: `[tool.nx-wheels].project-name`, else
 * the directory's name). The text comes from ./workflows.ts; this module only reads the
 * workspace: the projects, the plugin options in nx.json (target names, wheelDir),
 * `release.releaseTag.pattern` / `release.projectsRelationship`, and the repository's default
 * branch ({@link resolveDefaultBranch}: git, nx.json or the option; asked of git through
 * runners/git-sync). Bad input throws one {@link CiGeneratorError} line and writes nothing.
 */
import { readNxJson, visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import { posix } from 'node:path';
import picomatch from 'picomatch';
import type { ErrorCode } from '../../core/error-catalog';
import { isQuiverError, QuiverError } from '../../core/errors';
import { isWheelProject } from '../../core/build-kind';
import { ignoredByPlugin } from '../../plugin/nodes';
import { PLUGIN_PACKAGE, type ResolvedPluginOptions, resolvePluginOptions, WHEEL_PROJECT_TAG } from '../../plugin/options';
import { DEFAULT_RELEASE_PLATFORMS, readPyProjectText } from '../../core/pyproject';
import { gitDefaultBranchHints } from '../../runners/git-sync';
import { runGenerator } from '../run';
import type { CiGeneratorSchema } from './schema';
import { type CiPlan, type CiProject, renderCiWorkflow, renderReleaseReadinessWorkflow, renderReleaseWorkflow } from './workflows';

/** A bad workspace state or option; the message is one line naming the file or option and the fix. */
export class CiGeneratorError extends QuiverError {
  constructor(message: string, code: ErrorCode) {
    super(code, message);
    this.name = 'CiGeneratorError';
    this.stack = `${this.name}: ${message}`;
  }
}

const fail = (message: string, code: ErrorCode): never => {
  throw new CiGeneratorError(message, code);
};

/** Paths the generator writes, relative to the workspace root. */
export const WORKFLOW_FILES = {
  ci: '.github/workflows/ci.yml',
  release: '.github/workflows/release.yml',
  releaseReadiness: '.github/workflows/release-readiness.yml',
} as const;

/** A QuiverError of the plugin's own parsers becomes a CiGeneratorError with the same code. */
function oneLine<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CiGeneratorError || !isQuiverError(e)) throw e;
    return fail(e.message, e.code);
  }
}

/** A `[build-system]` or `[tool.cibuildwheel]` table header, the tables that make a pyproject.toml a wheel project. */
const BUILD_TABLE = /^\s*\[\s*(tool\s*\.\s*cibuildwheel|build-system)\s*[\].]/m;

/** One nx.json entry of this plugin: the files it applies to (Nx's include/exclude globs) and its resolved options. */
interface PluginEntry {
  include?: string[];
  exclude?: string[];
  options: ResolvedPluginOptions;
}

/** This plugin's nx.json entries, in order; one entry without options when nx.json does not list the plugin. */
function pluginEntries(tree: Tree): PluginEntry[] {
  const raw = (readNxJson(tree)?.plugins ?? []).filter((x) => (typeof x === 'string' ? x : x.plugin) === PLUGIN_PACKAGE);
  if (raw.length === 0) return [{ options: oneLine(() => resolvePluginOptions(undefined)) }];
  return raw.map((x) =>
    typeof x === 'string'
      ? { options: oneLine(() => resolvePluginOptions(undefined)) }
      : { include: x.include, exclude: x.exclude, options: oneLine(() => resolvePluginOptions(x.options)) },
  );
}

/** The first entry whose include/exclude select the file (as Nx applies them to a plugin's files), or null. */
function entryFor(entries: PluginEntry[], file: string): PluginEntry | null {
  return (
    entries.find((e) => (!e.include || e.include.some((g) => picomatch.isMatch(file, g))) && !(e.exclude ?? []).some((g) => picomatch.isMatch(file, g))) ?? null
  );
}

/**
 * The wheel projects of the tree, sorted by Nx project name: as the plugin infers them, every
 * pyproject.toml with a `[build-system]` or `[tool.cibuildwheel]` table and no `[tool.nx-wheels] skip`,
 * selected by one of this plugin's nx.json entries; release platforms from that entry's
 * `releasePlatforms`, else `[tool.nx-wheels] release-platforms`, else linux and windows.
 */
export function findWheelProjects(tree: Tree): CiProject[] {
  const files: string[] = [];
  visitNotIgnoredFiles(tree, '', (f) => {
    if (posix.basename(f) === 'pyproject.toml') files.push(f.replace(/\\/g, '/'));
  });
  const entries = pluginEntries(tree);
  const out: CiProject[] = [];
  for (const file of files.sort()) {
    const entry = entryFor(entries, file);
    if (!entry || ignoredByPlugin(file, entry.options.wheelDir)) continue;
    const text = tree.read(file, 'utf-8') ?? '';
    // A pyproject.toml that only configures tools (ruff, black...) is not a project; a broken one that declares a build is an error.
    if (!BUILD_TABLE.test(text)) continue;
    const p = oneLine(() => readPyProjectText(text, file, { requireCibuildwheel: false }));
    if (!isWheelProject(p)) continue;
    const root = posix.dirname(file);
    if (root === '.') fail(`${file}: a wheel project at the workspace root is not supported; move the binding into its own directory (e.g. bindings/<name>).`, 'CI_BAD_PROJECT');
    out.push({
      name: p.nxWheels.projectName ?? posix.basename(root),
      root,
      distribution: p.name,
      platforms: [...(entry.options.projectConfig?.releasePlatforms ?? p.nxWheels.releasePlatforms ?? DEFAULT_RELEASE_PLATFORMS)],
      sdist: p.nxWheels.sdist ?? false,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A branch name the workflows can carry as it is (in YAML and in git refs). */
const BRANCH_NAME = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![./])$/;

/**
 * The repository's default branch, which ci.yml runs on for pushes and compares pull requests with
 * (never a literal): the `defaultBranch` option when given; else the branch origin's HEAD points at
 * (`git symbolic-ref refs/remotes/origin/HEAD`: the remote's default, which a clone records); else
 * nx.json `defaultBase` (or `affected.defaultBase`: the base `nx affected` compares with); else
 * `git config init.defaultBranch`.
 * @throws CiGeneratorError when none of them names a branch, or the name is not a plain branch name
 */
export function resolveDefaultBranch(tree: Tree, option?: string): string {
  const check = (name: string, from: string) => (BRANCH_NAME.test(name) ? name : fail(`${from} is "${name}", which is not a branch name the workflows can use (letters, digits, ".", "_", "-", "/"); pass --defaultBranch=<branch>.`, 'CI_DEFAULT_BRANCH_UNKNOWN'));
  if (option !== undefined) return check(option, '--defaultBranch');
  const git = gitDefaultBranchHints(tree.root);
  if (git.originHead) return check(git.originHead, 'refs/remotes/origin/HEAD');
  const nxJson = (readNxJson(tree) ?? {}) as { defaultBase?: string; affected?: { defaultBase?: string } };
  const base = nxJson.defaultBase ?? nxJson.affected?.defaultBase;
  if (typeof base === 'string' && base) return check(base, `nx.json ${nxJson.defaultBase ? 'defaultBase' : 'affected.defaultBase'}`);
  if (git.initDefaultBranch) return check(git.initDefaultBranch, 'git config init.defaultBranch');
  return fail('cannot tell the repository\'s default branch (no refs/remotes/origin/HEAD, no defaultBase in nx.json, no git config init.defaultBranch); pass --defaultBranch=<branch>, or run git remote set-head origin --auto.', 'CI_DEFAULT_BRANCH_UNKNOWN');
}

/**
 * The release tag pattern nx.json gives (`release.releaseTag.pattern`; Nx's defaults when absent:
 * `v{version}` for a fixed group, `{projectName}@{version}` for independent projects) as the text
 * before the version, with `{projectName}` left in for the workflows to fill in per project.
 * @throws CiGeneratorError for a pattern with text after `{version}`, another placeholder or
 *   characters outside `A-Za-z0-9._/@-`; and for independent releases of several projects whose
 *   pattern does not tell their tags apart (no `{projectName}`)
 */
export function releaseTagPrefix(tree: Tree, releasedCount: number): string {
  const release = readNxJson(tree)?.release;
  const independent = release?.projectsRelationship === 'independent';
  const pattern = release?.releaseTag?.pattern ?? (independent ? '{projectName}@{version}' : 'v{version}');
  const m = /^((?:[A-Za-z0-9._/@-]|\{projectName\}|\{releaseGroupName\})*)\{version\}$/.exec(pattern);
  if (!m) {
    fail(`nx.json release.releaseTag.pattern is "${pattern}"; the release workflow reads tags <text>{version}, where the text may hold {projectName} (e.g. "v{version}" for one tag releasing every wheel project, "{projectName}-v{version}" for one tag per project), so use such a pattern.`, 'CI_BAD_RELEASE_CONFIG');
  }
  // Top-level release config: Nx names its one group __default__.
  const prefix = m![1].split('{releaseGroupName}').join('__default__');
  if (independent && !prefix.includes('{projectName}') && releasedCount > 1) {
    fail(`nx.json release.projectsRelationship is "independent" but release.releaseTag.pattern "${pattern}" has no {projectName}, so ${releasedCount} projects would share one tag per version; use "{projectName}-v{version}".`, 'CI_BAD_RELEASE_CONFIG');
  }
  return prefix;
}

/** Everything the workflows depend on, from the tree and the options; throws {@link CiGeneratorError}. */
export function planCi(tree: Tree, options: CiGeneratorSchema = {}): CiPlan {
  // Target names and the wheel directory are workspace-wide in the workflows: the first entry's.
  const plugin = pluginEntries(tree)[0].options;
  const projects = findWheelProjects(tree);
  if (projects.length === 0) {
    fail('no wheel project in this workspace (no pyproject.toml with a [build-system] or [tool.cibuildwheel] table that this plugin\'s nx.json entries select); add one with nx g @quiver/nx-wheels:binding, then run this generator.', 'CI_NO_WHEEL_PROJECT');
  }
  for (const q of projects) {
    // Names go into tag filters, bash words and workflow expressions as they are.
    if (!/^[A-Za-z0-9@._/-]+$/.test(q.name)) {
      fail(`${q.root}/pyproject.toml: the project name "${q.name}" has characters the workflows cannot carry; set [tool.nx-wheels].project-name to letters, digits, ".", "_", "-", "/" and "@".`, 'CI_BAD_PROJECT');
    }
  }
  const tagPrefix = releaseTagPrefix(tree, releasedProjects(tree, projects).length);
  const n = plugin.targetNames;
  return {
    projects,
    targets: { buildWheels: n.buildWheels, test: n.test, validateWheels: n.validateWheels, publish: n.publish, validateRelease: n.validateRelease, rehearseRelease: n.rehearseRelease },
    wheelDir: plugin.wheelDir,
    tagPrefix,
    ciTools: tree.exists('tools/ci/npm-ci.mjs'),
    defaultBranch: resolveDefaultBranch(tree, options.defaultBranch),
  };
}

/**
 * The wheel projects `nx release` versions: those nx.json `release.projects` names (exact names or
 * globs; `!` excludes), or all when it lists none. Only these are validated against the release tag
 * and published; ci.yml still builds every wheel project.
 */
export function releasedProjects(tree: Tree, projects: CiProject[]): CiProject[] {
  const raw = readNxJson(tree)?.release?.projects;
  if (raw === undefined) return projects;
  const entries = Array.isArray(raw) ? raw : [raw];
  const include = entries.filter((e) => !e.startsWith('!'));
  const exclude = entries.filter((e) => e.startsWith('!')).map((e) => e.slice(1));
  // `tag:<pattern>` (Nx's project-matcher syntax, what init writes): every wheel project carries the
  // inferred tag WHEEL_PROJECT_TAG, so a pattern matching that tag selects all of them.
  const hits = (name: string, patterns: string[]) =>
    patterns.some((x) => (x.startsWith('tag:') ? picomatch.isMatch(WHEEL_PROJECT_TAG, x.slice(4)) : x === name || picomatch.isMatch(name, x)));
  const out = projects.filter((q) => hits(q.name, include) && !hits(q.name, exclude));
  if (out.length === 0) {
    fail(`nx.json release.projects (${JSON.stringify(raw)}) names none of the wheel projects (${projects.map((q) => q.name).join(', ')}); add them so that a release tag publishes them.`, 'CI_BAD_RELEASE_CONFIG');
  }
  return out;
}

/** The workflow files for the tree: path -> text. */
export function ciWorkflows(tree: Tree, options: CiGeneratorSchema = {}): Record<string, string> {
  const plan = planCi(tree, options);
  const released = { ...plan, projects: releasedProjects(tree, plan.projects) };
  return {
    [WORKFLOW_FILES.ci]: renderCiWorkflow(plan),
    [WORKFLOW_FILES.release]: renderReleaseWorkflow(released),
    [WORKFLOW_FILES.releaseReadiness]: renderReleaseReadinessWorkflow(released),
  };
}

/** The generator: writes (or with `check`, compares) the workflows; see the module comment. */
export default function ciGenerator(tree: Tree, options: CiGeneratorSchema = {}): void {
  runGenerator('ci', () => generateCi(tree, options));
}

function generateCi(tree: Tree, options: CiGeneratorSchema): void {
  const files = ciWorkflows(tree, options);
  const stale = Object.entries(files).filter(([f, text]) => tree.read(f, 'utf-8') !== text).map(([f]) => f);
  if (options.check) {
    const names = stale.length > 1 ? `${stale.slice(0, -1).join(', ')} and ${stale[stale.length - 1]}` : stale.join('');
    if (stale.length) fail(`${names} ${stale.length === 1 ? 'differs' : 'differ'} from the generator's output; run nx g @quiver/nx-wheels:ci and commit the result.`, 'CI_WORKFLOWS_STALE');
    return;
  }
  for (const f of stale) tree.write(f, files[f]);
}

export { ciGenerator };
