/**
 * The cross route for Windows wheels on a Linux host: zig's `x86_64-windows-gnu` C/C++ compilers
 * against python.org's CPython for Windows (headers, `libs/pythonXY.lib`), driven through the
 * project's own build back-end (scikit-build-core + CMake) by a CMake toolchain file; the wheel is
 * then tested in that CPython under wine. This module holds the pure parts: the pin file, what a
 * `win_amd64` identifier needs, the files and environment the build gets, and the rule for the DLLs
 * a module may import. No processes.
 */
import { QuiverError } from './errors';
import { BuildIdentifier } from './identifiers';

/** One pinned python.org CPython for Windows, as a registry package. */
export interface WindowsCPythonPin {
  /** `cp313`. */
  key: string;
  /** Registry the package comes from: `maven` (Maven Central) or `nuget` (nuget.org's `python`). */
  registry: 'maven' | 'nuget';
  /** Maven coordinates `group:artifact:version:jar:classifier`, or NuGet `python:<version>`. */
  package: string;
  /** Lower-case hex sha256 of the package file; checked before anything is unpacked. */
  sha256: string;
  /** CPython version inside, e.g. `3.13.5`. */
  pythonVersion: string;
  /** Directory inside the package that holds python.exe, include/ and libs/ (POSIX separators). */
  root: string;
}

/** Read and check the pin file (JSON: `{ "<cpXY>": { registry, package, sha256, pythonVersion, root } }`).
 * @throws QuiverError `TOOLCHAIN_PIN` naming the file, the key and the field to fix */
export function parseWindowsPins(text: string, file: string): WindowsCPythonPin[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new QuiverError('TOOLCHAIN_PIN', `${file}: not valid JSON (${(e as Error).message}); restore it from the plugin.`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new QuiverError('TOOLCHAIN_PIN', `${file}: expected an object keyed by cpXY.`);
  const pins: WindowsCPythonPin[] = [];
  for (const [key, raw] of Object.entries(data as Record<string, unknown>)) {
    if (key.startsWith('$')) continue; // $comment
    const v = raw as Record<string, unknown>;
    const bad = (field: string, want: string) => new QuiverError('TOOLCHAIN_PIN', `${file}: ${key}.${field} must be ${want}.`);
    if (!/^cp3\d+$/.test(key)) throw new QuiverError('TOOLCHAIN_PIN', `${file}: key "${key}" is not cpXY (e.g. cp313).`);
    if (v.registry !== 'maven' && v.registry !== 'nuget') throw bad('registry', '"maven" or "nuget"');
    if (typeof v.package !== 'string' || (v.registry === 'maven' ? !/^[\w.-]+:[\w.-]+:[\w.-]+:jar:[\w.-]+$/.test(v.package) : !/^python:[\w.-]+$/.test(v.package))) {
      throw bad('package', v.registry === 'maven' ? 'group:artifact:version:jar:classifier' : 'python:<version>');
    }
    if (typeof v.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.sha256)) throw bad('sha256', '64 lower-case hex digits');
    if (typeof v.pythonVersion !== 'string' || !/^3\.\d+\.\d+$/.test(v.pythonVersion)) throw bad('pythonVersion', 'X.Y.Z');
    if (`cp${v.pythonVersion.split('.').slice(0, 2).join('')}` !== key) throw bad('pythonVersion', `a ${key} version`);
    if (typeof v.root !== 'string' || v.root.startsWith('/') || v.root.includes('..')) throw bad('root', 'a relative path inside the package');
    pins.push({ key, registry: v.registry, package: v.package, sha256: v.sha256, pythonVersion: v.pythonVersion, root: v.root });
  }
  return pins;
}

/** What building one Windows identifier on Linux needs to know. */
export interface CrossTarget {
  identifier: string;
  /** `3.13`. */
  pythonVersion: string;
  /** `cp313`. */
  pyTag: string;
  /** zig's `-target`. */
  zigTarget: 'x86_64-windows-gnu';
  /** sysconfig platform of the target (`_PYTHON_HOST_PLATFORM`), `win-amd64`. */
  sysconfigPlatform: 'win-amd64';
  /** `.cp313-win_amd64.pyd`: CPython's EXT_SUFFIX on Windows (PC/pyconfig.h, importlib.machinery.EXTENSION_SUFFIXES). */
  extSuffix: string;
  /** `cp313-win_amd64`. */
  soabi: string;
  /** `python313.dll`, the DLL the module must link to. */
  pythonDll: string;
  /** `python313.lib`, the import library in `libs/`. */
  importLib: string;
}

