/**
 * publish: upload validated wheels to a package index, idempotently and resumably, without ever
 * printing or writing a secret; or, with `preflight`, decide the same without credentials and
 * hand the files to upload to a job that only uploads.
 *
 *   options ─► endpoints, credentials choice (OIDC | token | none; preflight: none, never read) ─►
 *   the release: cibuildwheel's identifiers of the requested platforms (default: the release
 *   platforms) against the wheels present ─► RELEASE_INCOMPLETE, or a PARTIAL RELEASE with
 *   allowPartial ─► validate-wheels on the same files (or a validation report whose sha256s match
 *   them) ─► token (trusted publishing exchange, or the environment's) ─► the index's listing
 *   (simple page) ─► plan (core/publish/plan: upload | skip same sha256 | refuse different bytes)
 *   ─► preflight: <uploadDir>/{dist/, SHA256SUMS, publish-plan.json}; publish: [attestations] ─►
 *   twine upload, with backoff on 5xx/429/network errors, each "file exists" re-decided by the
 *   same plan ─► publish-report.json (rewritten after every step) + terminal table + step summary.
 *
 * A run that stops part-way leaves the report saying what was uploaded; re-running re-reads the
 * index and uploads only what is missing.
 *
 * Where things are: context.ts (options -> PublishContext), prepare.ts (release + validation, shared
 * by preflight and upload), upload.ts (token, plan, UploadSession), report.ts (report writer and the
 * one failure path), upload-dir.ts (preflight's output); the decisions are pure, in core/publish/
 * (plan.ts per file before uploading, file-outcome.ts per file after each twine run).
 */
import { appendFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { QuiverError } from '../../core/errors';
import { conflictError, planPublish } from '../../core/publish/plan';
import { PublishReport } from '../../core/publish/report';
import { IndexFile } from '../../core/publish/simple-index';
import { HttpPolicy, listProjectFiles } from '../../runners/index-client';
import { consoleSink, LineSink, redact } from '../../runners/process';
import { ageNote, flag, httpPolicy, newReport, PublishContext, PublishOptions, recordPlan, redactingSink, resolveContext } from './context';
import { prepare } from './prepare';
import { PublishReportWriter, withCode } from './report';
import { checkUploadDir, PUBLISH_PLAN_FILE, writeUploadDir } from './upload-dir';
import { runPublish } from './upload';

export { resolveDryRun } from './context';
export type { PublishOptions } from './context';

/** Environment variables that hold publishing secrets; a preflight passes none of them on. */
const SECRET_ENV = ['PYPI_API_TOKEN', 'TWINE_PASSWORD', 'TWINE_USERNAME', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL'];

/**
 * Publish a wheel directory, or (with `preflight`) decide what to publish and write it to `uploadDir`.
 * @returns the report (also written to the report file, or to `<uploadDir>/publish-plan.json`);
 *   when every file is uploaded or skipped (or, preflight and dry run, would be)
 * @throws QuiverError for bad options, missing credentials (before anything is uploaded), an
 *   incomplete release (`RELEASE_INCOMPLETE`, before credentials are used), failed validation;
 *   {@link PublishFailed} (a QuiverError with the report) when the index refused or an upload
 *   failed after the retries, after writing the report; preflight: `INDEX_FILE_CONFLICT` without
 *   writing anything
 */
export async function publish(o: PublishOptions, rawSink: LineSink = consoleSink): Promise<PublishReport> {
  const secrets: string[] = [];
  const sink = redactingSink(rawSink, secrets);
  try {
    const preflight = flag(o.preflight);
    if (!preflight && o.uploadDir !== undefined) {
      throw new QuiverError(
        'BAD_OPTION_UPLOAD_DIR',
        `option uploadDir is the output of --preflight; pass --preflight too, or drop --uploadDir.`,
      );
    }
    if (preflight) return await runPreflight(o, sink, secrets);
    return await runPublish(o, sink, rawSink, secrets);
  } catch (e) {
    // Every failure is printed as `<CODE>: <what and the fix>` (docs/publishing.md lists the codes), redacted.
    if (e instanceof QuiverError) e.message = redact(withCode(e), secrets);
    throw e;
  }
}

/** `publish --preflight`: no credentials, nothing uploaded; the plan and the files to upload in uploadDir. */
async function runPreflight(o: PublishOptions, sink: LineSink, secrets: string[]): Promise<PublishReport> {
  if (!o.uploadDir || !o.uploadDir.trim()) {
    throw new QuiverError(
      'BAD_OPTION_UPLOAD_DIR',
      `option preflight needs --uploadDir=<directory> (workspace-relative or absolute), where the files to upload, SHA256SUMS and ${PUBLISH_PLAN_FILE} are written; e.g. --uploadDir=dist/pypi-upload.`,
    );
  }
  if (o.reportFile !== undefined) {
    throw new QuiverError(
      'BAD_OPTION_REPORT_FILE',
      `option reportFile does not apply to --preflight, whose report is <uploadDir>/${PUBLISH_PLAN_FILE}; drop --reportFile.`,
    );
  }
  const r = resolveContext(o, sink, secrets);
  const uploadDir = isAbsolute(o.uploadDir) ? o.uploadDir : resolve(r.ws, o.uploadDir);
  checkUploadDir(uploadDir, { workspaceRoot: r.ws, wheelDir: r.wheelDir, shown: r.show(uploadDir) });
  // Nothing below reads credentials, and no tool gets them.
  const env = Object.fromEntries(Object.entries(r.env).filter(([k]) => !SECRET_ENV.includes(k)));
  const report = newReport(r, {
    dryRun: true,
    preflight: true,
    credentials: 'none (preflight: the index is read anonymously)',
    attestations: 'decided by the upload job (preflight)',
  });
  const w = new PublishReportWriter(report, null, secrets, env, sink);

  sink.out(
    `publish --preflight ${r.distribution} ${r.project.version ?? ''} from ${r.show(r.wheelDir)} for ${r.endpoints.repositoryUrl} (no credentials; nothing will be uploaded)`,
  );
  const { scope, local } = await prepare(r, env, report);
  const policy = httpPolicy(r);
  const plan = planPublish({ scope, local, remote: await anonymousListing(r, policy) });
  recordPlan(w, plan, 'would-upload', `preflight: in ${r.show(join(uploadDir, 'dist'))}`);
  if (plan.stop?.code === 'INDEX_FILE_CONFLICT') {
    const err = conflictError(plan.stop.file, r.endpoints.indexUrl);
    w.fail(err, withCode(err).replace(/nothing further was uploaded/, `nothing was written to ${r.show(uploadDir)}`));
  }
  await ageNote(r, plan.uploads.length, policy, report);

  const uploads = local.filter((f) => plan.uploads.includes(f.file));
  await writeUploadDir(uploadDir, r.wheelDir, uploads, w.json());
  const out = r.env['GITHUB_OUTPUT'];
  if (out) appendFileSync(out, `uploads=${uploads.length}\n`);
  w.print(
    `; nothing was uploaded: ${uploads.length} file(s) in ${r.show(join(uploadDir, 'dist'))} with SHA256SUMS and ${PUBLISH_PLAN_FILE}`,
  );
  w.summary();
  return report;
}

/**
 * The index's files for the project, read without credentials.
 * @throws QuiverError `INDEX_AUTH` (with the fix) when the index asks for credentials, and the index client's errors
 */
async function anonymousListing(r: PublishContext, policy: HttpPolicy): Promise<IndexFile[]> {
  try {
    return await listProjectFiles(r.endpoints.indexUrl, r.distribution, null, policy);
  } catch (e) {
    if (e instanceof QuiverError && e.code === 'INDEX_AUTH') {
      throw new QuiverError(
        'INDEX_AUTH',
        `preflight reads ${r.endpoints.indexUrl} anonymously and it asked for credentials; a preflight needs an index with a public simple page (PyPI, TestPyPI): for a private index use publish --dryRun with its credentials instead.`,
      );
    }
    throw e;
  }
}
