/**
 * The wrapper every generator's default export uses: a QuiverError leaves it with its message
 * (and stack, which Nx prints) replaced by the one line `<generator>: <CODE>: <message>`, secrets
 * redacted (core/errors failureLine). Other errors are bugs and pass through untouched.
 */
import { failureLine, isQuiverError, secretsFromEnv } from '../core/errors';

function oneLine(name: string, e: unknown): never {
  if (isQuiverError(e)) {
    const line = failureLine(name, e, secretsFromEnv());
    e.message = line;
    e.stack = `${e.name}: ${line}`;
  }
  throw e;
}

/** Run a generator body (sync or async) under {@link oneLine}. */
export function runGenerator<T>(name: string, body: () => T): T {
  try {
    const result = body();
    return (result instanceof Promise ? result.catch((e: unknown) => oneLine(name, e)) : result) as T;
  } catch (e) {
    return oneLine(name, e);
  }
}
