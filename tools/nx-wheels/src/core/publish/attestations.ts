/**
 * Whether to create PEP 740 publish attestations (https://peps.python.org/pep-0740/), as
 * pypa/gh-action-pypi-publish does: on by default only for trusted publishing to pypi.org or
 * test.pypi.org (the only indexes that accept them, and the only case with an ambient OIDC
 * identity for Sigstore to sign with); off elsewhere. Pure.
 */
import { QuiverError } from '../errors';
import { IndexEndpoints } from './endpoints';

/** The `attestations` option. */
export type AttestationsOption = boolean | 'true' | 'false' | 'auto' | undefined;

/** The decision and why. */
export interface AttestationsDecision {
  enabled: boolean;
  reason: string;
}

/**
 * Decide.
 * @throws QuiverError `BAD_OPTION_ATTESTATIONS` for an unknown value, or when `true` is asked
 *   without trusted publishing (Sigstore needs the job's OIDC identity)
 */
export function decideAttestations(option: AttestationsOption, credentialKind: 'oidc' | 'token' | 'none', endpoints: Pick<IndexEndpoints, 'known' | 'repositoryUrl'>): AttestationsDecision {
  const v = option === undefined ? 'auto' : String(option).toLowerCase();
  if (v !== 'auto' && v !== 'true' && v !== 'false') {
    throw new QuiverError('BAD_OPTION_ATTESTATIONS', `option attestations: "${option}" is not true, false or auto.`);
  }
  if (v === 'false') return { enabled: false, reason: 'off (attestations=false)' };
  const eligible = credentialKind === 'oidc' && endpoints.known !== null;
  if (v === 'true') {
    if (credentialKind !== 'oidc') {
      throw new QuiverError('BAD_OPTION_ATTESTATIONS', 'option attestations: true needs trusted publishing (a GitHub Actions job with `permissions: id-token: write`), whose identity Sigstore signs with; use --attestations=auto or false with a token.');
    }
    return { enabled: true, reason: 'on (attestations=true)' };
  }
  if (eligible) return { enabled: true, reason: `on (auto: trusted publishing to ${endpoints.known === 'pypi' ? 'pypi.org' : 'test.pypi.org'})` };
  return { enabled: false, reason: credentialKind === 'oidc' ? `off (auto: ${endpoints.repositoryUrl} is not pypi.org or test.pypi.org)` : 'off (auto: only with trusted publishing)' };
}
