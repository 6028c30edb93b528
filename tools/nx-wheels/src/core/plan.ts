/**
 * The build plan: which platforms, which identifiers (from `cibuildwheel --print-build-identifiers`),
 * which engine and why. Pure policy: the facts about the host come in as {@link HostInfo}.
 */
import { SourceDateEpoch } from './cibw-options';
import { QuiverError } from './errors';
import { BuildIdentifier, parseIdentifier, Platform } from './identifiers';

/** `platform` option values. */
const PLATFORM_OPTIONS = ['linux', 'windows', 'auto'] as const;
/** `engine` option values. */
const ENGINE_OPTIONS = ['cibuildwheel', 'native', 'auto'] as const;
export type EngineOption = (typeof ENGINE_OPTIONS)[number];
/** `cross`: win_amd64 on a Linux host (zig + python.org's CPython, tests under wine; core/windows-cross.ts). */
export type Engine = 'cibuildwheel' | 'native' | 'cross';

/** What the plan needs to know about the machine. */
export interface HostInfo {
  /** `process.platform`. */
  os: NodeJS.Platform;
  /** `process.arch` (`x64`, `arm64`). */
  arch: string;
  /** A container engine that started a container from the image cibuildwheel would use, or null. */
  containerEngine: 'docker' | 'podman' | null;
  /**
   * What the container probe found, in words for the plan: which engine started a container from
   * which image, or why none did (one reason per engine tried). Absent when no probe ran.
   */
  containerNote?: string;
}

/** One platform's part of the plan. */
export interface PlatformPlan {
  platform: Platform;
  identifiers: BuildIdentifier[];
  engine: Engine;
  /** Why this engine, in words for the plan printout. */
  reason: string;
  /** Native engine: which toolchain and target build the wheels (core/manylinux.ts describeTarget), one line. */
  toolchain?: string;
}

/** The whole plan, printed before building. */
export interface BuildPlan {
  project: string;
  packageDir: string;
  outputDir: string;
  platforms: PlatformPlan[];
  /**
   * SOURCE_DATE_EPOCH of the build (file times in the wheels), null when there is none (no commit
   * yet); absent when not decided yet.
   */
  sourceDateEpoch?: SourceDateEpoch | null;
}

/**
 * Validate the `platform` option and resolve `auto` to the host's platform.
 * @throws QuiverError `BAD_OPTION_PLATFORM`, `UNSUPPORTED_HOST`
 */
export function resolvePlatform(option: string | undefined, host: HostInfo): Platform {
  const value = option ?? 'auto';
  if (!(PLATFORM_OPTIONS as readonly string[]).includes(value)) {
    throw new QuiverError('BAD_OPTION_PLATFORM', `option platform: "${value}" is not one of ${PLATFORM_OPTIONS.join(', ')}; pass --platform=linux, --platform=windows or --platform=auto.`);
  }
  if (value !== 'auto') return value as Platform;
  if (host.os === 'linux') return 'linux';
  if (host.os === 'win32') return 'windows';
  throw new QuiverError('UNSUPPORTED_HOST', `option platform: auto cannot pick a platform on ${host.os}; pass --platform=linux (needs docker or podman) or --platform=windows (needs a Windows host).`);
}

/** `platforms` option values: one platform, or both in one run. */
const PLATFORMS_OPTIONS = ['linux', 'windows', 'linux,windows'] as const;

/**
 * Resolve the `platforms` option (`linux`, `windows`, `linux,windows`; order and spaces free)
 * to the platforms to build; without it, the `platform` option decides ({@link resolvePlatform}).
 * @throws QuiverError `BAD_OPTION_PLATFORMS`, and those of {@link resolvePlatform}
 */
