/** Catalog entries of publishing (docs/publishing.md, section Errors). */
import { entry as e, type ErrorInfo } from './entry';

const P = 'docs/publishing.md';

export const PUBLISH_ERRORS = {
  RELEASE_INCOMPLETE: e(
    P,
    'A wheel of the release (every identifier of the release platforms) is missing, or fewer platforms were asked for; nothing is uploaded.',
    'Build the missing wheels on their hosts and put them in the wheel directory, or --allowPartial for a test index.',
  ),
  TWINE_UNSUPPORTED: e(
    P,
    "The toolchain's twine is not the version publish's upload patch (toolchain/twine_upload.py) is tested with; nothing is uploaded.",
    'Install the pinned toolchain (nx run <project>:python-toolchain) or update the patch and its TESTED_TWINE pin.',
  ),
  NO_CREDENTIALS: e(
    P,
    'No trusted publishing and no token in the environment.',
    'Run in a job with id-token: write, or set PYPI_API_TOKEN (or TWINE_USERNAME/TWINE_PASSWORD).',
  ),
  OIDC_TOKEN_REQUEST: e(P, 'GitHub refused the OIDC token request.', 'Give the job `id-token: write`.'),
  OIDC_INVALID_PUBLISHER: e(
    P,
    'No PyPI trusted publisher matches the job; the claims are printed.',
    'Add or fix the trusted publisher so owner/repository, workflow file and environment match the claims.',
  ),
  OIDC_UNSUPPORTED: e(
    P,
    'The index has no trusted-publishing audience endpoint.',
    'Set option oidcUrl to the index base URL, or use a token.',
  ),
  OIDC_NOT_ENABLED: e(P, 'Trusted publishing is disabled on the index.', 'Set PYPI_API_TOKEN instead.'),
  OIDC_MINT_FAILED: e(
    P,
    "Any other mint-token error (HTTP status and the index's reason shown).",
    'Act on the reason shown; compare the claims with the trusted publisher.',
  ),
  INDEX_AUTH: e(
    P,
    'The index refused the credentials (401/403) when reading it, or asked a preflight for them.',
    'Check the credentials; for a private index use publish --dryRun with its credentials instead of a preflight.',
  ),
  UPLOAD_AUTH: e(
    P,
    'The index refused the credentials (401/403) for an upload; the run stops.',
    'Check the token or trusted publisher; re-run when fixed (uploaded files are skipped).',
  ),
  INDEX_UNREACHABLE: e(
    P,
    'Network errors reading the index after the retries.',
    'Check the URL (options repositoryUrl / indexUrl) and the network, then re-run.',
  ),
  INDEX_ERROR: e(
    P,
    'An unexpected answer from the index (not 200/404, too many redirects, an unhashable listing).',
    'Check the index URL; re-run when the index answers normally.',
  ),
  INDEX_FILE_CONFLICT: e(
    P,
    'The same file name with other bytes is on the index; nothing further is uploaded.',
    'An index never replaces a file: bump [project].version and rebuild.',
  ),
  UPLOAD_FAILED: e(
    P,
    'A file is not on the index after every attempt got a network error, timeout, 5xx or 429.',
    'Re-run to finish; files already on the index are skipped.',
  ),
  UPLOAD_REJECTED: e(
    P,
    'The index refused a file with another 4xx (its reason shown, truncated and redacted).',
    'Act on the reason shown (metadata, size, name) and rebuild.',
  ),
  UPLOAD_NOT_LISTED: e(
    P,
    'The upload was answered 200 but the index does not list the file with the local sha256.',
    'Re-run; if it repeats, the index is not storing the files it accepts.',
  ),
  UPLOAD_UNCONFIRMED: e(
    P,
    'The upload was answered 200 but the index could not be read back to confirm it.',
    'Re-run to confirm; files on the index are skipped.',
  ),
  PUBLISH_DEADLINE_EXCEEDED: e(
    P,
    '`deadlineSeconds` passed with files still to upload (a stalled upload is stopped).',
    'Re-run to finish, or raise --deadlineSeconds.',
  ),
  ATTESTATIONS_FAILED: e(
    P,
    'Sigstore signing failed (e.g. no access to sigstore.dev, no OIDC identity).',
    'Fix access to Sigstore and the OIDC identity, or pass `--attestations=false`.',
  ),
  VALIDATION_FAILED: e(
    P,
    'validate-wheels failed on the files.',
    'Fix each finding listed above (docs/validation-codes.md explains every code).',
  ),
  VALIDATION_REPORT_MISSING: e(
    P,
    '`--validate=false` without a readable `validation-report.json`.',
    'Run validate-wheels first, or drop --validate=false.',
  ),
  VALIDATION_REPORT_FAILED: e(
    P,
    '`--validate=false` and the validation report records a failure.',
    'Fix the findings it lists and re-validate.',
  ),
  VALIDATION_REPORT_STALE: e(
    P,
    "`--validate=false` and the report's files or sha256s differ from the wheels.",
    'Re-run validate-wheels on the wheels to publish.',
  ),
  WHEELHOUSE_NOT_FOUND: e(
    P,
    'The wheel directory does not exist.',
    'Build the wheels first or pass --wheelDir=<directory with the downloaded wheels>.',
  ),
  PUBLISH_FILE_CHANGED: e(
    P,
    'Preflight: a file changed between validation and its copy into `dist/`.',
    'Re-run the preflight on a wheel directory nothing else writes to.',
  ),
  BAD_OPTION_REPOSITORY_URL: e(
    P,
    'Option repositoryUrl is not an http(s) URL, or it contains credentials.',
    'Pass an http(s) URL without credentials (revoke any that were in it).',
  ),
  BAD_OPTION_INDEX_URL: e(
    P,
    'Option indexUrl is not an http(s) URL, or it contains credentials.',
    'Pass an http(s) URL without credentials (revoke any that were in it).',
  ),
  BAD_OPTION_OIDC_URL: e(
    P,
    'Option oidcUrl is not an http(s) URL, or it contains credentials.',
    'Pass an http(s) URL without credentials (revoke any that were in it).',
  ),
  BAD_OPTION_UPLOAD_DIR: e(
    P,
    '`uploadDir` missing with `preflight`, given without it, or overlapping the wheel directory or workspace.',
    'Pass a directory of its own, e.g. --uploadDir=dist/pypi-upload.',
  ),
  BAD_OPTION_REPORT_FILE: e(P, '`reportFile` with `preflight`, whose report is publish-plan.json.', 'Drop --reportFile.'),
  BAD_OPTION_RETRIES: e(P, 'Option retries is not a whole number from 0 to 20.', 'Pass e.g. --retries=3.'),
  BAD_OPTION_TIMEOUT_SECONDS: e(P, 'Option timeoutSeconds is not a positive number of seconds.', 'Pass e.g. --timeoutSeconds=300.'),
  BAD_OPTION_DEADLINE_SECONDS: e(P, 'Option deadlineSeconds is not a positive number of seconds.', 'Pass e.g. --deadlineSeconds=1200.'),
  BAD_OPTION_ATTESTATIONS: e(
    P,
    'Option attestations is not `true`, `false` or `auto`, or `true` without trusted publishing.',
    'Pass --attestations=auto, true (with trusted publishing) or false.',
  ),
  BAD_OPTION_IDENTIFIERS: e(
    P,
    "An identifier (tests' `identifiers` option) is not `<python>-<platform>`.",
    'Write identifiers like cp313-manylinux_x86_64.',
  ),
} as const satisfies Record<string, ErrorInfo>;
