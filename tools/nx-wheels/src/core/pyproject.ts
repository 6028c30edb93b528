/**
 * Reading `pyproject.toml` (PEP 518 / PEP 621, https://packaging.python.org/en/latest/specifications/pyproject-toml/)
 * into the {@link PythonProject} the rest of the plugin works from. Pure: takes text, never
 * touches processes. TOML parsing is smol-toml's.
 */
import { parse, TomlError } from 'smol-toml';
import { QuiverError } from './errors';
import { isValidProjectName, normalizeName } from './names';
import { isValidVersion, normalizeVersion } from './pep440';
import type { Platform } from './identifiers';

/** Platforms a release ships when `[tool.nx-wheels] release-platforms` is absent. */
export const DEFAULT_RELEASE_PLATFORMS: readonly Platform[] = ['linux', 'windows'];

/** The `[tool.cibuildwheel]` table as written (kebab-case keys, platform sub-tables, overrides). */
export type CibuildwheelConfig = Record<string, unknown>;

/** `[tool.nx-wheels]`: settings of this plugin. */
interface NxWheelsConfig {
  /** Nx project names this wheel project depends on (in addition to what CMake references show). */
  dependsOn?: string[];
  /** Nx project name; default: the project directory's basename. */
  projectName?: string;
  /** Ship a source distribution beside the wheels (default false). */
  sdist?: boolean;
  /**
   * `release-platforms`: the cibuildwheel platforms whose wheels make up a release (publish's
   * default `platforms`, and what `platforms = "release"` means); default {@link DEFAULT_RELEASE_PLATFORMS}.
   */
  releasePlatforms?: Platform[];
  /**
   * `abi3`: the project ships stable-ABI (limited API) wheels from this CPython on, e.g. `cp312`
   * (one `cp312-abi3-<platform>` wheel per platform). Overrides what the build back-end's
   * configuration declares (see core/validation/abi3).
   */
  abi3?: string;
  /**
   * `foreign-binaries`: picomatch globs of archive paths (e.g. `debugpy/_vendored/**\/*.dll`) that
   * the wheel ships for another platform on purpose; validate-wheels' BINARY_* rules skip them.
   */
  foreignBinaries?: string[];
  /**
   * `manylinux`: the policy the native engine targets when `--manylinux` is not given, e.g.
   * `"2_28"` (zig route, see core/manylinux) or `"host"`; the value is checked by core/manylinux.
   */
  manylinux?: string;
  /**
   * `engine`: the build engine every target uses when `--engine` is not given (`auto`,
   * `cibuildwheel` or `native`), so the builds that validate-wheels, test and publish trigger
   * through `dependsOn` build the same way as a direct build-wheels.
   */
  engine?: 'auto' | 'cibuildwheel' | 'native';
  /**
   * `pure`: true when the back-end builds one pure-Python wheel (`py3-none-any`), false when it
   * compiles; overrides what core/build-kind infers from the back-end and its configuration.
   */
  pure?: boolean;
  /** `skip = true`: this pyproject.toml is not a wheel project (inference ignores it). */
  skip?: boolean;
}

/** `[build-system]` (PEP 518 / PEP 517). */
interface BuildSystem {
  /** `build-backend`, e.g. `hatchling.build`; null when absent (pip then uses `setuptools.build_meta:__legacy__`). */
  backend: string | null;
  /** `requires` as written (requirement strings). */
  requires: string[];
}

/** What the plugin knows about one Python project. */
export interface PythonProject {
  /** Path of the pyproject.toml as given (usually workspace-relative). */
  file: string;
  /** `[project].name` as written. */
  name: string;
  /** PEP 503 normalized name (`quiverdb`). */
  normalizedName: string;
  /** `[project].version` as written, or `null` when the version is dynamic. */
  version: string | null;
  /** `[project].version` normalized per PEP 440, or `null` when dynamic or invalid. */
  normalizedVersion: string | null;
  /** True when `version` is listed in `[project].dynamic`. */
  dynamicVersion: boolean;
  /** `[tool.cibuildwheel]`, or `null` when absent. */
  cibuildwheel: CibuildwheelConfig | null;
  /** `[tool.nx-wheels]` (empty when absent). */
  nxWheels: NxWheelsConfig;
  /** `[build-system]`, or null when absent. */
  buildSystem: BuildSystem | null;
  /** The whole `[tool]` table as written (core/build-kind reads back-end settings from it). */
  tool: Record<string, unknown>;
}

/**
 * Parse TOML text; a syntax error becomes one line `file:line:col: ...`.
 * @throws QuiverError `PYPROJECT_SYNTAX`
 */
