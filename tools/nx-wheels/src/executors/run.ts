/**
 * The wrapper every executor uses: run the body, turn any failure into one line on stderr and
 * `{ success: false }`. Stack traces only with `QUIVER_DEBUG=1`.
 */
import { isQuiverError } from '../core/errors';

export async function runExecutorBody(name: string, body: () => Promise<void>): Promise<{ success: boolean }> {
  try {
    await body();
    return { success: true };
  } catch (e) {
    const message = isQuiverError(e) ? `${name}: ${e.message}` : `${name}: unexpected error: ${(e as Error)?.message ?? String(e)} (set QUIVER_DEBUG=1 for a stack trace)`;
    process.stderr.write(`\n${message}\n`);
    if (process.env['QUIVER_DEBUG'] === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return { success: false };
  }
}
