/** Pure publish logic: endpoints, credential order, OIDC claims and errors, simple pages, twine outcomes, attestations decision, the 14-day note. */
import { decideAttestations } from '../../src/core/publish/attestations';
import { chooseCredentials, decodeJwtClaims, mintTokenError, noCredentialsError } from '../../src/core/publish/credentials';
import { resolveEndpoints } from '../../src/core/publish/endpoints';
import { planUploads } from '../../src/core/publish/plan';
import { releaseAgeNote } from '../../src/core/publish/report';
import { parseSimplePage } from '../../src/core/publish/simple-index';
import { backoffMs, parseRetryAfter, readTwineRun } from '../../src/core/publish/twine-outcome';
import { resolveDryRun } from '../../src/pipeline/publish';
import { redactSecrets, secretForms } from '../../src/core/redact';

describe('resolveEndpoints', () => {
  test('PyPI by default, TestPyPI, and any other index', () => {
    expect(resolveEndpoints({})).toEqual({ repositoryUrl: 'https://upload.pypi.org/legacy/', indexUrl: 'https://pypi.org/simple/', oidcUrl: 'https://pypi.org', jsonApiUrl: 'https://pypi.org/pypi', known: 'pypi' });
    expect(resolveEndpoints({ repositoryUrl: 'https://test.pypi.org/legacy/' })).toMatchObject({ indexUrl: 'https://test.pypi.org/simple/', oidcUrl: 'https://test.pypi.org', known: 'testpypi' });
    expect(resolveEndpoints({ repositoryUrl: 'http://127.0.0.1:8080/' })).toMatchObject({ indexUrl: 'http://127.0.0.1:8080/simple/', oidcUrl: 'http://127.0.0.1:8080', jsonApiUrl: null, known: null });
    expect(resolveEndpoints({ repositoryUrl: 'https://idx.example/repo/legacy/', indexUrl: 'https://idx.example/repo/simple', oidcUrl: 'https://idx.example/' })).toMatchObject({ indexUrl: 'https://idx.example/repo/simple/', oidcUrl: 'https://idx.example' });
  });
  test('refuses credentials in the URL without echoing them', () => {
    let msg = '';
    try {
      resolveEndpoints({ repositoryUrl: 'https://__token__:pypi-SECRET@upload.pypi.org/legacy/' });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/contains credentials.*shell history.*Nx's task header.*revoke that token/);
    expect(msg).not.toContain('pypi-SECRET');
  });
});

describe('credentials', () => {
  const oidc = { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t/x?a=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'r' };
  test('order: trusted publishing, then PYPI_API_TOKEN, then TWINE_*', () => {
    expect(chooseCredentials({ ...oidc, PYPI_API_TOKEN: 'pypi-x' }).kind).toBe('oidc');
    expect(chooseCredentials({ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t/x' }).kind).toBe('none'); // not in Actions
    expect(chooseCredentials({ PYPI_API_TOKEN: 'pypi-x', TWINE_PASSWORD: 'p' })).toEqual({ kind: 'token', username: '__token__', password: 'pypi-x', source: 'PYPI_API_TOKEN' });
    expect(chooseCredentials({ TWINE_USERNAME: 'me', TWINE_PASSWORD: 'p' })).toEqual({ kind: 'token', username: 'me', password: 'p', source: 'TWINE_PASSWORD' });
    expect(chooseCredentials({ GITHUB_ACTIONS: 'true' }).kind).toBe('none');
  });
  test('no credentials: one line with both fixes', () => {
    expect(noCredentialsError({}).message).toMatch(/^no credentials .*id-token: write.*PYPI_API_TOKEN \(or TWINE_USERNAME\/TWINE_PASSWORD\)/);
    expect(noCredentialsError({ GITHUB_ACTIONS: 'true', GITHUB_JOB: 'release' }).message).toContain('give the job "release" `permissions: id-token: write`');
  });
  test('JWT claims and invalid-publisher', () => {
    const jwt = `e30.${Buffer.from(JSON.stringify({ repository: 'o/r', workflow_ref: 'o/r/.github/workflows/rel.yml@refs/heads/main', ref: 'refs/heads/main', sub: 'repo:o/r:ref:refs/heads/main' })).toString('base64url')}.sig`;
    const claims = decodeJwtClaims(jwt);
    expect(claims).toMatchObject({ repository: 'o/r' });
    expect(decodeJwtClaims('not-a-jwt')).toBeNull();
    const e = mintTokenError(422, { message: 'Token request failed', errors: [{ code: 'invalid-publisher', description: 'valid token, but no corresponding publisher' }] }, claims, 'https://pypi.org/manage/project/x/settings/publishing/');
    expect(e.code).toBe('OIDC_INVALID_PUBLISHER');
    expect(e.message).toContain('repository=o/r, workflow_ref=o/r/.github/workflows/rel.yml@refs/heads/main, environment=(none), ref=refs/heads/main, sub=repo:o/r:ref:refs/heads/main');
    expect(mintTokenError(422, { errors: [{ code: 'not-enabled' }] }, null, '').code).toBe('OIDC_NOT_ENABLED');
    expect(mintTokenError(500, null, null, '').code).toBe('OIDC_MINT_FAILED');
  });
});

describe('simple pages (PEP 503 HTML, PEP 691 JSON) and the plan', () => {
  const sha = 'a'.repeat(64);
  test('HTML links with #sha256, relative to the page', () => {
    const html = `<a href="/packages/q-1-py3-none-any.whl#sha256=${sha.toUpperCase()}">q-1-py3-none-any.whl</a><br><a href='../../f/q-2.tar.gz'>q-2.tar.gz</a>`;
    expect(parseSimplePage(html, 'text/html', 'http://h:1/simple/q/')).toEqual([
      { filename: 'q-1-py3-none-any.whl', url: 'http://h:1/packages/q-1-py3-none-any.whl', sha256: sha, uploadTime: null },
      { filename: 'q-2.tar.gz', url: 'http://h:1/f/q-2.tar.gz', sha256: null, uploadTime: null },
    ]);
  });
  test('JSON', () => {
    const body = JSON.stringify({ meta: { 'api-version': '1.1' }, name: 'q', files: [{ filename: 'q-1-py3-none-any.whl', url: 'https://files/q-1-py3-none-any.whl', hashes: { sha256: sha }, 'upload-time': '2025-01-01T00:00:00Z' }] });
    expect(parseSimplePage(body, 'application/vnd.pypi.simple.v1+json', 'https://pypi.org/simple/q/')[0]).toMatchObject({ sha256: sha, uploadTime: '2025-01-01T00:00:00Z' });
  });
  test('plan: upload, skip on the same sha256, conflict on other bytes', () => {
    const local = [
      { file: 'a.whl', sha256: sha, size: 1 },
      { file: 'b.whl', sha256: sha, size: 1 },
      { file: 'c.whl', sha256: sha, size: 1 },
    ];
    const remote = [
      { filename: 'b.whl', url: '', sha256: sha, uploadTime: null },
      { filename: 'c.whl', url: '', sha256: 'b'.repeat(64), uploadTime: null },
    ];
    expect(planUploads(local, remote).map((p) => p.action)).toEqual(['upload', 'skip', 'conflict']);
  });
});

describe('twine runs (retries off, each file sent once), Retry-After and backoff', () => {
  const tried = (file: string, status: number, extra: Record<string, unknown> = {}) =>
    `[twine] Uploading ${file}\n[twine] QUIVER_ATTEMPT ${JSON.stringify({ file })}\n[twine] QUIVER_RESPONSE ${JSON.stringify({ file, status, reason: '', retryAfter: null, body: '', ...extra })}\n`;
  test('success is only twine exit 0; progress lines never count', () => {
    expect(readTwineRun(0, tried('a.whl', 200) + tried('b.whl', 200))).toMatchObject({ twineOk: true, attempted: ['a.whl', 'b.whl'], failedFile: null, failure: null });
    // twine prints "Uploading" again on each retry of its own: that says nothing about the index.
    expect(readTwineRun(1, 'Uploading a.whl\nUploading a.whl\nUploading a.whl\n')).toMatchObject({ twineOk: false, attempted: [], failedFile: null });
  });
  test('the file it stopped at and why: 503/429 retryable with Retry-After, 403 auth, 400 exists, other 4xx fatal; the body shown truncated', () => {
    const s503 = readTwineRun(1, tried('a.whl', 200) + tried('b.whl', 503, { reason: 'Service Unavailable', body: 'x'.repeat(500) }));
    expect(s503).toMatchObject({ attempted: ['a.whl', 'b.whl'], failedFile: 'b.whl', failure: { kind: 'retryable', status: 503, retryAfterSeconds: null } });
    expect(s503.failure!.message).toMatch(/^HTTP 503 Service Unavailable: x{200}\.\.\. \(300 more characters\)$/);
    expect(readTwineRun(1, tried('a.whl', 429, { retryAfter: '7' })).failure).toMatchObject({ kind: 'retryable', retryAfterSeconds: 7 });
    expect(readTwineRun(1, tried('a.whl', 403)).failure!.kind).toBe('auth');
    expect(readTwineRun(1, tried('a.whl', 400, { reason: 'File already exists.' })).failure!.kind).toBe('exists');
    expect(readTwineRun(1, tried('a.whl', 400, { reason: 'Invalid distribution' })).failure!.kind).toBe('fatal');
  });
  test('network errors and the per-request timeout are retryable; a kill is the deadline', () => {
    expect(readTwineRun(1, '[twine] QUIVER_ATTEMPT {"file":"a.whl"}\nrequests.exceptions.ConnectionError: Connection aborted.\n')).toMatchObject({ failedFile: 'a.whl', failure: { kind: 'retryable' } });
    expect(readTwineRun(1, '[twine] QUIVER_ATTEMPT {"file":"a.whl"}\nrequests.exceptions.ReadTimeout: read timed out\n').failure!.message).toMatch(/timeoutSeconds/);
    expect(readTwineRun(null, '[twine] QUIVER_ATTEMPT {"file":"a.whl"}\n')).toMatchObject({ failedFile: 'a.whl', failure: { message: expect.stringMatching(/deadlineSeconds/) } });
    expect(readTwineRun(1, 'InvalidDistribution: bad file\n').failure).toMatchObject({ kind: 'fatal', message: 'InvalidDistribution: bad file' });
  });
  test('Retry-After: seconds or an HTTP date', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Sun, 01 Mar 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
  test('exponential backoff with jitter (half to all of it), capped; Retry-After honoured up to the cap', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1000, 60_000, null, () => 1 - 1e-12))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1000, 60_000, null, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(10, 1000, 30_000, null, () => 1 - 1e-12)).toBe(30_000);
    expect(backoffMs(1, 1000, 60_000, 7, () => 0)).toBe(7000);
    expect(backoffMs(1, 1000, 60_000, 3600, () => 0)).toBe(60_000);
  });
});

describe('attestations decision (signing itself needs Sigstore and a real GitHub identity: not testable here)', () => {
  const pypi = resolveEndpoints({});
  const test_ = resolveEndpoints({ repositoryUrl: 'https://test.pypi.org/legacy/' });
  const other = resolveEndpoints({ repositoryUrl: 'http://127.0.0.1:1/' });
  test('auto: on only for trusted publishing to pypi.org / test.pypi.org', () => {
    expect(decideAttestations(undefined, 'oidc', pypi).enabled).toBe(true);
    expect(decideAttestations('auto', 'oidc', test_).enabled).toBe(true);
    expect(decideAttestations('auto', 'oidc', other).enabled).toBe(false);
    expect(decideAttestations('auto', 'token', pypi).enabled).toBe(false);
    expect(decideAttestations(false, 'oidc', pypi).enabled).toBe(false);
    expect(decideAttestations(true, 'oidc', other).enabled).toBe(true);
    expect(() => decideAttestations(true, 'token', pypi)).toThrow(/needs trusted publishing/);
    expect(() => decideAttestations('maybe' as never, 'oidc', pypi)).toThrow(/true, false or auto/);
  });
});

describe('14-day rule note and dry-run resolution', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  test('only for a release older than 14 days with files still to upload', () => {
    expect(releaseAgeNote('2026-02-01T00:00:00Z', now, 1, '1.0')).toMatch(/28 days ago.*older than 14 days/);
    expect(releaseAgeNote('2026-02-20T00:00:00', now, 1, '1.0')).toBeNull();
    expect(releaseAgeNote('2026-02-01T00:00:00Z', now, 0, '1.0')).toBeNull();
    expect(releaseAgeNote(null, now, 1, '1.0')).toBeNull();
  });
  test('dryRun option wins over NX_DRY_RUN', () => {
    expect(resolveDryRun(undefined, { NX_DRY_RUN: 'true' })).toBe(true);
    expect(resolveDryRun(false, { NX_DRY_RUN: 'true' })).toBe(false);
    expect(resolveDryRun(undefined, {})).toBe(false);
  });
});

