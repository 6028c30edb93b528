/**
 * What the plugin infers for one wheel project: its Nx targets (build-wheels,
 * build-wheels-untested, test, python-toolchain) with cache inputs/outputs, and the paths its
 * CMake files reference (for project-graph edges). Pure: file contents in, configuration out.
 */
import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { QuiverError } from './errors';
import { CibuildwheelConfig } from './pyproject';
import { BuildKindDecision } from './build-kind';
import { checkProjectConfig, PROJECT_CONFIG_KEYS, ProjectConfig } from './project-config';

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
export type TargetKey = keyof typeof DEFAULT_TARGET_NAMES;

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
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(`nx.json plugins["${PLUGIN_PACKAGE}"].options must be an object; see docs/plugin-options.md.`);
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
        fail(`${where(opt)} is ${JSON.stringify(v)}; give a target name made of letters, digits, "-", "_" or "." (no ":"), e.g. "${DEFAULT_TARGET_NAMES[k]}".`);
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
    if (typeof v !== 'string' || !norm || norm === '.' || posix.isAbsolute(norm) || /^[A-Za-z]:/.test(norm) || norm === '..' || norm.startsWith('../') || /[*?[\]{}!]/.test(norm)) {
      fail(`${where('wheelDir')} is ${JSON.stringify(v)}; give a directory relative to each project's root, inside it and without glob characters, e.g. "wheelhouse".`);
    }
    wheelDir = norm;
  }
  const projectConfig = checkProjectConfig(o, where);
  return { targetNames, wheelDir, ...(Object.keys(projectConfig).length ? { projectConfig } : {}) };
}

/** Where the plugin lives relative to the workspace, for cache inputs. */
export type PluginLocation =
  | { kind: 'workspace'; root: string } // workspace-relative dir, e.g. tools/nx-wheels
  | { kind: 'package'; name: string }; // installed from a registry

/** The options the inferred targets need. */
export interface InferenceInput {
  /** Workspace-relative project root (posix), e.g. `bindings/python`. */
  projectRoot: string;
  cibuildwheel: CibuildwheelConfig;
  plugin: PluginLocation;
  /** Named input for dependencies' sources: `production` when nx.json defines it, else `default`. */
  dependencyInput: string;
  /**
   * Workspace-relative lockfiles that exist at the workspace root (from {@link LOCKFILES}); they
   * join the {@link WHEEL_PIPELINE_INPUT} named input. Default: none.
   */
  lockfiles?: string[];
  /** Target names and wheel directory (from {@link resolvePluginOptions}). Default: every default. */
  options?: ResolvedPluginOptions;
  /** Pure or compiled (core/build-kind); only the targets' descriptions differ. Default: compiled. */
  buildKind?: BuildKindDecision;
}

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
 */
export function inferNamedInputs(i: Pick<InferenceInput, 'plugin' | 'lockfiles'>): Record<string, NonNullable<TargetConfiguration['inputs']>> {
  return {
    [WHEEL_PIPELINE_INPUT]: [
      '{workspaceRoot}/.github/workflows/**/*',
      ...(i.lockfiles ?? []).map((f) => `{workspaceRoot}/${f}`),
      '{workspaceRoot}/package.json',
      ...toolchainInputs(i.plugin),
    ],
  };
}

/** Package name used in target executors. */
export const PLUGIN_PACKAGE = '@quiver/nx-wheels';

/**
 * The script of {@link HOST_FINGERPRINT_COMMAND}: one `node` process, no shell-outs, no shims.
 * Prints the platform, the architecture, whether a docker / podman socket is reachable, the host
 * interpreter (the first `python3` / `python` on PATH, resolved through symlinks, with its size
 * and mtime so an in-place upgrade shows), and when that is a pyenv shim the pyenv version that
 * shim would pick (PYENV_VERSION, else the nearest `.python-version`, else `$PYENV_ROOT/version`)
 * without running the shim; then every CIBW_* variable (Nx has no wildcard `env` input), the
 * docker / podman executables on PATH and the variables that configure them (CONTAINERS_CONF with
 * its size and mtime, CONTAINER_HOST, DOCKER_HOST, DOCKER_CONTEXT): whether a container starts
 * decides the engine of `--engine=auto`.
 * It prints strings only: console.log colours numbers when FORCE_COLOR is set, which would make the
 * hash depend on the terminal.
 */
