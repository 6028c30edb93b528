/**
 * HTTP against a package index (Node's fetch): the project's simple page (PEP 691 JSON or PEP 503
 * HTML) to learn which files are already there and their sha256, PyPI's JSON API
 * (`/pypi/<name>/<version>/json`) for a release's first upload time, and file downloads for
 * indexes that list no sha256. Retries with exponential backoff on network errors, 5xx and 429
 * (honouring Retry-After). Credentials are sent only after the index asks for them (401/403), and
 * never appear in errors.
 */
import { createHash } from 'node:crypto';
import { QuiverError } from '../core/errors';
import { backoffMs, MAX_PAUSE_MS, parseRetryAfter } from '../core/publish/twine-outcome';
import { IndexFile, parseSimplePage, SIMPLE_ACCEPT } from '../core/publish/simple-index';
import { redact } from './process';

/** Basic-auth credentials. */
export interface HttpAuth {
  username: string;
  password: string;
}

/** Retry and timeout policy of every request. */
export interface HttpPolicy {
  /** Retries after the first attempt (network errors, 5xx, 429). */
  retries: number;
  /** First backoff pause in ms (doubles each retry). */
  backoffMs: number;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** Strings to redact from any message. */
  secrets: string[];
  /** Told about each retry (one line). */
  onRetry?: (message: string) => void;
  /** Milliseconds left before the run's deadline: no request runs past it and no retry starts after it. */
  left?: () => number;
}

/** A buffered response. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  url: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function networkReason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timed out';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

/**
 * One HTTP request with retries on network errors, 5xx and 429. Redirects are not followed
 * (`redirect: manual`): callers decide.
 * @throws QuiverError `INDEX_UNREACHABLE` when every attempt failed at the network level,
 *   `PUBLISH_DEADLINE_EXCEEDED` when `policy.left` says the deadline has passed
 * @returns the last response (which may still be a 5xx/429 after the retries ran out)
 */
export async function httpRequest(url: string, init: RequestInit, policy: HttpPolicy, what: string): Promise<HttpResponse> {
  let lastNetwork: string;
  const left = () => (policy.left ? policy.left() : Infinity);
  for (let attempt = 0; ; attempt++) {
    if (left() <= 0) {
      throw new QuiverError('PUBLISH_DEADLINE_EXCEEDED', `${what}: the deadline (deadlineSeconds) passed before ${redact(url, policy.secrets)} answered; re-run (files on the index are skipped), or raise --deadlineSeconds for a slow index.`);
    }
    try {
      const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(Math.max(1, Math.min(policy.timeoutMs, left()))) });
      const body = Buffer.from(await res.arrayBuffer());
      const out = { status: res.status, headers: res.headers, body, url };
      if ((res.status < 500 && res.status !== 429) || attempt >= policy.retries) return out;
      const pause = backoffMs(attempt + 1, policy.backoffMs, MAX_PAUSE_MS, parseRetryAfter(res.headers.get('retry-after')));
      if (pause >= left()) return out;
      policy.onRetry?.(`${what}: HTTP ${res.status} from ${redact(url, policy.secrets)}; retry ${attempt + 1}/${policy.retries} in ${(pause / 1000).toFixed(1)} s`);
      await sleep(pause);
    } catch (e) {
      lastNetwork = networkReason(e);
      if (attempt >= policy.retries) break;
      const pause = backoffMs(attempt + 1, policy.backoffMs);
      if (pause >= left()) break;
      policy.onRetry?.(`${what}: ${lastNetwork} at ${redact(url, policy.secrets)}; retry ${attempt + 1}/${policy.retries} in ${(pause / 1000).toFixed(1)} s`);
      await sleep(pause);
    }
  }
  throw new QuiverError('INDEX_UNREACHABLE', `${what}: ${redact(url, policy.secrets)} is unreachable (${redact(lastNetwork, policy.secrets)}) after ${policy.retries + 1} attempt(s); check the URL (options repositoryUrl / indexUrl) and the network, then re-run: nothing more was uploaded.`);
}

function basicAuth(a: HttpAuth): string {
  return 'Basic ' + Buffer.from(`${a.username}:${a.password}`).toString('base64');
}

/**
 * GET with credentials only when the server asks (401/403 without them), following same-origin
 * redirects. A redirect to another origin (e.g. pypiserver's fallback to pypi.org for projects it
 * does not have) is returned as is, with `status` 3xx.
 */
