/**
 * Reading one `twine upload` run's output (plain, NO_COLOR): which files it finished, which one it
 * stopped at and why, and whether trying again can help. Twine uploads files in order, printing
 * `Uploading <file>` before each, and stops at the first failure. Pure.
 */

/** Why an upload stopped. */
export type FailureKind =
  /** 5xx, 429, connection refused/reset, timeout: try again after a pause. */
  | 'retryable'
  /** 401/403: the index refused the credentials. */
  | 'auth'
  /** 400 "File already exists" / 409: compare digests with the index. */
  | 'exists'
  /** Anything else (4xx with a reason, invalid distribution). */
  | 'fatal';

/** The outcome of one twine run over `files`. */
export interface TwineOutcome {
  /** Files twine finished uploading. */
  uploaded: string[];
  /** The file twine stopped at, or null when it succeeded or failed before any file. */
  failedFile: string | null;
  failure: { kind: FailureKind; status: number | null; message: string } | null;
}

/** Classify an HTTP status. */
export function classifyStatus(status: number, text = ''): FailureKind {
  if (status === 429 || status >= 500) return 'retryable';
  if (status === 401 || status === 403) return 'auth';
  if (status === 409 || (status === 400 && /already exist/i.test(text))) return 'exists';
  return 'fatal';
}

/**
 * Interpret a finished twine run.
 * @param files the files passed to twine, in order (basenames)
 * @param exitCode twine's exit code (null when killed, e.g. by the timeout)
 * @param output stdout + stderr
 */
export function readTwineOutcome(files: readonly string[], exitCode: number | null, output: string): TwineOutcome {
  const started = [...output.matchAll(/^Uploading (\S+)\s*$/gm)].map((m) => m[1]).filter((f) => files.includes(f));
  if (exitCode === 0) return { uploaded: [...files], failedFile: null, failure: null };
  const failedFile = started.length ? started[started.length - 1] : null;
  const uploaded = started.slice(0, -1);
  const lines = output.split(/\r?\n/);
  const http = /HTTPError:\s*(\d{3})\s*([^\n]*)/.exec(output);
  let failure: TwineOutcome['failure'];
  if (http) {
    const status = Number(http[1]);
    // The reason lines follow the HTTPError line, indented.
    const idx = lines.findIndex((l) => l.includes('HTTPError:'));
    const detail = lines
      .slice(idx + 1, idx + 4)
      .filter((l) => /^\s+\S/.test(l))
      .map((l) => l.trim())
      .join(' ');
    const message = `HTTP ${status} ${http[2].replace(/\s+from\s+\S+\s*$/, '').trim()}${detail ? ` (${detail})` : ''}`;
    failure = { kind: classifyStatus(status, `${http[2]} ${detail}`), status, message };
  } else if (exitCode === null) {
    failure = { kind: 'retryable', status: null, message: 'twine timed out (timeoutSeconds) and was stopped' };
  } else if (/ConnectionError|ConnectionRefused|Connection refused|Connection aborted|RemoteDisconnected|ConnectionResetError|ReadTimeout|ConnectTimeout|Max retries exceeded|ChunkedEncodingError|ProtocolError/.test(output)) {
    const last = [...lines].reverse().find((l) => /Error/.test(l))?.trim() ?? 'connection error';
    failure = { kind: 'retryable', status: null, message: `network error: ${last.slice(0, 300)}` };
  } else {
    const last = [...lines].reverse().find((l) => /ERROR|Error/.test(l))?.trim() ?? `twine exited ${exitCode}`;
    failure = { kind: 'fatal', status: null, message: last.replace(/^ERROR\s+/, '').slice(0, 300) };
  }
  return { uploaded, failedFile, failure };
}

/**
 * Pause before retry number `attempt` (1-based): exponential from `baseMs`, capped at `capMs`, or
 * the server's Retry-After when it asks for longer (bounded by the cap).
 */
export function backoffMs(attempt: number, baseMs: number, capMs = 60_000, retryAfterSeconds?: number | null): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const ra = retryAfterSeconds && retryAfterSeconds > 0 ? Math.min(capMs, retryAfterSeconds * 1000) : 0;
  return Math.max(exp, ra);
}
