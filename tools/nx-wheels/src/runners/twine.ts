/**
 * Running the pinned twine: `twine check --strict` on one distribution file (the validate-wheels
 * external check) and `twine upload` (publish).
 */
import { capture, consoleSink, LineSink, RunResult, stream } from './process';

/** Environment that keeps twine's rich output plain and unwrapped, so it can be parsed. */
export const PLAIN_OUTPUT_ENV = { NO_COLOR: '1', TERM: 'dumb', COLUMNS: '10000', PYTHONIOENCODING: 'utf-8' };

/**
 * `twine check --strict <file>`: fails on errors and on warnings (e.g. a long description PyPI
 * cannot render). One process per file: a file twine cannot open makes it stop with a traceback.
 * @param twine absolute path of the pinned toolchain's twine
 * @throws QuiverError `TOOL_NOT_FOUND` when twine does not exist
 */
export function twineCheck(twine: string, file: string): Promise<RunResult> {
  return capture(twine, ['check', '--strict', file], { env: PLAIN_OUTPUT_ENV, timeoutMs: 120_000 });
}

/** Options of {@link twineUpload}. */
export interface TwineUploadOptions {
  repositoryUrl: string;
  username: string;
  /** The token or password; passed as TWINE_PASSWORD (never on the command line) and redacted. */
  password: string;
  /** Upload `<file>.publish.attestation` files beside the dists (PEP 740). */
  attestations?: boolean;
  timeoutMs?: number;
  /** Further strings to redact. */
  secrets?: string[];
}

/**
 * A sink that drops Python traceback frames (twine prints one on network errors) and keeps the
 * final exception line, so output stays short; everything else passes through.
 */
export function tracebackFilter(sink: LineSink): LineSink {
  let inTb = false;
  const f = (write: (l: string) => void) => (line: string) => {
    const body = line.replace(/^\[[^\]]*\]\s?/, '');
    if (body.startsWith('Traceback (most recent call last)')) {
      inTb = true;
      return;
    }
    if (inTb) {
      if (body === '' || /^\s/.test(body) || /^(The above exception|During handling)/.test(body)) return;
      inTb = false;
    }
    write(line);
  };
  return { out: f((l) => sink.out(l)), err: f((l) => sink.err(l)) };
}

/**
 * `twine upload --non-interactive --disable-progress-bar --repository-url <url> <files...>`, with
 * the credentials in TWINE_USERNAME/TWINE_PASSWORD and every output line redacted and prefixed.
 * Twine uploads the files in order and stops at the first failure (see core/publish/twine-outcome).
 * @param twine absolute path of the pinned toolchain's twine
 * @throws QuiverError `TOOL_NOT_FOUND` when twine does not exist
 */
export function twineUpload(twine: string, files: readonly string[], o: TwineUploadOptions, sink: LineSink = consoleSink, prefix = '[twine] '): Promise<RunResult> {
  const args = ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', o.repositoryUrl];
  if (o.attestations) args.push('--attestations');
  return stream(
    twine,
    [...args, ...files],
    prefix,
    {
      env: {
        ...PLAIN_OUTPUT_ENV,
        TWINE_USERNAME: o.username,
        TWINE_PASSWORD: o.password,
        TWINE_NON_INTERACTIVE: '1',
        // Our options decide where the files go, not a stray twine configuration.
        TWINE_REPOSITORY: undefined,
        TWINE_REPOSITORY_URL: undefined,
      },
      secrets: [o.password, ...(o.secrets ?? [])],
      timeoutMs: o.timeoutMs,
    },
    tracebackFilter(sink),
  );
}
