/** Running `twine check --strict` on one distribution file (the validate-wheels external check). */
import { capture, RunResult } from './process';

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
