/**
 * cibuildwheel build identifiers (https://cibuildwheel.pypa.io/en/stable/options/#build-skip):
 * `<python tag>-<platform tag>`, e.g. `cp313-manylinux_x86_64`, `cp313t-win_amd64`,
 * `pp310-manylinux_x86_64`.
 */
import picomatch from 'picomatch';

/** Platforms cibuildwheel builds for (its `--platform` values that quiver supports). */
export type Platform = 'linux' | 'windows';

/** One parsed build identifier. */
export interface BuildIdentifier {
  /** The identifier as cibuildwheel prints it. */
  id: string;
  /** Python tag part: `cp313`, `cp313t`, `pp310`. */
  pythonTag: string;
  /** `cpython` or `pypy`. */
  implementation: 'cpython' | 'pypy' | 'graalpy';
  /** `major.minor`, e.g. `3.13`. */
  pythonVersion: string;
  /** True for free-threaded builds (`cp313t`). */
  freeThreaded: boolean;
  /** cibuildwheel's platform part: `manylinux_x86_64`, `win_amd64`, `musllinux_aarch64`. */
  platformPart: string;
  /** Which `--platform` builds it; `any` for the {@link PURE_IDENTIFIER} of a pure-Python project. */
  platform: Platform | 'macos' | 'other' | 'any';
  /** Architecture: `x86_64`, `aarch64`, `AMD64`, `x86`, `ARM64`... */
  arch: string;
  /** `manylinux` / `musllinux` for Linux, otherwise null. */
  linuxLibc: 'manylinux' | 'musllinux' | null;
  /** The python tag a wheel of this identifier carries (`cp313`), and its abi tag (`cp313`, `cp313t`). */
  wheelPythonTag: string;
  wheelAbiTag: string;
}

/**
 * The one "identifier" of a pure-Python project (core/build-kind): its single wheel, built once
 * with pypa/build, tagged `py3-none-any` (or whatever pure tags its back-end writes, e.g.
 * `py2.py3-none-any`). It stands where cibuildwheel's identifiers stand for a compiled project, so
 * the build report, validate-wheels and publish expect exactly one pure wheel.
 */
export const PURE_IDENTIFIER = 'py3-none-any';

/** The parsed {@link PURE_IDENTIFIER}. */
export function pureIdentifier(): BuildIdentifier {
  return { id: PURE_IDENTIFIER, pythonTag: 'py3', implementation: 'cpython', pythonVersion: '3', freeThreaded: false, platformPart: 'any', platform: 'any', arch: 'any', linuxLibc: null, wheelPythonTag: 'py3', wheelAbiTag: 'none' };
}

/**
 * Parse a build identifier (or the {@link PURE_IDENTIFIER}).
 * @returns the parsed identifier, or `null` when `id` is not of the form `<py>-<platform>`.
 */
export function parseIdentifier(id: string): BuildIdentifier | null {
  if (id.trim() === PURE_IDENTIFIER) return pureIdentifier();
  const m = /^(cp|pp|gp)(\d)(\d+)(t?)-(.+)$/.exec(id.trim());
  if (!m) return null;
  const [, impl, major, minor, t, platformPart] = m;
  const implementation = impl === 'cp' ? 'cpython' : impl === 'pp' ? 'pypy' : 'graalpy';
  let platform: BuildIdentifier['platform'] = 'other';
  let arch = '';
  let linuxLibc: BuildIdentifier['linuxLibc'] = null;
  const lin = /^(manylinux|musllinux)_(.+)$/.exec(platformPart);
  if (lin) {
    platform = 'linux';
    linuxLibc = lin[1] as 'manylinux' | 'musllinux';
    arch = lin[2];
  } else if (platformPart.startsWith('win')) {
    platform = 'windows';
    arch = platformPart === 'win32' ? 'x86' : platformPart === 'win_amd64' ? 'AMD64' : platformPart === 'win_arm64' ? 'ARM64' : platformPart;
  } else if (platformPart.startsWith('macosx_')) {
    platform = 'macos';
    arch = platformPart.slice('macosx_'.length);
  }
  const pyTag = `${impl}${major}${minor}`;
  return {
    id,
    pythonTag: `${pyTag}${t}`,
    implementation,
    pythonVersion: `${major}.${minor}`,
    freeThreaded: t === 't',
    platformPart,
    platform,
    arch,
    linuxLibc,
    wheelPythonTag: impl === 'cp' ? pyTag : `${impl}${major}${minor}`,
    wheelAbiTag: impl === 'cp' ? `${pyTag}${t}` : '',
  };
}

const PICOMATCH_OPTIONS: picomatch.PicomatchOptions = { posix: true, dot: true };

/**
 * fnmatch-style match of a build identifier against a cibuildwheel selector: space-separated
 * patterns with `*`, `?`, `[...]` / `[!...]` and `{a,b}`, as in `build`, `skip`, `test-skip` and
 * `overrides.select` (cibuildwheel expands braces with bracex, then applies Python's fnmatch;
 * https://cibuildwheel.pypa.io/en/stable/options/#build-skip). Matching is picomatch's, in POSIX
 * bracket mode so that `[!3]` negates as fnmatch does; case-sensitive, as identifiers are lower-case.
 */
export function matchesSelector(id: string, selector: string | string[]): boolean {
  const patterns = (Array.isArray(selector) ? selector : [selector]).flatMap((s) => s.split(/\s+/)).filter(Boolean);
  return patterns.length > 0 && picomatch(patterns, PICOMATCH_OPTIONS)(id);
}

/**
 * True when a wheel's platform tag is one an identifier's build produces: `manylinux_x86_64`
 * matches `manylinux_2_28_x86_64` and the legacy aliases (`manylinux2014_x86_64`), `win_amd64`
 * matches itself, `macosx_arm64` matches `macosx_11_0_arm64`.
 */
export function platformTagMatches(id: BuildIdentifier, platformTag: string): boolean {
  if (id.platform === 'linux') {
    const re = id.linuxLibc === 'manylinux' ? /^manylinux(?:_\d+_\d+|1|2010|2014)_(.+)$/ : /^musllinux_\d+_\d+_(.+)$/;
    const m = re.exec(platformTag);
    return !!m && m[1] === id.arch;
  }
  if (id.platform === 'macos') {
    const m = /^macosx_\d+_\d+_(.+)$/.exec(platformTag);
    return !!m && m[1] === id.arch;
  }
  return platformTag === id.platformPart;
}

/**
 * The identifier (of `ids`) a wheel was built for: its python and abi tags equal the
 * identifier's and every platform tag of its (compressed) set matches. `null` when none fits.
 */
export function identifierForWheel(
  wheel: { pythonTags: string[]; abiTags: string[]; platformTags: string[] },
  ids: readonly BuildIdentifier[],
): BuildIdentifier | null {
  // The pure identifier takes any pure wheel for Python 3: none abi, any platform, a py3 python tag (py3, py2.py3, py312).
  const pure = wheel.abiTags.every((t) => t === 'none') && wheel.platformTags.every((t) => t === 'any') && wheel.pythonTags.some((t) => /^py3\d*$/.test(t));
  return (
    ids.find(
      (id) =>
        (id.platform === 'any' && pure) ||
        (id.platform !== 'any' &&
        wheel.pythonTags.length === 1 &&
        wheel.pythonTags[0] === id.wheelPythonTag &&
        wheel.abiTags.length === 1 &&
        wheel.abiTags[0] === id.wheelAbiTag &&
        wheel.platformTags.every((t) => platformTagMatches(id, t))),
    ) ?? null
  );
}
