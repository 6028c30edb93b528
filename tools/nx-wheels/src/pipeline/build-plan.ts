/**
 * The planning half of build-wheels (pipeline/build-wheels.ts): the options resolved against the
 * project and the host, then for a compiled project the engine (with a container probe where it
 * matters), the identifiers each engine builds and the plan printed before anything is built.
 * Refusals come first, before the toolchain is installed.
 */
import { normalizePath } from '@nx/devkit';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { resolveSourceDateEpoch, SourceDateEpoch } from '../core/cibw-options';
import { withPassedEnv } from '../core/dynamic-version';
import { QuiverError } from '../core/errors';
import { BuildIdentifier, Platform } from '../core/identifiers';
import { describeTarget, HOST_TARGET, NativeTarget, resolveNativeTarget } from '../core/manylinux';
import { nativeCoverage, NotBuildable, nothingBuildableError } from '../core/native-coverage';
import { BuildPlan, checkEngineOption, EngineOption, HostInfo, PlatformPlan, resolveEngine, resolvePlatforms } from '../core/plan';
import { selectionEnvironment, withProjectConfig } from '../core/project-config';
import { describeCross } from '../core/windows-cross';
import { containerPlan, findStartingEngine } from '../runners/container';
import { headCommitTime } from '../runners/git';
import { LineSink } from '../runners/process';
import { findCPython } from '../runners/python';
import { ensureZig, Zig } from '../runners/zig';
import { listIdentifiers } from './identifiers';
import { loadPythonProject } from './project';
import { stagingVersionEnv } from './project-version';
import { loadToolchain, Toolchain } from './toolchain';
import { planCross } from './windows-cross';
import type { normalizeOptions } from '../executors/build-wheels/options';
import type { BuildWheelsDeps, BuildWheelsOptions } from './build-wheels';

/** One build's options resolved against the project and the host. */
export interface BuildContext {
  o: ReturnType<typeof normalizeOptions<BuildWheelsOptions>>;
  ws: string;
  env: Record<string, string | undefined>;
  project: ReturnType<typeof withProjectConfig>;
  packageDir: string;
  /** Workspace-relative project root (posix), `.` at the root. */
  rel: string;
  outputDir: string;
  runTests: boolean;
  baseHost: HostInfo;
  /** The host facts came from the caller: no container probe. */
  hostGiven: boolean;
  /** The platform cibuildwheel or the native engine builds; null when only the Windows cross route runs. */
  mainPlatform: Platform | null;
  platform: Platform;
  /** windows identifiers take the cross route (zig + wine) on this Linux host. */
  crossWindows: boolean;
}

/**
 * Resolve the options, the platforms and (for a VCS-derived version, which the staging without
 * .git cannot compute) the version handed to the build.
 * @throws QuiverError `BAD_OPTION_PLATFORM(S)`, `UNSUPPORTED_HOST`, pyproject.toml errors
 */
export async function prepareBuild(o: BuildContext['o'], deps: BuildWheelsDeps, sink: LineSink): Promise<BuildContext> {
  const ws = o.workspaceRoot;
  // The build selection given as project configuration (plugin options) joins the environment where it sets none (core/project-config).
  let env = selectionEnvironment(o.projectConfig, deps.env ?? process.env);
  const project = withProjectConfig(loadPythonProject(ws, o.projectRoot), o.projectConfig);
  const packageDir = resolve(ws, o.projectRoot);
  const rel = normalizePath(relative(ws, packageDir)) || '.';
  // Options and host first: refuse early, before installing anything.
  const baseHost: HostInfo = deps.host ?? { os: process.platform, arch: process.arch, containerEngine: null };
  const platforms = resolvePlatforms(o.platforms, o.platform, baseHost);
  // --platforms with windows on a Linux host: the cross route (pipeline/windows-cross.ts) beside the engine of the
  // other platform. (--platform=windows keeps meaning cibuildwheel on a Windows host.)
  const crossWindows = o.platforms !== undefined && platforms.includes('windows') && baseHost.os === 'linux';
  const mainPlatform = platforms.find((p) => !(p === 'windows' && crossWindows)) ?? null;
  const versionEnv = await stagingVersionEnv({ workspaceRoot: ws, projectName: o.projectName, projectRoot: rel, distName: project.name, python: o.python, env, sink });
  if (Object.keys(versionEnv).length) {
    env = withPassedEnv(env, versionEnv);
    sink.out(
      `version: ${Object.values(versionEnv)[0]} computed from git on the working tree, given to the build as ${Object.keys(versionEnv).join(', ')}`,
    );
  }
  const outputDir = isAbsolute(o.outputDir) ? o.outputDir : resolve(ws, o.outputDir);
  return {
    o,
    ws,
    env,
    project,
    packageDir,
    rel,
    outputDir,
    runTests: o.test !== false,
    baseHost,
    hostGiven: deps.host !== undefined,
    mainPlatform,
    platform: mainPlatform ?? 'windows',
    crossWindows,
  };
}

