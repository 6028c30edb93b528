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
export interface NxWheelsConfig {
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
export interface BuildSystem {
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
  const name = project?.['name'];
  if (typeof name !== 'string' || name.length === 0) {
    throw new QuiverError('PYPROJECT_NO_NAME', `${file}: [project].name is missing; add name = "your-dist-name" under [project].`);
  }
  if (!isValidProjectName(name)) {
    throw new QuiverError('PYPROJECT_BAD_NAME', `${file}: [project].name "${name}" is not a valid project name; use letters, digits, '.', '-', '_' (core metadata Name).`);
  }
  const dynamic = Array.isArray(project?.['dynamic']) ? (project!['dynamic'] as unknown[]) : [];
  const dynamicVersion = dynamic.includes('version');
  const rawVersion = project?.['version'];
  let version: string | null = null;
  if (rawVersion !== undefined) {
    if (typeof rawVersion !== 'string') {
      throw new QuiverError('PYPROJECT_BAD_VERSION', `${file}: [project].version must be a string; write version = "1.2.3".`);
    }
    version = rawVersion;
  }
  const tool = table(doc['tool']) ?? {};
  const cibw = tool['cibuildwheel'];
  if (cibw !== undefined && !table(cibw)) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.cibuildwheel] must be a table.`);
  }
  const bs = doc['build-system'];
  if (bs !== undefined && !table(bs)) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [build-system] must be a table, e.g. [build-system] requires = ["hatchling"] build-backend = "hatchling.build".`);
  }
  const backend = table(bs)?.['build-backend'];
  if (backend !== undefined && (typeof backend !== 'string' || backend.trim() === '')) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [build-system].build-backend must be a module path string, e.g. build-backend = "hatchling.build".`);
  }
  const requires = table(bs)?.['requires'];
  const buildSystem: BuildSystem | null = table(bs) ? { backend: (backend as string | undefined) ?? null, requires: Array.isArray(requires) ? requires.filter((r): r is string => typeof r === 'string') : [] } : null;
  if (opts.requireCibuildwheel !== false && cibw === undefined && buildSystem === null) {
    throw new QuiverError('PYPROJECT_NO_CIBUILDWHEEL', `${file}: no [build-system] table, so no back-end builds a wheel; add one, e.g. [build-system] requires = ["hatchling"] and build-backend = "hatchling.build" (or [tool.cibuildwheel] for a compiled package).`);
  }
  const nxw = table(tool['nx-wheels']) ?? {};
  const dependsOn = nxw['depends-on'];
  if (dependsOn !== undefined && !(Array.isArray(dependsOn) && dependsOn.every((d) => typeof d === 'string'))) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].depends-on must be a list of Nx project names, e.g. ["quiver"].`);
  }
  const projectName = nxw['project-name'];
  if (projectName !== undefined && (typeof projectName !== 'string' || !/^[A-Za-z0-9@][\w@/.-]*$/.test(projectName))) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].project-name must be an Nx project name such as "python".`);
  }
  const sdist = nxw['sdist'];
  if (sdist !== undefined && typeof sdist !== 'boolean') {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].sdist must be true or false.`);
  }
  const releasePlatforms = readReleasePlatforms(nxw['release-platforms'], file);
  const abi3 = nxw['abi3'];
  if (abi3 !== undefined && (typeof abi3 !== 'string' || !/^cp3\d+$/.test(abi3))) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].abi3 must be the oldest CPython of the stable-ABI wheels as a python tag, e.g. abi3 = "cp312".`);
  }
  const foreignBinaries = nxw['foreign-binaries'];
  if (foreignBinaries !== undefined && !(Array.isArray(foreignBinaries) && foreignBinaries.every((g) => typeof g === 'string' && g.trim() !== ''))) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].foreign-binaries must be a list of globs of paths inside the wheel, e.g. foreign-binaries = ["debugpy/_vendored/**/*.dll"].`);
  }
  const manylinux = nxw['manylinux'];
  if (manylinux !== undefined && (typeof manylinux !== 'string' || manylinux.trim() === '')) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].manylinux must be a string naming a manylinux policy or "host", e.g. manylinux = "2_28".`);
  }
  const engine = nxw['engine'];
  if (engine !== undefined && !(typeof engine === 'string' && ['auto', 'cibuildwheel', 'native'].includes(engine))) {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].engine must be "auto", "cibuildwheel" or "native" (got ${JSON.stringify(engine)}), e.g. engine = "native".`);
  }
  const pure = nxw['pure'];
  if (pure !== undefined && typeof pure !== 'boolean') {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].pure must be true (one py3-none-any wheel) or false (compiled wheels), e.g. pure = true.`);
  }
  const skip = nxw['skip'];
  if (skip !== undefined && typeof skip !== 'boolean') {
    throw new QuiverError('PYPROJECT_BAD_FIELD', `${file}: [tool.nx-wheels].skip must be true (not a wheel project) or false, e.g. skip = true.`);
  }
  return {
    file,
    name,
    normalizedName: normalizeName(name),
    version,
    normalizedVersion: version !== null && isValidVersion(version) ? normalizeVersion(version) : null,
    dynamicVersion,
    cibuildwheel: (table(cibw) as CibuildwheelConfig) ?? null,
    nxWheels: { dependsOn: dependsOn as string[] | undefined, projectName: projectName as string | undefined, sdist: sdist as boolean | undefined, releasePlatforms, ...(abi3 !== undefined ? { abi3: abi3 as string } : {}), ...(foreignBinaries !== undefined ? { foreignBinaries: foreignBinaries as string[] } : {}), ...(manylinux !== undefined ? { manylinux: manylinux as string } : {}), ...(engine !== undefined ? { engine: engine as NxWheelsConfig['engine'] } : {}), ...(pure !== undefined ? { pure: pure as boolean } : {}), ...(skip !== undefined ? { skip: skip as boolean } : {}) },
    buildSystem,
    tool,
  };
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