describe('redaction of every form of a secret (core/redact)', () => {
  const secret = 'pypi-AgEIcHlwaS5vcmcCJGNhbmFyeS10b2tlbi1mb3ItdGVzdHM';
  const basic = Buffer.from(`__token__:${secret}`).toString('base64');
  test('raw, URL-encoded, JSON-escaped, base64 of user:secret whole and truncated, and at any alignment', () => {
    const forms = secretForms(secret);
    expect(forms).toContain(basic.replace(/=+$/, ''));
    const s = `${secret}/with "quote"`;
    for (const text of [
      `token ${secret} end`,
      `url https://x/?t=${encodeURIComponent(s)}`,
      `json {"password": ${JSON.stringify(s)}}`,
      `echo Authorization: Basic ${basic}`,
      `cut Basic ${basic.slice(0, 70)}`,
      `tail ${basic.slice(30)}`,
      ...[0, 1, 2].map((k) => `other user ${Buffer.from(`${'u'.repeat(k + 4)}:${secret}`).toString('base64')}`),
    ]) {
      const out = redactSecrets(text, [s, secret]);
      expect(out).toContain('***');
      for (const f of secretForms(secret)) for (let i = 0; i + 16 <= f.length; i++) expect(out).not.toContain(f.slice(i, i + 16));
    }
    expect(redactSecrets('nothing secret here, sha256 ' + 'ab'.repeat(32), [secret])).toBe('nothing secret here, sha256 ' + 'ab'.repeat(32));
    expect(redactSecrets('abc abc', ['abc'])).toBe('abc abc'); // too short to redact
  });
});