export function resolvePlatforms(platforms: string | undefined, platform: string | undefined, host: HostInfo): Platform[] {
  if (platforms === undefined) return [resolvePlatform(platform, host)];
  const parts = [...new Set(String(platforms).split(',').map((p) => p.trim()).filter(Boolean))];
  if (parts.length === 0 || parts.some((p) => p !== 'linux' && p !== 'windows')) {
    throw new QuiverError('BAD_OPTION_PLATFORMS', `option platforms: "${platforms}" is not one of ${PLATFORMS_OPTIONS.join(', ')}; pass --platforms=linux, --platforms=windows or --platforms=linux,windows.`);
  }
  if (platform !== undefined && platform !== 'auto' && !(parts.length === 1 && parts[0] === platform)) {
    throw new QuiverError('BAD_OPTION_PLATFORMS', `options platform (${platform}) and platforms (${platforms}) disagree; pass only --platforms.`);
  }
  return (['linux', 'windows'] as const).filter((p) => parts.includes(p));
}

/**
 * Validate the `engine` option (absent = `auto`).
 * @throws QuiverError `BAD_OPTION_ENGINE`
 */
export function checkEngineOption(option: string | undefined): EngineOption {
  const value = option ?? 'auto';
  if (!(ENGINE_OPTIONS as readonly string[]).includes(value)) {
    throw new QuiverError('BAD_OPTION_ENGINE', `option engine: "${value}" is not one of ${ENGINE_OPTIONS.join(', ')}; pass --engine=auto, --engine=cibuildwheel or --engine=native.`);
  }
  return value as EngineOption;
}

/**
 * Pick the engine for `platform` and say why.
 * @throws QuiverError `BAD_OPTION_ENGINE`, `WINDOWS_NEEDS_WINDOWS_HOST`, `NO_CONTAINER_ENGINE`,
 *   `NATIVE_UNSUPPORTED`
 */
export function resolveEngine(option: string | undefined, platform: Platform, host: HostInfo): { engine: Engine; reason: string } {
  const value = checkEngineOption(option);
  if (platform === 'windows') {
    if (host.os !== 'win32') {
      throw new QuiverError('WINDOWS_NEEDS_WINDOWS_HOST', `platform windows: Windows wheels are built only on a Windows host (this is ${host.os}); run this target on a Windows runner (runs-on: windows-latest) or pass --platform=linux.`);
    }
    if (value === 'native') {
      throw new QuiverError('NATIVE_UNSUPPORTED', `engine native builds Linux wheels only; on Windows pass --engine=cibuildwheel (or auto).`);
    }
    return { engine: 'cibuildwheel', reason: value === 'auto' ? 'auto: Windows host, cibuildwheel builds natively' : 'requested' };
  }
  // linux
  if (value === 'native' || (value === 'auto' && !host.containerEngine)) {
    if (host.os !== 'linux') {
      throw new QuiverError('NATIVE_UNSUPPORTED', `engine native needs a Linux host (this is ${host.os}); pass --engine=cibuildwheel with docker or podman running.`);
    }
    return {
      engine: 'native',
      reason: value === 'native' ? 'requested' : `auto: no container starts here${host.containerNote ? ` (${host.containerNote})` : ''}, so build -> auditwheel repair -> test on this host`,
    };
  }
  if (!host.containerEngine) {
    throw new QuiverError('NO_CONTAINER_ENGINE', `engine cibuildwheel: Linux wheels are built in a container and none starts here${host.containerNote ? ` (${host.containerNote})` : ''}; start docker or podman (podman: see its containers.conf runtime and ulimits), or pass --engine=native to build on this Linux host.`);
  }
  const why = host.containerNote ?? `${host.containerEngine} starts containers`;
  return { engine: 'cibuildwheel', reason: value === 'auto' ? `auto: ${why}` : `requested; ${why}` };
}

/**
 * Parse cibuildwheel's `--print-build-identifiers` output for one platform.
 * @throws QuiverError `BUILD_SELECTOR_EMPTY` when nothing is selected, `BAD_IDENTIFIER` on unparseable lines.
 */
