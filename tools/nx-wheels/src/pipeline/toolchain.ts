/** The toolchain as executors use it: host interpreter + pinned venv, resolved once per run. */
import { Interpreter } from '../runners/python';
import { ensureToolchain, Venv } from '../runners/toolchain';
import { LineSink } from '../runners/process';
import { cachedHostInterpreter } from './host-python';

export interface Toolchain extends Venv {
  host: Interpreter;
}

/**
 * Find the host interpreter (option `python`; without it, answered from `.nx-wheels/cache/host-python.json`
 * when the host is unchanged: see pipeline/host-python) and make sure the pinned toolchain venv exists.
 * @throws QuiverError `NO_PYTHON`, `TOOLCHAIN_INSTALL`
 */
export async function loadToolchain(workspaceRoot: string, python: string | undefined, sink?: LineSink): Promise<Toolchain> {
  const host = await cachedHostInterpreter(workspaceRoot, python);
  const venv = await ensureToolchain(workspaceRoot, host, sink);
  return { ...venv, host };
}
