/**
 * publish never reports an upload it did not make (issue 10). The REAL pinned twine uploads to a
 * REAL pypiserver through the fault-injecting proxy (a STAND-IN for a misbehaving index or
 * network, servers.ts) on 127.0.0.1: persistent 503 for one of two files and for all, 429 with
 * Retry-After, an answer lost after the file landed, a stall past the deadline, an error body that
 * echoes the Authorization header. Each asserts the exit (error or not), the index's contents (the
 * package directory itself) and the report; every encoding of the canary token is searched for in
 * the output, the report, the step summary and every file of the workspace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isQuiverError } from '../../src/core/errors';
import { publish, PublishOptions } from '../../src/pipeline/publish';
import { CANARY, cleanEnv, IDENTIFIERS, indexContents, localContents, publishWorkspace, recordingSink } from './fixtures';
import { proxiedIndexes, startOidcStandIn } from './servers';

jest.setTimeout(300_000);

const indexes = proxiedIndexes(CANARY);

type Report = {
  ok: boolean;
  dryRun: boolean;
  error: string | null;
  errorCode: string | null;
  files: Array<{ file: string; status: string; detail: string; attempts: number; code?: string }>;
};

async function run(w: { ws: string; projectRoot: string; wheelDir: string }, extra: Partial<PublishOptions> = {}, env: Record<string, string> = {}) {
  const sink = recordingSink();
  const reportFile = join(w.ws, 'out', 'publish-report.json');
  const summary = join(w.ws, 'out', 'summary.md');
  let error: Error & { code?: string } | null = null;
  try {
    await publish(
      { workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'python', wheelDir: w.wheelDir, repositoryUrl: indexes.proxy.url, identifiers: IDENTIFIERS, externalChecks: false, backoffMs: 50, retries: 2, reportFile, env: cleanEnv({ PYPI_API_TOKEN: CANARY, GITHUB_STEP_SUMMARY: summary, ...env }), ...extra },
      sink,
    );
  } catch (e) {
    if (!isQuiverError(e)) throw e;
    error = e;
  }
  // What a user sees: the lines, then the executor's one error line.
  const output = sink.text() + (error ? `\npublish: ${error.message}` : '');
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Report) : null;
  return { error, output, report, reportFile, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
}

/**
 * Every encoding of `secret` the test can think of, computed here independently of core/redact:
 * raw, URL-encoded, JSON-escaped, base64 and base64url of `__token__:secret` and of the secret
 * after 0, 1 and 2 other bytes, and every 16-character run of those base64 forms.
 */
function canaryForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  const b64s: string[] = [];
  for (const prefix of ['__token__:', '', 'x', 'xy']) {
    const full = Buffer.from(prefix + secret);
    for (const enc of ['base64', 'base64url'] as const) {
      const text = full.toString(enc);
      // Skip the characters that also encode the prefix.
      b64s.push(text.slice(Math.ceil((prefix.length * 4) / 3) + 1, -3));
      if (prefix === '__token__:') b64s.push(text.replace(/=+$/, ''));
    }
  }
  for (const b of b64s) for (let i = 0; i + 16 <= b.length; i++) forms.add(b.slice(i, i + 16));
  return [...forms];
}

/** Assert no encoding of the canary is in `texts`; returns the number of forms checked. */
function expectNoCanary(...texts: string[]): number {
  const forms = canaryForms(CANARY);
  for (const t of texts) for (const f of forms) if (t.includes(f)) throw new Error(`canary form ${JSON.stringify(f)} leaked in: ${t.slice(Math.max(0, t.indexOf(f) - 80), t.indexOf(f) + 80)}`);
  return forms.length;
}

