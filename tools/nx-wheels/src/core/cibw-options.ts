/**
 * Resolving one cibuildwheel option for one build identifier the way cibuildwheel does
 * (https://cibuildwheel.pypa.io/en/stable/options/): environment (`CIBW_<NAME>_<PLATFORM>`,
 * then `CIBW_<NAME>`) beats `[[tool.cibuildwheel.overrides]]` (last matching `select` wins),
 * which beats `[tool.cibuildwheel.<platform>]`, which beats `[tool.cibuildwheel]`.
 * The native engine uses this to run the same `test-command` / `test-requires` cibuildwheel would.
 */
import { CibuildwheelConfig } from './pyproject';
import { matchesSelector, Platform } from './identifiers';

/** Raw value of an option as found (string, list, table or boolean). */
export type OptionValue = string | string[] | boolean | Record<string, unknown> | undefined;

/**
 * The value of option `name` (kebab-case, e.g. `test-command`) for `identifier` on `platform`.
 * @param env the environment to read `CIBW_*` from (usually `process.env`)
 */
export function resolveOption(
  config: CibuildwheelConfig,
  name: string,
  platform: Platform,
  identifier: string,
  env: Record<string, string | undefined>,
): OptionValue {
  const envName = 'CIBW_' + name.toUpperCase().replace(/-/g, '_');
  const fromEnv = env[`${envName}_${platform.toUpperCase()}`] ?? env[envName];
  if (fromEnv !== undefined) return fromEnv;
  let value: OptionValue = config[name] as OptionValue;
  const plat = config[platform];
  if (plat && typeof plat === 'object' && !Array.isArray(plat) && name in (plat as object)) {
    value = (plat as Record<string, OptionValue>)[name];
  }
  const overrides = Array.isArray(config['overrides']) ? (config['overrides'] as Array<Record<string, unknown>>) : [];
  for (const o of overrides) {
    const select = o['select'];
    if ((typeof select === 'string' || Array.isArray(select)) && matchesSelector(identifier, select as string | string[]) && name in o) {
      value = o[name] as OptionValue;
    }
  }
  return value;
}

/** `test-command` as one shell command (a list is joined with ` && `, as cibuildwheel does); `null` when unset. */
export function testCommand(config: CibuildwheelConfig, platform: Platform, identifier: string, env: Record<string, string | undefined>): string | null {
  const v = resolveOption(config, 'test-command', platform, identifier, env);
  if (v === undefined || v === '') return null;
  if (Array.isArray(v)) return v.join(' && ');
  return String(v);
}

/** `test-requires` as a list of requirement strings (a string is split on whitespace). */
export function testRequires(config: CibuildwheelConfig, platform: Platform, identifier: string, env: Record<string, string | undefined>): string[] {
  const v = resolveOption(config, 'test-requires', platform, identifier, env);
  if (v === undefined || v === '') return [];
  return Array.isArray(v) ? v.map(String) : String(v).split(/\s+/).filter(Boolean);
}

/** `test-extras` as a list of extra names. */
export function testExtras(config: CibuildwheelConfig, platform: Platform, identifier: string, env: Record<string, string | undefined>): string[] {
  const v = resolveOption(config, 'test-extras', platform, identifier, env);
  if (v === undefined || v === '') return [];
  return Array.isArray(v) ? v.map(String) : String(v).split(/[\s,]+/).filter(Boolean);
}

/** True when `test-skip` selects `identifier`. */
export function testSkipped(config: CibuildwheelConfig, platform: Platform, identifier: string, env: Record<string, string | undefined>): boolean {
  const v = resolveOption(config, 'test-skip', platform, identifier, env);
  return (typeof v === 'string' || Array.isArray(v)) && matchesSelector(identifier, v as string | string[]);
}

/**
 * `environment` for the build: a TOML table, or cibuildwheel's `KEY=value KEY2="v 2"` string form.
 * Values are taken literally (no `$VAR` expansion), which covers the common cases.
 */
