/**
 * The target table of one wheel project: python-toolchain, build-wheels, build-wheels-untested,
 * test, validate-wheels, publish, nx-release-publish, validate-release and rehearse-release, with
 * their cache inputs and outputs. Pure: configuration in, configuration out.
 */
import type { TargetConfiguration } from '@nx/devkit';
import { BuildKindDecision } from '../core/build-kind';
import { CibuildwheelConfig } from '../core/pyproject';
import { testPaths } from '../core/test-paths';
import { asGlob, hostFingerprintCommand, Inputs, PluginLocation, pluginInputs, toolchainInputs, WHEEL_PIPELINE_INPUT } from './inputs';
import { PLUGIN_PACKAGE, resolvePluginOptions, ResolvedPluginOptions } from './options';

/** The options the inferred targets need. */
export interface InferenceInput {
  /** Workspace-relative project root (posix), e.g. `bindings/python`. */
  projectRoot: string;
  cibuildwheel: CibuildwheelConfig;
  plugin: PluginLocation;
  /** Named input for dependencies' sources: `production` when nx.json defines it, else `default`. */
  dependencyInput: string;
  /** Workspace-relative lockfiles that exist at the workspace root (plugin/inputs LOCKFILES). Default: none. */
  lockfiles?: string[];
  /** Target names and wheel directory (from {@link resolvePluginOptions}). Default: every default. */
  options?: ResolvedPluginOptions;
  /** Pure or compiled (core/build-kind); only the targets' descriptions differ. Default: compiled. */
  buildKind?: BuildKindDecision;
}

type Targets = Record<string, TargetConfiguration>;

/** What every target builder shares: names, paths and input lists computed once. */
interface Ctx {
  i: InferenceInput;
  root: string;
  n: ResolvedPluginOptions['targetNames'];
  wheelDir: string;
  pure: boolean;
  /** `{ projectConfig }` when nx.json gives a build selection (hashed with the wheel targets' options), else `{}`. */
  cfg: { projectConfig?: NonNullable<ResolvedPluginOptions['projectConfig']> };
  /** `{projectRoot}/<wheelDir>` */
  wheels: string;
  /** `{ wheelDir: {projectRoot}/<wheelDir> }` when the wheel directory is not the default, else `{}`. */
  wheelDirOption: { wheelDir?: string };
  testGlobs: string[];
  sources: string[];
  runtime: { runtime: string };
  common: Inputs;
}

function context(i: InferenceInput): Ctx {
  const root = i.projectRoot;
  const { targetNames: n, wheelDir, projectConfig } = i.options ?? resolvePluginOptions(undefined);
  const wheels = `{projectRoot}/${wheelDir}`;
  const runtime = { runtime: hostFingerprintCommand(i.plugin) };
  return {
    i,
    root,
    n,
    wheelDir,
    pure: i.buildKind?.kind === 'pure',
    cfg: projectConfig ? { projectConfig } : {},
    wheels,
    // Option values say {projectRoot} as the outputs do; Nx resolves it in target options (normalizeOptions for direct calls).
    wheelDirOption: wheelDir !== 'wheelhouse' ? { wheelDir: wheels } : {},
    testGlobs: testPaths(root, i.cibuildwheel).map((t) => asGlob(t, root)),
    sources: [`{projectRoot}/**/*`, `!${wheels}/**/*`, `!{projectRoot}/**/__pycache__/**/*`],
    runtime,
    common: [...pluginInputs(i.plugin), runtime, `^${i.dependencyInput}`, WHEEL_PIPELINE_INPUT],
  };
}