export function identifiersFromOutput(stdout: string, platform: Platform, pyprojectFile: string, env: Record<string, string | undefined>): BuildIdentifier[] {
  const ids = stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (ids.length === 0) {
    const envSel = ['CIBW_BUILD', 'CIBW_SKIP', `CIBW_BUILD_${platform.toUpperCase()}`, `CIBW_SKIP_${platform.toUpperCase()}`, 'CIBW_ARCHS', `CIBW_ARCHS_${platform.toUpperCase()}`].filter((k) => env[k]);
    const where = envSel.length ? `${pyprojectFile} [tool.cibuildwheel] build/skip/archs together with ${envSel.join(', ')}` : `${pyprojectFile} [tool.cibuildwheel] build/skip/archs`;
    // A package that ships no wheels for this platform leaves it out of release-platforms (it is not told to build one).
    const others = (['linux', 'windows'] as const).filter((p) => p !== platform);
    throw new QuiverError('BUILD_SELECTOR_EMPTY', `${where} select no ${platform} wheel; if the package ships no ${platform} wheels, set [tool.nx-wheels] release-platforms = [${others.map((p) => `"${p}"`).join(', ')}] (or the plugin option releasePlatforms in nx.json) so validate-wheels --platforms=release and publish do not ask for them; otherwise select a ${platform} identifier such as "cp313-${platform === 'linux' ? 'manylinux_x86_64' : 'win_amd64'}" in build, or fix skip/archs.`);
  }
  return ids.map((id) => {
    const parsed = parseIdentifier(id);
    if (!parsed) throw new QuiverError('BAD_IDENTIFIER', `cibuildwheel printed "${id}", which is not a build identifier.`);
    return parsed;
  });
}

/**
 * Check the native engine can build `id` on this host (Linux, manylinux, same arch, CPython).
 * @throws QuiverError `NATIVE_UNSUPPORTED` naming the identifier and what to do.
 */
export function checkNativeIdentifier(id: BuildIdentifier, host: HostInfo): void {
  const hostArch = host.arch === 'x64' ? 'x86_64' : host.arch === 'arm64' ? 'aarch64' : host.arch;
  const why =
    id.platform !== 'linux' ? 'it is not a Linux wheel'
    : id.linuxLibc !== 'manylinux' ? `${id.linuxLibc} needs a musl host or a container`
    : id.arch !== hostArch ? `its architecture ${id.arch} is not this host's ${hostArch}`
    : id.implementation !== 'cpython' ? 'only CPython is supported natively'
    : null;
  if (why) {
    throw new QuiverError('NATIVE_UNSUPPORTED', `engine native cannot build ${id.id}: ${why}; use --engine=cibuildwheel with docker or podman, or skip it (CIBW_SKIP).`);
  }
}

/** The plan as text, one line per fact, for the terminal. */
export function formatPlan(plan: BuildPlan): string {
  const lines = [`Build plan for ${plan.project} (${plan.packageDir})`];
  for (const p of plan.platforms) {
    lines.push(`  platform ${p.platform}: engine ${p.engine} (${p.reason})`);
    if (p.toolchain) lines.push(`    ${p.toolchain}`);
    for (const id of p.identifiers) lines.push(`    - ${id.id}`);
  }
  lines.push(`  output dir: ${plan.outputDir}`);
  if (plan.sourceDateEpoch !== undefined) {
    const sde = plan.sourceDateEpoch;
    if (!sde) {
      lines.push('  SOURCE_DATE_EPOCH: unset (HEAD has no commit to take it from; wheels will carry build-time file dates)');
    } else {
      const when = new Date(Number(sde.value) * 1000);
      const iso = Number.isFinite(when.getTime()) ? `, ${when.toISOString().replace('.000Z', 'Z')}` : '';
      const container = plan.platforms.some((p) => p.platform === 'linux' && p.engine === 'cibuildwheel') ? '; passed into the container (environment-pass)' : '';
      lines.push(`  SOURCE_DATE_EPOCH: ${sde.value} (${sde.origin === 'head' ? "HEAD's commit time" : 'set in the environment'}${iso})${container}`);
    }
  }
  return lines.join('\n');
}