export function buildEnvironment(config: CibuildwheelConfig, platform: Platform, identifier: string, env: Record<string, string | undefined>): Record<string, string> {
  return parseEnvironmentOption(resolveOption(config, 'environment', platform, identifier, env));
}

function parseEnvironmentOption(v: OptionValue): Record<string, string> {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  }
  const out: Record<string, string> = {};
  if (typeof v === 'string') {
    const re = /([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(v))) out[m[1]] = m[3] ?? m[4] ?? m[5] ?? '';
  }
  return out;
}

/** `test-environment` for the tests: same forms as {@link buildEnvironment} (cibuildwheel >= 2.15). */
export function testEnvironment(config: CibuildwheelConfig, platform: Platform, identifier: string, env: Record<string, string | undefined>): Record<string, string> {
  return parseEnvironmentOption(resolveOption(config, 'test-environment', platform, identifier, env));
}

/**
 * The variables cibuildwheel itself sets for every build and test of one identifier, which the
 * native engine sets too (read from cibuildwheel 4.3.3: `__main__.py` sets `CIBUILDWHEEL=1` in its
 * own environment, which reaches every step, and passes it into the container with `--env`;
 * `platforms/linux.py` and `platforms/windows.py` set `PIP_DISABLE_PIP_VERSION_CHECK=1`,
 * `PIP_ROOT_USER_ACTION=ignore` (Linux), and `CIBUILDWHEEL_BUILD_IDENTIFIER=<identifier>` after
 * the project's `environment` option, so the option cannot change it). Setup scripts read
 * `CIBUILDWHEEL=1` to make a failed optional C build fatal instead of shipping the pure fallback.
 * @returns the build's environment: `env`, then these, then the `environment` option, then the identifier
 */
export function cibuildwheelSetEnvironment(config: CibuildwheelConfig, platform: Platform, identifier: string, env: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    ...env,
    CIBUILDWHEEL: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    ...(platform === 'linux' ? { PIP_ROOT_USER_ACTION: 'ignore' } : {}),
    ...buildEnvironment(config, platform, identifier, env),
    CIBUILDWHEEL_BUILD_IDENTIFIER: identifier,
  };
}

/**
 * The environment of one identifier's tests as cibuildwheel makes it: the build's
 * ({@link cibuildwheelSetEnvironment}) with `test-environment` on top.
 */
export function cibuildwheelTestEnvironment(config: CibuildwheelConfig, platform: Platform, identifier: string, env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...cibuildwheelSetEnvironment(config, platform, identifier, env), ...testEnvironment(config, platform, identifier, env) };
}

/**
 * Substitute cibuildwheel's test-command placeholders: `{project}` (the directory cibuildwheel
 * was run from), `{package}` (the package directory), and `{wheel}` (the wheel file).
 */
export function substitutePlaceholders(command: string, values: { project: string; package: string; wheel?: string }): string {
  return command
    .replace(/\{project\}/g, values.project)
    .replace(/\{package\}/g, values.package)
    .replace(/\{wheel\}/g, values.wheel ?? '{wheel}');
}

/** Where the build's SOURCE_DATE_EPOCH came from. */
export interface SourceDateEpoch {
  /** Seconds since the epoch, decimal. */
  value: string;
  /** `environment`: the user set SOURCE_DATE_EPOCH (it wins); `head`: HEAD's commit time. */
  origin: 'environment' | 'head';
}

/**
 * SOURCE_DATE_EPOCH for a build (https://reproducible-builds.org/specs/source-date-epoch/): the
 * user's own value when set, else HEAD's commit time, else null (no commit to take it from).
 */
export function resolveSourceDateEpoch(env: Record<string, string | undefined>, headCommitTime: string | null): SourceDateEpoch | null {
  const own = env['SOURCE_DATE_EPOCH'];
  if (own !== undefined && own !== '') return { value: own, origin: 'environment' };
  return headCommitTime ? { value: headCommitTime, origin: 'head' } : null;
}