export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = e.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
      throw new QuiverError(
        'PYPROJECT_SYNTAX',
        `${file}:${e.line}:${e.column}: TOML syntax error: ${reason}; fix the TOML at that position.`,
      );
    }
    throw e;
  }
}

function table(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
    ? (v as Record<string, unknown>)
    : null;
}

/**
 * Read a pyproject.toml text into a {@link PythonProject}.
 * @param text file contents
 * @param file path used in messages
 * @param opts.requireCibuildwheel throw when the file is no wheel project: neither `[build-system]`
 *   nor `[tool.cibuildwheel]` (default true)
 * @throws QuiverError `PYPROJECT_SYNTAX`, `PYPROJECT_NO_NAME`, `PYPROJECT_BAD_NAME`,
 *   `PYPROJECT_BAD_VERSION`, `PYPROJECT_NO_CIBUILDWHEEL`, `PYPROJECT_BAD_FIELD`
 */
export function readPyProjectText(
  text: string,
  file: string,
  opts: { requireCibuildwheel?: boolean } = {},
): PythonProject {
  const doc = parseToml(text, file);
  const project = table(doc['project']);
  const name = readProjectName(project, file);
  const dynamic = Array.isArray(project?.['dynamic']) ? (project!['dynamic'] as unknown[]) : [];
  const version = readProjectVersion(project, file);
  const tool = table(doc['tool']) ?? {};
  const cibw = tool['cibuildwheel'];
  if (cibw !== undefined && !table(cibw)) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.cibuildwheel] must be a table.`);
  }
  const buildSystem = readBuildSystem(doc['build-system'], file);
  if (opts.requireCibuildwheel !== false && cibw === undefined && buildSystem === null) {
    throw new QuiverError('PYPROJECT_NO_CIBUILDWHEEL', `${file}: no [build-system] table, so no back-end builds a wheel; add one, e.g. [build-system] requires = ["hatchling"] and build-backend = "hatchling.build" (or [tool.cibuildwheel] for a compiled package).`);
  }
  return {
    file,
    name,
    normalizedName: normalizeName(name),
    version,
    normalizedVersion: version !== null && isValidVersion(version) ? normalizeVersion(version) : null,
    dynamicVersion: dynamic.includes('version'),
    cibuildwheel: (table(cibw) as CibuildwheelConfig) ?? null,
    nxWheels: readNxWheelsConfig(table(tool['nx-wheels']) ?? {}, file),
    buildSystem,
    tool,
  };
}

/** `[project].name`, present and a valid core-metadata Name. */
function readProjectName(project: Record<string, unknown> | null, file: string): string {
  const name = project?.['name'];
  if (typeof name !== 'string' || name.length === 0) {
    throw new QuiverError('PYPROJECT_NO_NAME', `${file}: [project].name is missing; add name = "your-dist-name" under [project].`);
  }
  if (!isValidProjectName(name)) {
    throw new QuiverError('PYPROJECT_BAD_NAME', `${file}: [project].name "${name}" is not a valid project name; use letters, digits, '.', '-', '_' (core metadata Name).`);
  }
  return name;
}

/** `[project].version` as written (a string), or null when absent; PEP 440 validity is checked later. */
function readProjectVersion(project: Record<string, unknown> | null, file: string): string | null {
  const rawVersion = project?.['version'];
  if (rawVersion === undefined) return null;
  if (typeof rawVersion !== 'string') {
    throw new QuiverError('PYPROJECT_BAD_VERSION', `${file}: [project].version must be a string; write version = "1.2.3".`);
  }
  return rawVersion;
}

/** `[build-system]` (PEP 518): null when absent; `build-backend` must be a non-empty module path. */
function readBuildSystem(bs: unknown, file: string): BuildSystem | null {
  if (bs === undefined) return null;
  const t = table(bs);
  if (!t) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [build-system] must be a table, e.g. [build-system] requires = ["hatchling"] build-backend = "hatchling.build".`);
  }
  const backend = t['build-backend'];
  if (backend !== undefined && (typeof backend !== 'string' || backend.trim() === '')) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [build-system].build-backend must be a module path string, e.g. build-backend = "hatchling.build".`);
  }
  const requires = t['requires'];
  return {
    backend: (backend as string | undefined) ?? null,
    requires: Array.isArray(requires) ? requires.filter((r): r is string => typeof r === 'string') : [],
  };
}

const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
const isNonEmptyString = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

/**
 * One optional `[tool.nx-wheels]` field: undefined when absent, the value when `valid`.
 * @throws QuiverError `PYPROJECT_BAD_FIELD`: "<file>: [tool.nx-wheels].<key> must be <mustBe>"
 */
function nxWheelsField<T>(nxw: Record<string, unknown>, key: string, file: string, valid: (v: unknown) => boolean, mustBe: string): T | undefined {
  const v = nxw[key];
  if (v !== undefined && !valid(v)) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].${key} must be ${mustBe}`);
  }
  return v as T | undefined;
}

