/**
 * validate-wheels' external checks (`twine check --strict` per file, `auditwheel show` per Linux
 * wheel) in one Python process of the pinned toolchain (toolchain/external_checks.py), which starts
 * the interpreter and imports twine and auditwheel once for all files instead of once per file and
 * tool. Each file's result has the exit code, stdout and stderr its own `twine` / `auditwheel`
 * process would have had, so core/validation/external judges them the same way.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { auditwheelShow } from './auditwheel';
import { capture } from './process';
import { PLAIN_OUTPUT_ENV, twineCheck } from './twine';

/** The helper script, beside toolchain/requirements.txt. */
const EXTERNAL_CHECKS_SCRIPT = resolve(__dirname, '..', '..', 'toolchain', 'external_checks.py');

/** One tool run on one file. */
export interface ExternalCheck {
  tool: 'twine' | 'auditwheel';
  /** Absolute path of the file. */
  file: string;
}

/** What one run printed, as its own process would have. */
export interface ExternalCheckResult extends ExternalCheck {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The venv's python when twine and auditwheel (those given) are console scripts of one venv that
 * has a python beside them, and the helper script exists; else null.
 */
export function sharedPython(tools: { twine: string | null; auditwheel: string | null }): string | null {
  const given = [tools.twine, tools.auditwheel].filter((t): t is string => t !== null);
  if (given.length === 0 || !existsSync(EXTERNAL_CHECKS_SCRIPT)) return null;
  const dirs = new Set(given.map((t) => dirname(t)));
  if (dirs.size !== 1) return null;
  const dir = [...dirs][0];
  const python = join(dir, process.platform === 'win32' ? 'python.exe' : 'python');
  return existsSync(python) && given.every((t) => ['twine', 'auditwheel'].includes(basename(t).replace(/\.exe$/, ''))) ? python : null;
}

/**
 * Run the checks: in one process of `python` (see {@link sharedPython}) when given, else one
 * process per check. When the one process fails as a whole (no JSON: killed, interpreter broken),
 * the checks are run one process each, so a result is never lost.
 * @param python the toolchain venv's python, or null
 * @param tools the console scripts, for the one-process-per-check way
 * @param checks the runs, results in this order
 * @param timeoutMs limit per check (default 120 s); the one process gets the sum
 */
export async function runExternalChecks(
  python: string | null,
  tools: { twine: string | null; auditwheel: string | null },
  checks: readonly ExternalCheck[],
  timeoutMs = 120_000,
): Promise<ExternalCheckResult[]> {
  if (checks.length === 0) return [];
  if (python) {
    const r = await capture(python, [EXTERNAL_CHECKS_SCRIPT, ...checks.map((c) => `${c.tool}:${c.file}`)], { env: PLAIN_OUTPUT_ENV, timeoutMs: timeoutMs * checks.length });
    try {
      const parsed = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { results: Array<{ exitCode: number; stdout: string; stderr: string }> };
      if (r.exitCode === 0 && parsed.results.length === checks.length) return checks.map((c, i) => ({ ...c, exitCode: parsed.results[i].exitCode, stdout: parsed.results[i].stdout, stderr: parsed.results[i].stderr }));
    } catch {
      // fall through: one process per check
    }
  }
  // One process per check, two at a time.
  const out: Array<ExternalCheckResult | undefined> = new Array(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const i = next++;
      const c = checks[i];
      const tool = c.tool === 'twine' ? tools.twine : tools.auditwheel;
      if (!tool) continue;
      const r = c.tool === 'twine' ? await twineCheck(tool, c.file) : await auditwheelShow(tool, c.file);
      out[i] = { ...c, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    }
  };
  await Promise.all([worker(), worker()]);
  return out.filter((r): r is ExternalCheckResult => r !== undefined);
}
