/**
 * What one twine run means for each file it was given: the upload session (pipeline/publish/upload)
 * runs twine, reads the index back, and asks {@link decideFileOutcome} for every file still queued.
 * Only a listing with the local sha256 makes a file uploaded; twine's exit code and the index's
 * answers decide whether to try again, give up on the file, or stop the whole run. Pure: texts are
 * returned unredacted, the caller redacts them with the run's secrets.
 */
import { QuiverError } from '../errors';
import type { ErrorCode } from '../error-catalog';
import { conflictError } from './plan';
import { backoffMs, MAX_PAUSE_MS, UploadFailure } from './twine-outcome';

/** What reading the index back said about one file. */
export type ReadBack =
  { state: 'same' } | { state: 'other'; remoteSha256: string | null } | { state: 'absent' } | { state: 'unknown'; reason: string };

/** One queued file after one twine run. */
export interface FileAttempt {
  file: string;
  /** Lower-case hex sha256 of the local file. */
  sha256: string;
  /** Upload attempts of this file so far, this run's included. */
  attempts: number;
  /** The index read back after the run. */
  back: ReadBack;
  /** twine sent (or began to send) the file in this run. */
  tried: boolean;
  /** twine stopped at this file (the run's `failedFile`). */
  stopped: boolean;
  /** Why twine stopped (the run's `failure`), or null when it exited 0. */
  failure: UploadFailure | null;
  /** twine was killed at the run's deadline (exit code null). */
  killed: boolean;
}

/** Facts of the whole upload session the decision and its messages need. */
export interface SessionFacts {
  indexUrl: string;
  repositoryUrl: string;
  /** Normalized distribution name, as in the index's simple page URL. */
  distribution: string;
  credentials: { kind: 'oidc' | 'token'; source: string };
  /** Retries of one file after a failed attempt (option retries). */
  retries: number;
  /** Option deadlineSeconds, for the messages. */
  deadlineSeconds: number;
  /** First backoff pause (ms). */
  backoffBaseMs: number;
  /** Time left before the session's deadline (ms). */
  leftMs: number;
  /** Jitter source in [0, 1) for the backoff (tests pass a fixed one). */
  random?: () => number;
}

/**
 * The decision for one file:
 * - `uploaded` / `skipped`: the index lists it with the local sha256 (skipped when it was there before);
 * - `retry`: queue it for the next twine run, after `pauseMs` (0 for a file twine never reached);
 *   `line` is what to print, `detail` what the report says meanwhile (both absent when untried);
 * - `failed`: give up on this file, keep uploading the others; the run fails at the end;
 * - `fatal`: give up on this file and stop the run with `error`.
 */
export type FileOutcome =
  | { kind: 'uploaded' | 'skipped'; detail: string }
  | { kind: 'retry'; pauseMs: number; line?: string; detail?: string }
  | { kind: 'failed'; code: ErrorCode; cause: string }
  | { kind: 'fatal'; code: ErrorCode; cause: string; error: QuiverError };

/** `PUBLISH_DEADLINE_EXCEEDED` for `what` (e.g. `uploading x.whl`) still unfinished at the deadline. */
export function deadlineError(what: string, deadlineSeconds: number): QuiverError {
  return new QuiverError(
    'PUBLISH_DEADLINE_EXCEEDED',
    `${what} was still unfinished at the deadline (deadlineSeconds=${deadlineSeconds}); files not listed in the report as uploaded or skipped are not on the index: re-run to finish (files on the index are skipped), or raise --deadlineSeconds for a slow index.`,
  );
}

