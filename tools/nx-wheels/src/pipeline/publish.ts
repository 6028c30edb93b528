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
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { QuiverError } from '../core/errors';
import { BuildIdentifier, parseIdentifier, Platform } from '../core/identifiers';
import { normalizeName } from '../core/names';
import { decideAttestations, AttestationsOption } from '../core/publish/attestations';
import { chooseCredentials, Credentials, formatPublisherClaims, noCredentialsError } from '../core/publish/credentials';
import { IndexEndpoints, resolveEndpoints } from '../core/publish/endpoints';
import { conflictError, LocalFile, partialReleaseLine, planPublish, PublishPlan, releaseIncompleteError, ReleaseScope } from '../core/publish/plan';
import { dryRunReportFile, PUBLISH_REPORT_FILE, PublishReport, releaseAgeNote } from '../core/publish/report';
import { IndexFile } from '../core/publish/simple-index';
import { ATTEMPT_MARKER, backoffMs, MAX_PAUSE_MS, readTwineRun, RESPONSE_MARKER } from '../core/publish/twine-outcome';
import { DEFAULT_RELEASE_PLATFORMS, PythonProject } from '../core/pyproject';
import { decideReuse, DiskFile, ReuseDecision } from '../core/publish/reuse-validation';
import { normalizeVersion } from '../core/pep440';
import { DEFAULT_MAX_SIZE, resolvePlatforms, resolveTag } from '../core/validation/options';
import { OWN_FILES } from '../core/validation/rules';
import { VALIDATION_REPORT_FILE, ValidationReport } from '../core/validation/report';
import { signAttestations } from '../runners/attestations';
import { HttpAuth, HttpPolicy, listProjectFiles, releaseFirstUploadTime } from '../runners/index-client';
import { mintTrustedPublishingToken } from '../runners/oidc';
import { consoleSink, LineSink, redact } from '../runners/process';
import { stateDir } from '../runners/toolchain';
import { twineUploadRun } from '../runners/twine';
import { sha256File } from './files';
import { expectedIdentifiers } from './identifiers';
import { loadBuildKind, loadPythonProject } from './project';
import type { BuildKind } from '../core/build-kind';
import { ProjectConfig, releasePlatformsSource, selectionEnvironment, withProjectConfig } from '../core/project-config';
import { PublishReportWriter } from './publish-report';
import { checkUploadDir, PUBLISH_PLAN_FILE, writeUploadDir } from './publish-upload-dir';
import { loadToolchain, Toolchain } from './toolchain';
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
  /**
   * Decide without credentials and upload nothing: validate, read the index anonymously, plan,
   * and write `uploadDir` (the files to upload, SHA256SUMS, publish-plan.json) for an upload-only job.
   */
  preflight?: boolean;
  /** Preflight's output directory, workspace-relative or absolute; required with (and only with) `preflight`. */
  uploadDir?: string;
  /** Upload what is present of the requested platforms' identifiers when the release is incomplete (a partial release, for a test index). Default false. */
  allowPartial?: boolean;
  attestations?: AttestationsOption;
  /** true (default): run validate-wheels on the files; false: require `<wheelDir>/validation-report.json` whose sha256s match. */
  validate?: boolean;
  /** The platforms whose identifiers make the release: `release` (default: `[tool.nx-wheels] release-platforms`), `host`, `linux`, `windows`, as a list or comma-separated. */
  platforms?: string | string[];
  tag?: string;
  /** validate-wheels' twine/auditwheel checks (default true). */
  externalChecks?: boolean;
  python?: string;
  /** Retries of one file (or one index request) after a failed attempt (network error, 5xx, 429, per-request timeout); default 3. */
  retries?: number;
  /** Per-request time limit in seconds (one upload attempt of one file, one index request); default 300. */
  timeoutSeconds?: number;
  /** Time limit of the whole exchange with the index (token, reads, uploads, retries and pauses), in seconds; default 1200. */
  deadlineSeconds?: number;
  /** Where publish-report.json goes. Default `<wheelDir>/publish-report.json` (validation ignores it). Not with `preflight`. */
  reportFile?: string;
  env?: Record<string, string | undefined>;
  /** Build selection given as project configuration (plugin options); see core/project-config. */
  projectConfig?: ProjectConfig;
  /** Tests: the whole expected release given directly (validate-wheels' `identifiers`), instead of cibuildwheel's for the platforms. */
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