/** What a compiled build runs: the plan printed, and what the build steps need from planning. */
export interface CompiledPlan {
  plan: BuildPlan;
  toolchain: Toolchain;
  engine: 'cibuildwheel' | 'native' | 'cross';
  identifiers: BuildIdentifier[];
  notBuildable: NotBuildable[];
  crossIds: BuildIdentifier[];
  target: NativeTarget;
  zig: Zig | null;
  /** CIBW_CONTAINER_ENGINE when the probe found the engine cibuildwheel should call. */
  containerEnv: Record<string, string>;
  sourceDateEpoch: SourceDateEpoch | null;
}

const hostArchOf = (h: HostInfo) => (h.arch === 'x64' ? 'x86_64' : h.arch === 'arm64' ? 'aarch64' : h.arch);

/** `--manylinux=2_<minor>` where the build does not use the native engine. */
function manylinuxNotNative(c: BuildContext, engine: string): QuiverError {
  return new QuiverError(
    'BAD_OPTION_MANYLINUX',
    `option manylinux: "${c.o.manylinux}" applies to the native engine only (this build uses ${engine}${c.platform === 'windows' ? ' for windows' : ''}); pass --engine=native on a Linux host, or set cibuildwheel's manylinux-${hostArchOf(c.baseHost)}-image for a container build.`,
  );
}

const asksZig = (c: BuildContext) => c.o.manylinux !== undefined && String(c.o.manylinux) !== 'host';

/**
 * The engine option (else `[tool.nx-wheels] engine`, so builds triggered through dependsOn build
 * alike), refused early when it cannot work with the other options or the host.
 */
function checkEngineEarly(c: BuildContext): EngineOption {
  const engineOption = checkEngineOption(c.o.engine ?? c.project.nxWheels.engine);
  if (engineOption === 'cibuildwheel' && asksZig(c)) throw manylinuxNotNative(c, 'cibuildwheel');
  if (c.mainPlatform === 'windows') resolveEngine(engineOption, c.platform, c.baseHost);
  return engineOption;
}

/**
 * The engine of the main platform: on Linux with engine auto or cibuildwheel, whether a container
 * really starts from the image cibuildwheel would use decides; an explicit --manylinux=2_<minor>
 * asks for the native engine's zig route, so auto builds natively without a probe.
 */
async function chooseEngine(
  c: BuildContext,
  engineOption: EngineOption,
  toolchain: Toolchain,
  identifiers: BuildIdentifier[],
  sink: LineSink,
) {
  const { o, ws, env } = c;
  let host = c.baseHost;
  let containerEnv: Record<string, string> = {};
  const zigAsked = engineOption === 'auto' && asksZig(c);
  if (!c.hostGiven && c.mainPlatform === 'linux' && engineOption !== 'native' && !zigAsked) {
    const cplan = await containerPlan(
      toolchain.bin('python'),
      ws,
      relative(ws, c.packageDir) || '.',
      identifiers.map((i) => i.id),
      env,
    );
    const { started, failures } = await findStartingEngine(ws, cplan, env, sink);
    const note = started
      ? `${started.engine} started a container from ${started.image}${started.cached ? ' (probe cached)' : ''}`
      : failures.map((f) => f.reason).join('; ') || 'no image to probe';
    host = { ...host, containerEngine: started?.engine ?? null, containerNote: note };
    // cibuildwheel calls docker unless told otherwise: tell it which engine started the container.
    if (started && !cplan.configured) containerEnv = { CIBW_CONTAINER_ENGINE: started.engine };
  }
  const resolved = !c.mainPlatform
    ? { engine: 'cross' as const, reason: '' }
    : zigAsked
      ? { engine: 'native' as const, reason: `auto: --manylinux=${o.manylinux} selects the native engine's zig route` }
      : resolveEngine(engineOption, c.platform, host);
  // Say where a requested engine came from when it was not the command line.
  const engineSource =
    o.projectConfig?.engine !== undefined ? 'the plugin option engine (nx.json)' : `${c.project.file} [tool.nx-wheels] engine`;
  const reason =
    o.engine === undefined && c.project.nxWheels.engine
      ? resolved.reason.replace(/^requested/, `requested by ${engineSource}`)
      : resolved.reason;
  if (resolved.engine !== 'native' && asksZig(c)) throw manylinuxNotNative(c, resolved.engine);
  const target =
    resolved.engine === 'native'
      ? resolveNativeTarget({
          option: o.manylinux === undefined ? undefined : String(o.manylinux),
          nxWheels: c.project.nxWheels.manylinux,
          cibuildwheel: c.project.cibuildwheel ?? {},
          env,
          hostArch: hostArchOf(c.baseHost),
          pyprojectFile: join(relative(ws, c.packageDir) || '.', 'pyproject.toml'),
        })
      : HOST_TARGET;
  return { engine: resolved.engine, reason, host, containerEnv, target };
}

