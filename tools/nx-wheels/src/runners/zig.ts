/**
 * zig as the C/C++ compiler of the native engine's `--manylinux=2_<minor>` route: the pinned
 * `ziglang` (toolchain/zig-requirements.txt) in a venv of its own, and compiler wrapper scripts
 * that CMake (through scikit-build-core) takes from `CC` / `CXX` like any other compiler.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NativeTarget } from '../core/manylinux';
import { capture, LineSink } from './process';
import { Interpreter } from './python';
import { ensureVenv, readRequirements, stateDir } from './toolchain';
import { QuiverError } from '../core/errors';

/** The zig pin file shipped with the plugin. */
const ZIG_REQUIREMENTS_FILE = resolve(__dirname, '..', '..', 'toolchain', 'zig-requirements.txt');

/** An installed zig. */
export interface Zig {
  /** Absolute path of the zig executable inside the ziglang package. */
  zig: string;
  /** `zig version`, e.g. `0.15.2`. */
  version: string;
}

/**
 * Install the pinned ziglang into `<workspace>/.nx-wheels/zig` (no-op when its stamp matches).
 * @throws QuiverError `TOOLCHAIN_INSTALL` when pip fails, `ZIG_BROKEN` when `zig version` fails.
 */
export async function ensureZig(workspaceRoot: string, python: Interpreter, sink?: LineSink): Promise<Zig> {
  const venv = await ensureVenv(join(stateDir(workspaceRoot), 'zig'), python, readRequirements(ZIG_REQUIREMENTS_FILE), { prefix: '[zig] ', sink });
  const r = await capture(venv.bin('python'), ['-c', 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))'], {});
  const zig = r.stdout.trim();
  const v = r.exitCode === 0 ? await capture(zig, ['version'], {}) : r;
  if (r.exitCode !== 0 || v.exitCode !== 0) {
    throw new QuiverError('ZIG_BROKEN', `${venv.dir}: the ziglang package does not run (exit ${v.exitCode}); delete that directory so the next build reinstalls it.`);
  }
  return { zig, version: v.stdout.trim() };
}

/**
 * Write `zig-cc` / `zig-c++` wrappers for `target` into `.nx-wheels/zig/wrappers/<target>` and return the environment that makes
 * a CMake build use them: `CC`, `CXX`, and zig's caches under `.nx-wheels/zig-cache` (kept between
 * builds: the compiled glibc stubs and libc++ are the bulk of a cold build).
 * zig's `c++` links libc++ and libc++abi statically, so no libstdc++ of the host reaches the wheel.
 */
export function zigCompilerEnv(workspaceRoot: string, zig: Zig, target: NativeTarget): Record<string, string> {
  if (!target.zigTarget) throw new QuiverError('ZIG_NO_TARGET', 'zigCompilerEnv needs a zig target (--manylinux=2_<minor>).');
  // A stable path per target: the same compiler path for every build of that target.
  const dir = join(stateDir(workspaceRoot), 'zig', 'wrappers', target.zigTarget);
  mkdirSync(dir, { recursive: true });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cache = join(stateDir(workspaceRoot), 'zig-cache');
  const env: Record<string, string> = { ZIG_GLOBAL_CACHE_DIR: cache, ZIG_LOCAL_CACHE_DIR: cache };
  for (const [lang, name, key] of [['cc', 'zig-cc', 'CC'], ['c++', 'zig-c++', 'CXX']] as const) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\nexec ${q(zig.zig)} ${lang} -target ${target.zigTarget} "$@"\n`);
    chmodSync(file, 0o755);
    env[key] = file;
  }
  return env;
}
