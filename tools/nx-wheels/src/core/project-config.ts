/**
 * Build selection as project configuration: the engine, cibuildwheel's build/skip/archs selectors,
 * the release platforms, the manylinux policy and pure/compiled, given once in nx.json as plugin
 * options (all projects of the plugin entry; Nx's `include` / `exclude` globs scope an entry to
 * some projects) instead of on every command. Inference copies them into the `projectConfig`
 * option of every wheel target, so build-wheels, validate-wheels, test and publish read the same
 * selection, and Nx hashes it with the target's options.
 *
 * Precedence, highest first: the target's command-line option (`--engine`, `--manylinux`,
 * `--platforms`), the environment (`CIBW_BUILD`, `CIBW_SKIP`, `CIBW_ARCHS` and their
 * `_LINUX` / `_WINDOWS` forms, which stay in the cache key through the host fingerprint), these
 * plugin options, then the package's own pyproject.toml (`[tool.cibuildwheel]`, `[tool.nx-wheels]`).
 * Plugin options beat pyproject.toml because they are how a workspace configures a package whose
 * files it does not edit (a vendored sdist).
 */
import { QuiverError } from './errors';
import type { Platform } from './identifiers';
import type { PythonProject } from './pyproject';

/** The selection a plugin entry gives its projects (every field optional). */
export interface ProjectConfig {
  /** Build engine when `--engine` is not given: `auto`, `cibuildwheel` or `native`. */
  engine?: 'auto' | 'cibuildwheel' | 'native';
  /** cibuildwheel `build` selector (space-separated patterns), e.g. `cp313-manylinux_x86_64`; as `CIBW_BUILD`. */
  build?: string;
  /** cibuildwheel `skip` selector, e.g. `*-musllinux_*`; as `CIBW_SKIP`. */
  skip?: string;
  /** cibuildwheel `archs`, e.g. `x86_64`; as `CIBW_ARCHS`. */
  archs?: string;
  /** The platforms a release ships (as `[tool.nx-wheels] release-platforms`), e.g. `["linux"]`. */
  releasePlatforms?: Platform[];
  /** The native engine's manylinux policy (as `[tool.nx-wheels] manylinux`), e.g. `2_28` or `host`. */
  manylinux?: string;
  /** Pure-Python (one `py3-none-any` wheel) or compiled; overrides core/build-kind's inference. */
  pure?: boolean;
}

/** The keys of {@link ProjectConfig}, as plugin options and inside the `projectConfig` target option. */
export const PROJECT_CONFIG_KEYS = ['engine', 'build', 'skip', 'archs', 'releasePlatforms', 'manylinux', 'pure'] as const;

const SELECTOR_ENV: Record<'build' | 'skip' | 'archs', string> = { build: 'CIBW_BUILD', skip: 'CIBW_SKIP', archs: 'CIBW_ARCHS' };

/**
 * Check a {@link ProjectConfig} (from nx.json or a target option).
 * @param where how to name a field in a message, e.g. `(k) => nx.json plugins[...].options.${k}`
 * @returns only the fields given
 * @throws QuiverError `PLUGIN_OPTION_INVALID`, one line naming the field, the value and the fix
 */
export function checkProjectConfig(raw: Record<string, unknown>, where: (k: string) => string): ProjectConfig {
  const fail = (k: string, want: string): never => {
    throw new QuiverError('PLUGIN_OPTION_INVALID', `${where(k)} is ${JSON.stringify(raw[k])}; ${want}.`);
  };
  const out: ProjectConfig = {};
  const e = raw['engine'];
  if (e !== undefined) out.engine = e === 'auto' || e === 'cibuildwheel' || e === 'native' ? e : fail('engine', 'give "auto", "cibuildwheel" or "native"');
  for (const k of ['build', 'skip', 'archs'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    const s = Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(' ') : v;
    out[k] = typeof s === 'string' && s.trim() !== '' ? s.trim() : fail(k, `give a cibuildwheel ${k} selector as a string or a list of strings, e.g. ${k === 'archs' ? '"x86_64"' : k === 'skip' ? '"*-musllinux_*"' : '"cp313-manylinux_x86_64"'}`);
  }
  const rp = raw['releasePlatforms'];
  if (rp !== undefined) {
    if (!Array.isArray(rp) || rp.length === 0 || !rp.every((p) => p === 'linux' || p === 'windows')) fail('releasePlatforms', 'give a non-empty list of "linux" / "windows", e.g. ["linux"]');
    out.releasePlatforms = [...new Set(rp as Platform[])];
  }
  const m = raw['manylinux'];
  if (m !== undefined) out.manylinux = typeof m === 'string' && m.trim() !== '' ? m : fail('manylinux', 'give a manylinux policy or "host", e.g. "2_28"');
  const p = raw['pure'];
  if (p !== undefined) out.pure = typeof p === 'boolean' ? p : fail('pure', 'give true (one py3-none-any wheel) or false (compiled wheels)');
  return out;
}

/**
 * The environment a target runs cibuildwheel (and the native engine's selection) with: `env`,
 * plus `CIBW_BUILD` / `CIBW_SKIP` / `CIBW_ARCHS` from the configuration where the environment sets
 * neither the variable nor its platform form (the environment wins, as it does in cibuildwheel).
 * @returns `env` itself when there is nothing to add
 */
export function selectionEnvironment(cfg: ProjectConfig | undefined, env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (!cfg) return env;
  const add: Record<string, string> = {};
  for (const k of ['build', 'skip', 'archs'] as const) {
    const name = SELECTOR_ENV[k];
    const v = cfg[k];
    if (v === undefined || env[name] !== undefined || env[`${name}_LINUX`] !== undefined || env[`${name}_WINDOWS`] !== undefined) continue;
    add[name] = v;
  }
  return Object.keys(add).length ? { ...env, ...add } : env;
}

/**
 * The project with the configuration's engine, release platforms and manylinux policy in place of
 * its `[tool.nx-wheels]` values (pure is decided by core/build-kind with the configuration's `pure`).
 */
export function withProjectConfig(p: PythonProject, cfg: ProjectConfig | undefined): PythonProject {
  if (!cfg) return p;
  const nx = { ...p.nxWheels };
  if (cfg.engine !== undefined) nx.engine = cfg.engine;
  if (cfg.releasePlatforms !== undefined) nx.releasePlatforms = cfg.releasePlatforms;
  if (cfg.manylinux !== undefined) nx.manylinux = cfg.manylinux;
  return { ...p, nxWheels: nx };
}

/** Where the release platforms come from, for messages. */
export function releasePlatformsSource(p: PythonProject, cfg: ProjectConfig | undefined): string | null {
  if (cfg?.releasePlatforms) return 'the plugin option releasePlatforms (nx.json)';
  if (p.nxWheels.releasePlatforms) return `[tool.nx-wheels] release-platforms in ${p.file}`;
  return null;
}
