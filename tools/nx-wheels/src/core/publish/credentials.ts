/**
 * Which credentials a publish uses, in this order (PyPI trusted publishing docs,
 * https://docs.pypi.org/trusted-publishers/):
 *   1. trusted publishing: in GitHub Actions (`GITHUB_ACTIONS=true`) with
 *      `ACTIONS_ID_TOKEN_REQUEST_URL` set (the job has `permissions: id-token: write`);
 *   2. a token from the environment: `PYPI_API_TOKEN` (as `__token__`), or twine's
 *      `TWINE_USERNAME` / `TWINE_PASSWORD`;
 *   3. neither: an error naming both fixes.
 * Also: decoding the OIDC token's claims (no verification: only to explain a rejection) and
 * turning mint-token error bodies into one-line errors. Pure: the environment is passed in.
 */
import { QuiverError } from '../errors';

/** What {@link chooseCredentials} decided. */
export type CredentialChoice =
  | { kind: 'oidc'; requestUrl: string; requestToken: string }
  | { kind: 'token'; username: string; password: string; source: 'PYPI_API_TOKEN' | 'TWINE_PASSWORD' }
  | { kind: 'none' };

/** Credentials ready for twine. */
export interface Credentials {
  username: string;
  password: string;
  /** Human description for logs and reports (never the secret). */
  source: string;
  kind: 'oidc' | 'token';
}

type Env = Record<string, string | undefined>;
const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** Choose the credential source from the environment (see the module comment for the order). */
export function chooseCredentials(env: Env): CredentialChoice {
  if (env['GITHUB_ACTIONS'] === 'true' && set(env['ACTIONS_ID_TOKEN_REQUEST_URL'])) {
    return { kind: 'oidc', requestUrl: env['ACTIONS_ID_TOKEN_REQUEST_URL'], requestToken: env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '' };
  }
  if (set(env['PYPI_API_TOKEN'])) return { kind: 'token', username: '__token__', password: env['PYPI_API_TOKEN'].trim(), source: 'PYPI_API_TOKEN' };
  if (set(env['TWINE_PASSWORD'])) return { kind: 'token', username: set(env['TWINE_USERNAME']) ? env['TWINE_USERNAME'] : '__token__', password: env['TWINE_PASSWORD'], source: 'TWINE_PASSWORD' };
  return { kind: 'none' };
}

/** The one-line error when there are no credentials; in GitHub Actions it names the job that needs `id-token: write`. */
export function noCredentialsError(env: Env): QuiverError {
  const job = env['GITHUB_JOB'];
  const oidcFix =
    env['GITHUB_ACTIONS'] === 'true'
      ? `give the job${job ? ` "${job}"` : ''}${env['GITHUB_WORKFLOW_REF'] ? ` (${env['GITHUB_WORKFLOW_REF'].replace(/@.*$/, '')})` : ''} \`permissions: id-token: write\` for trusted publishing (ACTIONS_ID_TOKEN_REQUEST_URL is not set, so it lacks it)`
      : 'run in a GitHub Actions job with `permissions: id-token: write` for trusted publishing';
  return new QuiverError('NO_CREDENTIALS', `no credentials to upload with: ${oidcFix}, or set PYPI_API_TOKEN (or TWINE_USERNAME/TWINE_PASSWORD) to an API token; nothing was uploaded.`);
}

/**
 * The payload of a JWT, decoded without verifying it (base64url JSON of the middle part).
 * @returns the claims, or null when `jwt` is not a JWT
 */
export function decodeJwtClaims(jwt: string): Record<string, unknown> | null {
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    const v = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The claims a PyPI trusted publisher is matched on, as one `k=v, ...` string. */
export function formatPublisherClaims(claims: Record<string, unknown> | null): string {
  if (!claims) return 'claims unreadable (the token is not a JWT)';
  const keys = ['repository', 'repository_owner', 'workflow_ref', 'job_workflow_ref', 'environment', 'ref', 'sub'];
  return keys
    .filter((k) => k === 'environment' || claims[k] !== undefined)
    .map((k) => `${k}=${claims[k] === undefined || claims[k] === '' ? '(none)' : String(claims[k])}`)
    .join(', ');
}

/** The error body warehouse's mint-token endpoint returns (HTTP 422 and others). */
export interface MintTokenErrorBody {
  message?: string;
  errors?: Array<{ code?: string; description?: string }>;
}

/**
 * A mint-token failure as one line. `invalid-publisher` prints the token's claims so the user can
 * compare them with the publisher configured on the index (owner/repository, workflow file name,
 * environment).
 * @param status HTTP status of the response
 * @param body parsed JSON body, or null
 * @param claims claims of the OIDC token that was sent
 * @param projectUrl where the publisher is configured, e.g. `https://pypi.org/manage/project/quiverdb/settings/publishing/`
 */
export function mintTokenError(status: number, body: MintTokenErrorBody | null, claims: Record<string, unknown> | null, projectUrl: string): QuiverError {
  const errs = body?.errors ?? [];
  const codes = errs.map((e) => e.code ?? '?');
  const descr = errs.map((e) => `${e.code ?? '?'}: ${e.description ?? ''}`.trim()).join('; ') || body?.message || `HTTP ${status}`;
  if (codes.includes('invalid-publisher')) {
    return new QuiverError(
      'OIDC_INVALID_PUBLISHER',
      `trusted publishing refused: invalid-publisher (no publisher on the index matches this job). The job's token says: ${formatPublisherClaims(claims)}. Add or fix the trusted publisher at ${projectUrl} so owner/repository, workflow file and environment match these claims. (${descr})`,
    );
  }
  if (codes.includes('not-enabled')) return new QuiverError('OIDC_NOT_ENABLED', `trusted publishing is disabled on this index (${descr}); set PYPI_API_TOKEN instead.`);
  return new QuiverError('OIDC_MINT_FAILED', `trusted publishing: mint-token failed with HTTP ${status} (${descr}); claims: ${formatPublisherClaims(claims)}.`);
}