/** Environment variables that hold publishing secrets; a preflight passes none of them on. */
const SECRET_ENV = ['PYPI_API_TOKEN', 'TWINE_PASSWORD', 'TWINE_USERNAME', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL'];

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

/** Default per-request time limit (s): a 100 MB wheel at 1 MB/s, with room to spare. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
/** Default deadline of the whole exchange with the index (s). */
export const DEFAULT_DEADLINE_SECONDS = 1200;

function resolveSeconds(v: number | string | undefined, option: 'timeoutSeconds' | 'deadlineSeconds', dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new QuiverError(option === 'timeoutSeconds' ? 'BAD_OPTION_TIMEOUT_SECONDS' : 'BAD_OPTION_DEADLINE_SECONDS', `option ${option}: "${v}" is not a positive number of seconds; e.g. --${option}=${dflt}.`);
  }
  return n;
}

/** `e.message` starting with its code (`UPLOAD_FAILED: ...`), as every publish failure is printed and recorded. */
function withCode(e: QuiverError): string {
  return e.message.startsWith(`${e.code}:`) ? e.message : `${e.code}: ${e.message}`;
}

/** The twine wrapper's QUIVER_RESPONSE lines are for the outcome reader, not for people: the retry line says it. */
function quietResponses(sink: LineSink): LineSink {
  const keep = (l: string) => !l.includes(RESPONSE_MARKER) && !l.includes(ATTEMPT_MARKER);
  return { out: (l) => keep(l) && sink.out(l), err: (l) => keep(l) && sink.err(l) };
}

const flag = (v: boolean | string | undefined) => v === true || v === 'true';

/** `dryRun` option, else `NX_DRY_RUN=true`. */
export function resolveDryRun(option: boolean | string | undefined, env: Record<string, string | undefined>): boolean {
  if (option !== undefined) return flag(option);
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

/** What every publish run works from, resolved from the options. */
interface Run {
  o: PublishOptions;
  ws: string;
  env: Record<string, string | undefined>;
  show: (p: string) => string;
  project: PythonProject;
  distribution: string;
  endpoints: IndexEndpoints;
  wheelDir: string;
  retries: number;
  timeoutMs: number;
  deadlineMs: number;
  releasePlatforms: readonly Platform[];
  releasePlatformsSource: string;
  /** Pure (one py3-none-any wheel, whatever the platforms) or compiled (core/build-kind). */
  kind: BuildKind;
  requestedPlatforms: Platform[];
  allowPartial: boolean;
  sink: LineSink;
  secrets: string[];
}

function resolveRun(o: PublishOptions, sink: LineSink, secrets: string[]): Run {
  const ws = o.workspaceRoot;
  // CIBW_BUILD / CIBW_SKIP / CIBW_ARCHS from the project configuration where the environment has none (core/project-config).
  const env = selectionEnvironment(o.projectConfig, o.env ?? process.env);
  const show = (p: string) => {
    const r = relative(ws, p);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
  };
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(ws, p));
  const endpoints = resolveEndpoints(o);
  const retries = resolveRetries(o.retries);
  const timeoutMs = resolveSeconds(o.timeoutSeconds, 'timeoutSeconds', DEFAULT_TIMEOUT_SECONDS) * 1000;
  const deadlineMs = resolveSeconds(o.deadlineSeconds, 'deadlineSeconds', DEFAULT_DEADLINE_SECONDS) * 1000;
  const pyproject = loadPythonProject(ws, o.projectRoot, { requireCibuildwheel: false });
  const project = withProjectConfig(pyproject, o.projectConfig);
  const kind = loadBuildKind(ws, o.projectRoot, project, o.projectConfig?.pure).kind;
  const releasePlatforms = project.nxWheels.releasePlatforms ?? DEFAULT_RELEASE_PLATFORMS;
  const requestedPlatforms = resolvePlatforms(o.platforms, process.platform, releasePlatforms, 'release');
  const wheelDir = o.wheelDir ? abs(o.wheelDir) : join(ws, o.projectRoot, 'wheelhouse');
  if (!existsSync(wheelDir) || !statSync(wheelDir).isDirectory()) {
    throw new QuiverError('WHEELHOUSE_NOT_FOUND', `${show(wheelDir)} is not a directory; build the wheels first (nx run ${o.projectName}:build-wheels) or pass --wheelDir=<directory with the downloaded wheels>.`);
  }
  return {
    o,
    ws,
    env,
    show,
    project,
    distribution: normalizeName(project.name),
    endpoints,
    wheelDir,
    retries,
    timeoutMs,
    deadlineMs,
    releasePlatforms,
    releasePlatformsSource: releasePlatformsSource(pyproject, o.projectConfig) ?? `the default; set [tool.nx-wheels] release-platforms in ${project.file} to change it`,
    kind,
    requestedPlatforms,
    allowPartial: flag(o.allowPartial),
    sink,
    secrets,
  };
}

