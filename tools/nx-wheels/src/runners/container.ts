/**
 * Whether cibuildwheel's Linux build can really run here: the engine and image cibuildwheel would
 * use (asked of cibuildwheel itself, toolchain/container_plan.py), and a probe that starts a
 * container from that image. "The engine answers `info`" is not enough: podman answers `info` on
 * hosts where its default runtime cannot start a container, and a docker CLI answers nothing
 * without a daemon.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { QuiverError } from '../core/errors';
import { capture, LineSink } from './process';
import { stateDir } from './toolchain';

type ContainerEngineName = 'docker' | 'podman';

/** cibuildwheel's container settings for a set of Linux identifiers (toolchain/container_plan.py). */
export interface ContainerPlan {
  /** The engine cibuildwheel would call (its default is docker). */
  engine: ContainerEngineName;
  /** `create_args` of cibuildwheel's `container-engine` option. */
  createArgs: string[];
  /** The project or the environment chose the engine (CIBW_CONTAINER_ENGINE or `container-engine`). */
  configured: boolean;
  /** Image per identifier (after cibuildwheel's pinned-image aliases are resolved). */
  images: Record<string, string>;
}

const CONTAINER_PLAN_SCRIPT = resolve(__dirname, '..', '..', 'toolchain', 'container_plan.py');

/**
 * Ask cibuildwheel (the toolchain's `python`) for the container engine and images of `identifiers`.
 * @param packageDir package directory relative to `cwd` (as cibuildwheel is given it)
 * @throws QuiverError `CIBUILDWHEEL_CONFIG` when cibuildwheel refuses the configuration
 */
export async function containerPlan(python: string, cwd: string, packageDir: string, identifiers: readonly string[], env: Record<string, string | undefined>): Promise<ContainerPlan> {
  const r = await capture(python, [CONTAINER_PLAN_SCRIPT, packageDir, ...identifiers], { cwd, env, timeoutMs: 60_000 });
  if (r.exitCode !== 0) {
    const msg = r.stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? `exit ${r.exitCode}`;
    throw new QuiverError('CIBUILDWHEEL_CONFIG', `cibuildwheel's container settings for ${packageDir} could not be read: ${msg.replace(/^cibuildwheel: /, '')}`);
  }
  return JSON.parse(r.stdout) as ContainerPlan;
}

/** The outcome of {@link probeContainerStart} for one engine. */
export type ContainerProbe =
  | { ok: true; engine: ContainerEngineName; image: string; cached: boolean }
  | { ok: false; engine: ContainerEngineName; image: string; reason: string };

/** Environment variables that change which engine/daemon a command reaches, or how it starts containers. */
const ENGINE_ENV = ['CONTAINERS_CONF', 'CONTAINERS_STORAGE_CONF', 'CONTAINER_HOST', 'CONTAINER_CONNECTION', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG'];

function which(command: string, env: Record<string, string | undefined>): string | null {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, command);
    try {
      if (statSync(file).isFile()) return realpathSync(file);
    } catch {
      /* not here */
    }
  }
  return null;
}

/** The probe's cache key: the engine binary, the image, the create args and the engine's configuration. */
function probeKey(binary: string, image: string, createArgs: readonly string[], env: Record<string, string | undefined>): string {
  const st = statSync(binary);
  const h = createHash('sha256').update(JSON.stringify([binary, st.size, st.mtimeMs, image, createArgs]));
  for (const name of ENGINE_ENV) {
    const value = env[name];
    h.update(`\0${name}=${value ?? ''}`);
    // A configuration file is keyed by its bytes, not only its path.
    if (value && name === 'CONTAINERS_CONF' && existsSync(value)) h.update(readFileSync(value));
  }
  return h.digest('hex').slice(0, 24);
}

const lastLine = (text: string): string =>
  text.trim().split(/\r?\n/).map((l) => l.trim()).filter(Boolean).pop()?.replace(/^Error: /, '') ?? 'no output';

