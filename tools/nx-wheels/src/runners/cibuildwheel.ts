/**
 * Running the real, pinned cibuildwheel (from the toolchain venv). Identifiers are listed from the
 * workspace root; builds run from the staging root (core/staging.ts) with the package directory as
 * argument, so `{project}` is the staged copy of the workspace.
 */
import { CibuildwheelInvocation } from '../core/cibw-options';
import { QuiverError } from '../core/errors';
import { Platform } from '../core/identifiers';
import { capture, LineSink, consoleSink, stream } from './process';

/** Readable meaning of cibuildwheel's exit codes (cibuildwheel/errors.py). */
const CIBUILDWHEEL_EXIT_CODES: Record<number, string> = {
  1: 'the build failed (compiler, build backend or test-command); see the [cibuildwheel] lines above',
  2: 'configuration error: an option in [tool.cibuildwheel] or a CIBW_* variable is invalid',
  3: 'nothing to do: the build selectors matched no identifier',
  4: 'a deprecated option is used; update [tool.cibuildwheel] as cibuildwheel says above',
  5: 'a pure-Python wheel was produced where a platform wheel was expected; check the CMake/extension setup',
  6: 'two builds produced a wheel with the same name; check build/skip and archs',
  7: 'the container engine did not answer `<engine> version` (not running, unreachable, or older than docker 20.10 / podman 3); start or upgrade it, or build with --engine=native',
  8: 'repair-wheel-command produced no wheel or several; it must write exactly one wheel to {dest_dir}',
  9: 'the audit command (auditwheel) failed: the wheel links libraries outside the manylinux policy',
  10: 'the build frontend produced no wheel; check the build backend configuration',
};

/**
 * `cibuildwheel --print-build-identifiers --platform <platform> <packageDir>`.
 * @returns stdout (one identifier per line)
 * @throws QuiverError `CIBUILDWHEEL_CONFIG` with cibuildwheel's own message when it exits non-zero.
 */
export async function printBuildIdentifiers(
  cibuildwheel: string,
  opts: { workspaceRoot: string; packageDir: string; platform: Platform; env: Record<string, string | undefined> },
): Promise<string> {
  const r = await capture(cibuildwheel, ['--print-build-identifiers', '--platform', opts.platform, opts.packageDir], {
    cwd: opts.workspaceRoot,
    env: opts.env,
  });
  if (r.exitCode !== 0) {
    const msg = r.stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? `exit ${r.exitCode}`;
    throw new QuiverError('CIBUILDWHEEL_CONFIG', `cibuildwheel --print-build-identifiers --platform ${opts.platform} ${opts.packageDir} failed: ${msg.replace(/^cibuildwheel: (error: )?/, '')}`);
  }
  return r.stdout;
}

/**
 * Run a build (see `cibuildwheelInvocation` in core/cibw-options.ts), streaming its output
 * prefixed `[cibuildwheel] `.
 * @returns the run's duration in seconds
 * @throws QuiverError `CIBUILDWHEEL_FAILED` with the readable meaning of its exit code.
 */
export async function runCibuildwheel(cibuildwheel: string, run: CibuildwheelInvocation, sink: LineSink = consoleSink): Promise<number> {
  const r = await stream(cibuildwheel, run.args, '[cibuildwheel] ', { cwd: run.cwd, env: run.env }, sink);
  if (r.exitCode !== 0) {
    const platform = run.args[run.args.indexOf('--platform') + 1];
    if (r.exitCode === 7) {
      // cibuildwheel's OCIEngineTooOldError: raised when `<engine> version` fails, which is mostly a daemon it cannot reach.
      const engine = /^(docker|podman)\b/.exec(run.env['CIBW_CONTAINER_ENGINE'] ?? '')?.[1] ?? 'docker';
      const output = `${r.stdout}\n${r.stderr}`;
      const why = /cannot connect|daemon running|connection refused/i.test(output) ? `${engine} cannot reach its daemon` : `\`${engine} version\` failed or reported a version older than cibuildwheel needs (docker >= 20.10, podman >= 3)`;
      throw new QuiverError('CIBUILDWHEEL_FAILED', `cibuildwheel --platform ${platform} exited 7: ${why}; start ${engine} (or set CIBW_CONTAINER_ENGINE / [tool.cibuildwheel] container-engine to an engine that runs), or build on this host with --engine=native (or [tool.nx-wheels] engine = "native").`);
    }
    const meaning = CIBUILDWHEEL_EXIT_CODES[r.exitCode ?? 1] ?? `unexpected exit code ${r.exitCode}`;
    throw new QuiverError('CIBUILDWHEEL_FAILED', `cibuildwheel --platform ${platform} exited ${r.exitCode ?? r.signal}: ${meaning}.`);
  }
  return r.seconds;
}