/** The release scope: cibuildwheel's identifiers for the requested platforms (or the given ones) and the wheels present. */
async function releaseScope(r: Run, toolchain: Toolchain, env: Record<string, string | undefined>): Promise<ReleaseScope> {
  let expected: BuildIdentifier[];
  if (r.o.identifiers) {
    expected = r.o.identifiers.map((id) => {
      const p = parseIdentifier(id);
      if (!p) throw new QuiverError('BAD_OPTION_IDENTIFIERS', `identifier "${id}" is not <python>-<platform> (e.g. cp313-manylinux_x86_64).`);
      return p;
    });
  } else {
    expected = await expectedIdentifiers({ kind: r.kind, cibuildwheel: () => toolchain.bin('cibuildwheel'), workspaceRoot: r.ws, packageDir: resolve(r.ws, r.o.projectRoot), platforms: r.requestedPlatforms, env });
  }
  return {
    releasePlatforms: r.releasePlatforms,
    requestedPlatforms: r.requestedPlatforms,
    expected,
    // A pure project's one wheel serves every platform: the platforms are not compared.
    exact: !!r.o.identifiers || r.kind === 'pure',
    wheels: readdirSync(r.wheelDir).filter((n) => n.endsWith('.whl')),
    allowPartial: r.allowPartial,
  };
}

/**
 * The release decision before anything else: stop with RELEASE_INCOMPLETE, or go on (printing
 * `PARTIAL RELEASE ...` first when allowed).
 */
function checkRelease(r: Run, scope: ReleaseScope, report: PublishReport): PublishPlan {
  const plan = planPublish({ scope, local: [], remote: null });
  report.release = { platforms: [...r.requestedPlatforms], expected: plan.release.expected, missing: plan.release.missing, partial: plan.release.partial };
  if (plan.stop?.code === 'RELEASE_INCOMPLETE') {
    throw releaseIncompleteError(plan.stop, plan.release, {
      distribution: r.distribution,
      version: r.project.version,
      wheelDir: r.show(r.wheelDir),
      releasePlatforms: r.releasePlatforms,
      releasePlatformsSource: r.releasePlatformsSource,
    });
  }
  if (plan.release.partial) {
    const line = partialReleaseLine(plan.release);
    report.notes.unshift(line);
    r.sink.out(line);
  }
  return plan;
}

/**
 * The decision on `<wheelDir>/validation-report.json` (core/publish/reuse-validation), or null when
 * there is none. The upload set is every file in the wheel directory but quiver's own reports,
 * each hashed here; a directory or unreadable entry means "validate" (validation reports it).
 */
async function reusableValidation(r: Run, selected: string[], env: Record<string, string | undefined>): Promise<ReuseDecision | null> {
  const file = join(r.wheelDir, VALIDATION_REPORT_FILE);
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { reuse: false, reason: 'the report is not valid JSON' };
  }
  const onDisk: DiskFile[] = [];
  for (const n of readdirSync(r.wheelDir).sort()) {
    if (OWN_FILES.includes(n)) continue;
    const path = join(r.wheelDir, n);
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) return { reuse: false, reason: `${n} is not a file` };
      size = st.size;
    } catch {
      return { reuse: false, reason: `${n} cannot be read` };
    }
    onDisk.push({ file: n, sha256: await sha256File(path), size });
  }
  return decideReuse(
    parsed,
    {
      distribution: r.distribution,
      version: r.project.dynamicVersion || r.project.version === null ? null : normalizeVersion(r.project.version),
      identifiers: selected,
      tag: resolveTag(r.o.tag, env)?.value ?? null,
      maxSize: DEFAULT_MAX_SIZE,
      externalChecks: r.o.externalChecks !== false,
      linuxHost: process.platform === 'linux',
      sdist: r.project.nxWheels.sdist ?? false,
    },
    onDisk,
  );
}

