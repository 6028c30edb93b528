/** Running `auditwheel show` on one Linux wheel (the validate-wheels external check). */
import { capture, RunResult } from './process';
import { PLAIN_OUTPUT_ENV } from './twine';

/**
 * `auditwheel show <wheel>`: which manylinux/musllinux policy the wheel's extension modules are
 * consistent with.
 * @param auditwheel absolute path of the pinned toolchain's auditwheel
 * @throws QuiverError `TOOL_NOT_FOUND` when auditwheel does not exist
 */
export function auditwheelShow(auditwheel: string, wheel: string): Promise<RunResult> {
  return capture(auditwheel, ['show', wheel], { env: PLAIN_OUTPUT_ENV, timeoutMs: 120_000 });
}
