/**
 * publish: upload validated wheels to a package index, idempotently and resumably, without ever
 * printing or writing a secret.
 *
 *   options ─► endpoints, credentials choice (OIDC | token | none) ─► validate-wheels on the same
 *   files (or a validation report whose sha256s match them) ─► token (trusted publishing exchange,
 *   or the environment's) ─► the index's listing (simple page) ─► plan (upload | skip same sha256 |
 *   refuse different bytes) ─► [attestations] ─► twine upload, with backoff on 5xx/429/network
 *   errors ─► publish-report.json (rewritten after every step) + terminal table + step summary.
 *
 * A run that stops part-way leaves the report saying what was uploaded; re-running re-reads the
 * index and uploads only what is missing.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { QuiverError } from '../core/errors';
import { normalizeName } from '../core/names';
import { decideAttestations, AttestationsOption } from '../core/publish/attestations';
import { chooseCredentials, Credentials, formatPublisherClaims, noCredentialsError } from '../core/publish/credentials';
import { IndexEndpoints, resolveEndpoints } from '../core/publish/endpoints';
import { conflictError, LocalFile, planUploads } from '../core/publish/plan';
import { formatCounts, formatPublishMarkdown, formatPublishTable, isComplete, PUBLISH_REPORT_FILE, PublishReport, releaseAgeNote } from '../core/publish/report';
import { backoffMs, readTwineOutcome } from '../core/publish/twine-outcome';
import { VALIDATION_REPORT_FILE, ValidationReport } from '../core/validation/report';
import { signAttestations } from '../runners/attestations';
import { HttpPolicy, listProjectFiles, releaseFirstUploadTime } from '../runners/index-client';
import { mintTrustedPublishingToken } from '../runners/oidc';
import { consoleSink, LineSink, redact } from '../runners/process';
import { stateDir } from '../runners/toolchain';
import { twineUpload } from '../runners/twine';
import { sha256File } from './files';
import { loadPythonProject } from './project';
import { loadToolchain } from './toolchain';
import { validateWheels } from './validate-wheels';

/** Inputs of {@link publish}; mirrors the executor's schema.json. */
export interface PublishOptions {
  workspaceRoot: string;
  /** Workspace-relative project root (where pyproject.toml is). */
  projectRoot: string;
  projectName: string;
  /** Wheel directory, workspace-relative or absolute. Default `<projectRoot>/wheelhouse`. */
  wheelDir?: string;
  /** Upload URL (twine --repository-url). Default PyPI's. */
  repositoryUrl?: string;
  /** Simple index URL. Default: derived from repositoryUrl. */
  indexUrl?: string;
  /** Base URL of the index's `/_/oidc/*` endpoints. Default: derived from repositoryUrl. */
  oidcUrl?: string;
  /** Do everything but upload. Default: `NX_DRY_RUN=true` (as `nx release publish --dry-run` sets). */
  dryRun?: boolean;
  attestations?: AttestationsOption;
  /** true (default): run validate-wheels on the files; false: require `<wheelDir>/validation-report.json` whose sha256s match. */
  validate?: boolean;
  /** validate-wheels' platforms (default `host`). */
  platforms?: string | string[];
  tag?: string;
  /** validate-wheels' twine/auditwheel checks (default true). */
  externalChecks?: boolean;
  python?: string;
  /** Retries after a failed attempt (network error, 5xx, 429); default 3. */
  retries?: number;
  /** Limit for one twine run or HTTP request, in seconds; default 600. */
  timeoutSeconds?: number;
  /** Where publish-report.json goes. Default `<wheelDir>/publish-report.json` (validation ignores it). */
  reportFile?: string;
  env?: Record<string, string | undefined>;
  /** Tests: expected identifiers given directly (validate-wheels' `identifiers`). */
  identifiers?: string[];
  /** Tests: first backoff pause in ms (default 2000). */
  backoffMs?: number;
  /** Tests: the time the 14-day rule is measured against. */
  now?: Date;
}

