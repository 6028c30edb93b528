/**
 * The current version of a project on a package index, from the index's JSON API
 * (https://docs.pypi.org/api/json/: `GET <base>/<project>/json`), as PyPI and pypiserver serve it.
 */
import { QuiverError } from '../core/errors';
import { compareVersions, normalizeVersion } from '../core/pep440';

/** Default JSON API base: PyPI. */
export const DEFAULT_JSON_API = 'https://pypi.org/pypi';

/** Result of {@link latestIndexVersion}. */
export interface IndexVersion {
  /** Highest PEP 440 version with at least one non-yanked file (pre-releases included), or `null` when the project is not on the index. */
  version: string | null;
  /** The URL asked. */
  url: string;
}

/**
 * Pick the highest release from a JSON API document: `releases` keys whose files are not all
 * yanked (a release without files counts), else `info.version`. Pure.
 * @returns the normalized version, or `null` when the document lists none
 */
export function pickLatest(doc: unknown): string | null {
  const d = (doc ?? {}) as { info?: { version?: unknown }; releases?: Record<string, unknown> };
  let best: string | null = null;
  for (const [v, files] of Object.entries(d.releases ?? {})) {
    const n = normalizeVersion(v);
    if (!n) continue;
    const list = Array.isArray(files) ? (files as Array<{ yanked?: boolean }>) : [];
    if (list.length > 0 && list.every((f) => f?.yanked === true)) continue;
    if (best === null || compareVersions(n, best) > 0) best = n;
  }
  if (best === null && typeof d.info?.version === 'string') best = normalizeVersion(d.info.version);
  return best;
}

/**
 * Ask `<base>/<normalizedName>/json` for the project's versions.
 * @param base JSON API base, e.g. `https://pypi.org/pypi` or `http://127.0.0.1:8080/pypi`
 * @throws QuiverError `REGISTRY_UNREACHABLE` (network error, timeout) or `REGISTRY_BAD_RESPONSE`
 *   (status other than 200/404, or not JSON); a 404 is `{ version: null }`
 */
export async function latestIndexVersion(base: string, normalizedName: string, timeoutMs = 15000): Promise<IndexVersion> {
  const url = `${base.replace(/\/+$/, '')}/${encodeURIComponent(normalizedName)}/json`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new QuiverError('REGISTRY_UNREACHABLE', `${url}: ${(e as Error).message}; check release.version.currentVersionResolverMetadata.registry in nx.json or your network.`);
  }
  if (res.status === 404) return { version: null, url };
  if (res.status !== 200) {
    throw new QuiverError('REGISTRY_BAD_RESPONSE', `${url}: HTTP ${res.status}; check release.version.currentVersionResolverMetadata.registry (a JSON API base such as https://pypi.org/pypi).`);
  }
  let doc: unknown;
  try {
    doc = await res.json();
  } catch {
    throw new QuiverError('REGISTRY_BAD_RESPONSE', `${url}: the response is not JSON; point release.version.currentVersionResolverMetadata.registry at the index's JSON API (https://pypi.org/pypi, not /simple).`);
  }
  return { version: pickLatest(doc), url };
}
