/**
 * build-wheels: plan (cibuildwheel --print-build-identifiers), stage the git-tracked sources of
 * the project and its dependencies (pipeline/staging.ts), build with the chosen engine from the
 * staging into a temporary directory with SOURCE_DATE_EPOCH set, test, report, and only then move
 * the wheels into the output directory.
 */
import { normalizePath, readCachedProjectGraph, workspaceRoot as nxWorkspaceRoot } from '@nx/devkit';
import { mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { BUILD_REPORT_FILE, BuildReport, BuiltWheel, formatBuildSummary } from '../core/build-report';
import {
  cibuildwheelInvocation,
  cibuildwheelSetEnvironment,
  cibuildwheelTestEnvironment,
  resolveSourceDateEpoch,
  SourceDateEpoch,
  substitutePlaceholders,
  testCommand,
  testExtras,
  testRequires,
  testSkipped,
} from '../core/cibw-options';
import { QuiverError } from '../core/errors';
import { BuildIdentifier, identifierForWheel, Platform } from '../core/identifiers';
import { BuildPlan, checkEngineOption, formatPlan, HostInfo, PlatformPlan, resolveEngine, resolvePlatforms } from '../core/plan';
import { describeCross } from '../core/windows-cross';
import { buildWindowsCross, planCross } from './windows-cross';
import { testPaths } from '../core/inference';
import { formatBytes } from '../core/staging';
import { parseWheelFilename } from '../core/wheel-filename';
import { isPure } from '../core/validation/types';
import { runCibuildwheel } from '../runners/cibuildwheel';
import { containerPlan, findStartingEngine } from '../runners/container';
import { buildSdist, buildWheel, repairWheel } from '../runners/native';
import { LineSink, consoleSink } from '../runners/process';
import { findCPython, Interpreter } from '../runners/python';
import { headCommitTime } from '../runners/git';
import { ensureBuildEnv, stateDir } from '../runners/toolchain';
import { testWheel } from '../runners/wheel-test';
import { replaceDir, sha256File } from './files';
import { listIdentifiers } from './identifiers';
import { loadBuildKind, loadPythonProject } from './project';
import { buildPureWheel } from './build-pure';
import { formatNotBuildable, nativeCoverage, NotBuildable, nothingBuildableError } from '../core/native-coverage';
import { ProjectConfig, selectionEnvironment, withProjectConfig } from '../core/project-config';
import { stageSources, Staging } from './staging';
import { stagingVersionEnv } from './project-version';
import { withPassedEnv } from '../core/dynamic-version';
import { loadToolchain } from './toolchain';
import { describeTarget, HOST_TARGET, NativeTarget, resolveNativeTarget, targetLabel } from '../core/manylinux';
import { ensureZig, Zig, zigCompilerEnv } from '../runners/zig';

/** Inputs of {@link buildWheels}; mirrors the executor's schema.json. */
export interface BuildWheelsOptions {
  workspaceRoot: string;
  /** Workspace-relative project root (where pyproject.toml is). */
  projectRoot: string;
  projectName: string;
  platform?: string;
  /**
   * Platforms to build in one run: `linux`, `windows` or `linux,windows`. On a Linux host the
   * `windows` identifiers take the cross route (zig + python.org's CPython, tests under wine; see
   * docs/windows-from-linux.md). Overrides `platform` (which must then be absent, `auto` or the same).
   */
  platforms?: string;
  engine?: string;
  /** Output directory, absolute or workspace-relative. Default `<projectRoot>/wheelhouse`. */
  outputDir?: string;
  python?: string;
  /** Run the test-command (default true). */
  test?: boolean;
  /**
   * Native engine's manylinux target: `host` (host compiler and glibc) or `2_<minor>` (e.g. `2_28`: zig
   * targeting glibc 2.<minor>, auditwheel repair --plat manylinux_2_<minor>_<arch> --only-plat). Default:
   * the policy cibuildwheel's manylinux-<arch>-image names, else host.
   */
  manylinux?: string;
  /** Also build the source distribution (Linux platform only); default `[tool.nx-wheels] sdist`, else false. */
  sdist?: boolean;
  /** Environment (defaults to `process.env`); `CIBW_*` here reach cibuildwheel and the native engine. */
  env?: Record<string, string | undefined>;
  /** Build selection given as project configuration (plugin options); see core/project-config. */
  projectConfig?: ProjectConfig;
  /** Host facts; detected when absent (tests inject them). */
  host?: HostInfo;
  /**
   * Every project of the workspace (name -> root), to find the projects whose sources the build
   * needs. Default: the Nx project graph of the run (cached by Nx before executors start), when it
   * belongs to this workspace; else only this project.
   */
  projects?: Record<string, { root: string }>;
}

/** The projects of the Nx project graph of this run, when it is this workspace's. */
function projectsOfRun(workspaceRoot: string): Record<string, { root: string }> {
  try {
    if (realpathSync(nxWorkspaceRoot) !== realpathSync(workspaceRoot)) return {};
    const graph = readCachedProjectGraph();
    return Object.fromEntries(Object.entries(graph.nodes).map(([name, n]) => [name, { root: normalizePath(n.data.root) }]));
  } catch {
    return {};
  }
}

/**
 * Build, repair and test the wheels of one project.
 * @returns the build report (also written to `<outputDir>/build-report.json`)
 * @throws QuiverError for every user-caused failure (see the README's list of codes)
 */
export async function buildWheels(o: BuildWheelsOptions, sink: LineSink = consoleSink): Promise<BuildReport> {
  const ws = o.workspaceRoot;
  // The build selection given as project configuration (plugin options) joins the environment where it sets none (core/project-config).
  let env = selectionEnvironment(o.projectConfig, o.env ?? process.env);
  const pyproject = loadPythonProject(ws, o.projectRoot);
  const project = withProjectConfig(pyproject, o.projectConfig);
  const packageDir = resolve(ws, o.projectRoot);
  const outputDir = o.outputDir ? (isAbsolute(o.outputDir) ? o.outputDir : resolve(ws, o.outputDir)) : join(packageDir, 'wheelhouse');
  const runTests = o.test !== false;

  // Options and host first: refuse early, before installing anything.
  const baseHost: HostInfo = o.host ?? { os: process.platform, arch: process.arch, containerEngine: null };
  const platforms = resolvePlatforms(o.platforms, o.platform, baseHost);
  // --platforms with windows on a Linux host: the cross route (pipeline/windows-cross.ts) beside the engine of the
  // other platform. (--platform=windows keeps meaning cibuildwheel on a Windows host.)
  const crossWindows = o.platforms !== undefined && platforms.includes('windows') && baseHost.os === 'linux';
  const mainPlatform = platforms.find((p) => !(p === 'windows' && crossWindows)) ?? null;
  const platform: Platform = mainPlatform ?? 'windows';
  // The staging has no .git: a VCS-derived version is computed on the real tree and handed over (pure and compiled builds alike).
  const versionEnv = await stagingVersionEnv({ workspaceRoot: ws, projectName: o.projectName, projectRoot: normalizePath(relative(ws, packageDir)) || '.', distName: project.name, python: o.python, env, sink });
  if (Object.keys(versionEnv).length) {
    env = withPassedEnv(env, versionEnv);
    sink.out(`version: ${Object.values(versionEnv)[0]} computed from git on the working tree, given to the build as ${Object.keys(versionEnv).join(', ')}`);
  }
  // A pure-Python project (core/build-kind): one py3-none-any wheel with pypa/build, no engine.
  const kind = loadBuildKind(ws, o.projectRoot, project, o.projectConfig?.pure);
  if (kind.kind === 'pure') {
    const rel = normalizePath(relative(ws, packageDir)) || '.';
    return buildPureWheel(
      { workspaceRoot: ws, projectRoot: rel, projectName: o.projectName, project, kind, outputDir, outputDirOption: o.outputDir ?? join(rel, 'wheelhouse'), platform, ...(o.python ? { python: o.python } : {}), runTests, sdist: o.sdist ?? project.nxWheels.sdist ?? false, env, projects: o.projects ?? projectsOfRun(ws) },
      sink,
    );
  }
  // The engine: the option, else [tool.nx-wheels] engine (so builds triggered through dependsOn build alike), else auto.
  const engineOption = checkEngineOption(o.engine ?? project.nxWheels.engine);
  const hostArch = baseHost.arch === 'x64' ? 'x86_64' : baseHost.arch === 'arm64' ? 'aarch64' : baseHost.arch;
  if (engineOption === 'cibuildwheel' && o.manylinux !== undefined && String(o.manylinux) !== 'host') {
    throw new QuiverError('BAD_OPTION_MANYLINUX', `option manylinux: "${o.manylinux}" applies to the native engine only (this build uses cibuildwheel${platform === 'windows' ? ' for windows' : ''}); pass --engine=native on a Linux host, or set cibuildwheel's manylinux-${hostArch}-image for a container build.`);
  }
  if (mainPlatform === 'windows') resolveEngine(engineOption, platform, baseHost);

  const toolchain = await loadToolchain(ws, o.python, sink);
  const identifiers = mainPlatform ? await listIdentifiers(toolchain.bin('cibuildwheel'), ws, packageDir, platform, env) : [];
  // Linux with engine auto or cibuildwheel: does a container really start from the image cibuildwheel would use?
  let host = baseHost;
  let containerEnv: Record<string, string> = {};
  // An explicit --manylinux=2_<minor> asks for the native engine's zig route: auto then builds natively without a probe.
  const zigAsked = engineOption === 'auto' && o.manylinux !== undefined && String(o.manylinux) !== 'host';
  if (!o.host && mainPlatform === 'linux' && engineOption !== 'native' && !zigAsked) {
    const cplan = await containerPlan(toolchain.bin('python'), ws, relative(ws, packageDir) || '.', identifiers.map((i) => i.id), env);
    const { started, failures } = await findStartingEngine(ws, cplan, env, sink);
    const note = started ? `${started.engine} started a container from ${started.image}${started.cached ? ' (probe cached)' : ''}` : failures.map((f) => f.reason).join('; ') || 'no image to probe';
    host = { ...baseHost, containerEngine: started?.engine ?? null, containerNote: note };
    // cibuildwheel calls docker unless told otherwise: tell it which engine started the container.
    if (started && !cplan.configured) containerEnv = { CIBW_CONTAINER_ENGINE: started.engine };
  }
  const resolved = !mainPlatform
    ? { engine: 'cross' as const, reason: '' }
    : zigAsked
      ? { engine: 'native' as const, reason: `auto: --manylinux=${o.manylinux} selects the native engine's zig route` }
      : resolveEngine(engineOption, platform, host);
  const { engine } = resolved;
  // Say where a requested engine came from when it was not the command line.
  const engineSource = o.projectConfig?.engine !== undefined ? 'the plugin option engine (nx.json)' : `${project.file} [tool.nx-wheels] engine`;
  const reason = o.engine === undefined && project.nxWheels.engine ? resolved.reason.replace(/^requested/, `requested by ${engineSource}`) : resolved.reason;
  if (engine !== 'native' && o.manylinux !== undefined && String(o.manylinux) !== 'host') {
    throw new QuiverError('BAD_OPTION_MANYLINUX', `option manylinux: "${o.manylinux}" applies to the native engine only (this build uses ${engine}${platform === 'windows' ? ' for windows' : ''}); pass --engine=native on a Linux host, or set cibuildwheel's manylinux-${hostArch}-image for a container build.`);
  }
  const target = engine === 'native' ? resolveNativeTarget({ option: o.manylinux === undefined ? undefined : String(o.manylinux), nxWheels: project.nxWheels.manylinux, cibuildwheel: project.cibuildwheel ?? {}, env, hostArch, pyprojectFile: join(relative(ws, packageDir) || '.', 'pyproject.toml') }) : HOST_TARGET;
  // Native: every identifier this host cannot build is listed with who builds it; the rest are built (none: one error listing all).
  let notBuildable: NotBuildable[] = [];
  if (engine === 'native') {
    const pythons = new Map<string, boolean>();
    for (const v of new Set(identifiers.filter((i) => i.implementation === 'cpython').map((i) => i.pythonVersion))) pythons.set(v, (await findCPython(v, toolchain.host)) !== null);
    const coverage = nativeCoverage(identifiers, host, target, (v) => pythons.get(v) ?? false);
    if (coverage.buildable.length === 0) throw nothingBuildableError(coverage.notBuildable);
    notBuildable = coverage.notBuildable;
    identifiers.splice(0, identifiers.length, ...coverage.buildable);
  }
  const crossIds = crossWindows ? await listIdentifiers(toolchain.bin('cibuildwheel'), ws, packageDir, 'windows', env) : [];
  const crossPlan = planCross(crossIds);
  const zig = target.toolchain === 'zig' || crossIds.length ? await ensureZig(ws, toolchain.host, sink) : null;
  // Reproducible wheels: file times in the archives come from the last commit (a user-set value
  // wins), so the same commit builds the same bytes; an index never accepts other bytes under a
  // name it already has.
  const sourceDateEpoch = resolveSourceDateEpoch(env, await headCommitTime(ws));
  const platformPlan: PlatformPlan = { platform, identifiers, engine, reason, ...(engine === 'native' ? { toolchain: describeTarget(target).replace('(pinned ziglang)', zig ? `${zig.version} (pinned ziglang)` : '(pinned ziglang)') } : {}) };
  const crossPlatformPlan: PlatformPlan[] = crossIds.length
    ? [{ platform: 'windows', identifiers: crossIds, engine: 'cross', reason: `${baseHost.os} host: zig cross-compiles win_amd64 through the project's build back-end, tests run under wine`, toolchain: describeCross(zig?.version ?? null, crossPlan[0]?.pin ?? null) }]
    : [];
  const plan: BuildPlan = { project: o.projectName, packageDir: relative(ws, packageDir) || '.', outputDir: relative(ws, outputDir) || outputDir, platforms: [...(mainPlatform ? [platformPlan] : []), ...crossPlatformPlan], sourceDateEpoch };
  sink.out(formatPlan(plan));
  for (const line of formatNotBuildable(notBuildable)) sink.out(line);
  if (!runTests) sink.out('  tests: off (test=false); the test target runs them against these wheels');
  const wantSdist = o.sdist ?? project.nxWheels.sdist ?? false;
  if (wantSdist) sink.out(mainPlatform === 'linux' ? '  sdist: yes (python -m build --sdist)' : '  sdist: built by the linux platform only, not here');

  const rel = normalizePath(relative(ws, packageDir)) || '.';
  const staging = await stageSources({
    workspaceRoot: ws,
    projectRoot: rel,
    projectName: o.projectName,
    outputDir: o.outputDir ?? join(rel, 'wheelhouse'),
    projects: o.projects ?? projectsOfRun(ws),
    testPaths: testPaths(rel, project.cibuildwheel ?? {}),
  });
  sink.out(`  sources: ${staging.files} git-tracked files (${formatBytes(staging.bytes)}) of ${staging.roots.join(', ')}, staged in ${relative(ws, staging.dir)}`);

  const tmp = join(stateDir(ws), 'tmp', `build-${o.projectName}-${process.pid}-${Date.now()}`);
  const out = join(tmp, 'wheelhouse');
  mkdirSync(out, { recursive: true });
  try {
    let wheels: BuiltWheel[] = [];
    if (!mainPlatform) {
      // only the cross route below
    } else if (engine === 'cibuildwheel') {
      wheels = await buildWithCibuildwheel({ staging, rel, platform, out, env: { ...env, ...containerEnv }, runTests, sourceDateEpoch, toolchainBin: toolchain.bin('cibuildwheel'), identifiers }, sink);
    } else {
      wheels = await buildNatively({ ws, staging, rel, platform, out, tmp, env, runTests, sourceDateEpoch, project: project.cibuildwheel ?? {}, identifiers, auditwheel: toolchain.bin('auditwheel'), pyprojectFile: project.file, preferred: toolchain.host, target, zig: target.toolchain === 'zig' ? zig : null }, sink);
    }
    if (crossIds.length) {
      wheels.push(...(await buildWindowsCross({ ws, stagingDir: staging.dir, rel, out, tmp, env, runTests, sourceDateEpoch, project: project.cibuildwheel ?? {}, identifiers: crossIds, preferred: toolchain.host, toolchainPython: toolchain.bin('python'), zig: zig! }, sink)));
    }
    let sdist: BuildReport['sdist'] = null;
    if (wantSdist && mainPlatform === 'linux') {
      const sdistEnv = { ...env, ...(sourceDateEpoch ? { SOURCE_DATE_EPOCH: sourceDateEpoch.value } : {}) };
      const file = await buildSdist(toolchain.bin('python'), { workspaceRoot: staging.dir, packageDir: rel, outDir: out, env: sdistEnv }, sink);
      sdist = { file: basename(file), size: statSync(file).size, sha256: await sha256File(file) };
    }
    const report: BuildReport = {
      reportVersion: 1,
      project: o.projectName,
      distribution: project.normalizedName,
      version: project.normalizedVersion,
      createdAt: new Date().toISOString(),
      wheels,
      sdist,
      ...(notBuildable.length ? { notBuilt: notBuildable.map((n) => ({ identifier: n.id.id, reason: n.why, builtBy: n.provider })) } : {}),
    };
    writeFileSync(join(out, BUILD_REPORT_FILE), JSON.stringify(report, null, 2) + '\n');
    replaceDir(out, outputDir);
    sink.out('');
    sink.out(formatBuildSummary(report));
    sink.out(`${wheels.length} wheel(s) in ${relative(ws, outputDir) || outputDir}; report: ${relative(ws, join(outputDir, BUILD_REPORT_FILE))}`);
    return report;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(staging.dir, { recursive: true, force: true });
  }
}

async function describe(file: string, id: BuildIdentifier, platform: Platform, engine: 'cibuildwheel' | 'native', seconds: number, tests: BuiltWheel['tests']): Promise<BuiltWheel> {
  const parsed = parseWheelFilename(basename(file));
  return {
    file: basename(file),
    identifier: id.id,
    platform,
    engine,
    tags: parsed?.tags ?? [],
    size: statSync(file).size,
    sha256: await sha256File(file),
    seconds: Math.round(seconds * 10) / 10,
    tests,
  };
}

async function buildWithCibuildwheel(
  a: {
    staging: Staging;
    rel: string;
    platform: Platform;
    out: string;
    env: Record<string, string | undefined>;
    runTests: boolean;
    sourceDateEpoch: SourceDateEpoch | null;
    toolchainBin: string;
    identifiers: BuildIdentifier[];
  },
  sink: LineSink,
): Promise<BuiltWheel[]> {
  const run = cibuildwheelInvocation({ stagingDir: a.staging.dir, packageDir: a.rel, outputDir: a.out, platform: a.platform, env: a.env, sourceDateEpoch: a.sourceDateEpoch, runTests: a.runTests });
  const seconds = await runCibuildwheel(a.toolchainBin, run, sink);
  const files = readdirSync(a.out).filter((f) => f.endsWith('.whl'));
  const result: BuiltWheel[] = [];
  for (const f of files) {
    const parsed = parseWheelFilename(f);
    const id = parsed && identifierForWheel(parsed, a.identifiers);
    if (!id) throw new QuiverError('UNEXPECTED_WHEEL', `cibuildwheel produced ${f}, which matches none of the planned identifiers (${a.identifiers.map((i) => i.id).join(', ')}).`);
    result.push(await describe(join(a.out, f), id, a.platform, 'cibuildwheel', seconds, a.runTests ? 'passed' : 'not-run'));
  }
  return result;
}

async function buildNatively(
  a: {
    ws: string;
    staging: Staging;
    rel: string;
    platform: Platform;
    out: string;
    tmp: string;
    env: Record<string, string | undefined>;
    runTests: boolean;
    sourceDateEpoch: SourceDateEpoch | null;
    project: Record<string, unknown>;
    identifiers: BuildIdentifier[];
    auditwheel: string;
    /** pyproject.toml as shown in messages. */
    pyprojectFile: string;
    preferred: Interpreter;
    target: NativeTarget;
    zig: Zig | null;
  },
  sink: LineSink,
): Promise<BuiltWheel[]> {
  const result: BuiltWheel[] = [];
  for (const id of a.identifiers) {
    const started = Date.now();
    const python = await findCPython(id.pythonVersion, a.preferred);
    if (!python) {
      throw new QuiverError('NO_PYTHON_FOR_IDENTIFIER', `engine native: no CPython ${id.pythonVersion} found for ${id.id} (looked for python${id.pythonVersion} on PATH and in pyenv); install it (e.g. pyenv install ${id.pythonVersion}) or pass --python=/path/to/python${id.pythonVersion}.`);
    }
    const buildEnv = await ensureBuildEnv(a.ws, python, sink);
    // zig route: CC/CXX are zig wrappers for the target glibc (after the project's environment, so they win).
    const compilers = a.zig ? zigCompilerEnv(a.ws, a.zig, a.target) : {};
    // What cibuildwheel sets (CIBUILDWHEEL=1, the identifier, the project's environment option).
    const env = { ...cibuildwheelSetEnvironment(a.project, a.platform, id.id, { ...a.env, ...(a.sourceDateEpoch ? { SOURCE_DATE_EPOCH: a.sourceDateEpoch.value } : {}) }), ...compilers };
    const raw = await buildWheel(buildEnv.bin('python'), { workspaceRoot: a.staging.dir, packageDir: a.rel, outDir: join(a.tmp, `raw-${id.id}`), identifier: id.id, env }, sink);
    const rawParsed = parseWheelFilename(basename(raw));
    if (rawParsed && isPure(rawParsed)) {
      throw new QuiverError('COMPILED_WHEEL_IS_PURE', `${a.pyprojectFile}: built as a compiled project, but the back-end produced ${basename(raw)}, a pure-Python wheel (auditwheel cannot repair it); set [tool.nx-wheels] pure = true (or the plugin option pure: true) to build it once with pypa/build.`);
    }
    const repaired = await repairWheel(a.auditwheel, raw, { outDir: join(a.tmp, `repaired-${id.id}`), identifier: id.id, env, ...(a.target.policy ? { plat: a.target.policy, onlyPlat: true } : {}) }, sink);
    const buildSeconds = (Date.now() - started) / 1000;
    const target = join(a.out, basename(repaired));
    renameSync(repaired, target);
    let tests: BuiltWheel['tests'] = 'not-run';
    if (a.runTests) {
      // {project} is the staging root here, as it is /project in cibuildwheel's container.
      tests = await testOne({ ws: a.staging.dir, packageDir: join(a.staging.dir, a.rel), platform: a.platform, id, wheel: target, python: python.executable, config: a.project, env: a.env }, sink);
    }
    result.push({ ...(await describe(target, id, a.platform, 'native', buildSeconds, tests)), toolchain: targetLabel(a.target, a.zig?.version) });
  }
  return result;
}

/**
 * Run the resolved test-command for one wheel (shared by build-wheels and the test target).
 * @returns `passed`, or `skipped` when test-skip selects it or there is no test-command
 * @throws QuiverError `TESTS_FAILED`, `TEST_INSTALL_FAILED`
 */
export async function testOne(
  a: { ws: string; packageDir: string; platform: Platform; id: BuildIdentifier; wheel: string; python: string; config: Record<string, unknown>; env: Record<string, string | undefined> },
  sink: LineSink,
): Promise<'passed' | 'skipped'> {
  const cmd = testCommand(a.config, a.platform, a.id.id, a.env);
  if (!cmd || testSkipped(a.config, a.platform, a.id.id, a.env)) {
    sink.out(`[test ${a.id.id}] skipped (${cmd ? 'test-skip selects it' : 'no test-command'})`);
    return 'skipped';
  }
  const command = substitutePlaceholders(cmd, { project: a.ws, package: a.packageDir, wheel: a.wheel });
  await testWheel(
    {
      identifier: a.id.id,
      wheel: a.wheel,
      python: a.python,
      testCommand: command,
      testRequires: testRequires(a.config, a.platform, a.id.id, a.env),
      testExtras: testExtras(a.config, a.platform, a.id.id, a.env),
      // As cibuildwheel: the build's environment (CIBUILDWHEEL=1, ...) plus test-environment.
      env: cibuildwheelTestEnvironment(a.config, a.platform, a.id.id, a.env),
    },
    sink,
  );
  return 'passed';
}
