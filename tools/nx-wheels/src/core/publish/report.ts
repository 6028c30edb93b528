/**
 * The publish report: `publish-report.json` (rewritten after every step, so a failure part-way
 * leaves an accurate record), the terminal table and the Markdown summary for
 * `$GITHUB_STEP_SUMMARY`. Pure.
 */
import { formatSize, formatTable } from '../build-report';

/** Default report file name. */
export const PUBLISH_REPORT_FILE = 'publish-report.json';

/**
 * Where a dry run writes its report, beside the real one: `publish-report.json` ->
 * `publish-report.dry-run.json`, so a dry run never replaces the record of a real (e.g. failed) run.
 */
export function dryRunReportFile(reportFile: string): string {
  return /\.json$/i.test(reportFile) ? reportFile.replace(/\.json$/i, '.dry-run.json') : `${reportFile}.dry-run.json`;
}

/** Status of one file. */
type FileStatus =
  /** Not tried yet (a run that stopped earlier). */
  | 'pending'
  /** Uploaded by this run: the index lists it afterwards with our sha256 (read back). */
  | 'uploaded'
  /** Already on the index with the same sha256. */
  | 'skipped'
  /** Dry run or preflight: would be uploaded. */
  | 'would-upload'
  /** Not on the index with our bytes after this run: `code` and `detail` say why. */
  | 'failed';

/** One file in the report. */
interface PublishedFile {
  file: string;
  sha256: string;
  size: number;
  status: FileStatus;
  /** Why skipped / why failed / the index's digest on a conflict. */
  detail: string;
  /** Upload attempts made by this run. */
  attempts: number;
  /** For `failed`: the documented error code (docs/publishing.md), e.g. `UPLOAD_FAILED`. */
  code?: string;
}

/** `publish-report.json` (version 1). */
export interface PublishReport {
  reportVersion: 1;
  /** True when every file is uploaded or skipped (or would be, in a dry run). */
  ok: boolean;
  /** True for a dry run and for a preflight: nothing is uploaded. */
  dryRun: boolean;
  /** True for `publish --preflight` (no credentials; the plan handed to the upload job). */
  preflight?: boolean;
  project: string;
  distribution: string;
  version: string | null;
  repositoryUrl: string;
  indexUrl: string;
  /** e.g. `trusted publishing (OIDC)`, `token (PYPI_API_TOKEN)`. Never the secret. */
  credentials: string;
  attestations: string;
  /** How the files were validated: `validate-wheels ran (<report>)` or `validation report <file> (sha256s match)`. */
  validation: string;
  /** The release check: the platforms asked for, the identifiers expected, those without a wheel, whether the run is a partial release (`allowPartial`). */
  release?: { platforms: string[]; expected: string[]; missing: string[]; partial: boolean };
  /** `PARTIAL RELEASE ...` (first, when partial) and PyPI's 14-day rule note, when they apply. */
  notes: string[];
  startedAt: string;
  updatedAt: string;
  /** The error that stopped the run, when one did (one line starting with its code, redacted). */
  error: string | null;
  /** The code of `error` (docs/publishing.md), or null. */
  errorCode: string | null;
  files: PublishedFile[];
}

/** Counts per status. */
function countStatuses(files: readonly PublishedFile[]): Record<FileStatus, number> {
  const c: Record<FileStatus, number> = { pending: 0, uploaded: 0, skipped: 0, 'would-upload': 0, failed: 0 };
  for (const f of files) c[f.status]++;
  return c;
}

/** Whether a report is complete and error-free. */
export function isComplete(r: Pick<PublishReport, 'files' | 'error' | 'dryRun'>): boolean {
  // ok only when nothing stopped the run and every file is on the index with our bytes (or would be).
  return r.error === null && r.files.every((f) => f.status === 'uploaded' || f.status === 'skipped' || (r.dryRun && f.status === 'would-upload'));
}

/** Days after a release's first upload during which PyPI accepts new files for it (as this project's release process assumes). */
const RELEASE_FILE_WINDOW_DAYS = 14;

/**
 * The note about PyPI's rule that a release older than 14 days takes no new files, when it
 * applies: the release exists, its first file was uploaded more than 14 days before `now`, and
 * files are still to be uploaded.
 * @param firstUploadTime earliest `upload_time` of the release's files (JSON API), or null
 */
export function releaseAgeNote(firstUploadTime: string | null, now: Date, filesToUpload: number, version: string): string | null {
  if (!firstUploadTime || filesToUpload === 0) return null;
  const t = Date.parse(firstUploadTime.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(firstUploadTime) ? firstUploadTime : firstUploadTime + 'Z');
  if (!Number.isFinite(t)) return null;
  const days = (now.getTime() - t) / 86_400_000;
  if (days <= RELEASE_FILE_WINDOW_DAYS) return null;
  return `release ${version} was first uploaded ${Math.floor(days)} days ago (${firstUploadTime}); PyPI takes no new files for a release older than ${RELEASE_FILE_WINDOW_DAYS} days, so these uploads may be refused: publish them as a new version (e.g. a .post release).`;
}

/** The terminal table: file, size, sha256, status, detail. */
export function formatPublishTable(r: PublishReport): string {
  const rows = r.files.map((f) => [f.file, formatSize(f.size), f.sha256, f.status, f.code ? `${f.code}: ${f.detail}` : f.detail]);
  return formatTable(['file', 'size', 'sha256', 'status', 'detail'], rows);
}

/** One summary line: `2 uploaded, 1 skipped (already on the index), 0 failed`. */
export function formatCounts(r: PublishReport): string {
  const c = countStatuses(r.files);
  const parts = r.preflight ? [`${c['would-upload']} to upload`] : r.dryRun ? [`${c['would-upload']} would be uploaded`] : [`${c.uploaded} uploaded`];
  parts.push(`${c.skipped} skipped (already on the index, same sha256)`, `${c.failed} failed`);
  if (c.pending) parts.push(`${c.pending} not attempted`);
  return parts.join(', ');
}

const md = (s: string) => s.replace(/\|/g, '\\|');

/** Markdown for `$GITHUB_STEP_SUMMARY`. */
export function formatPublishMarkdown(r: PublishReport): string {
  const ok = isComplete(r);
  const head = `### ${ok ? '✅' : '❌'} publish ${md(r.distribution)} ${md(r.version ?? '')}${r.preflight ? ' (preflight)' : r.dryRun ? ' (dry run)' : ''} to ${md(r.repositoryUrl)}`;
  const lines = [
    head,
    '',
    `${formatCounts(r)}. Credentials: ${md(r.credentials)}. Attestations: ${md(r.attestations)}. Validation: ${md(r.validation)}.`,
    '',
    '| file | sha256 | status | detail |',
    '|---|---|---|---|',
    ...r.files.map((f) => `| \`${md(f.file)}\` | \`${f.sha256}\` | ${f.status} | ${md(f.code ? `${f.code}: ${f.detail}` : f.detail)} |`),
  ];
  for (const n of r.notes) lines.push('', `> ${md(n)}`);
  if (r.error) lines.push('', `**Error:** ${md(r.error)}`);
  return lines.join('\n') + '\n';
}
