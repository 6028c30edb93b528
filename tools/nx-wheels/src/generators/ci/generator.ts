/**
 * `nx g @quiver/nx-wheels:ci`: writes `.github/workflows/ci.yml`, `release.yml` and
 * `release-readiness.yml` for every wheel project of the workspace (every directory whose pyproject.toml has a
 * `[tool.cibuildwheel]` table, named as the plugin names it: `[tool.nx-wheels].project-name`, else
 * the directory's name). The text comes from ./workflows.ts; this module only reads the
 * workspace: the projects, the plugin options in nx.json (target names, wheelDir) and
 * `release.releaseTag.pattern`. Bad input throws one {@link CiGeneratorError} line and writes nothing.
 */
import { readNxJson, visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { PLUGIN_PACKAGE, resolvePluginOptions, WHEEL_PROJECT_TAG } from '../../core/inference';
import { DEFAULT_RELEASE_PLATFORMS, parseToml, readPyProjectText } from '../../core/pyproject';
import type { CiGeneratorSchema } from './schema';
import { type CiPlan, type CiProject, renderCiWorkflow, renderReleaseReadinessWorkflow, renderReleaseWorkflow } from './workflows';

/** A bad workspace state or option; the message is one line naming the file or option and the fix. */
export class CiGeneratorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CiGeneratorError';
    this.stack = `${this.name}: ${message}`;
  }
}

const fail = (message: string): never => {
  throw new CiGeneratorError(`ci: ${message}`);
};

/** Paths the generator writes, relative to the workspace root. */
export const WORKFLOW_FILES = {
  ci: '.github/workflows/ci.yml',
  release: '.github/workflows/release.yml',
  releaseReadiness: '.github/workflows/release-readiness.yml',
} as const;

/** Errors of the plugin's own parsers (QuiverError and the like) become one CiGeneratorError line. */
function oneLine<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CiGeneratorError) throw e;
    return fail((e as Error).message);
  }
}

/** The wheel projects of the tree, sorted by Nx project name. */
export function findWheelProjects(tree: Tree): CiProject[] {
  const files: string[] = [];
  visitNotIgnoredFiles(tree, '', (f) => {
    if (posix.basename(f) === 'pyproject.toml') files.push(f.replace(/\\/g, '/'));
  });
  const out: CiProject[] = [];
  for (const file of files.sort()) {
    const text = tree.read(file, 'utf-8') ?? '';
    const doc = oneLine(() => parseToml(text, file));
    const tool = doc['tool'] as Record<string, unknown> | undefined;
    if (!tool || typeof tool !== 'object' || !tool['cibuildwheel']) continue;
    const p = oneLine(() => readPyProjectText(text, file, { requireCibuildwheel: true }));
    const root = posix.dirname(file);
    if (root === '.') fail(`${file}: a wheel project at the workspace root is not supported; move the binding into its own directory (e.g. bindings/<name>).`);
    out.push({
      name: p.nxWheels.projectName ?? posix.basename(root),
      root,
      distribution: p.name,
      platforms: [...(p.nxWheels.releasePlatforms ?? DEFAULT_RELEASE_PLATFORMS)],
      sdist: p.nxWheels.sdist ?? false,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Everything the workflows depend on, from the tree; throws {@link CiGeneratorError}. */
export function planCi(tree: Tree): CiPlan {
  const nxJson = readNxJson(tree) ?? {};
  const entry = (nxJson.plugins ?? []).find((x) => (typeof x === 'string' ? x : x.plugin) === PLUGIN_PACKAGE);
  const options = oneLine(() => resolvePluginOptions(entry && typeof entry !== 'string' ? entry.options : undefined));
  const pattern = nxJson.release?.releaseTag?.pattern ?? 'v{version}';
  const m = /^([A-Za-z0-9._/-]*)\{version\}$/.exec(pattern);
  if (!m) {
    fail(`nx.json release.releaseTag.pattern is "${pattern}"; the release workflow releases every wheel project with one tag <prefix>{version} (e.g. "v{version}"), so use such a pattern.`);
  }
  const projects = findWheelProjects(tree);
  if (projects.length === 0) {
    fail('no wheel project in this workspace (no pyproject.toml with a [tool.cibuildwheel] table); add one with nx g @quiver/nx-wheels:binding, then run this generator.');
  }
  const n = options.targetNames;
  return {
    projects,
    targets: { buildWheels: n.buildWheels, test: n.test, validateWheels: n.validateWheels, publish: n.publish, validateRelease: n.validateRelease },
    wheelDir: options.wheelDir,
    tagPrefix: m![1],
    ciTools: tree.exists('tools/ci/npm-ci.mjs'),
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
    fail(`nx.json release.projects (${JSON.stringify(raw)}) names none of the wheel projects (${projects.map((q) => q.name).join(', ')}); add them so that a release tag publishes them.`);
  }
  return out;
}

/** The workflow files for the tree: path -> text. */
export function ciWorkflows(tree: Tree): Record<string, string> {
  const plan = planCi(tree);
  const released = { ...plan, projects: releasedProjects(tree, plan.projects) };
  return {
    [WORKFLOW_FILES.ci]: renderCiWorkflow(plan),
    [WORKFLOW_FILES.release]: renderReleaseWorkflow(released),
    [WORKFLOW_FILES.releaseReadiness]: renderReleaseReadinessWorkflow(released),
  };
}

/** The generator: writes (or with `check`, compares) the workflows; see the module comment. */
export default function ciGenerator(tree: Tree, options: CiGeneratorSchema = {}): void {
  const files = ciWorkflows(tree);
  const stale = Object.entries(files).filter(([f, text]) => tree.read(f, 'utf-8') !== text).map(([f]) => f);
  if (options.check) {
    const names = stale.length > 1 ? `${stale.slice(0, -1).join(', ')} and ${stale[stale.length - 1]}` : stale.join('');
    if (stale.length) fail(`${names} ${stale.length === 1 ? 'differs' : 'differ'} from the generator's output; run nx g @quiver/nx-wheels:ci and commit the result.`);
    return;
  }
  for (const f of stale) tree.write(f, files[f]);
}

export { ciGenerator };