const PASS_LINUX = 'CIBW_ENVIRONMENT_PASS_LINUX';
const INHERIT_KEY = 'environment-pass-linux';

/**
 * The environment cibuildwheel runs with, so that SOURCE_DATE_EPOCH reaches every build and
 * repair step:
 * - it is set in cibuildwheel's own environment (Windows builds and repairs inherit it directly);
 * - for Linux it is added to `environment-pass` (passed into the container, where cibuildwheel
 *   puts it in the environment of the build and of the repair command) without losing what the
 *   project already passes. cibuildwheel resolves `environment-pass` per build identifier (env >
 *   overrides > [tool.cibuildwheel.linux] > [tool.cibuildwheel]), and a `CIBW_ENVIRONMENT_PASS_LINUX`
 *   would replace that value; so when the user sets none, this sets it to `SOURCE_DATE_EPOCH` with
 *   the rule `CIBW_INHERIT="environment-pass-linux: append"` (cibuildwheel >= 4.3), which makes
 *   cibuildwheel itself append it to the effective list of every identifier. A user's own
 *   `CIBW_ENVIRONMENT_PASS_LINUX` keeps its meaning (and their CIBW_INHERIT rule for it) and gets
 *   SOURCE_DATE_EPOCH appended. Other CIBW_INHERIT rules are kept.
 * (cibuildwheel 4.3.3 also forwards a host SOURCE_DATE_EPOCH at `docker create --env=SOURCE_DATE_EPOCH`;
 * the explicit environment-pass does not depend on that.)
 * @returns a new environment; `env` itself when there is no SOURCE_DATE_EPOCH
 */
export function cibuildwheelEnvironment(env: Record<string, string | undefined>, sde: SourceDateEpoch | null, platform: Platform): Record<string, string | undefined> {
  if (!sde) return env;
  const out: Record<string, string | undefined> = { ...env, SOURCE_DATE_EPOCH: sde.value };
  if (platform !== 'linux') return out;
  const own = env[PASS_LINUX];
  if (own !== undefined) {
    const names = own.split(/\s+/).filter(Boolean);
    out[PASS_LINUX] = names.includes('SOURCE_DATE_EPOCH') ? own : [...names, 'SOURCE_DATE_EPOCH'].join(' ');
    return out;
  }
  out[PASS_LINUX] = 'SOURCE_DATE_EPOCH';
  const rules = (env['CIBW_INHERIT'] ?? '')
    .split(';')
    .map((f) => f.trim())
    .filter((f) => f && f.split(/[\s:]/)[0] !== INHERIT_KEY);
  out['CIBW_INHERIT'] = [...rules, `${INHERIT_KEY}: append`].join('; ');
  return out;
}

/** One cibuildwheel run: what to execute, where, with which environment. */
export interface CibuildwheelInvocation {
  /** Arguments after the `cibuildwheel` executable. */
  args: string[];
  /** Working directory: the staging root (cibuildwheel copies it into the container as `{project}`). */
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * The cibuildwheel command line of a build: `--platform <p> --output-dir <abs out> <package dir>`
 * run in the staging root, with {@link cibuildwheelEnvironment} and, when tests are off,
 * `CIBW_TEST_SKIP=*`.
 * @param o.packageDir the project's path relative to the staging root (posix), e.g. `bindings/python`
 * @param o.outputDir absolute: cibuildwheel runs elsewhere than the workspace
 */
export function cibuildwheelInvocation(o: {
  stagingDir: string;
  packageDir: string;
  outputDir: string;
  platform: Platform;
  env: Record<string, string | undefined>;
  sourceDateEpoch: SourceDateEpoch | null;
  runTests: boolean;
}): CibuildwheelInvocation {
  const env = { ...cibuildwheelEnvironment(o.env, o.sourceDateEpoch, o.platform), ...(o.runTests ? {} : { CIBW_TEST_SKIP: '*' }) };
  return { args: ['--platform', o.platform, '--output-dir', o.outputDir, o.packageDir], cwd: o.stagingDir, env };
}