/** Validate the very files that will be published (only the selected identifiers' wheels are expected). */
async function validatedFiles(r: Run, toolchain: Toolchain, selected: string[], env: Record<string, string | undefined>, report: PublishReport): Promise<LocalFile[]> {
  const reportPath = r.show(join(r.wheelDir, VALIDATION_REPORT_FILE));
  if (r.o.validate === false || (r.o.validate as unknown) === 'false') {
    const v = await filesFromValidationReport(r.wheelDir, r.show(r.wheelDir));
    report.validation = `${reportPath} (sha256s match the files)`;
    return v.files;
  }
  const reuse = await reusableValidation(r, selected, env);
  if (reuse?.reuse) {
    r.sink.out(
      `[validate] skipped: ${reportPath} passed${reuse.createdAt ? ` (${reuse.createdAt})` : ''} for exactly these bytes (the sha256 of all ${reuse.files.length} file(s) match) and the same identifiers, version, tag and checks`,
    );
    report.validation = `reused ${reportPath} (passed; the sha256 of every file matches)`;
    return reuse.files;
  }
  if (reuse) r.sink.out(`[validate] ${reportPath} not reused: ${reuse.reason}; validating`);
  const v = await validateWheels(
    { workspaceRoot: r.ws, projectRoot: r.o.projectRoot, projectName: r.o.projectName, wheelDir: r.wheelDir, platforms: r.requestedPlatforms, tag: r.o.tag, python: r.o.python, externalChecks: r.o.externalChecks, ...(r.o.projectConfig ? { projectConfig: r.o.projectConfig } : {}) },
    prefixed(r.sink, '[validate] '),
    { env, identifiers: selected, toolchain },
  );
  if (!v.ok) {
    throw new QuiverError('VALIDATION_FAILED', `validate-wheels failed (${v.counts.errors} error(s), listed above and in ${reportPath}); nothing was uploaded: fix them and re-run.`);
  }
  report.validation = `validate-wheels passed (${reportPath})`;
  return [...v.wheels, ...(v.sdist ? [v.sdist] : [])].map((w) => ({ file: w.file, sha256: w.sha256!, size: w.size }));
}

function newReport(r: Run, o: { dryRun: boolean; preflight: boolean; credentials: string; attestations: string }): PublishReport {
  const started = new Date().toISOString();
  return {
    reportVersion: 1,
    ok: false,
    dryRun: o.dryRun,
    ...(o.preflight ? { preflight: true } : {}),
    project: r.o.projectName,
    distribution: r.distribution,
    version: r.project.version,
    repositoryUrl: r.endpoints.repositoryUrl,
    indexUrl: r.endpoints.indexUrl,
    credentials: o.credentials,
    attestations: o.attestations,
    validation: 'not run',
    notes: [],
    startedAt: started,
    updatedAt: started,
    error: null,
    errorCode: null,
    files: [],
  };
}

/** The policy of index requests: our retries, the per-request timeout, never past the deadline (`left`: ms remaining). */
function httpPolicy(r: Run, left?: () => number): HttpPolicy {
  return { retries: r.retries, backoffMs: r.o.backoffMs ?? 2000, timeoutMs: r.timeoutMs, secrets: r.secrets, onRetry: (l) => r.sink.err(`[index] ${l}`), ...(left ? { left } : {}) };
}

/** Record the plan's per-file decisions in the report. */
function recordPlan(w: PublishReportWriter, plan: PublishPlan, uploadStatus: 'pending' | 'would-upload', uploadDetail: string): void {
  for (const p of plan.files) {
    const f = w.entry(p.file);
    if (p.action === 'skip') Object.assign(f, { status: 'skipped', detail: 'already on the index with the same sha256' });
    else if (p.action === 'conflict') Object.assign(f, { status: 'failed', detail: `the index has other bytes: sha256 ${p.remoteSha256}` });
    else Object.assign(f, { status: uploadStatus, detail: uploadDetail });
  }
}

