/**
 * Trusted publishing (https://docs.pypi.org/trusted-publishers/using-a-publisher/), the exchange
 * pypa/gh-action-pypi-publish performs:
 *   1. `GET <index>/_/oidc/audience` -> `{"audience": "pypi"}`;
 *   2. `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>` with
 *      `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` -> `{"value": "<jwt>"}` (GitHub);
 *   3. `POST <index>/_/oidc/mint-token` with `{"token": "<jwt>"}` -> `{"success": true, "token": "pypi-..."}`,
 *      or 422 `{"message": "Token request failed", "errors": [{"code": "invalid-publisher", ...}]}`.
 * The minted token is short-lived and used as `__token__`'s password.
 */
import { QuiverError } from '../core/errors';
import { decodeJwtClaims, mintTokenError, MintTokenErrorBody } from '../core/publish/credentials';
import { httpRequest, HttpPolicy } from './index-client';
import { redact } from './process';

/** Inputs of {@link mintTrustedPublishingToken}. */
export interface OidcExchange {
  /** Base of the index's OIDC endpoints (e.g. `https://pypi.org`). */
  oidcUrl: string;
  /** `ACTIONS_ID_TOKEN_REQUEST_URL`. */
  requestUrl: string;
  /** `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. */
  requestToken: string;
  /** Where the user configures the publisher (for the invalid-publisher message). */
  publisherSettingsUrl: string;
  /** `GITHUB_JOB`, named when the job lacks `id-token: write`. */
  job?: string;
}

function json(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * Exchange the job's OIDC identity for a short-lived upload token.
 * @returns the token and the OIDC token's claims (unverified; for reports and errors)
 * @throws QuiverError `OIDC_UNSUPPORTED`, `OIDC_TOKEN_REQUEST`, `OIDC_INVALID_PUBLISHER`,
 *   `OIDC_NOT_ENABLED`, `OIDC_MINT_FAILED`, `INDEX_UNREACHABLE`
 */
export async function mintTrustedPublishingToken(x: OidcExchange, policy: HttpPolicy): Promise<{ token: string; claims: Record<string, unknown> | null }> {
  const secrets = [...policy.secrets, x.requestToken];
  const p: HttpPolicy = { ...policy, secrets };
  const audUrl = `${x.oidcUrl}/_/oidc/audience`;
  const aud = await httpRequest(audUrl, { method: 'GET', headers: { Accept: 'application/json' } }, p, 'trusted publishing (audience)');
  const audience = (json(aud.body) as { audience?: string } | null)?.audience;
  if (aud.status !== 200 || !audience) {
    throw new QuiverError('OIDC_UNSUPPORTED', `trusted publishing: ${audUrl} answered HTTP ${aud.status} without an audience, so this index does not support it; set option oidcUrl to the index's base URL, or use PYPI_API_TOKEN.`);
  }

  const sep = x.requestUrl.includes('?') ? '&' : '?';
  const tokUrl = `${x.requestUrl}${sep}audience=${encodeURIComponent(audience)}`;
  const tok = await httpRequest(tokUrl, { method: 'GET', headers: { Authorization: `bearer ${x.requestToken}`, Accept: 'application/json' } }, p, 'trusted publishing (GitHub OIDC token)');
  const jwt = (json(tok.body) as { value?: string } | null)?.value;
  if (tok.status !== 200 || !jwt) {
    throw new QuiverError(
      'OIDC_TOKEN_REQUEST',
      `trusted publishing: GitHub refused the OIDC token request (HTTP ${tok.status}); the job${x.job ? ` "${x.job}"` : ''} needs \`permissions: id-token: write\` (and ACTIONS_ID_TOKEN_REQUEST_TOKEN), or set PYPI_API_TOKEN instead.`,
    );
  }
  const claims = decodeJwtClaims(jwt);
  const mintUrl = `${x.oidcUrl}/_/oidc/mint-token`;
  const mint = await httpRequest(mintUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ token: jwt }) }, { ...p, secrets: [...secrets, jwt] }, 'trusted publishing (mint-token)');
  const body = json(mint.body) as ({ success?: boolean; token?: string } & MintTokenErrorBody) | null;
  if (mint.status === 200 && body?.token) return { token: body.token, claims };
  const e = mintTokenError(mint.status, body, claims, x.publisherSettingsUrl);
  throw new QuiverError(e.code, redact(e.message, [...secrets, jwt]));
}