/** `[tool.nx-wheels]` checked field by field (see {@link NxWheelsConfig}); absent optional fields stay absent. */
function readNxWheelsConfig(nxw: Record<string, unknown>, file: string): NxWheelsConfig {
  const field = <T>(key: string, valid: (v: unknown) => boolean, mustBe: string) => nxWheelsField<T>(nxw, key, file, valid, mustBe);
  const dependsOn = field<string[]>('depends-on', (v) => Array.isArray(v) && v.every((d) => typeof d === 'string'), 'a list of Nx project names, e.g. ["quiver"].');
  const projectName = field<string>('project-name', (v) => typeof v === 'string' && /^[A-Za-z0-9@][\w@/.-]*$/.test(v), 'an Nx project name such as "python".');
  const sdist = field<boolean>('sdist', isBoolean, 'true or false.');
  const releasePlatforms = readReleasePlatforms(nxw['release-platforms'], file);
  const optional: Partial<NxWheelsConfig> = {
    abi3: field<string>('abi3', (v) => typeof v === 'string' && /^cp3\d+$/.test(v), 'the oldest CPython of the stable-ABI wheels as a python tag, e.g. abi3 = "cp312".'),
    foreignBinaries: field<string[]>('foreign-binaries', (v) => Array.isArray(v) && v.every(isNonEmptyString), 'a list of globs of paths inside the wheel, e.g. foreign-binaries = ["debugpy/_vendored/**/*.dll"].'),
    manylinux: field<string>('manylinux', isNonEmptyString, 'a string naming a manylinux policy or "host", e.g. manylinux = "2_28".'),
    engine: field<NxWheelsConfig['engine']>('engine', (v) => typeof v === 'string' && ['auto', 'cibuildwheel', 'native'].includes(v), `"auto", "cibuildwheel" or "native" (got ${JSON.stringify(nxw['engine'])}), e.g. engine = "native".`),
    pure: field<boolean>('pure', isBoolean, 'true (one py3-none-any wheel) or false (compiled wheels), e.g. pure = true.'),
    skip: field<boolean>('skip', isBoolean, 'true (not a wheel project) or false, e.g. skip = true.'),
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { dependsOn, projectName, sdist, releasePlatforms, ...present };
}

/**
 * `[tool.nx-wheels] release-platforms`: a non-empty list of `"linux"` / `"windows"` (duplicates dropped).
 * @returns the platforms, or undefined when the field is absent
 * @throws QuiverError `PYPROJECT_BAD_FIELD` naming the file, the field, what is wrong and the fix
 */
function readReleasePlatforms(v: unknown, file: string): Platform[] | undefined {
  if (v === undefined) return undefined;
  const fix = 'write e.g. release-platforms = ["linux", "windows"]';
  if (!Array.isArray(v) || v.length === 0) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].release-platforms must be a non-empty list of "linux" / "windows"; ${fix}.`);
  }
  const out: Platform[] = [];
  for (const item of v) {
    if (item !== 'linux' && item !== 'windows') {
      throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].release-platforms: ${JSON.stringify(item) ?? String(item)} is not "linux" or "windows" (the platforms quiver builds); ${fix}.`);
    }
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

/**
 * The project's static, valid PEP 440 version.
 * @throws QuiverError `PYPROJECT_DYNAMIC_VERSION` when dynamic, `PYPROJECT_NO_VERSION` when
 *   absent, `PYPROJECT_BAD_VERSION` when not PEP 440.
 */
export function requireStaticVersion(p: PythonProject): string {
  if (p.dynamicVersion) {
    throw new QuiverError('PYPROJECT_DYNAMIC_VERSION', `${p.file}: [project].version is dynamic; quiver needs a static version: remove "version" from [project].dynamic and set version = "X.Y.Z".`);
  }
  if (p.version === null) {
    throw new QuiverError('PYPROJECT_NO_VERSION', `${p.file}: [project].version is missing; add version = "0.1.0" under [project].`);
  }
  if (p.normalizedVersion === null) {
    throw new QuiverError('PYPROJECT_BAD_VERSION', `${p.file}: [project].version "${p.version}" is not a PEP 440 version; use e.g. "1.2.3", "1.2.3rc1", "1.2.3.post1".`);
  }
  return p.normalizedVersion;
}