/**
 * The cross target of a Windows identifier. Only CPython `win_amd64` is supported (zig targets
 * x86_64-windows-gnu; python.org's CPython has no abi3 `python3.dll` in the Maven package).
 * @throws QuiverError `CROSS_UNSUPPORTED` naming the identifier and the fix
 */
export function crossTargetFor(id: BuildIdentifier): CrossTarget {
  const why =
    id.platform !== 'windows' ? 'it is not a Windows wheel'
    : id.implementation !== 'cpython' ? 'only CPython is cross-built'
    : id.arch !== 'AMD64' ? `its architecture ${id.arch} is not AMD64`
    : id.freeThreaded ? 'free-threaded builds are not cross-built'
    : null;
  if (why) {
    throw new QuiverError('CROSS_UNSUPPORTED', `the Linux cross route cannot build ${id.id}: ${why}; skip it (CIBW_SKIP) or build it on a Windows runner with --engine=cibuildwheel.`);
  }
  const nodot = id.pythonVersion.replace('.', '');
  return {
    identifier: id.id,
    pythonVersion: id.pythonVersion,
    pyTag: `cp${nodot}`,
    zigTarget: 'x86_64-windows-gnu',
    sysconfigPlatform: 'win-amd64',
    extSuffix: `.cp${nodot}-win_amd64.pyd`,
    soabi: `cp${nodot}-win_amd64`,
    pythonDll: `python${nodot}.dll`,
    importLib: `python${nodot}.lib`,
  };
}

/** The pin for a target, or a one-line error naming the pin file. */
export function pinFor(t: CrossTarget, pins: WindowsCPythonPin[], file: string): WindowsCPythonPin {
  const pin = pins.find((p) => p.key === t.pyTag);
  if (!pin) {
    throw new QuiverError('CROSS_UNSUPPORTED', `${file}: no python.org CPython pinned for ${t.pyTag} (have ${pins.map((p) => p.key).join(', ') || 'none'}); add one, or skip ${t.identifier} (CIBW_SKIP) on Linux.`);
  }
  return pin;
}

/** Where the pinned CPython lies unpacked, and the wrappers that stand in for the compilers. */
export interface CrossPaths {
  /** Unpacked CPython (python.exe, include/, libs/). */
  cpythonDir: string;
  cc: string;
  cxx: string;
  ar: string;
  ranlib: string;
  /** The host interpreter (same X.Y as the target) the build runs with. */
  hostPython: string;
  /** Directory holding the generated `_sysconfigdata_*` module of the target. */
  sysconfigDir: string;
  /** The generated target-python wrapper (host interpreter answering sysconfig as the target). */
  targetPython: string;
}

/** CMake's quoting for a path inside a toolchain file. */
const cmakeQuote = (s: string) => `"${s.replace(/\\/g, '/').replace(/"/g, '\\"')}"`;

/**
 * The CMake toolchain file for the target (CMAKE_SYSTEM_NAME Windows, zig as C/C++ compiler,
 * archiver and ranlib; programs found on the host, libraries and headers only where given).
 * Modules are linked with `-s` (no debug directory CodeView record: its PDB GUID would differ per
 * build directory), so with zig's `/Brepro`-style header hash a rebuild is byte-identical; `--strip`
 * at install is then a no-op (the host's strip would rewrite a PE file it does not own).
 */
export function cmakeToolchainFile(p: CrossPaths): string {
  return [
    '# Generated by @quiver/nx-wheels (cross route): Windows x86_64 through zig.',
    'set(CMAKE_SYSTEM_NAME Windows)',
    'set(CMAKE_SYSTEM_PROCESSOR AMD64)',
    `set(CMAKE_C_COMPILER ${cmakeQuote(p.cc)})`,
    `set(CMAKE_CXX_COMPILER ${cmakeQuote(p.cxx)})`,
    `set(CMAKE_AR ${cmakeQuote(p.ar)} CACHE FILEPATH "zig ar")`,
    `set(CMAKE_RANLIB ${cmakeQuote(p.ranlib)} CACHE FILEPATH "zig ranlib")`,
    'set(CMAKE_STRIP "" CACHE FILEPATH "no strip for PE modules")',
    '# -s: no CodeView record or PDB, whose GUID hashes the build directory; with zig\'s /Brepro the module is then byte-identical.',
    'set(CMAKE_SHARED_LINKER_FLAGS_INIT "-s")',
    'set(CMAKE_MODULE_LINKER_FLAGS_INIT "-s")',
    'set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)',
    '',
  ].join('\n');
}

