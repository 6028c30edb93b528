/**
 * The plugin's options in nx.json (target names, wheel directory, build selection), checked and
 * completed once per graph computation.
 */
import { posix } from 'node:path';
import { QuiverError } from '../core/errors';
import { checkProjectConfig, PROJECT_CONFIG_KEYS, ProjectConfig } from '../core/project-config';

/** Package name used in target executors. */
export const PLUGIN_PACKAGE = '@quiver/nx-wheels';

/** The tag of every inferred wheel project (`nx show projects --projects=tag:type:python-wheels`; init's release.projects). */
export const WHEEL_PROJECT_TAG = 'type:python-wheels';

/** The inferred targets, by their key in {@link NxWheelsPluginOptions} (`<key>TargetName`). */
export const DEFAULT_TARGET_NAMES = {
  buildWheels: 'build-wheels',
  buildWheelsUntested: 'build-wheels-untested',
  test: 'test',
  validateWheels: 'validate-wheels',
  publish: 'publish',
  nxReleasePublish: 'nx-release-publish',
  validateRelease: 'validate-release',
  rehearseRelease: 'rehearse-release',
  pythonToolchain: 'python-toolchain',
} as const;

/** One of the inferred targets (see {@link DEFAULT_TARGET_NAMES}). */
type TargetKey = keyof typeof DEFAULT_TARGET_NAMES;

/**
 * The plugin's options in nx.json: `{ "plugin": "@quiver/nx-wheels", "options": { ... } }`.
 * Every option is optional; docs/plugin-options.md describes them.
 */
export interface NxWheelsPluginOptions {
  /** Name of the build-wheels target. Default `build-wheels`. */
  buildWheelsTargetName?: string;
  /** Name of the build-wheels-untested target. Default `build-wheels-untested`. */
  buildWheelsUntestedTargetName?: string;
  /** Name of the test target. Default `test`. */
  testTargetName?: string;
  /** Name of the validate-wheels target. Default `validate-wheels`. */
  validateWheelsTargetName?: string;
  /** Name of the publish target. Default `publish`. */
  publishTargetName?: string;
  /** Name of the target `nx release publish` runs. Default `nx-release-publish` (the only name `nx release publish` calls). */
  nxReleasePublishTargetName?: string;
  /** Name of the validate-release target. Default `validate-release`. */
  validateReleaseTargetName?: string;
  /** Name of the rehearse-release target. Default `rehearse-release`. */
  rehearseReleaseTargetName?: string;
  /** Name of the python-toolchain target. Default `python-toolchain`. */
  pythonToolchainTargetName?: string;
  /**
   * The wheel directory, relative to each project's root (posix, no `..`). Default `wheelhouse`.
   * build-wheels writes it, validate-wheels and publish read it; build-wheels-untested writes
   * `dist/<projectRoot>/<wheelDir>`.
   */
  wheelDir?: string;
  /** Build engine of every project of this plugin entry when `--engine` is not given (core/project-config). */
  engine?: ProjectConfig['engine'];
  /** cibuildwheel `build` selector for every project of this entry (as `CIBW_BUILD`; the environment still wins). */
  build?: string | string[];
  /** cibuildwheel `skip` selector (as `CIBW_SKIP`). */
  skip?: string | string[];
  /** cibuildwheel `archs` (as `CIBW_ARCHS`). */
  archs?: string | string[];
  /** The platforms a release ships (as `[tool.nx-wheels] release-platforms`), e.g. `["linux"]`. */
  releasePlatforms?: Array<'linux' | 'windows'>;
  /** The native engine's manylinux policy (as `[tool.nx-wheels] manylinux`). */
  manylinux?: string;
  /** Pure-Python (true) or compiled (false), overriding core/build-kind's inference. */
  pure?: boolean;
}

/** {@link NxWheelsPluginOptions} with every default filled in. */
export interface ResolvedPluginOptions {
  targetNames: Record<TargetKey, string>;
  wheelDir: string;
  /** The build selection of the entry (only the fields given); copied into each wheel target's `projectConfig` option. */
  projectConfig?: ProjectConfig;
}

/** A target name: letters, digits, `-`, `_`, `.`; no `:` (Nx splits `project:target:configuration` on it). */
const TARGET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Check and complete the plugin options from nx.json.
 * @param raw the `options` object of the plugin's nx.json entry (undefined when there is none)
 * @throws QuiverError `PLUGIN_OPTION_INVALID`, one line naming nx.json, the option and the fix,
 *   for an unknown option, a value of the wrong type, a target name Nx cannot address, two
 *   targets given the same name, or a wheel directory that is absolute, empty or leaves the project.
 */
export function resolvePluginOptions(raw: unknown): ResolvedPluginOptions {
  const where = (k: string) => `nx.json plugins["${PLUGIN_PACKAGE}"].options.${k}`;
  const fail = (msg: string) => {
    throw new QuiverError('PLUGIN_OPTION_INVALID', msg);
  };
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    fail(`nx.json plugins["${PLUGIN_PACKAGE}"].options must be an object; see docs/plugin-options.md.`);
  const o = raw as Record<string, unknown>;
  const keys = Object.keys(DEFAULT_TARGET_NAMES) as TargetKey[];
  const known = new Set<string>([...keys.map((k) => `${k}TargetName`), 'wheelDir', ...PROJECT_CONFIG_KEYS]);
  for (const k of Object.keys(o)) {
    if (!known.has(k)) fail(`${where(k)} is not an option of ${PLUGIN_PACKAGE}; remove it (known: ${[...known].join(', ')}).`);
  }
  const targetNames = { ...DEFAULT_TARGET_NAMES } as Record<TargetKey, string>;
  const owner = new Map<string, string>();
  for (const k of keys) {
    const opt = `${k}TargetName`;
    const v = o[opt];
    if (v !== undefined) {
      if (typeof v !== 'string' || !TARGET_NAME.test(v)) {
        fail(
          `${where(opt)} is ${JSON.stringify(v)}; give a target name made of letters, digits, "-", "_" or "." (no ":"), e.g. "${DEFAULT_TARGET_NAMES[k]}".`,
        );
      }
      targetNames[k] = v as string;
    }
    const clash = owner.get(targetNames[k]);
    if (clash) fail(`${where(opt)}: "${targetNames[k]}" is also the name of the ${clash} target; give each target its own name.`);
    owner.set(targetNames[k], DEFAULT_TARGET_NAMES[k]);
  }
  let wheelDir = 'wheelhouse';
  if (o['wheelDir'] !== undefined) {
    const v = o['wheelDir'];
    const norm = typeof v === 'string' ? posix.normalize(v.replace(/\\/g, '/')).replace(/\/+$/, '') : '';
    if (
      typeof v !== 'string' ||
      !norm ||
      norm === '.' ||
      posix.isAbsolute(norm) ||
      /^[A-Za-z]:/.test(norm) ||
      norm === '..' ||
      norm.startsWith('../') ||
      /[*?[\]{}!]/.test(norm)
    ) {
      fail(
        `${where('wheelDir')} is ${JSON.stringify(v)}; give a directory relative to each project's root, inside it and without glob characters, e.g. "wheelhouse".`,
      );
    }
    wheelDir = norm;
  }
  const projectConfig = checkProjectConfig(o, where);
  return { targetNames, wheelDir, ...(Object.keys(projectConfig).length ? { projectConfig } : {}) };
}
