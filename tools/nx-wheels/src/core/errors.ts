import type { ErrorCode } from './error-catalog';

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
