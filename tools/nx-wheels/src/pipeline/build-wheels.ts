/**
 * build-wheels: plan (cibuildwheel --print-build-identifiers), stage the git-tracked sources of
 * the project and its dependencies (pipeline/staging.ts), build with the chosen engine from the
 * staging into a temporary directory with SOURCE_DATE_EPOCH set, test, report, and only then move
 * the wheels into the output directory. Planning (options, engine, identifiers) is in pipeline/build-plan.ts.
 */
import { normalizePath, readCachedProjectGraph, workspaceRoot as nxWorkspaceRoot } from '@nx/devkit';
import { mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { BUILD_REPORT_FILE, BuildReport, BuiltWheel, formatBuildSummary } from '../core/build-report';
import {
  cibuildwheelInvocation,
  cibuildwheelSetEnvironment,
  cibuildwheelTestEnvironment,
  SourceDateEpoch,
  substitutePlaceholders,
  testCommand,
  testExtras,
  testRequires,
  testSkipped,
} from '../core/cibw-options';
import { QuiverError } from '../core/errors';
import { BuildIdentifier, identifierForWheel, Platform } from '../core/identifiers';
import { formatPlan, HostInfo } from '../core/plan';
import { buildWindowsCross } from './windows-cross';
import { testPaths } from '../core/test-paths';
import { formatBytes } from '../core/staging';
import { parseWheelFilename } from '../core/wheel-filename';
import { isPure } from '../core/validation/types';
import { runCibuildwheel } from '../runners/cibuildwheel';
import { buildSdist, buildWheel, repairWheel } from '../runners/native';
import { LineSink, consoleSink } from '../runners/process';
import { findCPython, Interpreter } from '../runners/python';
import { ensureBuildEnv, stateDir } from '../runners/toolchain';
import { testWheel } from '../runners/wheel-test';
import { replaceDir, sha256File } from './files';
import { loadBuildKind } from './project';
import { buildPureWheel } from './build-pure';
import { formatNotBuildable } from '../core/native-coverage';
import { stageSources, Staging } from './staging';
import { NativeTarget, targetLabel } from '../core/manylinux';
import { Zig, zigCompilerEnv } from '../runners/zig';
import { normalizeOptions } from '../executors/build-wheels/options';
import { BuildContext, CompiledPlan, planCompiledBuild, prepareBuild } from './build-plan';
import type { BuildWheelsExecutorSchema } from '../executors/build-wheels/schema';
import type { TokenProject } from '../core/schema-options';

/** Inputs of {@link buildWheels}: the executor's options (schema.json) plus what Nx and tests supply. */
export interface BuildWheelsOptions extends BuildWheelsExecutorSchema, TokenProject {
  workspaceRoot: string;
  /**
   * Every project of the workspace (name -> root), to find the projects whose sources the build
   * needs. Default: the Nx project graph of the run (cached by Nx before executors start), when it
   * belongs to this workspace; else only this project.
   */
  projects?: Record<string, { root: string }>;
}

/** What {@link buildWheels} takes from its surroundings rather than from options; tests and rehearse-release give their own. */
export interface BuildWheelsDeps {
  /** Environment (default `process.env`); `CIBW_*` here reach cibuildwheel and the native engine. */
  env?: Record<string, string | undefined>;
  /** Host facts, taken as given without a container probe (tests); detected when absent. */
  host?: HostInfo;
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
export async function buildWheels(options: BuildWheelsOptions, sink: LineSink = consoleSink, deps: BuildWheelsDeps = {}): Promise<BuildReport> {
  const c = await prepareBuild(normalizeOptions(options), deps, sink);
  const { o, ws, rel, project } = c;
  const projects = o.projects ?? projectsOfRun(ws);
  const sdist = o.sdist ?? project.nxWheels.sdist ?? false;
  // A pure-Python project (core/build-kind): one py3-none-any wheel with pypa/build, no engine.
  const kind = loadBuildKind(ws, o.projectRoot, project, o.projectConfig?.pure);
  if (kind.kind === 'pure') {
    const pure = { workspaceRoot: ws, projectRoot: rel, projectName: o.projectName, project, kind, outputDir: c.outputDir, outputDirOption: o.outputDir, platform: c.platform };
    return buildPureWheel({ ...pure, ...(o.python ? { python: o.python } : {}), runTests: c.runTests, sdist, env: c.env, projects }, sink);
  }
  const p = await planCompiledBuild(c, sink);
  sink.out(formatPlan(p.plan));
  for (const line of formatNotBuildable(p.notBuildable)) sink.out(line);
  if (!c.runTests) sink.out('  tests: off (test=false); the test target runs them against these wheels');
  if (sdist) sink.out(c.mainPlatform === 'linux' ? '  sdist: yes (python -m build --sdist)' : '  sdist: built by the linux platform only, not here');

  const staging = await stageSources({ workspaceRoot: ws, projectRoot: rel, projectName: o.projectName, outputDir: o.outputDir, projects, testPaths: testPaths(rel, project.cibuildwheel ?? {}) });
  sink.out(`  sources: ${staging.files} git-tracked files (${formatBytes(staging.bytes)}) of ${staging.roots.join(', ')}, staged in ${relative(ws, staging.dir)}`);
  const tmp = join(stateDir(ws), 'tmp', `build-${o.projectName}-${process.pid}-${Date.now()}`);
  try {
    const report = await buildInto(c, p, staging, tmp, sdist && c.mainPlatform === 'linux', sink);
    replaceDir(join(tmp, 'wheelhouse'), c.outputDir);
    sink.out('');
    sink.out(formatBuildSummary(report));
    sink.out(`${report.wheels.length} wheel(s) in ${relative(ws, c.outputDir) || c.outputDir}; report: ${relative(ws, join(c.outputDir, BUILD_REPORT_FILE))}`);
    return report;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(staging.dir, { recursive: true, force: true });
  }
}

/** Build every planned wheel (and the sdist) from the staging into `<tmp>/wheelhouse`, with build-report.json beside them. */
async function buildInto(c: BuildContext, p: CompiledPlan, staging: Staging, tmp: string, withSdist: boolean, sink: LineSink): Promise<BuildReport> {
  const { rel, env, project } = c;
  const { toolchain, sourceDateEpoch } = p;
  const out = join(tmp, 'wheelhouse');
  mkdirSync(out, { recursive: true });
  const wheels = await buildPlannedWheels(c, p, staging, tmp, sink);
  let sdist: BuildReport['sdist'] = null;
  if (withSdist) {
    const sdistEnv = { ...env, ...(sourceDateEpoch ? { SOURCE_DATE_EPOCH: sourceDateEpoch.value } : {}) };
    const file = await buildSdist(toolchain.bin('python'), { workspaceRoot: staging.dir, packageDir: rel, outDir: out, env: sdistEnv }, sink);
    sdist = { file: basename(file), size: statSync(file).size, sha256: await sha256File(file) };
  }
  const notBuilt = p.notBuildable.map((n) => ({ identifier: n.id.id, reason: n.why, builtBy: n.provider }));
  const report: BuildReport = {
    reportVersion: 1,
    project: c.o.projectName,
    distribution: project.normalizedName,
    version: project.normalizedVersion,
    createdAt: new Date().toISOString(),
    wheels,
    sdist,
    ...(notBuilt.length ? { notBuilt } : {}),
  };
  writeFileSync(join(out, BUILD_REPORT_FILE), JSON.stringify(report, null, 2) + '\n');
  return report;
}

/** The main platform's wheels with its engine (none when only the cross route runs), then the Windows cross-built ones. */
async function buildPlannedWheels(c: BuildContext, p: CompiledPlan, staging: Staging, tmp: string, sink: LineSink): Promise<BuiltWheel[]> {
  const { ws, rel, env, runTests, project } = c;
  const { toolchain, sourceDateEpoch, identifiers } = p;
  const out = join(tmp, 'wheelhouse');
  let wheels: BuiltWheel[] = [];
  if (!c.mainPlatform) {
    // only the cross route below
  } else if (p.engine === 'cibuildwheel') {
    wheels = await buildWithCibuildwheel({ staging, rel, platform: c.platform, out, env: { ...env, ...p.containerEnv }, runTests, sourceDateEpoch, toolchainBin: toolchain.bin('cibuildwheel'), identifiers }, sink);
  } else {
    const zig = p.target.toolchain === 'zig' ? p.zig : null;
    wheels = await buildNatively({ ws, staging, rel, platform: c.platform, out, tmp, env, runTests, sourceDateEpoch, project: project.cibuildwheel ?? {}, identifiers, auditwheel: toolchain.bin('auditwheel'), pyprojectFile: project.file, preferred: toolchain.host, target: p.target, zig }, sink);
  }
  if (p.crossIds.length) {
    const cross = { ws, stagingDir: staging.dir, rel, out, tmp, env, runTests, sourceDateEpoch, project: project.cibuildwheel ?? {}, identifiers: p.crossIds };
    wheels.push(...(await buildWindowsCross({ ...cross, preferred: toolchain.host, toolchainPython: toolchain.bin('python'), zig: p.zig! }, sink)));
  }
  return wheels;
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
