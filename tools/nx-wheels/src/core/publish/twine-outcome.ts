/**
 * Reading one run of the pinned twine with its own retries off (runners/twine), which prints
 * `QUIVER_ATTEMPT {"file"}` before and `QUIVER_RESPONSE {"file", "status", ...}` after each upload
 * (status, Retry-After, the start of the body) and stops at the first failure. The run's outcome
 * says which files were tried, which one it stopped at, why, and whether trying again can help;
 * whether a file is on the index is decided by reading the index back (core/publish/file-outcome), never
 * from twine's progress lines. Also the retry pause. Pure.
 */

/** Why an upload failed. */
type FailureKind =
  /** 5xx, 429, connection refused/reset, per-request timeout: try again after a pause. */
  | 'retryable'
  /** 401/403: the index refused the credentials. */
  | 'auth'
  /** 400 "File already exists" / 409: compare digests with the index. */
  | 'exists'
  /** Anything else (4xx with a reason, invalid distribution). */
  | 'fatal';

/** The index's answer to one upload as the twine wrapper reports it. */
interface UploadResponse {
  file: string;
  status: number;
  /** The Retry-After header, verbatim, or null. */
  retryAfter: string | null;
  /** The start of the response body (the wrapper cuts it at 2000 characters). */
  body: string;
  reason: string;
}

/** Why a run stopped, and what may help. */
export interface UploadFailure {
  kind: FailureKind;
  status: number | null;
  message: string;
  retryAfterSeconds: number | null;
}

/** The outcome of one twine run. */
export interface TwineRun {
  /** twine exited 0. */
  twineOk: boolean;
  /** Files twine sent (or began to send), in order. */
  attempted: string[];
  /** The last answer per file. */
  responses: Record<string, UploadResponse>;
  /** The file twine stopped at (the last one tried), or null when it exited 0 or failed before any file. */
  failedFile: string | null;
  /** Why it stopped, or null when twine exited 0. */
  failure: UploadFailure | null;
}

/** Markers of the wrapper's lines. */
export const ATTEMPT_MARKER = 'QUIVER_ATTEMPT ';
export const RESPONSE_MARKER = 'QUIVER_RESPONSE ';

/** Classify an HTTP status. */
function classifyStatus(status: number, text = ''): FailureKind {
  if (status === 429 || status >= 500) return 'retryable';
  if (status === 401 || status === 403) return 'auth';
  if (status === 409 || (status === 400 && /already exist/i.test(text))) return 'exists';
  return 'fatal';
}

/**
 * Seconds to wait from a Retry-After value (RFC 9110 10.2.3: delay-seconds or an HTTP-date).
 * @returns null when absent or unreadable
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, Math.ceil((t - now.getTime()) / 1000)) : null;
}

/** An error body as shown to the user: whitespace folded, cut at `max` characters (redact it before showing). */
function truncateBody(body: string, max = 200): string {
  const one = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}... (${one.length - max} more characters)` : one;
}

function marked<T>(line: string, marker: string): T | null {
  const at = line.indexOf(marker);
  if (at < 0) return null;
  try {
    return JSON.parse(line.slice(at + marker.length)) as T;
  } catch {
    return null;
  }
}

/**
 * Interpret one finished twine run.
 * @param exitCode twine's exit code (null when it was killed: the run's deadline)
 * @param output stdout + stderr (redacted)
 */
export function readTwineRun(exitCode: number | null, output: string): TwineRun {
  const attempted: string[] = [];
  const responses: Record<string, UploadResponse> = {};
  const rest: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    const a = marked<{ file?: string }>(line, ATTEMPT_MARKER);
    const r = marked<Partial<UploadResponse>>(line, RESPONSE_MARKER);
    if (a?.file) attempted.push(a.file);
    else if (r?.file && typeof r.status === 'number') responses[r.file] = { file: r.file, status: r.status, retryAfter: r.retryAfter ?? null, body: String(r.body ?? ''), reason: String(r.reason ?? '') };
    else if (!line.includes(ATTEMPT_MARKER) && !line.includes(RESPONSE_MARKER)) rest.push(line);
  }
  if (exitCode === 0) return { twineOk: true, attempted, responses, failedFile: null, failure: null };
  const failedFile = attempted.length ? attempted[attempted.length - 1] : null;
  const fail = (failure: UploadFailure): TwineRun => ({ twineOk: false, attempted, responses, failedFile, failure });
  if (exitCode === null) return fail({ kind: 'retryable', status: null, message: 'stopped at the deadline (deadlineSeconds)', retryAfterSeconds: null });
  const response = failedFile ? responses[failedFile] : undefined;
  if (response && response.status !== 200) {
    const body = truncateBody(response.body);
    const message = `HTTP ${response.status}${response.reason ? ` ${response.reason}` : ''}${body ? `: ${body}` : ''}`;
    return fail({ kind: classifyStatus(response.status, `${response.reason} ${response.body}`), status: response.status, message, retryAfterSeconds: parseRetryAfter(response.retryAfter) });
  }
  const text = rest.join('\n');
  const strip = (l: string) => l.replace(/^\[[^\]]*\]\s*/, '').trim();
  if (/ReadTimeout|ConnectTimeout|timed out/.test(text)) {
    return fail({ kind: 'retryable', status: null, message: 'no answer within the per-request timeout (timeoutSeconds)', retryAfterSeconds: null });
  }
  if (/ConnectionError|ConnectionRefused|Connection refused|Connection aborted|RemoteDisconnected|ConnectionResetError|Max retries exceeded|ChunkedEncodingError|ProtocolError/.test(text)) {
    const last = [...rest].reverse().find((l) => /Error/.test(l));
    return fail({ kind: 'retryable', status: null, message: `network error: ${last ? strip(last).slice(0, 300) : 'connection error'}`, retryAfterSeconds: null });
  }
  const nonEmpty = rest.filter((l) => l.trim());
  const last = [...nonEmpty].reverse().find((l) => /ERROR|Error|Exception|Invalid/.test(l)) ?? nonEmpty[nonEmpty.length - 1];
  return fail({ kind: 'fatal', status: null, message: last ? strip(last).replace(/^ERROR\s+/, '').slice(0, 300) : `twine exited ${exitCode}`, retryAfterSeconds: null });
}

/** Longest pause before a retry, and the most a Retry-After may ask for (ms). */
export const MAX_PAUSE_MS = 120_000;

/**
 * Pause before retry number `attempt` (1-based): exponential from `baseMs` with jitter (between
 * half and all of it, so parallel jobs do not retry in step), capped at `capMs`; a server's
 * Retry-After (seconds) is honoured when it asks for longer, up to the cap.
 * @param random a number in [0, 1) (tests pass a fixed one)
 */
export function backoffMs(attempt: number, baseMs: number, capMs = MAX_PAUSE_MS, retryAfterSeconds?: number | null, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exp * (0.5 + random() / 2));
  const ra = retryAfterSeconds && retryAfterSeconds > 0 ? Math.min(capMs, retryAfterSeconds * 1000) : 0;
  return Math.max(jittered, ra);
}