/** Decide one queued file after one twine run (see {@link FileOutcome}). */
export function decideFileOutcome(a: FileAttempt, s: SessionFacts): FileOutcome {
  const { back, failure: f } = a;
  if (back.state === 'same') return onTheIndex(a);
  if (back.state === 'other') {
    const error = conflictError({ file: a.file, sha256: a.sha256, remoteSha256: back.remoteSha256 }, s.indexUrl);
    return { kind: 'fatal', code: error.code, cause: `the index has other bytes: sha256 ${back.remoteSha256}`, error };
  }
  if (!a.tried) return { kind: 'retry', pauseMs: 0 };
  if (!a.stopped || !f) {
    // twine went past it (the index answered 200) but the index does not show it with our bytes.
    if (back.state === 'unknown')
      return { kind: 'failed', code: 'UPLOAD_UNCONFIRMED', cause: `the index answered 200 but could not be read back (${back.reason})` };
    return {
      kind: 'failed',
      code: 'UPLOAD_NOT_LISTED',
      cause: `the index answered 200 but ${s.indexUrl}${s.distribution}/ does not list the file`,
    };
  }
  const unread = back.state === 'unknown' ? `; reading the index back failed: ${back.reason}` : '';
  const deadline = (cause: string): FileOutcome => ({
    kind: 'fatal',
    code: 'PUBLISH_DEADLINE_EXCEEDED',
    cause,
    error: deadlineError(`uploading ${a.file}`, s.deadlineSeconds),
  });
  if (a.killed) return deadline(`${f.message} during attempt ${a.attempts}${unread}`);
  if (f.kind === 'auth') {
    const check = s.credentials.kind === 'oidc' ? 'the trusted publisher' : `${s.credentials.source} (or TWINE_USERNAME/TWINE_PASSWORD)`;
    const error = new QuiverError(
      'UPLOAD_AUTH',
      `${s.repositoryUrl} refused the credentials (${f.message}) while uploading ${a.file}; check ${check}; re-run when fixed: files already uploaded are skipped.`,
    );
    return { kind: 'fatal', code: 'UPLOAD_AUTH', cause: f.message, error };
  }
  if (f.kind === 'retryable' && a.attempts <= s.retries) {
    const pauseMs = backoffMs(a.attempts, s.backoffBaseMs, MAX_PAUSE_MS, f.retryAfterSeconds, s.random);
    const seconds = (pauseMs / 1000).toFixed(1);
    if (pauseMs >= s.leftMs) return deadline(`${f.message}; the next attempt (in ${seconds} s) would start after the deadline${unread}`);
    const retryAfter = f.retryAfterSeconds ? ` (Retry-After: ${f.retryAfterSeconds} s)` : '';
    return {
      kind: 'retry',
      pauseMs,
      line: `[twine] ${a.file}: ${f.message}; retry ${a.attempts}/${s.retries} in ${seconds} s${retryAfter}`,
      detail: `retrying after: ${f.message}`,
    };
  }
  if (f.kind === 'retryable')
    return { kind: 'failed', code: 'UPLOAD_FAILED', cause: `${f.message} (attempt ${a.attempts} of ${s.retries + 1})${unread}` };
  return { kind: 'failed', code: 'UPLOAD_REJECTED', cause: `${f.message}${unread}` };
}

/** A file the index lists with our bytes: skipped when it was there before we sent it, else uploaded. */
function onTheIndex(a: FileAttempt): FileOutcome {
  const existed = !a.tried || (a.stopped && a.attempts === 1 && a.failure?.kind === 'exists');
  if (existed) return { kind: 'skipped', detail: 'already on the index with the same sha256 (read back)' };
  if (a.stopped && a.failure)
    return { kind: 'uploaded', detail: `read back from the index: same sha256 (the answer was lost: ${a.failure.message})` };
  return { kind: 'uploaded', detail: 'read back from the index: same sha256' };
}

/** A file that is not on the index with our bytes, and why. */
export interface FileFailure {
  file: string;
  code: ErrorCode;
  cause: string;
}

/**
 * The error a run ends with when files failed but the run went on: coded after the first failure,
 * listing every failure and the fix.
 * @param toUpload how many files the run set out to upload
 * @param uploaded how many of them are uploaded
 * @param reportShown the report file as shown to the user
 */
export function uploadFailuresError(
  failures: readonly FileFailure[],
  toUpload: number,
  uploaded: number,
  reportShown: string,
): QuiverError {
  const first = failures[0];
  const fix =
    first.code === 'UPLOAD_REJECTED'
      ? 'fix the cause named by the index, then re-run (files on the index are skipped)'
      : first.code === 'UPLOAD_FAILED'
        ? 'the index kept failing: re-run later to upload the rest (files on the index are skipped), or raise --retries'
        : 're-run: files on the index with the same sha256 are skipped, the rest is uploaded again';
  const listed = failures.map((x) => `${x.file} (${x.code}: ${x.cause})`).join('; ');
  return new QuiverError(
    first.code,
    `${failures.length} of ${toUpload} file(s) to upload are not on the index with the local bytes: ${listed}; ${uploaded} uploaded (see ${reportShown}); ${fix}.`,
  );
}
