/** Resolving validate-wheels options into what the rules expect. Pure: environment passed in. */
import { QuiverError } from '../errors';
import { Platform } from '../identifiers';
import { DEFAULT_RELEASE_PLATFORMS } from '../pyproject';

/** PyPI's default per-file upload limit: 100 MiB. */
export const DEFAULT_MAX_SIZE = 100 * 1024 * 1024;

/**
 * The platforms whose identifiers are expected: `"host"` (the host's platform), `"release"` (the
 * release platforms: `[tool.nx-wheels] release-platforms`, default linux and windows), a list of
 * `linux`/`windows`/`host`/`release`, or a comma-separated string of them (`linux,windows`, as the
 * CLI gives it). Duplicates are dropped, order kept.
 * @param option the option as given; undefined means `fallback`
 * @param hostOs `process.platform`
 * @param release the project's release platforms (default {@link DEFAULT_RELEASE_PLATFORMS})
 * @param fallback what an absent option means: `host` (validate-wheels) or `release` (publish)
 * @throws QuiverError `BAD_OPTION_PLATFORMS`
 */
export function resolvePlatforms(
  option: string | string[] | undefined,
  hostOs: NodeJS.Platform | string,
  release: readonly Platform[] = DEFAULT_RELEASE_PLATFORMS,
  fallback: 'host' | 'release' = 'host',
): Platform[] {
  const raw = option === undefined ? [fallback] : Array.isArray(option) ? option : option.split(',');
  const items = raw.map((s) => s.trim().toLowerCase()).filter(Boolean);
  const out: Platform[] = [];
  for (const item of items.length ? items : [fallback]) {
    let ps: string[] = [item];
    if (item === 'host') {
      if (hostOs === 'linux') ps = ['linux'];
      else if (hostOs === 'win32') ps = ['windows'];
      else throw new QuiverError('BAD_OPTION_PLATFORMS', `option platforms: "host" means linux or windows, but this host is ${hostOs}; pass --platforms=release (or linux,windows).`);
    } else if (item === 'release') ps = [...release];
    for (const p of ps) {
      if (p !== 'linux' && p !== 'windows') {
        throw new QuiverError('BAD_OPTION_PLATFORMS', `option platforms: "${item}" is not one of linux, windows, host, release; e.g. --platforms=release for a release.`);
      }
      if (!out.includes(p)) out.push(p);
    }
  }
  return out;
}

/**
 * The tag being released: the `tag` option, else `GITHUB_REF` when it is a tag ref
 * (`refs/tags/v1.2.3`), else `GITHUB_REF_NAME` when `GITHUB_REF_TYPE` is `tag` (or unset
 * outside GitHub Actions). Branch and pull-request refs are not tags: no tag check then.
 * @returns the tag and where it came from, or null
 */
export function resolveTag(option: string | undefined, env: Record<string, string | undefined>): { value: string; source: string } | null {
  if (option !== undefined && option.trim() !== '') return { value: option.trim(), source: 'option tag' };
  const ref = env['GITHUB_REF'];
  if (ref && ref.startsWith('refs/tags/')) return { value: ref, source: 'GITHUB_REF' };
  const name = env['GITHUB_REF_NAME'];
  const type = env['GITHUB_REF_TYPE'];
  if (name && (type === 'tag' || (type === undefined && !ref))) return { value: name, source: 'GITHUB_REF_NAME' };
  return null;
}

/**
 * The size limit in bytes.
 * @throws QuiverError `BAD_OPTION_MAX_SIZE` when not a positive integer
 */
export function resolveMaxSize(option: number | string | undefined): number {
  if (option === undefined) return DEFAULT_MAX_SIZE;
  const n = typeof option === 'number' ? option : Number(option);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new QuiverError('BAD_OPTION_MAX_SIZE', `option maxSize: "${option}" is not a positive number of bytes; e.g. --maxSize=104857600 (100 MiB).`);
  }
  return n;
}