/**
 * The `_sysconfigdata` module the target-python wrapper loads (CPython's own cross-build mechanism,
 * `_PYTHON_SYSCONFIGDATA_NAME`): the target's EXT_SUFFIX and SOABI, and the Windows CPython's
 * include and library directories, so a CMake project that asks "the interpreter" gets the target.
 */
export function sysconfigDataModule(t: CrossTarget, p: Pick<CrossPaths, 'cpythonDir'>): { name: string; text: string } {
  const name = `_sysconfigdata__win_amd64_${t.pyTag}`;
  const vars: Record<string, string | number> = {
    EXT_SUFFIX: t.extSuffix,
    SOABI: t.soabi,
    VERSION: t.pythonVersion,
    py_version_nodot: t.pyTag.slice(2),
    ABIFLAGS: '',
    MULTIARCH: '',
    Py_DEBUG: 0,
    Py_GIL_DISABLED: 0,
    Py_ENABLE_SHARED: 1,
    SIZEOF_VOID_P: 8,
    INCLUDEPY: `${p.cpythonDir}/include`,
    LIBDIR: `${p.cpythonDir}/libs`,
    LIBRARY: t.importLib,
    LDLIBRARY: t.pythonDll,
  };
  return { name, text: `# Generated by @quiver/nx-wheels: sysconfig of the cross target ${t.identifier}.\nbuild_time_vars = ${JSON.stringify(vars, null, 1)}\n` };
}

/** The target-python wrapper script (POSIX sh). */
export function targetPythonScript(t: CrossTarget, p: CrossPaths): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const mod = sysconfigDataModule(t, p).name;
  return `#!/bin/sh\n# The host CPython ${t.pythonVersion} answering sysconfig as ${t.identifier} (generated by @quiver/nx-wheels).\n_PYTHON_HOST_PLATFORM=${t.sysconfigPlatform} _PYTHON_SYSCONFIGDATA_NAME=${mod} PYTHONPATH=${q(p.sysconfigDir)} exec ${q(p.hostPython)} "$@"\n`;
}

/**
 * The environment of `python -m build` for the target: scikit-build-core takes the platform tag
 * from `_PYTHON_HOST_PLATFORM` and the SOABI from `SETUPTOOLS_EXT_SUFFIX` (its cross-compile
 * hooks), CMake gets the toolchain file, and FindPython the target interpreter stand-in, the
 * Windows headers and the import library as cache entries (`SKBUILD_CMAKE_DEFINE` comes last, so
 * it wins over scikit-build-core's host values). A user's own SKBUILD_CMAKE_ARGS/DEFINE are kept.
 */
export function crossBuildEnv(t: CrossTarget, p: CrossPaths, toolchainFile: string, env: Record<string, string | undefined>): Record<string, string> {
  const join = (a: string | undefined, b: string) => (a ? `${a};${b}` : b);
  return {
    _PYTHON_HOST_PLATFORM: t.sysconfigPlatform,
    SETUPTOOLS_EXT_SUFFIX: t.extSuffix,
    SKBUILD_CMAKE_ARGS: join(env['SKBUILD_CMAKE_ARGS'], `--toolchain=${toolchainFile}`),
    SKBUILD_CMAKE_DEFINE: join(
      env['SKBUILD_CMAKE_DEFINE'],
      [`Python_EXECUTABLE=${p.targetPython}`, `Python_INCLUDE_DIR=${p.cpythonDir}/include`, `Python_LIBRARY=${p.cpythonDir}/libs/${t.importLib}`, `Python3_EXECUTABLE=${p.targetPython}`, `Python3_INCLUDE_DIR=${p.cpythonDir}/include`, `Python3_LIBRARY=${p.cpythonDir}/libs/${t.importLib}`].join(';'),
    ),
  };
}

/** Where an imported DLL comes from. */
export type DllOrigin = 'python' | 'system' | 'ucrt' | 'mingw' | 'other';

