/**
 * `createDependencies`: edges from a wheel project to the projects its CMake files reference
 * (`add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/../../libs/quiver)`), to those named in
 * `[tool.nx-wheels].depends-on`, and to the plugin's own project when it lives in the workspace,
 * so `nx affected` marks the wheel project when any of them changes.
 */
import type { CreateDependencies, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { owningProject, readForInference, sourceDependencies } from '../pipeline/dependencies';
import { normalizePath, pluginLocation } from './nodes';
import { NxWheelsPluginOptions } from './options';

/** @nx/devkit's DependencyType values (a string enum), without loading @nx/devkit. */
const STATIC = 'static' as unknown as DependencyType.static;
const IMPLICIT = 'implicit' as unknown as DependencyType.implicit;

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
    for (const d of sourceDependencies(ctx.workspaceRoot, root, roots))
      add({ source, target: d.target, type: STATIC, sourceFile: d.sourceFile });
    if (pluginProject) add({ source, target: pluginProject, type: IMPLICIT });
  }
  return deps;
};