/** python-toolchain, build-wheels, build-wheels-untested and test. */
function buildTargets(c: Ctx): Targets {
  const { n, wheels, wheelDir, cfg, pure } = c;
  return {
    [n.pythonToolchain]: {
      executor: `${PLUGIN_PACKAGE}:python-toolchain`,
      // Cached on the requirements file and the interpreter. No outputs: the venv itself is not
      // cache material (absolute paths); build-wheels re-checks it and re-installs if it is gone.
      cache: true,
      inputs: [...toolchainInputs(c.i.plugin), c.runtime],
      outputs: [],
      metadata: {
        description: 'Install the pinned Python toolchain venv (.nx-wheels/toolchain); a no-op when its requirements are unchanged.',
      },
    },
    [n.buildWheels]: {
      executor: `${PLUGIN_PACKAGE}:build-wheels`,
      dependsOn: [n.pythonToolchain],
      cache: true,
      // It runs the test-command, so the tests are inputs too.
      inputs: [...c.sources, ...c.testGlobs, ...c.common],
      outputs: [wheels],
      options: { ...(wheelDir !== 'wheelhouse' ? { outputDir: c.wheels } : {}), ...cfg },
      metadata: pure
        ? {
            description: `Build the one pure-Python wheel (py3-none-any) with pypa/build and test it in a fresh venv, into ${wheels} (${c.i.buildKind!.reason}).`,
            technologies: ['python'],
          }
        : {
            description: `Build, repair and test the wheels [tool.cibuildwheel] selects, into ${wheels}.`,
            technologies: ['python', 'cibuildwheel'],
          },
    },
    [n.buildWheelsUntested]: {
      executor: `${PLUGIN_PACKAGE}:build-wheels`,
      dependsOn: [n.pythonToolchain],
      cache: true,
      inputs: [...c.sources, ...c.testGlobs.map((g) => `!${g}`), ...c.common],
      outputs: [`{workspaceRoot}/dist/{projectRoot}/${wheelDir}`],
      options: { test: false, outputDir: `dist/{projectRoot}/${wheelDir}`, ...cfg },
      metadata: {
        description: pure
          ? `Build the pure-Python wheel without running tests (the ${n.test} target tests it), into dist/{projectRoot}/${wheelDir}.`
          : `Build and repair the wheels without running tests (the ${n.test} target tests them), into dist/{projectRoot}/${wheelDir}.`,
      },
    },
    [n.test]: {
      executor: `${PLUGIN_PACKAGE}:test-wheels`,
      dependsOn: [n.buildWheelsUntested, n.pythonToolchain],
      cache: true,
      inputs: [
        `{projectRoot}/pyproject.toml`,
        ...c.testGlobs,
        { dependentTasksOutputFiles: '**/*.whl' },
        ...pluginInputs(c.i.plugin),
        c.runtime,
      ],
      outputs: [],
      options: { wheelDir: `dist/{projectRoot}/${wheelDir}` },
      metadata: { description: `Run test-command against the wheels of ${n.buildWheelsUntested}, each in a fresh venv.` },
    },
  };
}

/** validate-wheels, publish and nx-release-publish. */
function shipTargets(c: Ctx): Targets {
  const { n, wheels, cfg, wheelDirOption } = c;
  return {
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
        ...pluginInputs(c.i.plugin),
        c.runtime,
        WHEEL_PIPELINE_INPUT,
      ],
      outputs: [`${wheels}/validation-report.json`, `${wheels}/SHA256SUMS`],
      options: { ...wheelDirOption, ...cfg },
      metadata: {
        description: `Prove ${wheels} (or --wheelDir) is exactly the release: ${c.pure ? 'exactly one pure wheel (py3-none-any)' : 'one wheel per cibuildwheel identifier'}, names, versions, tags, archive, binaries and RECORD hashes; writes validation-report.json and SHA256SUMS. Not cached: every run reads the files.`,
        technologies: ['python'],
      },
    },
    // publish validates the files itself and takes no build dependency: in CI the wheels arrive as artifacts.
    [n.publish]: {
      executor: `${PLUGIN_PACKAGE}:publish`,
      cache: false,
      options: { ...wheelDirOption, ...cfg },
      metadata: {
        description: `Validate, then upload ${wheels} to PyPI (or --repositoryUrl) by trusted publishing or PYPI_API_TOKEN; skips files already there, resumable.`,
        technologies: ['python'],
      },
    },
    // `nx release publish` runs this target (with dryRun / NX_DRY_RUN on --dry-run).
    [n.nxReleasePublish]: {
      executor: `${PLUGIN_PACKAGE}:publish`,
      cache: false,
      options: { ...wheelDirOption, ...cfg },
      metadata: { description: 'The publish executor as `nx release publish` calls it.' },
    },
  };
}

/** validate-release and rehearse-release. */
function releaseTargets({ n }: Ctx): Targets {
  return {
    [n.validateRelease]: {
      executor: `${PLUGIN_PACKAGE}:validate-release`,
      cache: false,
      options: {},
      metadata: {
        description:
          'Check that [project].version, {projectRoot}/CHANGELOG.md and the release tag agree (branch mode, or tag mode with --tag / on a tag push).',
      },
    },
    // The whole next release in a scratch clone (bump, build every release platform, validate in tag mode, publish to a
    // throwaway index twice, install and test from it); it builds for itself, so it depends on nothing.
    [n.rehearseRelease]: {
      executor: `${PLUGIN_PACKAGE}:rehearse-release`,
      cache: false,
      options: {},
      metadata: {
        description:
          'Rehearse the next release before any tag: nx release in a scratch clone, build every release platform, validate in tag mode, publish to a throwaway pypiserver twice, install by exact version and test on each platform. The tree, branches and tags are untouched.',
        technologies: ['python'],
      },
    },
  };
}

/**
 * The inferred targets of one wheel project, keyed by their (configurable) names, in the order
 * above. build-wheels, build-wheels-untested and validate-wheels use {@link WHEEL_PIPELINE_INPUT};
 * the wheel targets and python-toolchain hash the host fingerprint (plugin/inputs).
 */
export function inferTargets(i: InferenceInput): Targets {
  const c = context(i);
  return { ...buildTargets(c), ...shipTargets(c), ...releaseTargets(c) };
}
