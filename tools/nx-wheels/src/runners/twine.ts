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
 * Python run instead of `twine` itself so that publish has exactly one retry policy (its own):
 * twine 7 retries a 5xx answer to an upload up to 5 times inside `Repository.upload` and lets
 * urllib3 retry failed connections (`make_requests_session`), with no option to turn either off.
 * This wrapper makes `Repository.upload` send each file once, mounts adapters without retries,
 * gives every request the per-request timeout (`QUIVER_REQUEST_TIMEOUT` seconds: connecting, and
 * each wait for bytes of the answer), and prints `QUIVER_ATTEMPT {"file"}` before and
 * `QUIVER_RESPONSE {"file", "status", "reason", "retryAfter", "body"}` after each upload (body cut
 * at 2000 characters; redacted like every line), so the caller knows which files were tried and
 * sees Retry-After and the index's reason. Everything else is twine's own `main()`: it uploads the
 * files in order and stops at the first failure.
 */
export const TWINE_NO_RETRIES = `
import json, os, sys
import twine.repository as repository
from requests.adapters import HTTPAdapter

TIMEOUT = float(os.environ.get("QUIVER_REQUEST_TIMEOUT", "300"))
_make_session = repository.make_requests_session

def _emit(kind, data):
    sys.stderr.write(kind + " " + json.dumps(data) + "\\n")
    sys.stderr.flush()

def _session():
    s = _make_session()
    for scheme in ("http://", "https://"):
        s.mount(scheme, HTTPAdapter(max_retries=0))
    request = s.request
    def timed(method, url, **kw):
        kw.setdefault("timeout", TIMEOUT)
        return request(method, url, **kw)
    s.request = timed
    return s

def _upload(self, package, max_redirects=5):
    _emit("QUIVER_ATTEMPT", {"file": package.basefilename})
    resp = self._upload(package)
    try:
        body = resp.text[:2000]
    except Exception:
        body = ""
    _emit("QUIVER_RESPONSE", {"file": package.basefilename, "status": resp.status_code, "reason": resp.reason or "", "retryAfter": resp.headers.get("Retry-After"), "body": body})
    return resp

repository.make_requests_session = _session
repository.Repository.upload = _upload
from twine.__main__ import main
sys.argv[0] = "twine"
sys.exit(main())
`;

/**
 * One twine run over `files`, in order, each sent once (see {@link TWINE_NO_RETRIES}):
 * `python -c <TWINE_NO_RETRIES> upload --non-interactive --disable-progress-bar --repository-url
 * <url> <files...>` with the pinned twine, the credentials in TWINE_USERNAME/TWINE_PASSWORD (never
 * on the command line), every output line redacted (every form of the secrets) and prefixed. Read
 * the result with core/publish/twine-outcome's `readTwineRun`; whether a file is on the index is
 * for the caller to read back.
 * @param python the toolchain venv's python (the one whose site-packages hold the pinned twine)
 * @param files absolute paths (with `attestations`, each `<file>.publish.attestation` beside it)
 * @param o.timeoutMs kill twine after this long (the run's deadline; exitCode null)
 * @param o.requestTimeoutSeconds the per-request timeout inside twine
 * @throws QuiverError `TOOL_NOT_FOUND` when python does not exist
 */
export function twineUploadRun(python: string, files: readonly string[], o: TwineUploadOptions, sink: LineSink = consoleSink, prefix = '[twine] '): Promise<RunResult> {
  const args = ['-c', TWINE_NO_RETRIES, 'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', o.repositoryUrl];
  if (o.attestations) args.push('--attestations');
  return stream(
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
