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
  const v = resolveOption(config, 'environment', platform, identifier, env);
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