/** Thrown when the run failed after a report was written; carries the report. */
export class PublishFailed extends QuiverError {
  constructor(
    code: string,
    message: string,
    readonly report: PublishReport,
  ) {
    super(code, message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Write a file so that readers see the old or the new content, never a half-written one. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function redactingSink(sink: LineSink, secrets: string[]): LineSink {
  return { out: (l) => sink.out(redact(l, secrets)), err: (l) => sink.err(redact(l, secrets)) };
}

function prefixed(sink: LineSink, prefix: string): LineSink {
  return { out: (l) => sink.out(prefix + l), err: (l) => sink.err(prefix + l) };
}

function resolveRetries(v: number | string | undefined): number {
  if (v === undefined) return 3;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new QuiverError('BAD_OPTION_RETRIES', `option retries: "${v}" is not a whole number from 0 to 20.`);
  return n;
}

function resolveTimeout(v: number | string | undefined): number {
  if (v === undefined) return 600;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new QuiverError('BAD_OPTION_TIMEOUT_SECONDS', `option timeoutSeconds: "${v}" is not a positive number of seconds.`);
  return n;
}

/** `dryRun` option, else `NX_DRY_RUN=true`. */
export function resolveDryRun(option: boolean | string | undefined, env: Record<string, string | undefined>): boolean {
  if (option !== undefined) return option === true || option === 'true';
  return env['NX_DRY_RUN'] === 'true';
}

/** Where the publisher is configured on PyPI/TestPyPI (for the invalid-publisher message). */
function publisherSettingsUrl(e: IndexEndpoints, name: string): string {
  if (e.known === 'pypi') return `https://pypi.org/manage/project/${name}/settings/publishing/`;
  if (e.known === 'testpypi') return `https://test.pypi.org/manage/project/${name}/settings/publishing/`;
  return `the index's trusted-publisher settings for ${name} (${e.oidcUrl})`;
}

/**
 * The files of an existing validation report, if it passed and its sha256s match the wheels on disk exactly.
 * @throws QuiverError `VALIDATION_REPORT_MISSING`, `VALIDATION_REPORT_FAILED`, `VALIDATION_REPORT_STALE`
 */
async function filesFromValidationReport(wheelDir: string, shown: string): Promise<{ files: LocalFile[]; version: string | null }> {
  const file = join(wheelDir, VALIDATION_REPORT_FILE);
  const fix = 'run nx run <project>:validate-wheels on these files, or publish with --validate=true';
  if (!existsSync(file)) throw new QuiverError('VALIDATION_REPORT_MISSING', `option validate=false needs ${shown}/${VALIDATION_REPORT_FILE}, which does not exist; ${fix}.`);
  let report: ValidationReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  } catch {
    throw new QuiverError('VALIDATION_REPORT_MISSING', `${shown}/${VALIDATION_REPORT_FILE} is not valid JSON; ${fix}.`);
  }
  if (!report.ok) throw new QuiverError('VALIDATION_REPORT_FAILED', `${shown}/${VALIDATION_REPORT_FILE} records a failed validation; fix the findings it lists and re-validate.`);
  const sdist = report.sdist ?? null;
  const onDisk = readdirSync(wheelDir).filter((n) => n.endsWith('.whl') || n === sdist?.file).sort();
  const inReport = new Map<string, { file: string; sha256: string | null }>([...report.wheels, ...(sdist ? [sdist] : [])].map((w) => [w.file, w]));
  const files: LocalFile[] = [];
  for (const n of onDisk) {
    const w = inReport.get(n);
    const sha = await sha256File(join(wheelDir, n));
    if (!w || w.sha256 !== sha) {
      throw new QuiverError('VALIDATION_REPORT_STALE', `${shown}/${n} ${w ? 'has changed since' : 'is not in'} ${VALIDATION_REPORT_FILE} (sha256 ${sha}); ${fix}.`);
    }
    files.push({ file: n, sha256: sha, size: statSync(join(wheelDir, n)).size });
  }
  const missing = [...inReport.values()].filter((w) => !onDisk.includes(w.file));
  if (missing.length) throw new QuiverError('VALIDATION_REPORT_STALE', `${VALIDATION_REPORT_FILE} lists ${missing.map((m) => m.file).join(', ')}, which is not in ${shown}; ${fix}.`);
  return { files, version: report.version };
}

/**
 * Publish a wheel directory.
 * @returns the report (also written to the report file); when every file is uploaded or skipped
 * @throws QuiverError for bad options, missing credentials (before anything is uploaded), failed
 *   validation; {@link PublishFailed} (a QuiverError with the report) when the index refused or an
 *   upload failed after the retries, after writing the report
 */
export async function publish(o: PublishOptions, rawSink: LineSink = consoleSink): Promise<PublishReport> {
  const ws = o.workspaceRoot;
  const env = o.env ?? process.env;
  const secrets: string[] = [];
  const sink = redactingSink(rawSink, secrets);
  const show = (p: string) => {
    const r = relative(ws, p);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
  };
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(ws, p));

  const dryRun = resolveDryRun(o.dryRun, env);
  const endpoints = resolveEndpoints(o);
  const retries = resolveRetries(o.retries);
  const timeoutMs = resolveTimeout(o.timeoutSeconds) * 1000;
  const project = loadPythonProject(ws, o.projectRoot, { requireCibuildwheel: false });
  const distribution = normalizeName(project.name);
  const wheelDir = o.wheelDir ? abs(o.wheelDir) : join(ws, o.projectRoot, 'wheelhouse');
  const reportFile = o.reportFile ? abs(o.reportFile) : join(wheelDir, PUBLISH_REPORT_FILE);
  if (!existsSync(wheelDir) || !statSync(wheelDir).isDirectory()) {
    throw new QuiverError('WHEELHOUSE_NOT_FOUND', `${show(wheelDir)} is not a directory; build the wheels first (nx run ${o.projectName}:build-wheels) or pass --wheelDir=<directory with the downloaded wheels>.`);
  }

  // Credentials are decided first, so a run without any stops before the (slow) validation.
  const choice = chooseCredentials(env);
  if (choice.kind === 'token') secrets.push(choice.password);
  if (choice.kind === 'oidc') secrets.push(choice.requestToken);
  if (choice.kind === 'none' && !dryRun) throw noCredentialsError(env);
  const attest = decideAttestations(o.attestations, choice.kind, endpoints);

  const started = new Date().toISOString();
  const report: PublishReport = {
    reportVersion: 1,
    ok: false,
    dryRun,
    project: o.projectName,
    distribution,
    version: project.version,
    repositoryUrl: endpoints.repositoryUrl,
    indexUrl: endpoints.indexUrl,
    credentials: choice.kind === 'oidc' ? 'trusted publishing (OIDC)' : choice.kind === 'token' ? `token (${choice.source})` : 'none (dry run)',
    attestations: attest.reason,
    validation: 'not run',
    notes: [],
    startedAt: started,
    updatedAt: started,
    error: null,
    files: [],
  };
  const save = () => {
    report.updatedAt = new Date().toISOString();
    report.ok = isComplete(report);
    writeFileAtomic(reportFile, redact(JSON.stringify(report, null, 2), secrets) + '\n');
  };
  const summary = () => {
    const file = env['GITHUB_STEP_SUMMARY'];
    if (!file) return;
    try {
      appendFileSync(file, redact(formatPublishMarkdown(report), secrets) + '\n');
    } catch (e) {
      sink.err(`publish: could not append to GITHUB_STEP_SUMMARY (${(e as Error).message})`);
    }
  };
  const byName = (f: string) => report.files.find((x) => x.file === f)!;
  const fail = (e: QuiverError): never => {
    report.error = redact(e.message, secrets);
    save();
    summary();
    sink.err(`report: ${show(reportFile)}`);
    throw new PublishFailed(e.code, redact(e.message, secrets), report);
  };

  sink.out(`publish ${distribution} ${project.version ?? ''} from ${show(wheelDir)} to ${endpoints.repositoryUrl}${dryRun ? ' (dry run: nothing will be uploaded)' : ''}`);
  sink.out(`credentials: ${report.credentials}; attestations: ${attest.reason}`);

  // 1. Validate the very files that will be uploaded.
  let local: LocalFile[];
  const toolchain = await loadToolchain(ws, o.python, prefixed(sink, '[toolchain] '));
  if (o.validate === false) {
    const r = await filesFromValidationReport(wheelDir, show(wheelDir));
    local = r.files;
    report.validation = `${show(join(wheelDir, VALIDATION_REPORT_FILE))} (sha256s match the files)`;
  } else {
    const v = await validateWheels(
      { workspaceRoot: ws, projectRoot: o.projectRoot, projectName: o.projectName, wheelDir, platforms: o.platforms, tag: o.tag, python: o.python, env, identifiers: o.identifiers, externalChecks: o.externalChecks, toolchain },
      prefixed(sink, '[validate] '),
    );
    if (!v.ok) {
      throw new QuiverError('VALIDATION_FAILED', `validate-wheels failed (${v.counts.errors} error(s), listed above and in ${show(join(wheelDir, VALIDATION_REPORT_FILE))}); nothing was uploaded: fix them and re-run.`);
    }
    local = [...v.wheels, ...(v.sdist ? [v.sdist] : [])].map((w) => ({ file: w.file, sha256: w.sha256!, size: w.size }));
    report.validation = `validate-wheels passed (${show(join(wheelDir, VALIDATION_REPORT_FILE))})`;
  }
  report.files = local.map((f) => ({ ...f, status: 'pending', detail: '', attempts: 0 }));
  save();

  try {
    // 2. The upload token.
    let creds: Credentials | null = null;
    const policy: HttpPolicy = { retries, backoffMs: o.backoffMs ?? 2000, timeoutMs: Math.min(timeoutMs, 120_000), secrets, onRetry: (l) => sink.err(`[index] ${l}`) };
    if (choice.kind === 'oidc') {
      const minted = await mintTrustedPublishingToken(
        { oidcUrl: endpoints.oidcUrl, requestUrl: choice.requestUrl, requestToken: choice.requestToken, publisherSettingsUrl: publisherSettingsUrl(endpoints, distribution), job: env['GITHUB_JOB'] },
        policy,
      );
      secrets.push(minted.token);
      creds = { username: '__token__', password: minted.token, source: 'trusted publishing (OIDC)', kind: 'oidc' };
      report.credentials = `trusted publishing (OIDC: ${formatPublisherClaims(minted.claims)})`;
    } else if (choice.kind === 'token') {
      creds = { username: choice.username, password: choice.password, source: choice.source, kind: 'token' };
    }
    // GitHub Actions hides a masked value in every later log line; this line is the one place it is printed, as GitHub requires.
    if (creds && env['GITHUB_ACTIONS'] === 'true') rawSink.out(`::add-mask::${creds.password}`);

    // 3. What the index already has.
    const auth = creds ? { username: creds.username, password: creds.password } : null;
    const remote = await listProjectFiles(endpoints.indexUrl, distribution, auth, policy);
    const plan = planUploads(local, remote);
    for (const p of plan) {
      const f = byName(p.file);
      if (p.action === 'skip') Object.assign(f, { status: 'skipped', detail: 'already on the index with the same sha256' });
    }
    const conflict = plan.find((p) => p.action === 'conflict');
    if (conflict) {
      Object.assign(byName(conflict.file), { status: 'failed', detail: `the index has other bytes: sha256 ${conflict.remoteSha256}` });
      fail(conflictError(conflict, endpoints.indexUrl));
    }
    let queue = plan.filter((p) => p.action === 'upload').map((p) => p.file);
    if (endpoints.jsonApiUrl && project.version && queue.length) {
      const first = await releaseFirstUploadTime(endpoints.jsonApiUrl, distribution, project.version, policy);
      const note = releaseAgeNote(first, o.now ?? new Date(), queue.length, project.version);
      if (note) {
        report.notes.push(note);
        sink.err(`publish: note: ${note}`);
      }
    }
    save();

    if (dryRun) {
      for (const f of queue) Object.assign(byName(f), { status: 'would-upload', detail: 'dry run' });
      queue = [];
    }

    // 4. Attestations are signed on copies in a staging directory, so the wheel directory stays as validated.
    let uploadDir = wheelDir;
    let staging: string | null = null;
    if (queue.length && attest.enabled) {
      staging = join(stateDir(ws), 'tmp', `publish-${process.pid}-${Date.now()}`);
      mkdirSync(staging, { recursive: true });
      for (const f of queue) copyFileSync(join(wheelDir, f), join(staging, f));
      await signAttestations(toolchain.bin('python'), queue.map((f) => join(staging!, f)), endpoints.known === 'testpypi', secrets, sink);
      uploadDir = staging;
    }

    // 5. Upload what is missing; twine stops at the first failure, which decides what comes next.
    try {
      let failures = 0;
      while (queue.length && creds) {
        const r = await twineUpload(
          toolchain.bin('twine'),
          queue.map((f) => join(uploadDir, f)),
          { repositoryUrl: endpoints.repositoryUrl, username: creds.username, password: creds.password, attestations: attest.enabled, timeoutMs, secrets },
          sink,
        );
        const oc = readTwineOutcome(queue, r.exitCode, `${r.stdout}\n${r.stderr}`);
        for (const u of oc.uploaded) Object.assign(byName(u), { status: 'uploaded', detail: '', attempts: byName(u).attempts + 1 });
        if (!oc.failure) {
          queue = [];
          save();
          break;
        }
        if (oc.failedFile) byName(oc.failedFile).attempts++;
        queue = queue.filter((f) => !oc.uploaded.includes(f));
        const failed = oc.failedFile;
        const kind = oc.failure.kind;
        if (failed && (kind === 'exists' || (kind === 'fatal' && oc.failure.status === 400))) {
          // Same name already there (e.g. an earlier attempt whose response was lost): compare digests.
          const now = (await listProjectFiles(endpoints.indexUrl, distribution, auth, policy)).find((x) => x.filename === failed);
          const mine = byName(failed);
          if (now && now.sha256 === mine.sha256) {
            Object.assign(mine, { status: mine.attempts > 1 ? 'uploaded' : 'skipped', detail: mine.attempts > 1 ? 'confirmed on the index after a failed response' : 'already on the index with the same sha256' });
            queue = queue.filter((f) => f !== failed);
            save();
            continue;
          }
          if (now) {
            Object.assign(mine, { status: 'failed', detail: `the index has other bytes: sha256 ${now.sha256}` });
            fail(conflictError({ file: failed, sha256: mine.sha256, remoteSha256: now.sha256 }, endpoints.indexUrl));
          }
        }
        if (kind === 'auth') {
          if (failed) Object.assign(byName(failed), { status: 'failed', detail: oc.failure.message });
          fail(new QuiverError('UPLOAD_AUTH', `${endpoints.repositoryUrl} refused the credentials (${oc.failure.message}) while uploading ${failed ?? 'the first file'}; check ${creds.kind === 'oidc' ? 'the trusted publisher' : `${creds.source} (or TWINE_USERNAME/TWINE_PASSWORD)`}; re-run when fixed: files already uploaded are skipped.`));
        }
        if (kind === 'retryable' && failures < retries) {
          failures++;
          const pause = backoffMs(failures, o.backoffMs ?? 2000);
          sink.err(`[twine] ${failed ?? 'upload'}: ${oc.failure.message}; retry ${failures}/${retries} in ${(pause / 1000).toFixed(1)} s`);
          if (failed) byName(failed).detail = `retrying after: ${oc.failure.message}`;
          save();
          await sleep(pause);
          continue;
        }
        if (failed) Object.assign(byName(failed), { status: 'failed', detail: oc.failure.message });
        const c = report.files.filter((f) => f.status === 'uploaded').length;
        fail(
          new QuiverError(
            kind === 'retryable' ? 'UPLOAD_FAILED' : 'UPLOAD_REJECTED',
            `uploading ${failed ?? 'to the index'} failed${kind === 'retryable' ? ` after ${retries + 1} attempt(s)` : ''}: ${oc.failure.message}; ${c} file(s) were uploaded (see ${show(reportFile)}); ${kind === 'retryable' ? 're-run to upload the rest (uploaded files are skipped)' : 'fix the cause named by the index, then re-run'}.`,
          ),
        );
      }
    } finally {
      if (staging) rmSync(staging, { recursive: true, force: true });
    }
  } catch (e) {
    if (e instanceof PublishFailed) throw e;
    if (e instanceof QuiverError) fail(e);
    throw e;
  }

  save();
  for (const line of formatPublishTable(report).split('\n')) sink.out(line);
  sink.out(`${formatCounts(report)}${dryRun ? ' (dry run: the index was not changed)' : ''}`);
  sink.out(`report: ${show(reportFile)}`);
  summary();
  return report;
}

