/**
 * `publish` (not preflight): credentials, the upload token, the index's listing and the plan,
 * attestations, then an {@link UploadSession} uploads what the index lacks. Every failure after
 * the report exists goes through the report writer's one failure path.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { QuiverError } from '../../core/errors';
import { AttestationsDecision, decideAttestations } from '../../core/publish/attestations';
import {
  CredentialChoice,
  chooseCredentials,
  Credentials,
  formatPublisherClaims,
  noCredentialsError,
} from '../../core/publish/credentials';
import { IndexEndpoints } from '../../core/publish/endpoints';
import {
  deadlineError,
  decideFileOutcome,
  FileFailure,
  FileOutcome,
  ReadBack,
  SessionFacts,
  uploadFailuresError,
} from '../../core/publish/file-outcome';
import { conflictError, planPublish } from '../../core/publish/plan';
import { dryRunReportFile, PUBLISH_REPORT_FILE, PublishReport } from '../../core/publish/report';
import { backoffMs, readTwineRun, TwineRun } from '../../core/publish/twine-outcome';
import { signAttestations } from '../../runners/attestations';
import { HttpAuth, HttpPolicy, listProjectFiles } from '../../runners/index-client';
import { mintTrustedPublishingToken } from '../../runners/oidc';
import { LineSink, redact } from '../../runners/process';
import { stateDir } from '../../runners/toolchain';
import { twineUploadRun } from '../../runners/twine';
import {
  ageNote,
  httpPolicy,
  newReport,
  PublishContext,
  PublishOptions,
  quietResponses,
  recordPlan,
  resolveContext,
  resolveDryRun,
} from './context';
import { prepare, Prepared } from './prepare';
import { PublishReportWriter, withCode } from './report';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `publish`: validate, then upload what the index lacks, one file at a time, each read back. */
export async function runPublish(o: PublishOptions, sink: LineSink, rawSink: LineSink, secrets: string[]): Promise<PublishReport> {
  const r = resolveContext(o, sink, secrets);
  const { env, endpoints, show } = r;
  const dryRun = resolveDryRun(o.dryRun, env);
  const realReportFile = o.reportFile
    ? isAbsolute(o.reportFile)
      ? o.reportFile
      : resolve(r.ws, o.reportFile)
    : join(r.wheelDir, PUBLISH_REPORT_FILE);
  // A dry run writes beside the real report, never over it (it may record a failed run to finish).
  const reportFile = dryRun ? dryRunReportFile(realReportFile) : realReportFile;

  // Credentials are decided first, so a run without any stops before the (slow) validation.
  const choice = chooseCredentials(env);
  if (choice.kind === 'token') secrets.push(choice.password);
  if (choice.kind === 'oidc') secrets.push(choice.requestToken);
  if (choice.kind === 'none' && !dryRun) throw noCredentialsError(env);
  const attest = decideAttestations(o.attestations, choice.kind, endpoints);

  const credentials =
    choice.kind === 'oidc' ? 'trusted publishing (OIDC)' : choice.kind === 'token' ? `token (${choice.source})` : 'none (dry run)';
  const report = newReport(r, { dryRun, preflight: false, credentials, attestations: attest.reason });
  const w = new PublishReportWriter(report, reportFile, secrets, env, sink, show(reportFile));
  sink.out(
    `publish ${r.distribution} ${r.project.version ?? ''} from ${show(r.wheelDir)} to ${endpoints.repositoryUrl}${dryRun ? ' (dry run: nothing will be uploaded)' : ''}`,
  );
  sink.out(`credentials: ${report.credentials}; attestations: ${attest.reason}`);

  const prepared = await prepare(r, env, report);
  w.save();
  try {
    await exchange(r, w, { choice, attest, prepared, rawSink, dryRun });
  } catch (e) {
    if (e instanceof QuiverError) w.fail(e);
    throw e;
  }
  w.save();
  w.print(dryRun ? ' (dry run: the index was not changed)' : '');
  sink.out(`report: ${show(reportFile)}`);
  w.summary();
  return report;
}

/** What {@link exchange} works with besides the context and the report. */
interface ExchangeInput {
  choice: CredentialChoice;
  attest: AttestationsDecision;
  prepared: Prepared;
  /** The unredacted sink: only for GitHub's `::add-mask::` line. */
  rawSink: LineSink;
  dryRun: boolean;
}

