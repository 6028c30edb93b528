/**
 * PEP 740 publish attestations with pypi-attestations (pinned in toolchain/requirements.txt), as
 * pypa/gh-action-pypi-publish creates them: `python -m pypi_attestations sign <files>` signs each
 * distribution with Sigstore using the ambient OIDC identity of the GitHub Actions job and writes
 * `<file>.publish.attestation` beside it; `twine upload --attestations` then sends them.
 */
import { QuiverError } from '../core/errors';
import { LineSink, consoleSink, stream } from './process';

/**
 * Sign `files` (absolute paths, in a staging directory: the attestation files are written beside them).
 * @param python the toolchain venv's python
 * @param staging sign with Sigstore's staging instance (for test.pypi.org)
 * @throws QuiverError `ATTESTATIONS_FAILED`
 */
export async function signAttestations(python: string, files: readonly string[], staging: boolean, secrets: string[], sink: LineSink = consoleSink): Promise<void> {
  const args = ['-m', 'pypi_attestations', 'sign', ...(staging ? ['--staging'] : []), ...files];
  const r = await stream(python, args, '[attestations] ', { secrets, timeoutMs: 10 * 60_000 }, sink);
  if (r.exitCode !== 0) {
    throw new QuiverError('ATTESTATIONS_FAILED', `creating PEP 740 attestations failed (pypi-attestations exited ${r.exitCode}; see the [attestations] lines above); fix the Sigstore identity or pass --attestations=false to publish without them.`);
  }
}
