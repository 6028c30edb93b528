/** The real toolchain of the workspace, installed once (a no-op when it already is). */
import { loadToolchain, Toolchain } from '../../src/pipeline/toolchain';
import { WORKSPACE } from './workspace';

let cached: Promise<Toolchain> | null = null;
const quiet = { out: () => undefined, err: () => undefined };

export function ensureWorkspaceToolchain(): Promise<Toolchain> {
  cached ??= loadToolchain(WORKSPACE, process.env['QUIVER_TEST_PYTHON'], quiet);
  return cached;
}