async function getWithAuth(url: string, headers: Record<string, string>, auth: HttpAuth | null, policy: HttpPolicy, what: string): Promise<HttpResponse> {
  let current = url;
  let useAuth = false;
  for (let hops = 0; hops < 6; hops++) {
    const h = { ...headers, ...(useAuth && auth ? { Authorization: basicAuth(auth) } : {}) };
    const res = await httpRequest(current, { method: 'GET', headers: h }, policy, what);
    if ((res.status === 401 || res.status === 403) && auth && !useAuth) {
      useAuth = true;
      hops--;
      continue;
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      const next = new URL(res.headers.get('location')!, current);
      if (next.origin !== new URL(current).origin) return res;
      current = next.href;
      continue;
    }
    return { ...res, url: current };
  }
  throw new QuiverError('INDEX_ERROR', `${what}: too many redirects from ${redact(url, policy.secrets)}.`);
}

function authError(status: number, url: string, what: string, secrets: string[]): QuiverError {
  return new QuiverError(
    'INDEX_AUTH',
    `${what}: ${redact(url, secrets)} refused the credentials (HTTP ${status}); check PYPI_API_TOKEN (or TWINE_USERNAME/TWINE_PASSWORD), or the trusted publisher; nothing was uploaded.`,
  );
}

/**
 * The files an index lists for a project (`<indexUrl><normalized name>/`), each with its sha256;
 * files listed without one are downloaded and hashed.
 * @param name normalized project name (PEP 503)
 * @returns the files; empty when the index does not have the project (404, or a redirect elsewhere)
 * @throws QuiverError `INDEX_AUTH`, `INDEX_ERROR`, `INDEX_UNREACHABLE`
 */
export async function listProjectFiles(indexUrl: string, name: string, auth: HttpAuth | null, policy: HttpPolicy): Promise<IndexFile[]> {
  const url = `${indexUrl}${name}/`;
  const what = 'reading the index';
  // no-cache: a listing read back right after an upload must not come from a cache in front of the index.
  const res = await getWithAuth(url, { Accept: SIMPLE_ACCEPT, 'Cache-Control': 'no-cache' }, auth, policy, what);
  if (res.status === 404 || (res.status >= 300 && res.status < 400)) return [];
  if (res.status === 401 || res.status === 403) throw authError(res.status, url, what, policy.secrets);
  if (res.status !== 200) throw new QuiverError('INDEX_ERROR', `${what}: HTTP ${res.status} from ${redact(url, policy.secrets)}; check option indexUrl, or re-run if the index is having trouble.`);
  const files = parseSimplePage(res.body.toString('utf8'), res.headers.get('content-type') ?? 'text/html', res.url);
  for (const f of files) {
    if (f.sha256) continue;
    const d = await getWithAuth(f.url, {}, auth, policy, `downloading ${f.filename} to compare digests`);
    if (d.status !== 200) throw new QuiverError('INDEX_ERROR', `the index lists ${f.filename} without a sha256 and downloading it gave HTTP ${d.status}; cannot tell whether it equals the local file.`);
    f.sha256 = createHash('sha256').update(d.body).digest('hex');
  }
  return files;
}

/**
 * The earliest upload time of a release's files from a PyPI-style JSON API
 * (`<jsonApiUrl>/<name>/<version>/json`, field `urls[].upload_time_iso_8601`).
 * Best effort: null when the release does not exist or the API does not answer.
 */
export async function releaseFirstUploadTime(jsonApiUrl: string, name: string, version: string, policy: HttpPolicy): Promise<string | null> {
  try {
    const res = await httpRequest(`${jsonApiUrl}/${name}/${version}/json`, { method: 'GET', headers: { Accept: 'application/json' } }, { ...policy, retries: Math.min(policy.retries, 1) }, 'reading the JSON API');
    if (res.status !== 200) return null;
    const doc = JSON.parse(res.body.toString('utf8')) as { urls?: Array<{ upload_time_iso_8601?: string; upload_time?: string }> };
    const times = (doc.urls ?? []).map((u) => u.upload_time_iso_8601 ?? u.upload_time).filter((t): t is string => !!t);
    return times.sort()[0] ?? null;
  } catch {
    return null;
  }
}
