/**
 * What every publish run (preflight or upload) works from: the options, resolved and checked once
 * into a {@link PublishContext}, and the small steps both share (the report skeleton, the index
 * request policy, recording the plan, PyPI's 14-day note, the line sinks).
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BuildKind } from '../../core/build-kind';
import { QuiverError } from '../../core/errors';
import { Platform } from '../../core/identifiers';
import { normalizeName } from '../../core/names';
import { ProjectConfig, releasePlatformsSource, selectionEnvironment, withProjectConfig } from '../../core/project-config';
import { AttestationsOption } from '../../core/publish/attestations';
import { IndexEndpoints, resolveEndpoints } from '../../core/publish/endpoints';
import { PublishPlan } from '../../core/publish/plan';
import { PublishReport, releaseAgeNote } from '../../core/publish/report';
import { ATTEMPT_MARKER, RESPONSE_MARKER } from '../../core/publish/twine-outcome';
import { DEFAULT_RELEASE_PLATFORMS, PythonProject } from '../../core/pyproject';
import { resolvePlatforms } from '../../core/validation/options';
import { HttpPolicy, releaseFirstUploadTime } from '../../runners/index-client';
import { LineSink, redact } from '../../runners/process';
import type { PublishExecutorSchema } from '../../executors/publish/schema';
import type { TokenProject } from '../../core/schema-options';
import { loadBuildKind, loadPythonProject } from '../project';
import { PublishReportWriter } from './report';

/**
 * Inputs of {@link publish}: the executor's options (schema.json; `platforms`, `attestations` and
 * `projectConfig` as the pipeline types them) plus what Nx, rehearse-release and tests supply.
 */
export interface PublishOptions extends Omit<PublishExecutorSchema, 'platforms' | 'attestations' | 'projectConfig'>, TokenProject {
  workspaceRoot: string;
  attestations?: AttestationsOption;
  /** The platforms whose identifiers make the release: `release` (default), `host`, `linux`, `windows`, as a list or comma-separated. */
  platforms?: string | string[];
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

/** `sink` with the run's secrets redacted from every line. */
export function redactingSink(sink: LineSink, secrets: string[]): LineSink {
  return { out: (l) => sink.out(redact(l, secrets)), err: (l) => sink.err(redact(l, secrets)) };
}

/** `sink` with `prefix` before every line, e.g. `[validate] `. */
export function prefixed(sink: LineSink, prefix: string): LineSink {
  return { out: (l) => sink.out(prefix + l), err: (l) => sink.err(prefix + l) };
}

function resolveRetries(v: number | string | undefined): number {
  if (v === undefined) return 3;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 20)
    throw new QuiverError('BAD_OPTION_RETRIES', `option retries: "${v}" is not a whole number from 0 to 20.`);
  return n;
}

/** Default per-request time limit (s): a 100 MB wheel at 1 MB/s, with room to spare. */
const DEFAULT_TIMEOUT_SECONDS = 300;
/** Default deadline of the whole exchange with the index (s). */
const DEFAULT_DEADLINE_SECONDS = 1200;

function resolveSeconds(v: number | string | undefined, option: 'timeoutSeconds' | 'deadlineSeconds', dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new QuiverError(
      option === 'timeoutSeconds' ? 'BAD_OPTION_TIMEOUT_SECONDS' : 'BAD_OPTION_DEADLINE_SECONDS',
      `option ${option}: "${v}" is not a positive number of seconds; e.g. --${option}=${dflt}.`,
    );
  }
  return n;
}

/** The twine wrapper's QUIVER_RESPONSE lines are for the outcome reader, not for people: the retry line says it. */
export function quietResponses(sink: LineSink): LineSink {
  const keep = (l: string) => !l.includes(RESPONSE_MARKER) && !l.includes(ATTEMPT_MARKER);
  return { out: (l) => keep(l) && sink.out(l), err: (l) => keep(l) && sink.err(l) };
}

/** A boolean option as Nx passes it (true, or the string `true`). */
export const flag = (v: boolean | string | undefined) => v === true || v === 'true';

/** `dryRun` option, else `NX_DRY_RUN=true`. */
export function resolveDryRun(option: boolean | string | undefined, env: Record<string, string | undefined>): boolean {
  if (option !== undefined) return flag(option);
  return env['NX_DRY_RUN'] === 'true';
}

/** What every publish run works from, resolved from the options. */
export interface PublishContext {
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

/**
 * Resolve and check the options (endpoints, retries, time limits, project, platforms, wheel directory).
 * @param secrets the run's secrets, redacted from every line (the array grows as tokens are minted)
 * @throws QuiverError `BAD_OPTION_*`, `WHEELHOUSE_NOT_FOUND`, and the project's own errors
 */
export function resolveContext(o: PublishOptions, sink: LineSink, secrets: string[]): PublishContext {
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
    throw new QuiverError(
      'WHEELHOUSE_NOT_FOUND',
      `${show(wheelDir)} is not a directory; build the wheels first (nx run ${o.projectName}:build-wheels) or pass --wheelDir=<directory with the downloaded wheels>.`,
    );
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
    releasePlatformsSource:
      releasePlatformsSource(pyproject, o.projectConfig) ??
      `the default; set [tool.nx-wheels] release-platforms in ${project.file} to change it`,
    kind,
    requestedPlatforms,
    allowPartial: flag(o.allowPartial),
    sink,
    secrets,
  };
}

/** The report skeleton of a run: nothing decided yet (`ok` false, no files). */
export function newReport(
  r: PublishContext,
  o: { dryRun: boolean; preflight: boolean; credentials: string; attestations: string },
): PublishReport {
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
export function httpPolicy(r: PublishContext, left?: () => number): HttpPolicy {
  return {
    retries: r.retries,
    backoffMs: r.o.backoffMs ?? 2000,
    timeoutMs: r.timeoutMs,
    secrets: r.secrets,
    onRetry: (l) => r.sink.err(`[index] ${l}`),
    ...(left ? { left } : {}),
  };
}

/** Record the plan's per-file decisions in the report. */
export function recordPlan(
  w: PublishReportWriter,
  plan: PublishPlan,
  uploadStatus: 'pending' | 'would-upload',
  uploadDetail: string,
): void {
  for (const p of plan.files) {
    const f = w.entry(p.file);
    if (p.action === 'skip') Object.assign(f, { status: 'skipped', detail: 'already on the index with the same sha256' });
    else if (p.action === 'conflict') Object.assign(f, { status: 'failed', detail: `the index has other bytes: sha256 ${p.remoteSha256}` });
    else Object.assign(f, { status: uploadStatus, detail: uploadDetail });
  }
}

/** PyPI's 14-day note for a release that still takes uploads. */
export async function ageNote(r: PublishContext, uploads: number, policy: HttpPolicy, report: PublishReport): Promise<void> {
  if (!r.endpoints.jsonApiUrl || !r.project.version || !uploads) return;
  const first = await releaseFirstUploadTime(r.endpoints.jsonApiUrl, r.distribution, r.project.version, policy);
  const note = releaseAgeNote(first, r.o.now ?? new Date(), uploads, r.project.version);
  if (note) {
    report.notes.push(note);
    r.sink.err(`publish: note: ${note}`);
  }
}
