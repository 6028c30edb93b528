/**
 * wine from the host, for running python.org's CPython for Windows on Linux: a private
 * WINEPREFIX per user (created once with `wineboot -i`, set to Windows 10), and the environment
 * that makes CPython work under wine 8: `WINEDLLOVERRIDES=wbemprox=d` (Python's platform lookup
 * goes through WMI, which crashes wine's propsys), `WINEDEBUG=-all`, and standard streams that are
 * always pipes (wine's Python cannot write to a file handle it inherits: `init_sys_streams ...
 * Invalid handle`); {@link stream} pipes them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QuiverError } from '../core/errors';
import { capture, LineSink, consoleSink, RunResult, stream } from './process';
import { withLock } from './toolchain';

/** The Debian packages that provide a 64-bit wine. */
const WINE_PACKAGES = 'wine wine64';

/** A usable wine and its prefix. */
export interface Wine {
  /** The `wine` command. */
  command: string;
  /** `wine --version`, e.g. `wine-8.0 (Debian 8.0~repack-4)`. */
  version: string;
  /** The WINEPREFIX (a directory of the per-user cache). */
  prefix: string;
}

/** The environment every wine process of the cross route gets (over the caller's). */
function wineEnv(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return { WINEPREFIX: prefix, WINEARCH: 'win64', WINEDEBUG: '-all', WINEDLLOVERRIDES: 'wbemprox=d;mscoree=d;mshtml=d', ...extra };
}

/**
 * Find wine on PATH and make sure `prefix` is an initialized 64-bit prefix (first use: `wineboot -i`
 * and `winecfg -v win10`, about 15 s; a stamp makes later calls free).
 * @throws QuiverError `WINE_MISSING` (one line naming the packages), `WINE_BROKEN`
 */
export async function ensureWine(prefix: string, sink: LineSink = consoleSink): Promise<Wine> {
  let v: RunResult;
  try {
    v = await capture('wine', ['--version'], { env: wineEnv(prefix) });
  } catch {
    throw new QuiverError('WINE_MISSING', `wine is not installed; the Windows wheels' tests run in python.org's CPython under wine: install it (Debian/Ubuntu: apt-get install -y --no-install-recommends ${WINE_PACKAGES}) or pass --test=false.`);
  }
  const version = v.stdout.trim();
  if (v.exitCode !== 0 || !/^wine-/.test(version)) throw new QuiverError('WINE_BROKEN', `wine --version exited ${v.exitCode}; reinstall wine (apt-get install -y --no-install-recommends ${WINE_PACKAGES}).`);
  const stamp = join(prefix, '.nx-wheels-stamp');
  if (!existsSync(stamp)) {
    mkdirSync(join(prefix, '..'), { recursive: true });
    await withLock(`${prefix}.lock`, async () => {
      if (existsSync(stamp)) return;
      for (const args of [['wineboot', '-i'], ['wine', 'winecfg', '-v', 'win10']]) {
        const r = await stream(args[0], args.slice(1), '[wine] ', { env: wineEnv(prefix) }, { out: () => undefined, err: () => undefined });
        if (r.exitCode !== 0) throw new QuiverError('WINE_BROKEN', `${args.join(' ')} failed (exit ${r.exitCode}) for WINEPREFIX ${prefix}; delete that directory and retry, or reinstall wine (${WINE_PACKAGES}).`);
      }
      writeFileSync(stamp, `${version}\n`);
      sink.out(`[wine] prefix ready: ${prefix} (${version})`);
    });
  }
  return { command: 'wine', version, prefix };
}

/**
 * Run a Windows program under wine, streaming its output with `prefix`.
 * @param program the `.exe` (a Linux path; wine maps it) or a Windows command such as `cmd`
 * @param winePath Windows directories put first on the program's PATH (WINEPATH)
 */
export function runUnderWine(wine: Wine, program: string, args: string[], prefix: string, opts: { cwd?: string; env?: Record<string, string | undefined>; winePath?: string[] } = {}, sink: LineSink = consoleSink): Promise<RunResult> {
  const env = { ...opts.env, ...wineEnv(wine.prefix, opts.winePath ? { WINEPATH: opts.winePath.join(';') } : {}) };
  return stream(wine.command, [program, ...args], prefix, { cwd: opts.cwd, env }, sink);
}
