/**
 * PEP 740 publish attestations with pypi-attestations (pinned in toolchain/requirements.txt), as
 * pypa/gh-action-pypi-publish creates them: `python -m pypi_attestations sign <files>` signs each
 * distribution with Sigstore using the ambient OIDC identity of the GitHub Actions job and writes
 * `<file>.publish.attestation` beside it; `twine upload --attestations` then sends them.
 */
import { QuiverError } from '../core/errors';
import { capture, LineSink, consoleSink, redact } from './process';

/**
 * Sign `files` (absolute paths, in a staging directory: the attestation files are written beside them).
 * pypi-attestations' output is captured: a failure (e.g. no Sigstore access, no OIDC identity) is
 * one line with its last error line and the fix; `debug` (QUIVER_DEBUG=1) also prints the whole
 * output, redacted, as `[attestations] ` lines.
 * @param python the toolchain venv's python
 * @param staging sign with Sigstore's staging instance (for test.pypi.org)
 * @throws QuiverError `ATTESTATIONS_FAILED`
 */
export async function signAttestations(python: string, files: readonly string[], staging: boolean, secrets: string[], sink: LineSink = consoleSink, debug = false): Promise<void> {
  const args = ['-m', 'pypi_attestations', 'sign', ...(staging ? ['--staging'] : []), ...files];
  const r = await capture(python, args, { secrets, timeoutMs: 5 * 60_000, env: { NO_COLOR: '1', TERM: 'dumb' } });
  if (r.exitCode === 0) return;
  const lines = `${r.stdout}\n${r.stderr}`.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (debug) for (const l of lines) sink.err(`[attestations] ${l}`);
  const cause = [...lines].reverse().find((l) => /error|exception|fail/i.test(l)) ?? lines[lines.length - 1] ?? `exited ${r.exitCode ?? 'on the time limit'}`;
  throw new QuiverError(
    'ATTESTATIONS_FAILED',
    `creating PEP 740 attestations failed (pypi-attestations: ${redact(cause, secrets).slice(0, 240)}); it needs Sigstore (network access to sigstore.dev) and the GitHub Actions job's OIDC identity: fix that, or pass --attestations=false to publish without them${debug ? '' : '; set QUIVER_DEBUG=1 to see its full output'}.`,
  );
}
