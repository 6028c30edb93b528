/**
 * Running the pinned twine: `twine check --strict` on one distribution file (the validate-wheels
 * external check) and `twine upload` (publish).
 */
import { TWINE_UPLOAD_SCRIPT, twinePatchEnv, TWINE_UNSUPPORTED_MARKER, twineUnsupportedError } from '../compat/twine';
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

/** Options of {@link twineUploadOne}. */
export interface TwineUploadOptions {
  repositoryUrl: string;
  username: string;
  /** The token or password; passed as TWINE_PASSWORD (never on the command line) and redacted. */
  password: string;
  /** Upload `<file>.publish.attestation` files beside the dists (PEP 740). */
  attestations?: boolean;
  /** Kill twine after this many ms. */
  timeoutMs?: number;
  /** Per-request timeout inside twine, in seconds (default 300). */
  requestTimeoutSeconds?: number;
  /** Further strings to redact. */
  secrets?: string[];
}

/**
 * A sink that drops Python traceback frames (twine prints one on network errors) and keeps the
 * final exception line, so output stays short; everything else passes through.
 */
function tracebackFilter(sink: LineSink): LineSink {
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
 * One twine run over `files`, in order, each sent once (the patch of compat/twine.ts):
 * `python toolchain/twine_upload.py upload --non-interactive --disable-progress-bar --repository-url
 * <url> <files...>` with the pinned twine, the credentials in TWINE_USERNAME/TWINE_PASSWORD (never
 * on the command line), every output line redacted (every form of the secrets) and prefixed. Read
 * the result with core/publish/twine-outcome's `readTwineRun`; whether a file is on the index is
 * for the caller to read back.
 * @param python the toolchain venv's python (the one whose site-packages hold the pinned twine)
 * @param files absolute paths (with `attestations`, each `<file>.publish.attestation` beside it)
 * @param o.timeoutMs kill twine after this long (the run's deadline; exitCode null)
 * @param o.requestTimeoutSeconds the per-request timeout inside twine
 * @throws QuiverError `TOOL_NOT_FOUND` when python does not exist; `TWINE_UNSUPPORTED` when the
 *   patch's guard refuses the installed twine (nothing uploaded)
 */
export async function twineUploadRun(python: string, files: readonly string[], o: TwineUploadOptions, sink: LineSink = consoleSink, prefix = '[twine] '): Promise<RunResult> {
  const args = [TWINE_UPLOAD_SCRIPT, 'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', o.repositoryUrl];
  if (o.attestations) args.push('--attestations');
  let unsupported: string | undefined;
  const filtered = tracebackFilter(sink);
  const guarded: LineSink = {
    out: filtered.out,
    err: (l) => {
      const at = l.indexOf(TWINE_UNSUPPORTED_MARKER);
      if (at >= 0) unsupported = l.slice(at + TWINE_UNSUPPORTED_MARKER.length);
      filtered.err(l);
    },
  };
  const result = await stream(
    python,
    [...args, ...files],
    prefix,
    {
      env: {
        ...PLAIN_OUTPUT_ENV,
        TWINE_USERNAME: o.username,
        TWINE_PASSWORD: o.password,
        TWINE_NON_INTERACTIVE: '1',
        QUIVER_REQUEST_TIMEOUT: String(o.requestTimeoutSeconds ?? 300),
        ...twinePatchEnv(),
        // Our options decide where the files go, not a stray twine configuration.
        TWINE_REPOSITORY: undefined,
        TWINE_REPOSITORY_URL: undefined,
      },
      secrets: [o.password, ...(o.secrets ?? [])],
      timeoutMs: o.timeoutMs,
    },
    guarded,
  );
  const refused = twineUnsupportedError(result.exitCode, unsupported);
  if (refused) throw refused;
  return result;
}
