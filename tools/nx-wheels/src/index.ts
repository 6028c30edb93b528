/**
 * @quiver/nx-wheels: Nx plugin entry point.
 *
 * - `createNodes` (also exported as `createNodesV2`): every `pyproject.toml` with a
 *   `[build-system]` (any PEP 517 back-end builds wheels) or a `[tool.cibuildwheel]` table, unless
 *   `[tool.nx-wheels] skip = true` (or the plugin entry's `exclude`), becomes an Nx project (name:
 *   `[tool.nx-wheels].project-name`, else the directory's basename) with the targets of
 *   {@link inferTargets}, pure-Python or compiled by core/build-kind's rule (no process started).
 * - `createDependencies`: edges from a wheel project to the projects its CMake files reference
 *   (`add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/../../libs/quiver)`), to those named in
 *   `[tool.nx-wheels].depends-on`, and to the plugin's own project when it lives in the workspace,
 *   so `nx affected` marks the wheel project when any of them changes.
 */
// Types only from @nx/devkit: importing it at run time loads most of Nx (hundreds of ms in every
// plugin worker, every Nx command). createNodesFromFiles comes from the one light module that has it.
import type { CreateDependencies, CreateNodesV2, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { inferNamedInputs, inferTargets, LOCKFILES, NxWheelsPluginOptions, PluginLocation, PLUGIN_PACKAGE, resolvePluginOptions, WHEEL_PROJECT_TAG } from './core/inference';
import { PythonProject } from './core/pyproject';
import { owningProject, readForInference, sourceDependencies } from './pipeline/dependencies';
import { readBackendFiles } from './pipeline/project';
import { decideBuildKind } from './core/build-kind';

export type { NxWheelsPluginOptions } from './core/inference';

const PLUGIN_ROOT = resolve(__dirname, '..');
/** @nx/devkit's DependencyType values (a string enum), without loading @nx/devkit. */
const STATIC = 'static' as unknown as DependencyType.static;
const IMPLICIT = 'implicit' as unknown as DependencyType.implicit;

/** A path with `/` separators and no Windows drive letter (as @nx/devkit's normalizePath). */
function normalizePath(p: string): string {
  return p.replace(/^[A-Za-z]:/, '').split('\\').join('/');
}
const IGNORED = /(^|\/)(node_modules|\.nx-wheels|dist|build|\.venv|wheelhouse)\//;

/** True when a pyproject.toml lies in a directory inference never looks into (also any project's wheel directory). */
function ignored(rel: string, wheelDir: string): boolean {
  return IGNORED.test(rel) || rel.includes(`/${wheelDir}/`) || rel.startsWith(`${wheelDir}/`);
}

/** Where this plugin's files are, relative to the workspace. */
export function pluginLocation(workspaceRoot: string): PluginLocation {
  const rel = normalizePath(relative(workspaceRoot, PLUGIN_ROOT));
  return rel.startsWith('..') || rel.includes('node_modules/') ? { kind: 'package', name: PLUGIN_PACKAGE } : { kind: 'workspace', root: rel };
}

/** The lockfiles of {@link LOCKFILES} that exist at the workspace root. */
export function workspaceLockfiles(workspaceRoot: string): string[] {
  return LOCKFILES.filter((f) => existsSync(join(workspaceRoot, f)));
}

function projectNameFor(root: string, p: PythonProject | null): string {
  return p?.nxWheels.projectName ?? basename(root);
}

export const createNodesV2: CreateNodesV2<NxWheelsPluginOptions> = [
  '**/pyproject.toml',
  (files, options, context) => {
    // Checked once, before any file: a bad option is one error naming nx.json and the option.
    const resolved = resolvePluginOptions(options);
    return createNodesFromFiles(
      (file, _opts, ctx) => {
        const rel = normalizePath(file);
        if (ignored(rel, resolved.wheelDir)) return {};
        const found = readForInference(join(ctx.workspaceRoot, rel), rel);
        if (!found) return {};
        const root = normalizePath(dirname(rel));
        const namedInputs = ctx.nxJsonConfiguration?.namedInputs ?? {};
        const plugin = pluginLocation(ctx.workspaceRoot);
        const buildKind = found.project ? decideBuildKind(found.project, readBackendFiles(join(ctx.workspaceRoot, root), found.project), resolved.projectConfig?.pure) : undefined;
        return {
          projects: {
            [root]: {
              name: projectNameFor(root, found.project),
              root,
              projectType: 'library',
              tags: [WHEEL_PROJECT_TAG],
              namedInputs: inferNamedInputs({ plugin, lockfiles: workspaceLockfiles(ctx.workspaceRoot) }),
              targets: inferTargets({
                projectRoot: root,
                cibuildwheel: found.cibuildwheel,
                plugin,
                dependencyInput: 'production' in namedInputs ? 'production' : 'default',
                options: resolved,
                ...(buildKind ? { buildKind } : {}),
              }),
              metadata: { description: found.project ? `Python distribution ${found.project.name} (${buildKind!.kind === 'pure' ? 'pure-Python' : 'compiled'}: ${buildKind!.reason})` : undefined },
            },
          },
        };
      },
      files,
      options,
      context,
    );
  },
];

/** Same as {@link createNodesV2} (Nx 22+ reads `createNodes` with this signature). */
export const createNodes = createNodesV2;

export const createDependencies: CreateDependencies<NxWheelsPluginOptions> = (_options, ctx) => {
  const deps: RawProjectGraphDependency[] = [];
  const seen = new Set<string>();
  const add = (d: RawProjectGraphDependency) => {
    const key = `${d.source}->${d.target}`;
    if (d.source === d.target || seen.has(key)) return;
    seen.add(key);
    deps.push(d);
  };
  // ctx.projects is keyed by project name; map each root to its name.
  const roots = new Map(Object.entries(ctx.projects).map(([name, p]) => [normalizePath(p.root), p.name ?? name] as const));
  const plugin = pluginLocation(ctx.workspaceRoot);
  const pluginProject = plugin.kind === 'workspace' ? owningProject(roots, plugin.root) : null;
  for (const [root, source] of roots) {
    const pyproject = join(ctx.workspaceRoot, root, 'pyproject.toml');
    if (!existsSync(pyproject) || !readForInference(pyproject, normalizePath(join(root, 'pyproject.toml')))) continue;
    for (const d of sourceDependencies(ctx.workspaceRoot, root, roots)) add({ source, target: d.target, type: STATIC, sourceFile: d.sourceFile });
    if (pluginProject) add({ source, target: pluginProject, type: IMPLICIT });
  }
  return deps;
};
