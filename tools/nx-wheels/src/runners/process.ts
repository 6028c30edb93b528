/**
 * The one module that spawns processes (via execa). It streams a child's output live, line by
 * line, with a prefix such as `[cibuildwheel] `; redacts secrets from every line it prints or
 * returns; and turns "command not found" into a {@link QuiverError}.
 */
import { execa } from 'execa';
import { QuiverError } from '../core/errors';
import { redactSecrets } from '../core/redact';

/** Options shared by {@link capture} and {@link stream}. */
export interface RunOptions {
  /** Working directory (absolute). Default: `process.cwd()`. */
  cwd?: string;
  /** Environment; merged over `process.env` unless `extendEnv` is false. */
  env?: Record<string, string | undefined>;
  /** Merge `env` over `process.env` (default true). */
  extendEnv?: boolean;
  /** Strings that must never be printed or returned; each is replaced by `***`. */
  secrets?: string[];
  /** Text piped to the child's stdin. */
  input?: string;
  /** Kill the child after this many milliseconds. */
  timeoutMs?: number;
}

/** Result of a finished process. */
export interface RunResult {
  /** Exit code; `null` when killed by a signal. */
  exitCode: number | null;
  /** Signal that ended the process, if any. */
  signal?: string;
  /** Captured stdout (redacted). Empty for {@link stream} unless `capture` was requested. */
  stdout: string;
  /** Captured stderr (redacted). */
  stderr: string;
  /** Wall-clock duration in seconds. */
  seconds: number;
}

/**
 * Replace every form of each secret (length >= 4) with `***`: the raw value, its URL-encoded and
 * JSON-escaped forms, base64 of `user:secret` and of the secret at any alignment, and any run of
 * 16 or more characters of those (core/redact).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  return redactSecrets(text, secrets);
}

async function runChild(
  command: string,
  args: readonly string[],
  opts: RunOptions,
  onLine?: { out: (l: string) => void; err: (l: string) => void },
): Promise<RunResult> {
  const started = process.hrtime.bigint();
  const secrets = opts.secrets ?? [];
  const child = execa(command, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: opts.extendEnv ?? true,
    reject: false,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    input: opts.input,
    timeout: opts.timeoutMs,
    stripFinalNewline: false,
    buffer: true,
    windowsHide: true,
  });
  if (onLine) {
    const attach = (stream: NodeJS.ReadableStream | null, sink: (l: string) => void) => {
      if (!stream) return;
      let pending = '';
      stream.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          sink(redact(pending.slice(0, nl).replace(/\r$/, ''), secrets));
          pending = pending.slice(nl + 1);
        }
      });
      stream.on('end', () => {
        if (pending.length) sink(redact(pending, secrets));
        pending = '';
      });
    };
    attach(child.stdout, onLine.out);
    attach(child.stderr, onLine.err);
  }
  const r = await child;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = r as unknown as { code?: string; failed?: boolean; originalMessage?: string };
  if (r.exitCode === undefined && failed.code === 'ENOENT') {
    throw new QuiverError('TOOL_NOT_FOUND', `${command}: command not found; install it or put it on PATH.`);
  }
  if (r.exitCode === undefined && r.signal === undefined && failed.failed) {
    throw new QuiverError('SPAWN_FAILED', `${command}: could not start (${redact(failed.originalMessage ?? 'unknown error', secrets)}).`);
  }
  return {
    exitCode: r.exitCode ?? null,
    signal: r.signal ?? undefined,
    stdout: redact(String(r.stdout ?? ''), secrets),
    stderr: redact(String(r.stderr ?? ''), secrets),
    seconds,
  };
}

/**
 * Run a command and capture its output (nothing printed).
 * @throws QuiverError `TOOL_NOT_FOUND` when the command does not exist.
 */
export function capture(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return runChild(command, args, opts);
}

/** Where {@link stream} writes; replaceable in tests. */
export interface LineSink {
  out(line: string): void;
  err(line: string): void;
}

/** Default sink: the process's own stdout/stderr. */
export const consoleSink: LineSink = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
};

/**
 * Run a command, printing each output line live as `prefix + line` (redacted), and also
 * capturing it. stderr lines go to the sink's `err`.
 * @param prefix e.g. `[build] `
 * @throws QuiverError `TOOL_NOT_FOUND` when the command does not exist.
 */
export function stream(
  command: string,
  args: readonly string[],
  prefix: string,
  opts: RunOptions = {},
  sink: LineSink = consoleSink,
): Promise<RunResult> {
  return runChild(command, args, opts, {
    out: (l) => sink.out(prefix + l),
    err: (l) => sink.err(prefix + l),
  });
}

/** Quote a command line for display (not for execution). */
export function displayCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