export const HOST_FINGERPRINT_SCRIPT = [
  "const fs=require('fs'),P=require('path'),e=process.env;",
  "const has=(f)=>{try{return fs.statSync(f).isFile()}catch{return false}};",
  "const out=[process.platform,process.arch,!!e.DOCKER_HOST||fs.existsSync('/var/run/docker.sock'),!!e.CONTAINER_HOST||fs.existsSync('/run/podman/podman.sock')].join(' ');",
  'console.log(out);',
  "for(const n of ['python3','python']){const d=(e.PATH||'').split(P.delimiter).find((d)=>d&&has(P.join(d,n)));if(!d)continue;",
  'const f=fs.realpathSync(P.join(d,n)),s=fs.statSync(f);console.log([n,f,s.size,s.mtimeMs].join(\' \'));',
  "if(P.basename(d)==='shims'){let v=e.PYENV_VERSION;",
  "for(let c=process.cwd();!v;c=P.dirname(c)){const t=P.join(c,'.python-version');if(has(t))v=fs.readFileSync(t,'utf8').trim();if(P.dirname(c)===c)break}",
  "if(!v){const g=P.join(e.PYENV_ROOT||P.join(require('os').homedir(),'.pyenv'),'version');v=has(g)?fs.readFileSync(g,'utf8').trim():'system'}",
  "console.log('pyenv',v)}break}",
  "for(const k of Object.keys(e).sort())if(k.startsWith('CIBW_'))console.log(k+'='+e[k]);",
  "for(const n of ['docker','podman']){const d=(e.PATH||'').split(P.delimiter).find((d)=>d&&has(P.join(d,n)));if(d)console.log(n,P.join(d,n))}",
  "for(const k of ['CONTAINERS_CONF','CONTAINER_HOST','DOCKER_HOST','DOCKER_CONTEXT'])if(e[k]){let s='';try{const t=fs.statSync(e[k]);s=' '+t.size+' '+t.mtimeMs}catch{}console.log(k+'='+e[k]+s)}",
].join('');

/**
 * Command whose output Nx hashes for the wheel targets and python-toolchain (Nx `runtime` input):
 * the host facts that change which engine runs and which interpreter runs the toolchain, and the
 * CIBW_* environment. The only process any inferred input starts: one `node -e` (Nx runs each
 * distinct runtime command once per invocation, and every target uses this same string), which
 * reads PATH, files and the environment itself instead of running `python3 --version` (on pyenv
 * hosts a shell shim).
 */
export const HOST_FINGERPRINT_COMMAND = `node -e "${HOST_FINGERPRINT_SCRIPT}"`;

/**
 * Workspace-relative directories the test-command reads, from its `{project}/...` and
 * `{package}/...` path arguments (`{project}` = workspace root, `{package}` = project root).
 * Falls back to `<projectRoot>/tests` when the command names no such path.
 */
