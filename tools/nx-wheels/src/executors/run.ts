/**
 * The wrapper every executor uses: run the body, turn any failure into one line on stderr
 * (`<executor>: <CODE>: <message>`, secrets redacted, see core/errors failureLine) and
 * `{ success: false }`. Stack traces only with `QUIVER_DEBUG=1`.
 */
import { redactSecrets } from '../core/redact';
import { failureLine, secretsFromEnv } from '../core/errors';

export async function runExecutorBody(name: string, body: () => Promise<void>): Promise<{ success: boolean }> {
  try {
    await body();
    return { success: true };
  } catch (e) {
    const secrets = secretsFromEnv();
    process.stderr.write(`\n${failureLine(name, e, secrets)}\n`);
    if (process.env['QUIVER_DEBUG'] === '1' && e instanceof Error) process.stderr.write(`${redactSecrets(e.stack ?? '', secrets)}\n`);
    return { success: false };
  }
}