/** Everything with the index, under one deadline: the token, the listing and plan, and the upload. */
async function exchange(r: PublishContext, w: PublishReportWriter, x: ExchangeInput): Promise<void> {
  const deadline = Date.now() + r.deadlineMs;
  const left = () => deadline - Date.now();
  const policy = httpPolicy(r, left);
  const creds = await uploadCredentials(r, x.choice, policy, w.report);
  // GitHub Actions hides a masked value in every later log line; this line is the one place it is printed, as GitHub requires.
  if (creds && r.env['GITHUB_ACTIONS'] === 'true') x.rawSink.out(`::add-mask::${creds.password}`);

  // What the index already has, and the plan.
  const auth: HttpAuth | null = creds ? { username: creds.username, password: creds.password } : null;
  const remote = await listProjectFiles(r.endpoints.indexUrl, r.distribution, auth, policy);
  const plan = planPublish({ scope: x.prepared.scope, local: x.prepared.local, remote });
  recordPlan(w, plan, x.dryRun ? 'would-upload' : 'pending', x.dryRun ? 'dry run' : '');
  if (plan.stop?.code === 'INDEX_FILE_CONFLICT') {
    w.entry(plan.stop.file.file).code = 'INDEX_FILE_CONFLICT';
    throw conflictError(plan.stop.file, r.endpoints.indexUrl);
  }
  await ageNote(r, plan.uploads.length, policy, w.report);
  w.save();
  // Without credentials the run is a dry run, which uploads nothing.
  if (x.dryRun || !creds || !plan.uploads.length) return;

  const python = x.prepared.toolchain.bin('python');
  const staging = x.attest.enabled ? await signedCopies(r, python, plan.uploads) : null;
  try {
    const session = new UploadSession(r, w, {
      creds,
      auth,
      policy,
      left,
      python,
      dir: staging ?? r.wheelDir,
      attestations: x.attest.enabled,
    });
    await session.run(plan.uploads);
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

/** Where the publisher is configured on PyPI/TestPyPI (for the invalid-publisher message). */
function publisherSettingsUrl(e: IndexEndpoints, name: string): string {
  if (e.known === 'pypi') return `https://pypi.org/manage/project/${name}/settings/publishing/`;
  if (e.known === 'testpypi') return `https://test.pypi.org/manage/project/${name}/settings/publishing/`;
  return `the index's trusted-publisher settings for ${name} (${e.oidcUrl})`;
}

/** The upload credentials: the token from the environment, or one minted by trusted publishing (recorded in the report); null for none. */
async function uploadCredentials(
  r: PublishContext,
  choice: CredentialChoice,
  policy: HttpPolicy,
  report: PublishReport,
): Promise<Credentials | null> {
  if (choice.kind === 'token') return { username: choice.username, password: choice.password, source: choice.source, kind: 'token' };
  if (choice.kind !== 'oidc') return null;
  const { endpoints, distribution } = r;
  const minted = await mintTrustedPublishingToken(
    {
      oidcUrl: endpoints.oidcUrl,
      requestUrl: choice.requestUrl,
      requestToken: choice.requestToken,
      publisherSettingsUrl: publisherSettingsUrl(endpoints, distribution),
      job: r.env['GITHUB_JOB'],
    },
    policy,
  );
  r.secrets.push(minted.token);
  report.credentials = `trusted publishing (OIDC: ${formatPublisherClaims(minted.claims)})`;
  return { username: '__token__', password: minted.token, source: 'trusted publishing (OIDC)', kind: 'oidc' };
}

/**
 * Attestations are signed on copies in a staging directory, so the wheel directory stays as validated.
 * @returns the staging directory (the caller removes it); removed here when signing fails
 */
async function signedCopies(r: PublishContext, python: string, files: readonly string[]): Promise<string> {
  const staging = join(stateDir(r.ws), 'tmp', `publish-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  try {
    for (const f of files) copyFileSync(join(r.wheelDir, f), join(staging, f));
    await signAttestations(
      python,
      files.map((f) => join(staging, f)),
      r.endpoints.known === 'testpypi',
      r.secrets,
      r.sink,
      r.env['QUIVER_DEBUG'] === '1',
    );
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return staging;
}

/** The index's files with their sha256, or why it could not be read. */
type Listing = { files: Map<string, string | null> } | { unknown: string };

function readBack(listing: Listing, file: string, sha: string): ReadBack {
  if ('unknown' in listing) return { state: 'unknown', reason: listing.unknown };
  if (!listing.files.has(file)) return { state: 'absent' };
  const remote = listing.files.get(file) ?? null;
  return remote === sha ? { state: 'same' } : { state: 'other', remoteSha256: remote };
}

/** What an {@link UploadSession} uploads with. */
interface SessionSetup {
  creds: Credentials;
  auth: HttpAuth | null;
  /** The policy of index requests (runs under the deadline). */
  policy: HttpPolicy;
  /** Milliseconds left before the run's deadline. */
  left: () => number;
  /** The toolchain's python (with twine). */
  python: string;
  /** Where the files to upload are (the wheel directory, or the signed copies). */
  dir: string;
  attestations: boolean;
}

/**
 * The upload of the files the plan says are missing. twine sends each file once (its own retries
 * off: ours are the only ones) and stops at the first failure; after every run the index is read
 * back, and {@link decideFileOutcome} decides each queued file: only a listing with the local
 * sha256 makes a file uploaded. The file twine stopped at is retried by our policy, files it never
 * reached go into the next run. A fatal outcome is thrown; failed files end the session with one error.
 */
class UploadSession {
  private readonly failures: FileFailure[] = [];
  private readonly twineSink: LineSink;

  constructor(
    private readonly r: PublishContext,
    private readonly w: PublishReportWriter,
    private readonly s: SessionSetup,
  ) {
    this.twineSink = quietResponses(r.sink);
  }

  /**
   * Upload `files` (names in the session's directory) until each is uploaded, skipped or failed.
   * @throws QuiverError the first fatal outcome, `PUBLISH_DEADLINE_EXCEEDED`, or (after all files) the failures
   */
  async run(files: readonly string[]): Promise<void> {
    let queue = [...files];
    while (queue.length) {
      if (this.s.left() <= 0) throw deadlineError(`uploading ${queue[0]}`, this.r.deadlineMs / 1000);
      const { next, pauseMs } = await this.round(queue);
      this.w.save();
      queue = next;
      if (pauseMs) await sleep(pauseMs);
    }
    if (this.failures.length) {
      const uploaded = this.w.report.files.filter((f) => f.status === 'uploaded').length;
      throw uploadFailuresError(this.failures, files.length, uploaded, this.w.shownFile);
    }
  }

  /** One twine run over `queue`, the index read back, and the outcome of every queued file. */
  private async round(queue: string[]): Promise<{ next: string[]; pauseMs: number }> {
    const { python, dir, creds } = this.s;
    const options = {
      repositoryUrl: this.r.endpoints.repositoryUrl,
      username: creds.username,
      password: creds.password,
      attestations: this.s.attestations,
    };
    const limits = { timeoutMs: Math.max(1, this.s.left()), requestTimeoutSeconds: this.r.timeoutMs / 1000, secrets: this.r.secrets };
    const tw = await twineUploadRun(
      python,
      queue.map((f) => join(dir, f)),
      { ...options, ...limits },
      this.twineSink,
    );
    const run = readTwineRun(tw.exitCode, `${tw.stdout}\n${tw.stderr}`);
    for (const f of run.attempted) if (queue.includes(f)) this.w.entry(f).attempts++;
    const listing = await this.listingAfter(run);
    const next: string[] = [];
    let pauseMs = 0;
    for (const name of queue) {
      const entry = this.w.entry(name);
      const attempt = { file: name, sha256: entry.sha256, attempts: entry.attempts, back: readBack(listing, name, entry.sha256) };
      const outcome = decideFileOutcome(
        {
          ...attempt,
          tried: run.attempted.includes(name),
          stopped: name === run.failedFile,
          failure: run.failure,
          killed: tw.exitCode === null,
        },
        this.facts(),
      );
      this.apply(entry, outcome);
      if (outcome.kind !== 'retry') continue;
      next.push(name);
      if (outcome.pauseMs) pauseMs = outcome.pauseMs;
    }
    return { next, pauseMs };
  }

  private facts(): SessionFacts {
    const { r, s } = this;
    const { indexUrl, repositoryUrl } = r.endpoints;
    const credentials = { kind: s.creds.kind, source: s.creds.source };
    return {
      indexUrl,
      repositoryUrl,
      distribution: r.distribution,
      credentials,
      retries: r.retries,
      deadlineSeconds: r.deadlineMs / 1000,
      backoffBaseMs: r.o.backoffMs ?? 2000,
      leftMs: s.left(),
    };
  }

  /** Record an outcome in the file's report entry (redacted); a fatal one is thrown. */
  private apply(entry: PublishReport['files'][number], o: FileOutcome): void {
    const redacted = (text: string) => redact(text, this.r.secrets);
    if (o.kind === 'failed' || o.kind === 'fatal') {
      Object.assign(entry, { status: 'failed', code: o.code, detail: redacted(o.cause) });
      this.failures.push({ file: entry.file, code: o.code, cause: entry.detail });
      if (o.kind === 'fatal') throw o.error;
    } else if (o.kind === 'retry') {
      if (o.line) this.r.sink.err(redacted(o.line));
      if (o.detail) entry.detail = redacted(o.detail);
    } else {
      Object.assign(entry, { status: o.kind, code: undefined, detail: redacted(o.detail) });
    }
  }

  /** The index read back after a twine run; a listing that lacks files twine sent is read again (twice at most). */
  private async listingAfter(run: TwineRun): Promise<Listing> {
    let listing = await this.readListing();
    // An index may list a new file a moment late (a CDN in front of its simple pages).
    const unlisted = (l: Listing) => 'files' in l && run.attempted.some((f) => !l.files.has(f));
    for (let i = 1; run.twineOk && unlisted(listing) && i <= 2 && this.s.left() > 0; i++) {
      await sleep(Math.min(this.s.left(), backoffMs(i, this.r.o.backoffMs ?? 2000)));
      listing = await this.readListing();
    }
    return listing;
  }

  private async readListing(): Promise<Listing> {
    const { policy, left } = this.s;
    try {
      // After the deadline one short read is still made, so the report says what did land.
      const p: HttpPolicy = left() > 0 ? policy : { ...policy, left: undefined, retries: 0, timeoutMs: Math.min(this.r.timeoutMs, 15_000) };
      const files = await listProjectFiles(this.r.endpoints.indexUrl, this.r.distribution, this.s.auth, p);
      return { files: new Map(files.map((f) => [f.filename, f.sha256])) };
    } catch (e) {
      if (e instanceof QuiverError) return { unknown: redact(withCode(e), this.r.secrets) };
      throw e;
    }
  }
}
