import { decideFileOutcome, deadlineError, FileAttempt, FileOutcome, SessionFacts, uploadFailuresError } from './file-outcome';
import { UploadFailure } from './twine-outcome';

const facts: SessionFacts = {
  indexUrl: 'https://index.test/simple/',
  repositoryUrl: 'https://index.test/legacy/',
  distribution: 'quiverdb',
  credentials: { kind: 'token', source: 'PYPI_API_TOKEN' },
  retries: 2,
  deadlineSeconds: 60,
  backoffBaseMs: 1000,
  leftMs: 60_000,
  random: () => 0,
};
const file = 'quiverdb-1.0.0-py3-none-any.whl';
const sha = 'a'.repeat(64);
const fail = (kind: UploadFailure['kind'], message: string, retryAfterSeconds: number | null = null): UploadFailure => ({
  kind,
  status: null,
  message,
  retryAfterSeconds,
});
const at = (over: Partial<FileAttempt>): FileAttempt => ({
  file,
  sha256: sha,
  attempts: 1,
  back: { state: 'absent' },
  tried: true,
  stopped: false,
  failure: null,
  killed: false,
  ...over,
});
const same = { back: { state: 'same' } as const };
const stoppedBy = (f: UploadFailure, over: Partial<FileAttempt> = {}) => at({ stopped: true, failure: f, ...over });

/** [case, the file after the run, facts changed, the expected outcome (the fields that matter)] */
const table: [string, FileAttempt, Partial<SessionFacts>, Partial<FileOutcome> & { kind: FileOutcome['kind'] }][] = [
  ['listed, sent, twine ok', at(same), {}, { kind: 'uploaded', detail: 'read back from the index: same sha256' }],
  ['listed, never sent (twine stopped earlier)', at({ ...same, tried: false }), {}, { kind: 'skipped' }],
  ['listed after a first "file exists"', stoppedBy(fail('exists', 'HTTP 400 File already exists'), same), {}, { kind: 'skipped' }],
  [
    'listed after a lost answer',
    stoppedBy(fail('retryable', 'HTTP 502 Bad Gateway'), same),
    {},
    { kind: 'uploaded', detail: 'read back from the index: same sha256 (the answer was lost: HTTP 502 Bad Gateway)' },
  ],
  [
    'listed after "exists" on a retry (our earlier attempt landed)',
    stoppedBy(fail('exists', 'HTTP 400 File already exists'), { ...same, attempts: 2 }),
    {},
    { kind: 'uploaded' },
  ],
  [
    'other bytes on the index',
    at({ back: { state: 'other', remoteSha256: 'b'.repeat(64) } }),
    {},
    { kind: 'fatal', code: 'INDEX_FILE_CONFLICT' },
  ],
  ['not sent, not listed', at({ tried: false }), {}, { kind: 'retry', pauseMs: 0 }],
  ['passed with 200, not listed', at({}), {}, { kind: 'failed', code: 'UPLOAD_NOT_LISTED' }],
  [
    'passed with 200, index unreadable',
    at({ back: { state: 'unknown', reason: 'HTTP 500' } }),
    {},
    { kind: 'failed', code: 'UPLOAD_UNCONFIRMED' },
  ],
  [
    'twine killed at the deadline',
    stoppedBy(fail('retryable', 'stopped at the deadline'), { killed: true }),
    {},
    { kind: 'fatal', code: 'PUBLISH_DEADLINE_EXCEEDED' },
  ],
  [
    'credentials refused',
    stoppedBy(fail('auth', 'HTTP 403 Forbidden')),
    {},
    { kind: 'fatal', code: 'UPLOAD_AUTH', cause: 'HTTP 403 Forbidden' },
  ],
  ['5xx, retries left', stoppedBy(fail('retryable', 'HTTP 503')), {}, { kind: 'retry', pauseMs: 500, detail: 'retrying after: HTTP 503' }],
  ['429 with Retry-After', stoppedBy(fail('retryable', 'HTTP 429', 7), { attempts: 2 }), {}, { kind: 'retry', pauseMs: 7000 }],
  [
    '5xx, the pause would pass the deadline',
    stoppedBy(fail('retryable', 'HTTP 503')),
    { leftMs: 500 },
    { kind: 'fatal', code: 'PUBLISH_DEADLINE_EXCEEDED' },
  ],
  [
    '5xx, retries used up',
    stoppedBy(fail('retryable', 'HTTP 503'), { attempts: 3 }),
    {},
    { kind: 'failed', code: 'UPLOAD_FAILED', cause: 'HTTP 503 (attempt 3 of 3)' },
  ],
  [
    '4xx with a reason',
    stoppedBy(fail('fatal', 'HTTP 400 Invalid distribution')),
    {},
    { kind: 'failed', code: 'UPLOAD_REJECTED', cause: 'HTTP 400 Invalid distribution' },
  ],
  [
    '"exists" but not listed',
    stoppedBy(fail('exists', 'HTTP 409 Conflict'), { back: { state: 'unknown', reason: 'timeout' } }),
    {},
    { kind: 'failed', code: 'UPLOAD_REJECTED', cause: 'HTTP 409 Conflict; reading the index back failed: timeout' },
  ],
];