export function testPaths(projectRoot: string, cibuildwheel: CibuildwheelConfig): string[] {
  const commands: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'string') commands.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
  };
  collect(cibuildwheel['test-command']);
  for (const plat of ['linux', 'windows', 'macos']) {
    const t = cibuildwheel[plat];
    if (t && typeof t === 'object') collect((t as Record<string, unknown>)['test-command']);
  }
  if (Array.isArray(cibuildwheel['overrides'])) for (const o of cibuildwheel['overrides'] as Array<Record<string, unknown>>) collect(o['test-command']);
  const paths = new Set<string>();
  for (const c of commands) {
    for (const m of c.matchAll(/\{(project|package)\}((?:[\\/][^\s"';&|]*)?)/g)) {
      const base = m[1] === 'project' ? '.' : projectRoot;
      const rest = (m[2] ?? '').replace(/\\/g, '/').replace(/^\//, '');
      const p = posix.normalize(posix.join(base, rest)).replace(/\/$/, '');
      if (p && p !== '.' && p !== projectRoot && !p.startsWith('..')) paths.add(p);
    }
  }
  if (paths.size === 0) paths.add(posix.join(projectRoot, 'tests'));
  return [...paths].sort();
}

/**
 * A test path as an Nx input glob: `{projectRoot}/…` inside the project (so that a negation
 * `!{projectRoot}/tests/**\/*` removes it from `{projectRoot}/**\/*`), `{workspaceRoot}/…` outside;
 * directories get `/**\/*`.
 */
function asGlob(path: string, projectRoot: string): string {
  const inside = path.startsWith(projectRoot + '/');
  const base = inside ? `{projectRoot}/${path.slice(projectRoot.length + 1)}` : `{workspaceRoot}/${path}`;
  return /\.[A-Za-z0-9]+$/.test(posix.basename(path)) ? base : `${base}/**/*`;
}

/** The tag of every inferred wheel project (`nx show projects --projects=tag:type:python-wheels`; init's release.projects). */
export const WHEEL_PROJECT_TAG = 'type:python-wheels';

/**
 * Cache inputs that stand for the plugin's own code: `src/**\/*.ts` (no specs), the loader and entry
 * files at the package root (`*.js`: they choose dist/ or src/), executors.json, generators.json,
 * package.json and everything under toolchain/ (the pins and the helper scripts the executors run).
 * An installed package: its version (`externalDependencies`).
 */
export function pluginInputs(plugin: PluginLocation): NonNullable<TargetConfiguration['inputs']> {
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
export function toolchainInputs(plugin: PluginLocation): NonNullable<TargetConfiguration['inputs']> {
  return plugin.kind === 'package' ? [{ externalDependencies: [plugin.name] }] : [`{workspaceRoot}/${plugin.root}/toolchain/requirements.txt`];
}

/** The inferred targets of one wheel project (build-wheels, build-wheels-untested and validate-wheels use {@link WHEEL_PIPELINE_INPUT}). */
export function inferTargets(i: InferenceInput): Record<string, TargetConfiguration> {
  const root = i.projectRoot;
  const { targetNames: n, wheelDir, projectConfig } = i.options ?? resolvePluginOptions(undefined);
  const pure = i.buildKind?.kind === 'pure';
  // The build selection of nx.json reaches every target that builds or expects wheels, and is hashed with their options.
  const cfg = projectConfig ? { projectConfig } : {};
  const custom = wheelDir !== 'wheelhouse';
  const wheels = `{projectRoot}/${wheelDir}`;
  const tests = testPaths(root, i.cibuildwheel);
  const testGlobs = tests.map((t) => asGlob(t, root));
  const sources = [`{projectRoot}/**/*`, `!${wheels}/**/*`, `!{projectRoot}/**/__pycache__/**/*`];
  const common = [...pluginInputs(i.plugin), { runtime: HOST_FINGERPRINT_COMMAND }, `^${i.dependencyInput}`, WHEEL_PIPELINE_INPUT];
  // Option values say {projectRoot} as the outputs do; Nx resolves it in target options (and normalizeOptions for direct calls).
  const untested = `dist/{projectRoot}/${wheelDir}`;
  const untestedDir = `{workspaceRoot}/${untested}`;
  const wheelDirOption = custom ? { wheelDir: wheels } : {};
  return {
    [n.pythonToolchain]: {
      executor: `${PLUGIN_PACKAGE}:python-toolchain`,
      // Cached on the requirements file and the interpreter. No outputs: the venv itself is not
      // cache material (absolute paths); build-wheels re-checks it and re-installs if it is gone.
      cache: true,
      inputs: [...toolchainInputs(i.plugin), { runtime: HOST_FINGERPRINT_COMMAND }],
      outputs: [],
      metadata: { description: 'Install the pinned Python toolchain venv (.nx-wheels/toolchain); a no-op when its requirements are unchanged.' },
    },
    [n.buildWheels]: {
      executor: `${PLUGIN_PACKAGE}:build-wheels`,
      dependsOn: [n.pythonToolchain],
      cache: true,
      // It runs the test-command, so the tests are inputs too.
      inputs: [...sources, ...testGlobs, ...common],
      outputs: [wheels],
      options: { ...(custom ? { outputDir: wheels } : {}), ...cfg },
      metadata: pure
        ? { description: `Build the one pure-Python wheel (py3-none-any) with pypa/build and test it in a fresh venv, into ${wheels} (${i.buildKind!.reason}).`, technologies: ['python'] }
        : {
            description: `Build, repair and test the wheels [tool.cibuildwheel] selects, into ${wheels}.`,
            technologies: ['python', 'cibuildwheel'],
          },
    },
    [n.buildWheelsUntested]: {
      executor: `${PLUGIN_PACKAGE}:build-wheels`,
      dependsOn: [n.pythonToolchain],
      cache: true,
      inputs: [...sources, ...testGlobs.map((g) => `!${g}`), ...common],
      outputs: [untestedDir],
      options: { test: false, outputDir: untested, ...cfg },
      metadata: { description: pure ? `Build the pure-Python wheel without running tests (the ${n.test} target tests it), into dist/{projectRoot}/${wheelDir}.` : `Build and repair the wheels without running tests (the ${n.test} target tests them), into dist/{projectRoot}/${wheelDir}.` },
    },
    [n.test]: {
      executor: `${PLUGIN_PACKAGE}:test-wheels`,
      dependsOn: [n.buildWheelsUntested, n.pythonToolchain],
      cache: true,
      inputs: [`{projectRoot}/pyproject.toml`, ...testGlobs, { dependentTasksOutputFiles: '**/*.whl' }, ...pluginInputs(i.plugin), { runtime: HOST_FINGERPRINT_COMMAND }],
      outputs: [],
      options: { wheelDir: untested },
      metadata: { description: `Run test-command against the wheels of ${n.buildWheelsUntested}, each in a fresh venv.` },
    },
    [n.validateWheels]: {
      executor: `${PLUGIN_PACKAGE}:validate-wheels`,
      dependsOn: [n.buildWheels, n.pythonToolchain],
      // Never cached: a verdict is only ever about the bytes read in this run. Nx cannot key a
      // cache entry on the files of a directory given with --wheelDir (only on the option's
      // text), so a cached PASS could be replayed for other files; and hashing the wheels for a
      // cache key costs what validating them does. The inputs below still drive `nx affected`.
      cache: false,
      inputs: [
        `{projectRoot}/pyproject.toml`,
        { dependentTasksOutputFiles: '**/*.whl' },
        { env: 'GITHUB_REF' },
        { env: 'GITHUB_REF_NAME' },
        { env: 'GITHUB_REF_TYPE' },
        ...pluginInputs(i.plugin),
        { runtime: HOST_FINGERPRINT_COMMAND },
        WHEEL_PIPELINE_INPUT,
      ],
      outputs: [`${wheels}/validation-report.json`, `${wheels}/SHA256SUMS`],
      options: { ...wheelDirOption, ...cfg },
      metadata: {
        description: `Prove ${wheels} (or --wheelDir) is exactly the release: ${pure ? 'exactly one pure wheel (py3-none-any)' : 'one wheel per cibuildwheel identifier'}, names, versions, tags, archive, binaries and RECORD hashes; writes validation-report.json and SHA256SUMS. Not cached: every run reads the files.`,
        technologies: ['python'],
      },
    },
    // publish validates the files itself and takes no build dependency: in CI the wheels arrive as artifacts.
    [n.publish]: {
      executor: `${PLUGIN_PACKAGE}:publish`,
      cache: false,
      options: { ...wheelDirOption, ...cfg },
      metadata: { description: `Validate, then upload ${wheels} to PyPI (or --repositoryUrl) by trusted publishing or PYPI_API_TOKEN; skips files already there, resumable.`, technologies: ['python'] },
    },
    // `nx release publish` runs this target (with dryRun / NX_DRY_RUN on --dry-run).
    [n.nxReleasePublish]: {
      executor: `${PLUGIN_PACKAGE}:publish`,
      cache: false,
      options: { ...wheelDirOption, ...cfg },
      metadata: { description: 'The publish executor as `nx release publish` calls it.' },
    },
    [n.validateRelease]: {
      executor: `${PLUGIN_PACKAGE}:validate-release`,
      cache: false,
      options: {},
      metadata: { description: 'Check that [project].version, {projectRoot}/CHANGELOG.md and the release tag agree (branch mode, or tag mode with --tag / on a tag push).' },
    },
    // The whole next release in a scratch clone (bump, build every release platform, validate in tag mode, publish to a
    // throwaway index twice, install and test from it); it builds for itself, so it depends on nothing.
    [n.rehearseRelease]: {
      executor: `${PLUGIN_PACKAGE}:rehearse-release`,
      cache: false,
      options: {},
      metadata: { description: 'Rehearse the next release before any tag: nx release in a scratch clone, build every release platform, validate in tag mode, publish to a throwaway pypiserver twice, install by exact version and test on each platform. The tree, branches and tags are untouched.', technologies: ['python'] },
    },
  };
}

/**
 * Workspace-relative paths a CMake file points at outside its own directory:
 * `add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/../../libs/quiver ...)`, `"../../libs/quiver"`.
 * @param cmakeDir workspace-relative directory of the CMake file (posix)
 */
export function cmakeReferencedPaths(cmakeText: string, cmakeDir: string): string[] {
  const text = cmakeText.replace(/#[^\n]*/g, '');
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:\$\{(?:CMAKE_CURRENT_SOURCE_DIR|CMAKE_CURRENT_LIST_DIR|PROJECT_SOURCE_DIR|CMAKE_SOURCE_DIR)\}\/)?((?:\.\.\/)+[A-Za-z0-9_.\-/]+)/g)) {
    const p = posix.normalize(posix.join(cmakeDir, m[1])).replace(/\/$/, '');
    if (!p.startsWith('..')) out.add(p);
  }
  return [...out].sort();
}
