/**
 * `createNodesV2`: every `pyproject.toml` with a `[build-system]` (any PEP 517 back-end builds
 * wheels) or a `[tool.cibuildwheel]` table, unless `[tool.nx-wheels] skip = true` (or the plugin
 * entry's `exclude`), becomes an Nx project (name: `[tool.nx-wheels].project-name`, else the
 * directory's basename) with the targets of plugin/targets, pure-Python or compiled by
 * core/build-kind's rule (no process started).
 */
// Types only from @nx/devkit: importing it at run time loads most of Nx (hundreds of ms in every
// plugin worker, every Nx command). createNodesFromFiles comes from the one light module that has it.
import type { CreateNodesContextV2, CreateNodesResult, CreateNodesV2 } from '@nx/devkit';
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { decideBuildKind } from '../core/build-kind';
import { PythonProject } from '../core/pyproject';
import { readForInference } from '../pipeline/dependencies';
import { readBackendFiles } from '../pipeline/project';
import { inferNamedInputs, LOCKFILES, PLUGIN_ROOT, PluginLocation } from './inputs';
import { NxWheelsPluginOptions, PLUGIN_PACKAGE, ResolvedPluginOptions, resolvePluginOptions, WHEEL_PROJECT_TAG } from './options';
import { inferTargets } from './targets';

/** A path with `/` separators and no Windows drive letter (as @nx/devkit's normalizePath). */
export function normalizePath(p: string): string {
  return p
    .replace(/^[A-Za-z]:/, '')
    .split('\\')
    .join('/');
}
const IGNORED = /(^|\/)(node_modules|\.nx-wheels|dist|build|\.venv|wheelhouse)\//;

/** True when a pyproject.toml lies in a directory inference never looks into (also any project's wheel directory). */
/** Paths the plugin never infers a project from (installed packages, build output, wheel directories). */
export function ignoredByPlugin(rel: string, wheelDir: string): boolean {
  return IGNORED.test(rel) || rel.includes(`/${wheelDir}/`) || rel.startsWith(`${wheelDir}/`);
}

/** Where this plugin's files are, relative to the workspace (an installed package also gets its workspace-relative root). */
export function pluginLocation(workspaceRoot: string): PluginLocation {
  const rel = normalizePath(relative(workspaceRoot, PLUGIN_ROOT));
  return rel.startsWith('..') || rel.includes('node_modules/')
    ? { kind: 'package', name: PLUGIN_PACKAGE, root: rel }
    : { kind: 'workspace', root: rel };
}

/** The lockfiles of {@link LOCKFILES} that exist at the workspace root. */
export function workspaceLockfiles(workspaceRoot: string): string[] {
  return LOCKFILES.filter((f) => existsSync(join(workspaceRoot, f)));
}

function projectNameFor(root: string, p: PythonProject | null): string {
  return p?.nxWheels.projectName ?? basename(root);
}

/** The project of one pyproject.toml (`file`, workspace-relative), or nothing. */
function nodesOf(file: string, resolved: ResolvedPluginOptions, ctx: CreateNodesContextV2): CreateNodesResult {
  const rel = normalizePath(file);
  if (ignoredByPlugin(rel, resolved.wheelDir)) return {};
  const found = readForInference(join(ctx.workspaceRoot, rel), rel);
  if (!found) return {};
  const root = normalizePath(dirname(rel));
  const namedInputs = ctx.nxJsonConfiguration?.namedInputs ?? {};
  const plugin = pluginLocation(ctx.workspaceRoot);
  const buildKind = found.project
    ? decideBuildKind(found.project, readBackendFiles(join(ctx.workspaceRoot, root), found.project), resolved.projectConfig?.pure)
    : undefined;
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
        metadata: {
          description: found.project
            ? `Python distribution ${found.project.name} (${buildKind!.kind === 'pure' ? 'pure-Python' : 'compiled'}: ${buildKind!.reason})`
            : undefined,
        },
      },
    },
  };
}

export const createNodesV2: CreateNodesV2<NxWheelsPluginOptions> = [
  '**/pyproject.toml',
  (files, options, context) => {
    // Checked once, before any file: a bad option is one error naming nx.json and the option.
    const resolved = resolvePluginOptions(options);
    return createNodesFromFiles((file, _opts, ctx) => nodesOf(file, resolved, ctx), files, options, context);
  },
];