describe('a file counts as uploaded only when the index lists it with our sha256', () => {
  test('persistent 503 for the second of two files: non-zero, the index holds only the first, the report agrees; a dry run after it keeps that report', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const [a, b] = w.files;
    indexes.proxy.fault = (q) => (q.upload === b ? { status: 503, body: 'stand-in: service unavailable' } : null);
    const r = await run(w);
    expect(r.error?.code).toBe('UPLOAD_FAILED');
    expect(r.error!.message).toMatch(/^UPLOAD_FAILED: 1 of 2 file\(s\) to upload are not on the index/);
    expect(r.error!.message).toContain(`${b} (UPLOAD_FAILED: HTTP 503`);
    expect(indexContents(s.packagesDir)).toEqual({ [a]: localContents(w.wheelDir)[a] });
    expect(r.report!.ok).toBe(false);
    expect(r.report!.errorCode).toBe('UPLOAD_FAILED');
    expect(r.report!.files.map((f) => [f.file, f.status, f.code ?? null, f.attempts])).toEqual([
      [a, 'uploaded', null, 1],
      [b, 'failed', 'UPLOAD_FAILED', 3],
    ]);
    // One retry policy: ours (retries 2 = 3 attempts), not twine's 5 retries on top.
    expect(indexes.proxy.seen.filter((q) => q.upload === b).length).toBe(3);
    expect(r.summary).toContain('UPLOAD_FAILED');
    expectNoCanary(r.output, readFileSync(r.reportFile, 'utf8'), r.summary);

    const dry = await run(w, { dryRun: true });
    expect(dry.error).toBeNull();
    expect(JSON.parse(readFileSync(join(w.ws, 'out', 'publish-report.dry-run.json'), 'utf8'))).toMatchObject({ dryRun: true, ok: true });
    expect(dry.report).toMatchObject({ dryRun: false, ok: false, errorCode: 'UPLOAD_FAILED' }); // the failed run's report is intact

    indexes.proxy.fault = () => null;
    const again = await run(w);
    expect(again.error).toBeNull();
    expect(again.report!.files.map((f) => f.status)).toEqual(['skipped', 'uploaded']);
    expect(indexContents(s.packagesDir)).toEqual(localContents(w.wheelDir));
  });

  test('persistent 503 for every file: non-zero, nothing on the index, every file failed with its code', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    indexes.proxy.fault = (q) => (q.upload ? { status: 503 } : null);
    const r = await run(w, { retries: 1 });
    expect(r.error?.code).toBe('UPLOAD_FAILED');
    expect(indexContents(s.packagesDir)).toEqual({});
    expect(r.report!.files.map((f) => [f.status, f.code, f.attempts])).toEqual([
      ['failed', 'UPLOAD_FAILED', 2],
      ['failed', 'UPLOAD_FAILED', 2],
    ]);
    expect(r.output).toMatch(/0 uploaded, 0 skipped .*2 failed|2 of 2 file\(s\)/);
    expect(r.report!.ok).toBe(false);
  });

  test('429 with Retry-After: 2: the next attempt comes at least 2 s later (proxy clock), then it is uploaded', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    indexes.proxy.fault = (q) => (q.upload && q.n === 1 ? { status: 429, headers: { 'Retry-After': '2' }, body: 'slow down' } : null);
    const r = await run(w); // backoffMs 50: only Retry-After can make the pause 2 s
    expect(r.error).toBeNull();
    const posts = indexes.proxy.seen.filter((q) => q.upload === w.files[0]);
    expect(posts.map((q) => q.status)).toEqual([429, 200]);
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(2000);
    expect(r.output).toMatch(/HTTP 429.*retry 1\/2 in 2\.0 s \(Retry-After: 2 s\)/);
    expect(r.report!.files.map((f) => [f.status, f.attempts])).toEqual([
      ['uploaded', 2],
      ['uploaded', 1],
    ]);
    expect(indexContents(s.packagesDir)).toEqual(localContents(w.wheelDir));
  });

  test('the answer is lost after the file landed: read back, counted as uploaded once, not sent again', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    indexes.proxy.fault = (q) => (q.upload && q.n === 1 ? 'lose' : null);
    const r = await run(w);
    expect(r.error).toBeNull();
    expect(r.report!.files.map((f) => [f.status, f.attempts])).toEqual([
      ['uploaded', 1],
      ['uploaded', 1],
    ]);
    expect(r.report!.files[0].detail).toMatch(/read back from the index: same sha256 \(the answer was lost/);
    expect(indexes.proxy.stored()).toEqual(Object.fromEntries(w.files.map((f) => [f, 1])));
    expect(indexContents(s.packagesDir)).toEqual(localContents(w.wheelDir));
  });

  test('a stall past the deadline: PUBLISH_DEADLINE_EXCEEDED naming deadlineSeconds; the first file failed, the second pending, nothing on the index', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    indexes.proxy.fault = (q) => (q.upload ? 'stall' : null);
    const r = await run(w, { deadlineSeconds: 3, timeoutSeconds: 60 });
    expect(r.error?.code).toBe('PUBLISH_DEADLINE_EXCEEDED');
    expect(r.error!.message).toMatch(/^PUBLISH_DEADLINE_EXCEEDED: uploading .* was still unfinished at the deadline \(deadlineSeconds=3\).*re-run/);
    expect(r.report!.files.map((f) => [f.status, f.code ?? null])).toEqual([
      ['failed', 'PUBLISH_DEADLINE_EXCEEDED'],
      ['pending', null],
    ]);
    expect(indexes.proxy.seen.filter((q) => q.upload).length).toBe(1);
    expect(indexContents(s.packagesDir)).toEqual({});
  });

  test('a stall shorter than the deadline: the per-request timeout ends that attempt, our retry uploads it', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    indexes.proxy.fault = (q) => (q.upload && q.n === 1 ? 'stall' : null);
    const r = await run(w, { timeoutSeconds: 2, deadlineSeconds: 120 });
    expect(r.error).toBeNull();
    expect(r.output).toMatch(/no answer within the per-request timeout \(timeoutSeconds\); retry 1\/2/);
    expect(r.report!.files.map((f) => [f.status, f.attempts])).toEqual([
      ['uploaded', 2],
      ['uploaded', 1],
    ]);
    const posts = indexes.proxy.seen.filter((q) => q.upload === w.files[0]);
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(2000);
    expect(indexContents(s.packagesDir)).toEqual(localContents(w.wheelDir));
  });
});

