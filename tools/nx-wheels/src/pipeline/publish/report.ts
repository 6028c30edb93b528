/**
 * Writing the publish report: `publish-report.json` rewritten atomically after every step (so a
 * run that stops part-way leaves an accurate record), the Markdown table appended to
 * `$GITHUB_STEP_SUMMARY`, and the terminal table with its summary line. Every text is redacted of
 * the run's secrets before it is written or printed. The formats are core/publish/report's.
 * Also the one failure path of a run that has a report: {@link PublishReportWriter.fail}.
 */
import { appendFileSync } from 'node:fs';
import { QuiverError } from '../../core/errors';
import type { ErrorCode } from '../../core/error-catalog';
import { formatCounts, formatPublishMarkdown, formatPublishTable, isComplete, PublishReport } from '../../core/publish/report';
import { LineSink, redact } from '../../runners/process';
import { writeFileAtomic } from '../files';

/** Thrown when the run failed after a report was written; carries the report. */
class PublishFailed extends QuiverError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly report: PublishReport,
  ) {
    super(code, message);
  }
}

/** `e.message` starting with its code (`UPLOAD_FAILED: ...`), as every publish failure is printed and recorded. */
export function withCode(e: QuiverError): string {
  return e.message.startsWith(`${e.code}:`) ? e.message : `${e.code}: ${e.message}`;
}

/** The report of one publish run and where it goes. */
export class PublishReportWriter {
  /**
   * @param report the report, updated in place by the pipeline
   * @param file where `save()` writes it (absolute), or null to keep it in memory (preflight, whose
   *   report is written into the upload directory only when the plan is complete)
   * @param secrets redacted from everything written or printed (the array may grow during the run)
   * @param env for `GITHUB_STEP_SUMMARY`
   * @param sink where the table and the warnings go
   * @param shownFile `file` as shown to the user (the `report:` line of a failure)
   */
  constructor(
    readonly report: PublishReport,
    readonly file: string | null,
    private readonly secrets: string[],
    private readonly env: Record<string, string | undefined>,
    private readonly sink: LineSink,
    readonly shownFile = file ?? '',
  ) {}

  /** The file entry of `name` (it must be one of the report's files). */
  entry(name: string): PublishReport['files'][number] {
    return this.report.files.find((x) => x.file === name)!;
  }

  /** The report as redacted JSON text (with `ok` and `updatedAt` brought up to date). */
  json(): string {
    this.report.updatedAt = new Date().toISOString();
    this.report.ok = isComplete(this.report);
    return redact(JSON.stringify(this.report, null, 2), this.secrets) + '\n';
  }

  /** Rewrite the report file atomically (no-op without a file). */
  save(): void {
    const text = this.json();
    if (this.file) writeFileAtomic(this.file, text);
  }

  /** Append the Markdown summary to `$GITHUB_STEP_SUMMARY` when set; a failure to append is a warning. */
  summary(): void {
    const file = this.env['GITHUB_STEP_SUMMARY'];
    if (!file) return;
    try {
      appendFileSync(file, redact(formatPublishMarkdown(this.report), this.secrets) + '\n');
    } catch (e) {
      this.sink.err(`publish: could not append to GITHUB_STEP_SUMMARY (${(e as Error).message})`);
    }
  }

  /** Print the table (file, size, sha256, status, detail) and the one-line counts, with `suffix` after the counts. */
  print(suffix = ''): void {
    for (const line of formatPublishTable(this.report).split('\n')) this.sink.out(redact(line, this.secrets));
    this.sink.out(redact(`${formatCounts(this.report)}${suffix}`, this.secrets));
  }

  /**
   * The one way a run with a report fails: record `<CODE>: <message>` (redacted) as the report's
   * error, then save it, append the step summary and say where the report is (with a file), or print
   * the table (preflight, which writes nothing when it fails).
   * @param message the text to record; default `e`'s message with its code
   * @throws PublishFailed always, carrying the report
   */
  fail(e: QuiverError, message = withCode(e)): never {
    const text = redact(message, this.secrets);
    this.report.error = text;
    this.report.errorCode = e.code;
    if (this.file) {
      this.save();
      this.summary();
      this.sink.err(`report: ${this.shownFile}`);
    } else {
      this.print();
      this.summary();
    }
    throw new PublishFailed(e.code, text, this.report);
  }
}