/** PyPI's 14-day note for a release that still takes uploads. */
async function ageNote(r: Run, uploads: number, policy: HttpPolicy, report: PublishReport): Promise<void> {
  if (!r.endpoints.jsonApiUrl || !r.project.version || !uploads) return;
  const first = await releaseFirstUploadTime(r.endpoints.jsonApiUrl, r.distribution, r.project.version, policy);
  const note = releaseAgeNote(first, r.o.now ?? new Date(), uploads, r.project.version);
  if (note) {
    report.notes.push(note);
    r.sink.err(`publish: note: ${note}`);
  }
}

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
      throw new QuiverError('BAD_OPTION_UPLOAD_DIR', `option uploadDir is the output of --preflight; pass --preflight too, or drop --uploadDir.`);
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
    throw new QuiverError('BAD_OPTION_UPLOAD_DIR', `option preflight needs --uploadDir=<directory> (workspace-relative or absolute), where the files to upload, SHA256SUMS and ${PUBLISH_PLAN_FILE} are written; e.g. --uploadDir=dist/pypi-upload.`);
  }
  if (o.reportFile !== undefined) {
    throw new QuiverError('BAD_OPTION_REPORT_FILE', `option reportFile does not apply to --preflight, whose report is <uploadDir>/${PUBLISH_PLAN_FILE}; drop --reportFile.`);
  }
  const r = resolveRun(o, sink, secrets);
  const uploadDir = isAbsolute(o.uploadDir) ? o.uploadDir : resolve(r.ws, o.uploadDir);
  checkUploadDir(uploadDir, { workspaceRoot: r.ws, wheelDir: r.wheelDir, shown: r.show(uploadDir) });
  // Nothing below reads credentials, and no tool gets them.
  const env = Object.fromEntries(Object.entries(r.env).filter(([k]) => !SECRET_ENV.includes(k)));
  const report = newReport(r, { dryRun: true, preflight: true, credentials: 'none (preflight: the index is read anonymously)', attestations: 'decided by the upload job (preflight)' });
  const w = new PublishReportWriter(report, null, secrets, env, sink);

  sink.out(`publish --preflight ${r.distribution} ${r.project.version ?? ''} from ${r.show(r.wheelDir)} for ${r.endpoints.repositoryUrl} (no credentials; nothing will be uploaded)`);
  const toolchain = await loadToolchain(r.ws, o.python, prefixed(sink, '[toolchain] '));
  const scope = await releaseScope(r, toolchain, env);
  const release = checkRelease(r, scope, report).release;
  const local = await validatedFiles(r, toolchain, release.selected, env, report);
  report.files = local.map((f) => ({ ...f, status: 'pending', detail: '', attempts: 0 }));

  const policy = httpPolicy(r);
  let remote: IndexFile[];
  try {
    remote = await listProjectFiles(r.endpoints.indexUrl, r.distribution, null, policy);
  } catch (e) {
    if (e instanceof QuiverError && e.code === 'INDEX_AUTH') {
      throw new QuiverError('INDEX_AUTH', `preflight reads ${r.endpoints.indexUrl} anonymously and it asked for credentials; a preflight needs an index with a public simple page (PyPI, TestPyPI): for a private index use publish --dryRun with its credentials instead.`);
    }
    throw e;
  }
  const plan = planPublish({ scope, local, remote });
  recordPlan(w, plan, 'would-upload', `preflight: in ${r.show(join(uploadDir, 'dist'))}`);
  if (plan.stop?.code === 'INDEX_FILE_CONFLICT') {
    const err = conflictError(plan.stop.file, r.endpoints.indexUrl);
    report.error = withCode(err).replace(/nothing further was uploaded/, `nothing was written to ${r.show(uploadDir)}`);
    report.errorCode = err.code;
    w.print();
    w.summary();
    throw new QuiverError(err.code, report.error);
  }
  await ageNote(r, plan.uploads.length, policy, report);

  const uploads = local.filter((f) => plan.uploads.includes(f.file));
  await writeUploadDir(uploadDir, r.wheelDir, uploads, w.json());
  const out = r.env['GITHUB_OUTPUT'];
  if (out) appendFileSync(out, `uploads=${uploads.length}\n`);
  w.print(`; nothing was uploaded: ${uploads.length} file(s) in ${r.show(join(uploadDir, 'dist'))} with SHA256SUMS and ${PUBLISH_PLAN_FILE}`);
  w.summary();
  return report;
}