describe('no encoding of a credential leaks', () => {
  test('an index that echoes the Authorization header in 4xx and 5xx bodies: shown truncated and redacted in output, report and summary', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const [a, b] = w.files;
    indexes.proxy.fault = (q) => (q.upload === a ? { status: 400, echoAuth: true, body: 'stand-in: bad upload' } : q.upload === b ? { status: 503, echoAuth: true } : null);
    const r = await run(w);
    expect(r.error?.code).toBe('UPLOAD_REJECTED');
    expect(r.report!.files.map((f) => f.code)).toEqual(['UPLOAD_REJECTED', 'UPLOAD_FAILED']);
    // The echo reached us (so this test can fail), and what is shown of it is redacted.
    expect(r.report!.files[0].detail).toMatch(/HTTP 400 .*Authorization: Basic \*\*\*/);
    expect(indexContents(s.packagesDir)).toEqual({});
    const checked = expectNoCanary(r.output, readFileSync(r.reportFile, 'utf8'), r.summary);
    expect(checked).toBeGreaterThan(50);
    for (const f of require('./fixtures').filesContaining(w.ws, CANARY) as string[]) throw new Error(`canary in ${f}`);
  });

  test('a token inside --repositoryUrl is refused with a line telling to revoke it, and is not repeated', async () => {
    const w = await publishWorkspace();
    const r = await run(w, { repositoryUrl: `http://__token__:${CANARY}@127.0.0.1:1/` });
    expect(r.error?.code).toBe('BAD_OPTION_REPOSITORY_URL');
    expect(r.error!.message).toMatch(/^BAD_OPTION_REPOSITORY_URL: .*shell history.*revoke that token/);
    expectNoCanary(r.output);
  });
});

describe('attestations without Sigstore access (trusted publishing: a STAND-IN for GitHub and PyPI)', () => {
  test('--attestations=true fails before uploading with one line and the fix; QUIVER_DEBUG=1 shows the tool output', async () => {
    const minted = `pypi-MINTED-${process.pid}-a77e5d0c`;
    await indexes.fresh({ password: minted });
    const oidc = await startOidcStandIn(minted);
    const w = await publishWorkspace();
    try {
      const env = { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken, PYPI_API_TOKEN: '' };
      const r = await run(w, { oidcUrl: oidc.indexBase, attestations: true }, env);
      expect(r.error?.code).toBe('ATTESTATIONS_FAILED');
      expect(r.error!.message).toMatch(/^ATTESTATIONS_FAILED: creating PEP 740 attestations failed .*--attestations=false.*QUIVER_DEBUG=1/);
      expect(r.output).not.toMatch(/Traceback|^\s+File "/m);
      expect(indexes.proxy.seen.filter((q) => q.method === 'POST')).toEqual([]);
      expect(r.report!.errorCode).toBe('ATTESTATIONS_FAILED');
      const debug = await run(w, { oidcUrl: oidc.indexBase, attestations: true }, { ...env, QUIVER_DEBUG: '1' });
      expect(debug.error?.code).toBe('ATTESTATIONS_FAILED');
      expect(debug.output.split('\n').filter((l) => l.startsWith('[attestations] ')).length).toBeGreaterThan(1);
      // In Actions the token is printed once, in GitHub's ::add-mask:: line; nowhere else.
      expect(debug.output.split('\n').filter((l) => l.includes(minted))).toEqual([`::add-mask::${minted}`]);
      expect(debug.output).not.toContain(oidc.requestToken);
    } finally {
      await oidc.close();
    }
  });
});