/**
 * Start a container from `image` with `engine` (`run --rm ... true`), as cibuildwheel would, pulling
 * the image first when the engine does not have it (cibuildwheel would pull it too). A success is
 * remembered in `.nx-wheels/cache/container-probe/` keyed by the engine binary, image, create args and
 * the engine's configuration (CONTAINERS_CONF and its bytes, DOCKER_HOST, ...); a remembered success
 * is re-checked with `image inspect` only (the daemon answers and still has the image).
 * Never throws for an engine that is missing or fails: the reason is in the result.
 */
async function probeContainerStart(
  workspaceRoot: string,
  engine: ContainerEngineName,
  image: string,
  createArgs: readonly string[],
  env: Record<string, string | undefined>,
  sink?: LineSink,
): Promise<ContainerProbe> {
  const fail = (reason: string): ContainerProbe => ({ ok: false, engine, image, reason });
  const binary = which(engine, env);
  if (!binary) return fail(`${engine} is not installed`);
  const cacheFile = join(stateDir(workspaceRoot), 'cache', 'container-probe', probeKey(binary, image, createArgs, env));
  const run = (args: string[], timeoutMs: number) => capture(engine, args, { env, timeoutMs });
  const inspect = await run(['image', 'inspect', '--format', '{{.Id}}', image], 30_000);
  if (inspect.exitCode === 0 && existsSync(cacheFile)) return { ok: true, engine, image, cached: true };
  if (inspect.exitCode !== 0) {
    if (/cannot connect|is the docker daemon running|connection refused|no such file or directory.*sock/i.test(inspect.stderr)) {
      return fail(`${engine} cannot reach its daemon (${lastLine(inspect.stderr)})`);
    }
    // Only a missing image is pulled; anything else (podman with an OCI runtime it cannot find fails every command) is the reason.
    if (!/no such image|image not known|no such object/i.test(inspect.stderr)) {
      return fail(`${engine} could not start a container from ${image} (${lastLine(inspect.stderr || inspect.stdout)})`);
    }
    sink?.out(`  probe: ${engine} pull ${image} (cibuildwheel would pull it too)`);
    const pull = await run(['pull', image], 30 * 60_000);
    if (pull.exitCode !== 0) return fail(`${engine} has no image ${image} and could not pull it (${lastLine(pull.stderr || pull.stdout)})`);
  }
  const started = await run(['run', '--rm', '--pull=never', ...createArgs, image, 'true'], 120_000);
  if (started.exitCode !== 0) {
    return fail(`${engine} could not start a container from ${image} (${started.exitCode === null ? 'timed out after 120 s' : lastLine(started.stderr || started.stdout)})`);
  }
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(`${cacheFile}.tmp-${process.pid}`, JSON.stringify({ engine, binary, image, createArgs, at: new Date().toISOString() }) + '\n');
  renameSync(`${cacheFile}.tmp-${process.pid}`, cacheFile);
  return { ok: true, engine, image, cached: false };
}

/**
 * The first engine that starts a container from the image cibuildwheel would use for the first
 * identifier: only the configured engine when the project or environment chose one, else docker
 * then podman. Returns every failure when none starts.
 */
export async function findStartingEngine(
  workspaceRoot: string,
  plan: ContainerPlan,
  env: Record<string, string | undefined>,
  sink?: LineSink,
): Promise<{ started: Extract<ContainerProbe, { ok: true }> | null; failures: Array<Extract<ContainerProbe, { ok: false }>> }> {
  const image = Object.values(plan.images)[0];
  const failures: Array<Extract<ContainerProbe, { ok: false }>> = [];
  if (!image) return { started: null, failures };
  const engines: ContainerEngineName[] = plan.configured ? [plan.engine] : ['docker', 'podman'];
  for (const engine of engines) {
    const probe = await probeContainerStart(workspaceRoot, engine, image, plan.createArgs, env, sink);
    if (probe.ok) return { started: probe, failures };
    failures.push(probe);
  }
  return { started: null, failures };
}