/** What reading the index back said about one file. */
type ReadBack = { state: 'same' } | { state: 'other'; remoteSha256: string | null } | { state: 'absent' } | { state: 'unknown'; reason: string };

/** A file that is not on the index with our bytes, and why. */
interface FileFailure {
  file: string;
  code: string;
  cause: string;
}

/** `publish`: validate, then upload what the index lacks, one file at a time, each read back. */
async function runPublish(o: PublishOptions, sink: LineSink, rawSink: LineSink, secrets: string[]): Promise<PublishReport> {
  const r = resolveRun(o, sink, secrets);
  const { env, endpoints, distribution, wheelDir, show } = r;
  const dryRun = resolveDryRun(o.dryRun, env);
  const realReportFile = o.reportFile ? (isAbsolute(o.reportFile) ? o.reportFile : resolve(r.ws, o.reportFile)) : join(wheelDir, PUBLISH_REPORT_FILE);
  // A dry run writes beside the real report, never over it (it may record a failed run to finish).
  const reportFile = dryRun ? dryRunReportFile(realReportFile) : realReportFile;

  // Credentials are decided first, so a run without any stops before the (slow) validation.
  const choice = chooseCredentials(env);
  if (choice.kind === 'token') secrets.push(choice.password);
  if (choice.kind === 'oidc') secrets.push(choice.requestToken);
  if (choice.kind === 'none' && !dryRun) throw noCredentialsError(env);
  const attest = decideAttestations(o.attestations, choice.kind, endpoints);

  const report = newReport(r, {
    dryRun,
    preflight: false,
    credentials: choice.kind === 'oidc' ? 'trusted publishing (OIDC)' : choice.kind === 'token' ? `token (${choice.source})` : 'none (dry run)',
    attestations: attest.reason,
  });
  const w = new PublishReportWriter(report, reportFile, secrets, env, sink);
  const fail = (e: QuiverError): never => {
    const message = redact(withCode(e), secrets);
    report.error = message;
    report.errorCode = e.code;
    w.save();
    w.summary();
    sink.err(`report: ${show(reportFile)}`);
    throw new PublishFailed(e.code, message, report);
  };

  sink.out(`publish ${distribution} ${r.project.version ?? ''} from ${show(wheelDir)} to ${endpoints.repositoryUrl}${dryRun ? ' (dry run: nothing will be uploaded)' : ''}`);
  sink.out(`credentials: ${report.credentials}; attestations: ${attest.reason}`);

  // 1. The release, then validation of the very files that will be uploaded.
  const toolchain = await loadToolchain(r.ws, o.python, prefixed(sink, '[toolchain] '));
  const scope = await releaseScope(r, toolchain, env);
  const release = checkRelease(r, scope, report).release;
  const local = await validatedFiles(r, toolchain, release.selected, env, report);
  report.files = local.map((f) => ({ ...f, status: 'pending', detail: '', attempts: 0 }));
  w.save();

  // From the first request to the index on, the whole run has one deadline.
  const deadline = Date.now() + r.deadlineMs;
  const left = () => deadline - Date.now();
  const deadlineError = (what: string) =>
    new QuiverError(
      'PUBLISH_DEADLINE_EXCEEDED',
      `${what} was still unfinished at the deadline (deadlineSeconds=${r.deadlineMs / 1000}); files not listed in the report as uploaded or skipped are not on the index: re-run to finish (files on the index are skipped), or raise --deadlineSeconds for a slow index.`,
    );

  try {
    // 2. The upload token.
    let creds: Credentials | null = null;
    const policy = httpPolicy(r, left);
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

    // 3. What the index already has, and the plan.
    const auth: HttpAuth | null = creds ? { username: creds.username, password: creds.password } : null;
    const plan = planPublish({ scope, local, remote: await listProjectFiles(endpoints.indexUrl, distribution, auth, policy) });
    recordPlan(w, plan, dryRun ? 'would-upload' : 'pending', dryRun ? 'dry run' : '');
    if (plan.stop?.code === 'INDEX_FILE_CONFLICT') {
      w.entry(plan.stop.file.file).code = 'INDEX_FILE_CONFLICT';
      fail(conflictError(plan.stop.file, endpoints.indexUrl));
    }
    const toUpload = dryRun ? [] : [...plan.uploads];
    await ageNote(r, plan.uploads.length, policy, report);
    w.save();

    // 4. Attestations are signed on copies in a staging directory, so the wheel directory stays as validated.
    let uploadDir = wheelDir;
    let staging: string | null = null;
    if (toUpload.length && attest.enabled) {
      staging = join(stateDir(r.ws), 'tmp', `publish-${process.pid}-${Date.now()}`);
      mkdirSync(staging, { recursive: true });
      for (const f of toUpload) copyFileSync(join(wheelDir, f), join(staging, f));
      await signAttestations(toolchain.bin('python'), toUpload.map((f) => join(staging!, f)), endpoints.known === 'testpypi', secrets, sink, env['QUIVER_DEBUG'] === '1');
      uploadDir = staging;
    }

    // 5. Upload what is missing: twine sends each file once (its own retries off: ours are the
    //    only ones) and stops at the first failure; after every run the index is read back, and
    //    only a listing with the local sha256 makes a file "uploaded". The file twine stopped at
    //    is retried by our policy, files it never reached go into the next run.
    const readListing = async (): Promise<{ files: Map<string, string | null> } | { unknown: string }> => {
      try {
        // After the deadline one short read is still made, so the report says what did land.
        const p: HttpPolicy = left() > 0 ? policy : { ...policy, left: undefined, retries: 0, timeoutMs: Math.min(r.timeoutMs, 15_000) };
        return { files: new Map((await listProjectFiles(endpoints.indexUrl, distribution, auth, p)).map((f) => [f.filename, f.sha256])) };
      } catch (e) {
        if (e instanceof QuiverError) return { unknown: redact(withCode(e), secrets) };
        throw e;
      }
    };
    const readBack = (listing: Awaited<ReturnType<typeof readListing>>, file: string, sha: string): ReadBack => {
      if ('unknown' in listing) return { state: 'unknown', reason: listing.unknown };
      if (!listing.files.has(file)) return { state: 'absent' };
      const remote = listing.files.get(file) ?? null;
      return remote === sha ? { state: 'same' } : { state: 'other', remoteSha256: remote };
    };
    const failures: FileFailure[] = [];
    const twineSink = quietResponses(sink);
    try {
      let queue = [...toUpload];
      while (queue.length && creds) {
        if (left() <= 0) fail(deadlineError(`uploading ${queue[0]}`));
        const tw = await twineUploadRun(
          toolchain.bin('python'),
          queue.map((f) => join(uploadDir, f)),
          { repositoryUrl: endpoints.repositoryUrl, username: creds.username, password: creds.password, attestations: attest.enabled, timeoutMs: Math.max(1, left()), requestTimeoutSeconds: r.timeoutMs / 1000, secrets },
          twineSink,
        );
        const run = readTwineRun(tw.exitCode, `${tw.stdout}\n${tw.stderr}`);
        for (const f of run.attempted) if (queue.includes(f)) w.entry(f).attempts++;
        let listing = await readListing();
        // An index may list a new file a moment late (a CDN in front of its simple pages).
        const unlisted = (l: typeof listing) => 'files' in l && run.attempted.some((f) => !l.files.has(f));
        for (let i = 1; run.twineOk && unlisted(listing) && i <= 2 && left() > 0; i++) {
          await sleep(Math.min(left(), backoffMs(i, o.backoffMs ?? 2000)));
          listing = await readListing();
        }
        const next: string[] = [];
        let pause = 0;
        for (const name of queue) {
          const entry = w.entry(name);
          const tried = run.attempted.includes(name);
          const stopped = name === run.failedFile;
          const markFailed = (code: string, cause: string) => {
            Object.assign(entry, { status: 'failed', code, detail: redact(cause, secrets) });
            failures.push({ file: name, code, cause: entry.detail });
          };
          const back = readBack(listing, name, entry.sha256);
          if (back.state === 'same') {
            const existed = !tried || (stopped && entry.attempts === 1 && run.failure?.kind === 'exists');
            Object.assign(entry, {
              status: existed ? 'skipped' : 'uploaded',
              code: undefined,
              detail: existed ? 'already on the index with the same sha256 (read back)' : stopped ? `read back from the index: same sha256 (the answer was lost: ${redact(run.failure!.message, secrets)})` : 'read back from the index: same sha256',
            });
            continue;
          }
          if (back.state === 'other') {
            const c = conflictError({ file: name, sha256: entry.sha256, remoteSha256: back.remoteSha256 }, endpoints.indexUrl);
            markFailed(c.code, `the index has other bytes: sha256 ${back.remoteSha256}`);
            fail(c);
          }
          if (!tried) {
            next.push(name);
            continue;
          }
          const unread = back.state === 'unknown' ? `; reading the index back failed: ${back.reason}` : '';
          if (!stopped) {
            // twine went past it (the index answered 200) but the index does not show it with our bytes.
            markFailed(
              back.state === 'unknown' ? 'UPLOAD_UNCONFIRMED' : 'UPLOAD_NOT_LISTED',
              back.state === 'unknown' ? `the index answered 200 but could not be read back (${back.reason})` : `the index answered 200 but ${endpoints.indexUrl}${distribution}/ does not list the file`,
            );
            continue;
          }
          const f = run.failure!;
          if (tw.exitCode === null) {
            markFailed('PUBLISH_DEADLINE_EXCEEDED', `${f.message} during attempt ${entry.attempts}${unread}`);
            fail(deadlineError(`uploading ${name}`));
          }
          if (f.kind === 'auth') {
            markFailed('UPLOAD_AUTH', f.message);
            fail(new QuiverError('UPLOAD_AUTH', `${endpoints.repositoryUrl} refused the credentials (${redact(f.message, secrets)}) while uploading ${name}; check ${creds.kind === 'oidc' ? 'the trusted publisher' : `${creds.source} (or TWINE_USERNAME/TWINE_PASSWORD)`}; re-run when fixed: files already uploaded are skipped.`));
          }
          if (f.kind === 'retryable' && entry.attempts <= r.retries) {
            pause = backoffMs(entry.attempts, o.backoffMs ?? 2000, MAX_PAUSE_MS, f.retryAfterSeconds);
            if (pause >= left()) {
              markFailed('PUBLISH_DEADLINE_EXCEEDED', `${f.message}; the next attempt (in ${(pause / 1000).toFixed(1)} s) would start after the deadline${unread}`);
              fail(deadlineError(`uploading ${name}`));
            }
            sink.err(`[twine] ${name}: ${redact(f.message, secrets)}; retry ${entry.attempts}/${r.retries} in ${(pause / 1000).toFixed(1)} s${f.retryAfterSeconds ? ` (Retry-After: ${f.retryAfterSeconds} s)` : ''}`);
            entry.detail = redact(`retrying after: ${f.message}`, secrets);
            next.push(name);
            continue;
          }
          if (f.kind === 'retryable') markFailed('UPLOAD_FAILED', `${f.message} (attempt ${entry.attempts} of ${r.retries + 1})${unread}`);
          else markFailed('UPLOAD_REJECTED', `${f.message}${unread}`);
        }
        w.save();
        queue = next;
        if (pause) await sleep(pause);
      }
    } finally {
      if (staging) rmSync(staging, { recursive: true, force: true });
    }
    if (failures.length) {
      const first = failures[0];
      const done = report.files.filter((f) => f.status === 'uploaded').length;
      const fix =
        first.code === 'UPLOAD_REJECTED'
          ? 'fix the cause named by the index, then re-run (files on the index are skipped)'
          : first.code === 'UPLOAD_FAILED'
            ? 'the index kept failing: re-run later to upload the rest (files on the index are skipped), or raise --retries'
            : 're-run: files on the index with the same sha256 are skipped, the rest is uploaded again';
      fail(
        new QuiverError(
          first.code,
          `${failures.length} of ${toUpload.length} file(s) to upload are not on the index with the local bytes: ${failures.map((x) => `${x.file} (${x.code}: ${x.cause})`).join('; ')}; ${done} uploaded (see ${show(reportFile)}); ${fix}.`,
        ),
      );
    }
  } catch (e) {
    if (e instanceof PublishFailed) throw e;
    if (e instanceof QuiverError) fail(e);
    throw e;
  }

  w.save();
  w.print(dryRun ? ' (dry run: the index was not changed)' : '');
  sink.out(`report: ${show(reportFile)}`);
  w.summary();
  return report;
}
