import { type ErrorCode, isErrorCode } from './error-catalog';
import { redactSecrets } from './redact';

/**
 * The one error type executors turn into a single readable line.
 *
 * Every failure a user can cause (bad pyproject.toml, unknown option, missing tool, a build
 * that fails) is thrown as a `QuiverError` whose message is one line naming the file, field or
 * option and the fix. Executors print `error.message` and return `{ success: false }`; they
 * never print a stack trace for a `QuiverError`.
 */
export class QuiverError extends Error {
  /** Stable machine-readable code from the catalog (core/error-catalog.ts), e.g. `PYPROJECT_MISSING`. */
  readonly code: ErrorCode;

  /**
   * @param code stable identifier of the failure; tsc refuses a code missing from the catalog
   * @param message one line: what is wrong, where (file:line:col, option, field), and the fix
   */
  constructor(code: ErrorCode, message: string) {
    super(message.replace(/\s*\n\s*/g, ' ').trim());
    this.name = 'QuiverError';
    this.code = code;
  }
}

/** True when `e` is a {@link QuiverError}. */
export function isQuiverError(e: unknown): e is QuiverError {
  return e instanceof QuiverError;
}

/** Environment variables whose values are secrets: redacted from every failure line. */
const SECRET_ENV = ['PYPI_API_TOKEN', 'TWINE_PASSWORD', 'TWINE_USERNAME', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL'] as const;

/** The values of {@link SECRET_ENV} set in `env`. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return SECRET_ENV.map((k) => env[k] ?? '').filter(Boolean);
}

/**
 * `<name>: <CODE>: <message>` with every form of every secret redacted (core/redact). A message
 * that already starts with a catalog code (publish records `CODE: ...`; rehearse-release reports
 * the failed step's) keeps that one code instead of getting a second.
 */
export function codeLine(name: string, code: ErrorCode, message: string, secrets: readonly string[] = []): string {
  const own = /^([A-Z][A-Z0-9_]*): /.exec(message);
  return redactSecrets(`${name}: ${own && isErrorCode(own[1]) ? message : `${code}: ${message}`}`, secrets);
}

/**
 * The one line an executor or generator prints for a failure ({@link codeLine}); anything that is
 * not a QuiverError is a bug and prints as `INTERNAL_ERROR`.
 * @param name the executor or generator, e.g. `publish`, `ci`
 * @param secrets raw secret values to redact (see {@link secretsFromEnv})
 */
export function failureLine(name: string, e: unknown, secrets: readonly string[] = []): string {
  if (isQuiverError(e)) return codeLine(name, e.code, e.message, secrets);
  const message = (e as Error)?.message ?? String(e);
  return codeLine(name, 'INTERNAL_ERROR', `unexpected error: ${message} (set QUIVER_DEBUG=1 for a stack trace)`, secrets);
}
