/**
 * @quiver/nx-wheels: Nx plugin entry point.
 *
 * - `createNodes` (also exported as `createNodesV2`): every `pyproject.toml` with a
 *   `[tool.cibuildwheel]` table becomes an Nx project (name: `[tool.nx-wheels].project-name`, else
 *   the directory's basename) with the targets of {@link inferTargets}.
 * - `createDependencies`: edges from a wheel project to the projects its CMake files reference
 *   (`add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/../../libs/quiver)`), to those named in
 *   `[tool.nx-wheels].depends-on`, and to the plugin's own project when it lives in the workspace,
 *   so `nx affected` marks the wheel project when any of them changes.
 */
import {
  CreateDependencies,
  CreateNodesV2,
  DependencyType,
  RawProjectGraphDependency,
  createNodesFromFiles,
  normalizePath,
} from '@nx/devkit';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { cmakeReferencedPaths, inferTargets, PluginLocation, PLUGIN_PACKAGE } from './core/inference';
import { PythonProject, readPyProjectText } from './core/pyproject';

/** Plugin options in nx.json (none yet; reserved). */
export type NxWheelsPluginOptions = Record<string, never>;

const PLUGIN_ROOT = resolve(__dirname, '..');
const IGNORED = /(^|\/)(node_modules|\.nx-wheels|dist|build|\.venv|wheelhouse)\//;

/** Where this plugin's files are, relative to the workspace. */
export function pluginLocation(workspaceRoot: string): PluginLocation {
  const rel = normalizePath(relative(workspaceRoot, PLUGIN_ROOT));
  return rel.startsWith('..') || rel.includes('node_modules/') ? { kind: 'package', name: PLUGIN_PACKAGE } : { kind: 'workspace', root: rel };
}

/**
 * Read a pyproject.toml for inference. Returns null when it has no `[tool.cibuildwheel]`. A file
 * that does not parse but has a `[tool.cibuildwheel]` header still becomes a project, so that
 * running a target reports the syntax error as one line (file:line:col) instead of breaking
 * the whole project graph.
 */
function readForInference(absFile: string, relFile: string): { project: PythonProject | null; cibuildwheel: Record<string, unknown> } | null {
  const text = readFileSync(absFile, 'utf8');
  try {
    const p = readPyProjectText(text, relFile, { requireCibuildwheel: false });
    return p.cibuildwheel ? { project: p, cibuildwheel: p.cibuildwheel } : null;
  } catch {
    return /^\s*\[\s*tool\s*\.\s*cibuildwheel\s*[\].]/m.test(text) ? { project: null, cibuildwheel: {} } : null;
  }
}

function projectNameFor(root: string, p: PythonProject | null): string {
  return p?.nxWheels.projectName ?? basename(root);
}

export const createNodesV2: CreateNodesV2<NxWheelsPluginOptions> = [
  '**/pyproject.toml',
  (files, options, context) =>
    createNodesFromFiles(
      (file, _opts, ctx) => {
        const rel = normalizePath(file);
        if (IGNORED.test(rel)) return {};
        const found = readForInference(join(ctx.workspaceRoot, rel), rel);
        if (!found) return {};
        const root = normalizePath(dirname(rel));
        const namedInputs = ctx.nxJsonConfiguration?.namedInputs ?? {};
        return {
          projects: {
            [root]: {
              name: projectNameFor(root, found.project),
              root,
              projectType: 'library',
              tags: ['type:python-wheels'],
              targets: inferTargets({
                projectRoot: root,
                cibuildwheel: found.cibuildwheel,
                plugin: pluginLocation(ctx.workspaceRoot),
                dependencyInput: 'production' in namedInputs ? 'production' : 'default',
              }),
              metadata: { description: found.project ? `Python distribution ${found.project.name}` : undefined },
            },
          },
        };
      },
      files,
      options,
      context,
    ),
];

/** Same as {@link createNodesV2} (Nx 22+ reads `createNodes` with this signature). */
export const createNodes = createNodesV2;

/** Find the project whose root contains a workspace-relative path (deepest root wins). */
function owner(roots: ReadonlyMap<string, string>, path: string): string | null {
  let best: string | null = null;
  for (const root of roots.keys()) {
    if (root === '.' || path === root || path.startsWith(root + '/')) {
      if (best === null || root.length > best.length) best = root;
    }
  }
  return best === null ? null : roots.get(best)!;
}

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
  const pluginProject = plugin.kind === 'workspace' ? owner(roots, plugin.root) : null;
  for (const [root, source] of roots) {
    const pyproject = join(ctx.workspaceRoot, root, 'pyproject.toml');
    if (!existsSync(pyproject)) continue;
    const found = readForInference(pyproject, normalizePath(join(root, 'pyproject.toml')));
    if (!found) continue;
    for (const target of found.project?.nxWheels.dependsOn ?? []) {
      if ([...roots.values()].includes(target)) {
        add({ source, target, type: DependencyType.static, sourceFile: normalizePath(join(root, 'pyproject.toml')) });
      }
    }
    const dir = join(ctx.workspaceRoot, root);
    for (const f of readdirSync(dir)) {
      if (f !== 'CMakeLists.txt' && !f.endsWith('.cmake')) continue;
      const text = readFileSync(join(dir, f), 'utf8');
      for (const ref of cmakeReferencedPaths(text, root)) {
        const target = owner(roots, ref);
        if (target) add({ source, target, type: DependencyType.static, sourceFile: normalizePath(join(root, f)) });
      }
    }
    if (pluginProject) add({ source, target: pluginProject, type: DependencyType.implicit });
  }
  return deps;
};
