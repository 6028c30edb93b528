/**
 * The cache inputs of the inferred targets: the plugin's own files, the pinned toolchain, the host
 * fingerprint (a `runtime` input), the wheelPipeline named input and test paths as globs.
 */
import { join, posix, resolve } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';

/** The plugin package's directory (src/plugin/ and dist/plugin/ are both two levels below it). */
export const PLUGIN_ROOT = resolve(__dirname, '..', '..');

/** toolchain/host-fingerprint.js: the script of {@link hostFingerprintCommand}; it ships in the package (`files`). */
export const HOST_FINGERPRINT_SCRIPT = join(PLUGIN_ROOT, 'toolchain', 'host-fingerprint.js');

/** Where the plugin lives relative to the workspace, for cache inputs. */
export type PluginLocation =
  | { kind: 'workspace'; root: string } // workspace-relative dir, e.g. tools/nx-wheels
  | { kind: 'package'; name: string; root: string }; // installed from a registry; root as above, e.g. node_modules/@quiver/nx-wheels

/** Input list of a target (`TargetConfiguration['inputs']` without undefined). */
export type Inputs = NonNullable<TargetConfiguration['inputs']>;

/**
 * Name of the project-level named input that stands for the release pipeline around the wheels:
 * the GitHub workflows, the workspace lockfile(s), the root package.json and the toolchain pins.
 * build-wheels, build-wheels-untested and validate-wheels use it, so a change to any of these
 * marks the wheel project affected (`nx show projects --affected`) and selects those tasks
 * (`nx affected -t build-wheels`) before a tag is ever pushed.
 */
export const WHEEL_PIPELINE_INPUT = 'wheelPipeline';

/** Workspace lockfiles the plugin looks for at the workspace root (npm, pnpm, yarn, bun). */
export const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'] as const;

/**
 * The project-level named inputs of a wheel project: `{ wheelPipeline: [...] }`.
 * Nx's affected locators collect every `{workspaceRoot}/…` fileset reachable from a target's
 * inputs, following named inputs (project-level ones included), so the globs here mark the
 * project affected when a workflow, lockfile, package.json or toolchain pin changes.
 * @param i.lockfiles workspace-relative lockfiles that exist at the workspace root (from {@link LOCKFILES})
 */
export function inferNamedInputs(i: { plugin: PluginLocation; lockfiles?: string[] }): Record<string, Inputs> {
  return {
    [WHEEL_PIPELINE_INPUT]: [
      '{workspaceRoot}/.github/workflows/**/*',
      ...(i.lockfiles ?? []).map((f) => `{workspaceRoot}/${f}`),
      '{workspaceRoot}/package.json',
      ...toolchainInputs(i.plugin),
    ],
  };
}

/**
 * Command whose output Nx hashes for the wheel targets and python-toolchain (Nx `runtime` input,
 * run by Nx in a shell with the workspace root as cwd): `node <plugin>/toolchain/host-fingerprint.js`,
 * the host facts that change which engine runs and which interpreter runs the toolchain, and the
 * CIBW_* environment (see that file). The only process any inferred input starts; every target
 * uses this same string, so Nx runs it once per invocation. The path is workspace-relative (the
 * same on every machine, for a shared cache); a plugin outside the workspace gets `..` segments.
 */
export function hostFingerprintCommand(plugin: PluginLocation): string {
  return `node ${JSON.stringify(posix.join(plugin.root, 'toolchain', 'host-fingerprint.js'))}`;
}

/**
 * Cache inputs that stand for the plugin's own code: `src/**\/*.ts` (no specs), the loader and entry
 * files at the package root (`*.js`: they choose dist/ or src/), executors.json, generators.json,
 * package.json and everything under toolchain/ (the pins, the host fingerprint and the helper
 * scripts the executors run). An installed package: its version (`externalDependencies`).
 */
export function pluginInputs(plugin: PluginLocation): Inputs {
  if (plugin.kind === 'package') return [{ externalDependencies: [plugin.name] }];
  const r = plugin.root;
  return [
    `{workspaceRoot}/${r}/src/**/*.ts`,
    `!{workspaceRoot}/${r}/src/**/*.spec.ts`,
    `{workspaceRoot}/${r}/*.js`,
    `{workspaceRoot}/${r}/executors.json`,
    `{workspaceRoot}/${r}/generators.json`,
    `{workspaceRoot}/${r}/package.json`,
    `{workspaceRoot}/${r}/toolchain/**/*`,
  ];
}

/** Cache inputs that stand for the pinned toolchain (its requirements file). */
export function toolchainInputs(plugin: PluginLocation): Inputs {
  return plugin.kind === 'package'
    ? [{ externalDependencies: [plugin.name] }]
    : [`{workspaceRoot}/${plugin.root}/toolchain/requirements.txt`];
}

/**
 * A test path (core/test-paths) as an Nx input glob: `{projectRoot}/…` inside the project (so that
 * a negation `!{projectRoot}/tests/**\/*` removes it from `{projectRoot}/**\/*`), `{workspaceRoot}/…`
 * outside; directories get `/**\/*`.
 */
export function asGlob(path: string, projectRoot: string): string {
  const inside = path.startsWith(projectRoot + '/');
  const base = inside ? `{projectRoot}/${path.slice(projectRoot.length + 1)}` : `{workspaceRoot}/${path}`;
  return /\.[A-Za-z0-9]+$/.test(posix.basename(path)) ? base : `${base}/**/*`;
}