/** MinGW runtime DLLs (GCC's C++ runtime, libgcc, winpthreads): not on a user's machine. */
const MINGW = /^(libstdc\+\+-\d+|libgcc_s_[\w-]+|libwinpthread-\d+|libc\+\+|libunwind|libgomp-\d+|libssp-\d+|libquadmath-\d+)\.dll$/i;
/** DLLs every supported Windows (10+) has in System32. */
const SYSTEM = new Set(
  [
    'kernel32', 'kernelbase', 'user32', 'gdi32', 'gdiplus', 'advapi32', 'shell32', 'ole32', 'oleaut32', 'ws2_32', 'wsock32', 'mswsock', 'bcrypt', 'bcryptprimitives', 'ntdll',
    'shlwapi', 'version', 'winmm', 'crypt32', 'secur32', 'sspicli', 'iphlpapi', 'dbghelp', 'psapi', 'comdlg32', 'winspool', 'winspool.drv', 'uuid', 'rpcrt4', 'setupapi', 'cfgmgr32',
    'userenv', 'ncrypt', 'imm32', 'comctl32', 'msvcrt', 'dnsapi', 'netapi32', 'mpr', 'winhttp', 'wininet', 'urlmon', 'wtsapi32', 'powrprof', 'hid', 'dwmapi', 'uxtheme',
    'opengl32', 'glu32', 'd3d9', 'd3d11', 'd3d12', 'dxgi', 'd2d1', 'dwrite', 'd3dcompiler_47', 'windowscodecs', 'msimg32', 'usp10', 'propsys', 'shcore', 'oleacc',
    'normaliz', 'wldap32', 'credui', 'cryptbase', 'wintrust', 'avrt', 'mf', 'mfplat', 'mfreadwrite', 'ksuser', 'winusb', 'ntdsapi', 'authz', 'pdh', 'wevtapi', 'synchronization',
  ].map((n) => (n.endsWith('.drv') ? n : `${n}.dll`)),
);

/**
 * Classify one imported DLL of a module built for CPython `pythonDll` (e.g. `python313.dll`):
 * the target CPython's own DLL (or `python3.dll` for abi3), Windows system DLLs, the UCRT
 * (`ucrtbase.dll`, `api-ms-win-*`) and the MSVC runtime (`vcruntime140*.dll`, `msvcp140*.dll`),
 * MinGW runtime DLLs, or anything else.
 */
export function classifyDll(name: string, pythonDll: string): DllOrigin {
  const n = name.toLowerCase();
  if (n === pythonDll.toLowerCase() || n === 'python3.dll') return 'python';
  if (MINGW.test(n)) return 'mingw';
  // The UCRT, and the MSVC runtime of CPython's own toolset (vcruntime140 ships with CPython; msvcp140 is the
  // redistributable every MSVC-built C++ wheel relies on, as cibuildwheel and delvewheel treat it).
  if (n === 'ucrtbase.dll' || n.startsWith('api-ms-win-') || /^(vcruntime140(_1)?|msvcp140(_\d|_atomic_wait|_codecvt_ids)?|concrt140)\.dll$/.test(n)) return 'ucrt';
  if (SYSTEM.has(n)) return 'system';
  return 'other';
}

/**
 * The imports of a module that a wheel may not carry: MinGW runtime DLLs and unknown DLLs.
 * @param allowed DLL names that are fine anyway, e.g. the DLLs the wheel itself ships (delvewheel's `<pkg>.libs/`)
 */
export function disallowedImports(imports: readonly string[], pythonDll: string, allowed: readonly string[] = []): Array<{ dll: string; origin: DllOrigin }> {
  const ok = new Set(allowed.map((a) => a.toLowerCase()));
  return imports
    .map((dll) => ({ dll, origin: classifyDll(dll, pythonDll) }))
    .filter((x) => (x.origin === 'mingw' || x.origin === 'other') && !ok.has(x.dll.toLowerCase()));
}

/** `python313.dll` for a wheel's python tag `cp313`, null for other tags. */
export function pythonDllOfTag(pyTag: string): string | null {
  const m = /^cp(3\d+)$/.exec(pyTag);
  return m ? `python${m[1]}.dll` : null;
}

/** A Linux path as wine sees it on its `Z:` drive (`/tmp/x` -> `Z:\tmp\x`). */
export function wineDrivePath(linuxPath: string): string {
  return `Z:${linuxPath.replace(/\//g, '\\')}`;
}

/** One line for the plan. */
export function describeCross(zigVersion: string | null, pin: WindowsCPythonPin | null): string {
  return `toolchain: zig${zigVersion ? ' ' + zigVersion : ''} (pinned ziglang) -target x86_64-windows-gnu, static libc++, UCRT; CPython ${pin?.pythonVersion ?? '?'} for Windows (${pin?.package ?? 'pinned'}) headers and import library; tests under wine in that CPython`;
}
