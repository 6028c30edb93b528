/**
 * Reading one upload attempt: a run of the pinned twine on ONE file with its own retries off
 * (runners/twine), which prints one `QUIVER_RESPONSE {...}` line per HTTP answer it got (status,
 * Retry-After, the start of the body). The attempt's outcome says only whether it failed and
 * whether trying again can help; whether the file is on the index is decided by reading the index
 * back (pipeline/publish), never from twine's progress lines. Also the retry pause. Pure.
 */

/** Why an attempt failed. */
export type FailureKind =
  /** 5xx, 429, connection refused/reset, per-request timeout: try again after a pause. */
  | 'retryable'
  /** 401/403: the index refused the credentials. */
  | 'auth'
  /** 400 "File already exists" / 409: compare digests with the index. */
  | 'exists'
  /** Anything else (4xx with a reason, invalid distribution). */
  | 'fatal';

/** The index's answer as the twine wrapper reports it. */
export interface UploadResponse {
  status: number;
  /** The Retry-After header, verbatim, or null. */
  retryAfter: string | null;
  /** The start of the response body (the wrapper cuts it at 2000 characters). */
  body: string;
  reason: string;
}

/** The outcome of one attempt. */
export interface UploadAttempt {
  /** twine exited 0. */
  twineOk: boolean;
  /** The last HTTP answer, when there was one. */
  response: UploadResponse | null;
  /** Why it failed, or null when twine exited 0. */
  failure: { kind: FailureKind; status: number | null; message: string; retryAfterSeconds: number | null } | null;
}

/** Marker of the wrapper's response lines. */
export const RESPONSE_MARKER = 'QUIVER_RESPONSE ';

/** Classify an HTTP status. */
export function classifyStatus(status: number, text = ''): FailureKind {
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
export function truncateBody(body: string, max = 200): string {
  const one = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}... (${one.length - max} more characters)` : one;
}

/**
 * Interpret one finished twine run over one file.
 * @param exitCode twine's exit code (null when it was killed, e.g. by the time limit)
 * @param output stdout + stderr (redacted)
 * @param killedBy why it was killed when `exitCode` is null: the per-request timeout or the deadline
 */
export function readUploadAttempt(exitCode: number | null, output: string, killedBy: 'timeout' | 'deadline' | null = null): UploadAttempt {
  let response: UploadResponse | null = null;
  for (const line of output.split(/\r?\n/)) {
    const at = line.indexOf(RESPONSE_MARKER);
    if (at < 0) continue;
    try {
      const r = JSON.parse(line.slice(at + RESPONSE_MARKER.length)) as Partial<UploadResponse>;
      if (typeof r.status === 'number') response = { status: r.status, retryAfter: r.retryAfter ?? null, body: String(r.body ?? ''), reason: String(r.reason ?? '') };
    } catch {
      // not one of ours
    }
  }
  if (exitCode === 0) return { twineOk: true, response, failure: null };
  if (exitCode === null) {
    const message = killedBy === 'deadline' ? 'stopped at the deadline (deadlineSeconds)' : 'no answer within the per-request timeout (timeoutSeconds)';
    return { twineOk: false, response, failure: { kind: 'retryable', status: null, message, retryAfterSeconds: null } };
  }
  if (response && response.status !== 200) {
    const body = truncateBody(response.body);
    const message = `HTTP ${response.status}${response.reason ? ` ${response.reason}` : ''}${body ? `: ${body}` : ''}`;
    return { twineOk: false, response, failure: { kind: classifyStatus(response.status, `${response.reason} ${response.body}`), status: response.status, message, retryAfterSeconds: parseRetryAfter(response.retryAfter) } };
  }
  const lines = output.split(/\r?\n/).filter((l) => !l.includes(RESPONSE_MARKER));
  if (/ConnectionError|ConnectionRefused|Connection refused|Connection aborted|RemoteDisconnected|ConnectionResetError|ReadTimeout|ConnectTimeout|Max retries exceeded|ChunkedEncodingError|ProtocolError/.test(output)) {
    const last = [...lines].reverse().find((l) => /Error/.test(l))?.trim() ?? 'connection error';
    return { twineOk: false, response, failure: { kind: 'retryable', status: null, message: `network error: ${last.replace(/^\[[^\]]*\]\s*/, '').slice(0, 300)}`, retryAfterSeconds: null } };
  }
  const nonEmpty = lines.filter((l) => l.trim());
  const last = ([...nonEmpty].reverse().find((l) => /ERROR|Error|Exception|Invalid/.test(l)) ?? nonEmpty[nonEmpty.length - 1])?.trim() ?? `twine exited ${exitCode}`;
  return { twineOk: false, response, failure: { kind: 'fatal', status: null, message: last.replace(/^\[[^\]]*\]\s*/, '').replace(/^ERROR\s+/, '').slice(0, 300), retryAfterSeconds: null } };
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