/** Native: every identifier this host cannot build is listed with who builds it; the rest are built (none: one error listing all). */
async function nativeSelection(
  identifiers: BuildIdentifier[],
  host: HostInfo,
  target: NativeTarget,
  toolchain: Toolchain,
): Promise<{ buildable: BuildIdentifier[]; notBuildable: NotBuildable[] }> {
  const pythons = new Map<string, boolean>();
  for (const v of new Set(identifiers.filter((i) => i.implementation === 'cpython').map((i) => i.pythonVersion)))
    pythons.set(v, (await findCPython(v, toolchain.host)) !== null);
  const coverage = nativeCoverage(identifiers, host, target, (v) => pythons.get(v) ?? false);
  if (coverage.buildable.length === 0) throw nothingBuildableError(coverage.notBuildable);
  return coverage;
}

/**
 * Plan a compiled build: engine, identifiers per engine, toolchains (zig on demand) and
 * SOURCE_DATE_EPOCH. Reproducible wheels: file times in the archives come from the last commit (a
 * user-set value wins), so the same commit builds the same bytes; an index never accepts other
 * bytes under a name it already has.
 */
export async function planCompiledBuild(c: BuildContext, sink: LineSink): Promise<CompiledPlan> {
  const { ws, env } = c;
  const engineOption = checkEngineEarly(c);
  const toolchain = await loadToolchain(ws, c.o.python, sink);
  let identifiers = c.mainPlatform ? await listIdentifiers(toolchain.bin('cibuildwheel'), ws, c.packageDir, c.platform, env) : [];
  const { engine, reason, host, containerEnv, target } = await chooseEngine(c, engineOption, toolchain, identifiers, sink);
  let notBuildable: NotBuildable[] = [];
  if (engine === 'native') ({ buildable: identifiers, notBuildable } = await nativeSelection(identifiers, host, target, toolchain));
  const crossIds = c.crossWindows ? await listIdentifiers(toolchain.bin('cibuildwheel'), ws, c.packageDir, 'windows', env) : [];
  const crossPin = planCross(crossIds)[0]?.pin ?? null;
  const zig = target.toolchain === 'zig' || crossIds.length ? await ensureZig(ws, toolchain.host, sink) : null;
  const sourceDateEpoch = resolveSourceDateEpoch(env, await headCommitTime(ws));
  const toolchainNote =
    engine === 'native'
      ? { toolchain: describeTarget(target).replace('(pinned ziglang)', zig ? `${zig.version} (pinned ziglang)` : '(pinned ziglang)') }
      : {};
  const platformPlan: PlatformPlan = { platform: c.platform, identifiers, engine, reason, ...toolchainNote };
  const crossPlatformPlan: PlatformPlan[] = crossIds.length
    ? [
        {
          platform: 'windows',
          identifiers: crossIds,
          engine: 'cross',
          reason: `${c.baseHost.os} host: zig cross-compiles win_amd64 through the project's build back-end, tests run under wine`,
          toolchain: describeCross(zig?.version ?? null, crossPin),
        },
      ]
    : [];
  const plan: BuildPlan = {
    project: c.o.projectName,
    packageDir: relative(ws, c.packageDir) || '.',
    outputDir: relative(ws, c.outputDir) || c.outputDir,
    platforms: [...(c.mainPlatform ? [platformPlan] : []), ...crossPlatformPlan],
    sourceDateEpoch,
  };
  return { plan, toolchain, engine, identifiers, notBuildable, crossIds, target, zig, containerEnv, sourceDateEpoch };
}