describe('decideFileOutcome', () => {
  it.each(table)('%s', (_name, attempt, over, expected) => {
    const got = decideFileOutcome(attempt, { ...facts, ...over });
    expect(got).toMatchObject(expected);
    if (got.kind === 'fatal') expect(got.error.code).toBe(got.code);
  });

  it('says which credentials to check and keeps the index answer in the UPLOAD_AUTH message', () => {
    const oidc = decideFileOutcome(stoppedBy(fail('auth', 'HTTP 403 Forbidden')), {
      ...facts,
      credentials: { kind: 'oidc', source: 'trusted publishing (OIDC)' },
    });
    const token = decideFileOutcome(stoppedBy(fail('auth', 'HTTP 401')), facts);
    expect(oidc.kind === 'fatal' && oidc.error.message).toContain('check the trusted publisher;');
    expect(token.kind === 'fatal' && token.error.message).toContain(
      '(HTTP 401) while uploading quiverdb-1.0.0-py3-none-any.whl; check PYPI_API_TOKEN (or TWINE_USERNAME/TWINE_PASSWORD)',
    );
  });

  it('prints the retry with its count, pause and Retry-After', () => {
    const got = decideFileOutcome(stoppedBy(fail('retryable', 'HTTP 429', 7), { attempts: 2 }), facts);
    expect(got).toMatchObject({ line: `[twine] ${file}: HTTP 429; retry 2/2 in 7.0 s (Retry-After: 7 s)` });
  });
});

describe('uploadFailuresError', () => {
  it('is coded after the first failure and lists all of them with the fix', () => {
    const e = uploadFailuresError(
      [
        { file: 'a.whl', code: 'UPLOAD_FAILED', cause: 'HTTP 503 (attempt 4 of 4)' },
        { file: 'b.whl', code: 'UPLOAD_REJECTED', cause: 'HTTP 400 bad' },
      ],
      3,
      1,
      'wheelhouse/publish-report.json',
    );
    expect(e.code).toBe('UPLOAD_FAILED');
    expect(e.message).toBe(
      '2 of 3 file(s) to upload are not on the index with the local bytes: a.whl (UPLOAD_FAILED: HTTP 503 (attempt 4 of 4)); b.whl (UPLOAD_REJECTED: HTTP 400 bad); 1 uploaded (see wheelhouse/publish-report.json); the index kept failing: re-run later to upload the rest (files on the index are skipped), or raise --retries.',
    );
  });

  it('names the deadline option in PUBLISH_DEADLINE_EXCEEDED', () => {
    expect(deadlineError('uploading a.whl', 90).message).toMatch(
      /^uploading a\.whl was still unfinished at the deadline \(deadlineSeconds=90\)/,
    );
  });
});
