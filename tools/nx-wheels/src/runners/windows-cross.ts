/**
 * The process side of the Linux cross route for Windows wheels (policy in core/windows-cross.ts):
 * installing the pinned python.org CPython for Windows from its registry package, writing the zig
 * wrappers, CMake toolchain file and target-python stand-in, building with the project's back-end,
 * and testing the wheel in that CPython under wine as cibuildwheel tests on Windows.
 *
 * Everything that is slow to make and keyed by pins lives in the per-user cache
 * ({@link userCacheDir}), outside the clone: the unpacked CPython, zig's global cache for the
 * Windows target, the WINEPREFIX and the virtualenv tool, so a second build (or a second clone) is warm.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { QuiverError } from '../core/errors';
import { readPeImports } from '../core/pe';
import { readWheelArchive } from '../core/wheel-archive';
import {
  CrossPaths,
  CrossTarget,
  crossBuildEnv,
  cmakeToolchainFile,
  disallowedImports,
  parseWindowsPins,
  sysconfigDataModule,
  targetPythonScript,
  wineDrivePath,
  WindowsCPythonPin,
} from '../core/windows-cross';
import { capture, LineSink, consoleSink, stream } from './process';
import { withLock } from './toolchain';
import { runUnderWine, Wine } from './wine';
import { Zig } from './zig';

/** The pin file shipped with the plugin. */
export const WINDOWS_PINS_FILE = resolve(__dirname, '..', '..', 'toolchain', 'windows-cpython.json');

/** The pins in {@link WINDOWS_PINS_FILE}. */
export function readWindowsPins(file = WINDOWS_PINS_FILE): WindowsCPythonPin[] {
  return parseWindowsPins(readFileSync(file, 'utf8'), file);
}

/**
 * The per-user cache of the cross route: `$NX_WHEELS_CACHE_DIR`, else `$XDG_CACHE_HOME/nx-wheels`,
 * else `~/.cache/nx-wheels`.
 */
export function userCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env['NX_WHEELS_CACHE_DIR']) return resolve(env['NX_WHEELS_CACHE_DIR']);
  return join(env['XDG_CACHE_HOME'] ? resolve(env['XDG_CACHE_HOME']) : join(homedir(), '.cache'), 'nx-wheels');
}

function sha256OfFile(file: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/**
 * The pinned CPython for Windows, unpacked in the per-user cache (`windows-cpython/<pin key>-<sha256 prefix>`).
 * First use: `mvn dependency:copy` of the pinned Maven artifact (through the user's Maven settings and
 * mirrors) into a temporary directory, its sha256 checked against the pin, then unpacked; python.org's
 * layout is completed with `pythonw.exe` beside `python.exe` (the jar keeps it in `bin/`; virtualenv
 * needs both). A stamp written last marks a complete install.
 * @param python a host interpreter (its zipfile module unpacks the jar)
 * @returns absolute path of the directory with python.exe, include/ and libs/
 * @throws QuiverError `CPYTHON_DOWNLOAD_FAILED`, `CPYTHON_SHA256_MISMATCH`, `CPYTHON_LAYOUT`
 */
export async function ensureWindowsCPython(pin: WindowsCPythonPin, cacheDir: string, python: string, sink: LineSink = consoleSink): Promise<string> {
  const base = join(cacheDir, 'windows-cpython', `${pin.key}-${pin.pythonVersion}-${pin.sha256.slice(0, 12)}`);
  const root = join(base, pin.root);
  const stamp = join(base, '.nx-wheels-stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pin.sha256) return root;
  mkdirSync(dirname(base), { recursive: true });
  return withLock(`${base}.lock`, async () => {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pin.sha256) return root;
    if (pin.registry !== 'maven') throw new QuiverError('CPYTHON_DOWNLOAD_FAILED', `${WINDOWS_PINS_FILE}: ${pin.key} comes from ${pin.registry}, which this plugin version installs only through Maven; pin the Maven Central package (org.bytedeco:cpython:<version>:jar:windows-x86_64).`);
    const tmp = mkdtempSync(join(dirname(base), '.download-'));
    try {
      sink.out(`[cpython-win] ${pin.package}: downloading with mvn (first use)`);
      const r = await stream('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${pin.package}`, `-DoutputDirectory=${tmp}`], '[cpython-win] ', {}, sink);
      const jars = existsSync(tmp) ? readdirSync(tmp).filter((f) => f.endsWith('.jar')) : [];
      if (r.exitCode !== 0 || jars.length !== 1) {
        throw new QuiverError('CPYTHON_DOWNLOAD_FAILED', `mvn dependency:copy -Dartifact=${pin.package} failed (exit ${r.exitCode}); check that Maven Central (or your Maven mirror) is reachable, see the [cpython-win] lines above.`);
      }
      const jar = join(tmp, jars[0]);
      const sha = await sha256OfFile(jar);
      if (sha !== pin.sha256) {
        throw new QuiverError('CPYTHON_SHA256_MISMATCH', `${pin.package}: sha256 ${sha} is not the pinned ${pin.sha256} (${WINDOWS_PINS_FILE}); the registry or a mirror served other bytes; nothing was installed.`);
      }
      const unpacked = join(tmp, 'unpacked');
      const x = await capture(python, ['-m', 'zipfile', '-e', jar, unpacked], {});
      const dir = join(unpacked, pin.root);
      if (x.exitCode !== 0 || !existsSync(join(dir, 'python.exe')) || !existsSync(join(dir, 'include', 'Python.h'))) {
        throw new QuiverError('CPYTHON_LAYOUT', `${pin.package}: no python.exe and include/Python.h under ${pin.root} after unpacking; fix "root" in ${WINDOWS_PINS_FILE}.`);
      }
      if (!existsSync(join(dir, 'pythonw.exe')) && existsSync(join(dir, 'bin', 'pythonw.exe'))) copyFileSync(join(dir, 'bin', 'pythonw.exe'), join(dir, 'pythonw.exe'));
      rmSync(base, { recursive: true, force: true });
      renameSync(unpacked, base);
      writeFileSync(stamp, pin.sha256 + '\n');
      sink.out(`[cpython-win] CPython ${pin.pythonVersion} for Windows installed in ${base} (sha256 verified)`);
      return root;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

/**
 * Write the zig wrappers (`zig-cc`, `zig-c++`, `zig-ar`, `zig-ranlib`), the CMake toolchain file,
 * the target's `_sysconfigdata` module and the target-python wrapper into `dir` (stable paths, so
 * the same compiler path is seen by every build), and return the build environment for
 * `python -m build` (zig's caches in the per-user cache).
 */
export function prepareCrossBuild(a: { dir: string; zig: Zig; target: CrossTarget; cpythonDir: string; hostPython: string; zigCacheDir: string; env: Record<string, string | undefined> }): Record<string, string> {
  mkdirSync(a.dir, { recursive: true });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const tool = (name: string, body: string) => {
    const file = join(a.dir, name);
    writeFileSync(file, `#!/bin/sh\nexec ${q(a.zig.zig)} ${body} "$@"\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const paths: CrossPaths = {
    cpythonDir: a.cpythonDir,
    cc: tool('zig-cc', `cc -target ${a.target.zigTarget}`),
    cxx: tool('zig-c++', `c++ -target ${a.target.zigTarget}`),
    ar: tool('zig-ar', 'ar'),
    ranlib: tool('zig-ranlib', 'ranlib'),
    hostPython: a.hostPython,
    sysconfigDir: join(a.dir, 'sysconfig'),
    targetPython: join(a.dir, 'target-python'),
  };
  mkdirSync(paths.sysconfigDir, { recursive: true });
  const mod = sysconfigDataModule(a.target, paths);
  writeFileSync(join(paths.sysconfigDir, `${mod.name}.py`), mod.text);
  writeFileSync(paths.targetPython, targetPythonScript(a.target, paths));
  chmodSync(paths.targetPython, 0o755);
  const toolchainFile = join(a.dir, 'toolchain.cmake');
  writeFileSync(toolchainFile, cmakeToolchainFile(paths));
  return { ZIG_GLOBAL_CACHE_DIR: a.zigCacheDir, ZIG_LOCAL_CACHE_DIR: a.zigCacheDir, ...crossBuildEnv(a.target, paths, toolchainFile, a.env) };
}

/** The imports of every `.pyd`/`.dll` in a wheel. */
async function wheelPeImports(wheel: string): Promise<Array<{ name: string; imports: string[] | null }>> {
  const archive = await readWheelArchive(wheel, { keep: (n) => /\.(pyd|dll)$/i.test(n), keepLimit: 512 * 1024 * 1024 });
  return [...archive.files.entries()].map(([name, data]) => ({ name, imports: readPeImports(data) }));
}

/**
 * Refuse a wheel whose modules import a MinGW runtime DLL or any DLL that is neither the target
 * CPython's nor a Windows system / UCRT DLL: it would not load on a user's machine.
 * @returns the imports per module (for the log)
 * @throws QuiverError `WINDOWS_DLL_IMPORT` in one line naming the module and the DLLs
 */
export async function checkWheelImports(wheel: string, t: CrossTarget): Promise<Array<{ name: string; imports: string[] }>> {
  const mods = await wheelPeImports(wheel);
  const out: Array<{ name: string; imports: string[] }> = [];
  for (const m of mods) {
    if (!m.imports) throw new QuiverError('WINDOWS_DLL_IMPORT', `${t.identifier}: ${m.name} in the wheel is not a PE module whose imports can be read; rebuild it.`);
    const bad = disallowedImports(m.imports, t.pythonDll);
    if (bad.length) {
      throw new QuiverError('WINDOWS_DLL_IMPORT', `${t.identifier}: ${m.name} imports ${bad.map((b) => `${b.dll} (${b.origin === 'mingw' ? 'MinGW runtime' : 'not a Windows, UCRT or ' + t.pythonDll + ' DLL'})`).join(', ')}, which a user's Windows does not have; link the C++ runtime statically (zig c++ does) and do not link other DLLs.`);
    }
    out.push({ name: m.name, imports: m.imports });
  }
  if (out.length === 0) throw new QuiverError('WINDOWS_DLL_IMPORT', `${t.identifier}: the wheel holds no .pyd module; check the build's install rules.`);
  return out;
}

/** What testing one Windows wheel under wine needs. */
export interface CrossWheelTest {
  target: CrossTarget;
  wine: Wine;
  /** Unpacked pinned CPython for Windows. */
  cpythonDir: string;
  /** Absolute wheel path. */
  wheel: string;
  /** test-command, its placeholders already replaced with wine (`Z:\...`) paths. */
  testCommand: string;
  testRequires: string[];
  testExtras: string[];
  /** Host pip (a python with pip) that downloads the `win_amd64` wheels. */
  hostPython: string;
  /** cibuildwheel's constraints for the target Python (pins virtualenv and its dependencies). */
  constraints: string;
  /** The virtualenv version cibuildwheel pins. */
  virtualenvVersion: string;
  cacheDir: string;
  env: Record<string, string | undefined>;
}

/** Windows-only dependencies pip's marker evaluation on Linux misses (pytest needs colorama on Windows). */
const WINDOWS_ONLY_TEST_DEPS = ['colorama'];

/**
 * Python code that runs a module as `-m` would, with `_winapi.CopyFile2` hidden first: wine 8.0
 * lacks KERNEL32.CopyFile2, which Python 3.12+'s shutil.copy2 calls (and which virtualenv uses).
 */
const BOOT = 'import _winapi, runpy, sys\nif hasattr(_winapi, "CopyFile2"): del _winapi.CopyFile2\nmod = sys.argv[1]; sys.argv = sys.argv[1:]\nrunpy.run_module(mod, run_name="__main__", alter_sys=True)\n';

/**
 * Test one Windows wheel as cibuildwheel tests on Windows, in the pinned CPython under wine: a fresh
 * virtualenv (cibuildwheel's pinned virtualenv), the wheel (with test-extras), test-requires and the
 * Windows-only dependencies installed offline from wheels downloaded for win_amd64, then the
 * test-command by `cmd /c` from an empty directory with the venv's Scripts first on PATH.
 * @returns seconds taken
 * @throws QuiverError `TEST_INSTALL_FAILED`, `TESTS_FAILED`
 */
export async function testWheelUnderWine(t: CrossWheelTest, sink: LineSink = consoleSink): Promise<number> {
  const started = Date.now();
  const id = t.target.identifier;
  const work = mkdtempSync(join(t.cacheDir, 'tmp', `test-${id}-`));
  // Hermetic: the host's find-links and pip configuration do not reach wine's pip.
  const env: Record<string, string | undefined> = { ...t.env, PIP_FIND_LINKS: undefined, PIP_NO_INDEX: undefined, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONNOUSERSITE: '1', VIRTUAL_ENV: undefined, PYTHONPATH: undefined };
  const run: WineTestRun = { t, prefix: `[test ${id}] `, work, env, sink, boot: join(t.cacheDir, 'tmp', 'nx-wheels-boot.py') };
  try {
    writeFileSync(run.boot, BOOT);
    const venvTool = await ensureWineVirtualenv(run);
    const venv = await createWineVenv(run, venvTool);
    // The venv's python.exe finds python3XY.dll through PATH (virtualenv copies no DLLs without venvlauncher).
    const winePath = [wineDrivePath(join(venv, 'Scripts')), wineDrivePath(t.cpythonDir)];
    await installWheelUnderWine(run, join(venv, 'Scripts', 'python.exe'), winePath);
    const cwd = join(work, 'cwd');
    mkdirSync(cwd);
    const r = await runUnderWine(t.wine, 'cmd', ['/d', '/s', '/c', t.testCommand], run.prefix, { cwd, env: { ...env, VIRTUAL_ENV: wineDrivePath(venv) }, winePath }, sink);
    if (r.exitCode !== 0) throw new QuiverError('TESTS_FAILED', `test-command failed for ${id} under wine (exit ${r.exitCode}): ${t.testCommand}; see the ${run.prefix.trim()} lines above.`);
    return (Date.now() - started) / 1000;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One {@link testWheelUnderWine} run: its scratch directory, hermetic env, log prefix and the BOOT script's path. */
interface WineTestRun {
  t: CrossWheelTest;
  prefix: string;
  work: string;
  env: Record<string, string | undefined>;
  sink: LineSink;
  boot: string;
}

/**
 * virtualenv (cibuildwheel's pin), installed once per pin into the cache with the base CPython's own pip.
 * @returns the directory to put on PYTHONPATH
 * @throws QuiverError `TEST_INSTALL_FAILED`
 */
async function ensureWineVirtualenv({ t, prefix, work, env, sink, boot }: WineTestRun): Promise<string> {
  const W = wineDrivePath;
  const venvTool = join(t.cacheDir, 'windows-virtualenv', `${t.target.pyTag}-${t.virtualenvVersion}`);
  if (existsSync(join(venvTool, '.nx-wheels-stamp'))) return venvTool;
  mkdirSync(dirname(venvTool), { recursive: true });
  await withLock(`${venvTool}.lock`, async () => {
    if (existsSync(join(venvTool, '.nx-wheels-stamp'))) return;
    const dl = join(work, 'virtualenv-wheels');
    await pipDownload(t, dl, [`virtualenv==${t.virtualenvVersion}`], ['-c', t.constraints], env, sink);
    rmSync(venvTool, { recursive: true, force: true });
    const py = join(t.cpythonDir, 'python.exe');
    const r = await runUnderWine(t.wine, py, [W(boot), 'pip', 'install', '-q', '--no-index', '--find-links', W(dl), '--target', W(venvTool), `virtualenv==${t.virtualenvVersion}`], prefix, { env }, sink);
    if (r.exitCode !== 0) throw new QuiverError('TEST_INSTALL_FAILED', `installing virtualenv ${t.virtualenvVersion} for the Windows CPython under wine failed (exit ${r.exitCode}); see the ${prefix.trim()} lines above.`);
    writeFileSync(join(venvTool, '.nx-wheels-stamp'), `${t.virtualenvVersion}\n`);
  });
  return venvTool;
}

/**
 * A fresh virtualenv of the Windows CPython in the run's scratch directory.
 * @returns its directory
 * @throws QuiverError `TEST_INSTALL_FAILED`
 */
async function createWineVenv({ t, prefix, work, env, sink, boot }: WineTestRun, venvTool: string): Promise<string> {
  const W = wineDrivePath;
  const venv = join(work, 'venv');
  const py = join(t.cpythonDir, 'python.exe');
  const mk = await runUnderWine(t.wine, py, [W(boot), 'virtualenv', '--no-download', '--no-periodic-update', '-q', W(venv)], prefix, { env: { ...env, PYTHONPATH: W(venvTool) } }, sink);
  if (mk.exitCode !== 0 || !existsSync(join(venv, 'Scripts', 'python.exe'))) throw new QuiverError('TEST_INSTALL_FAILED', `creating a virtualenv of the Windows CPython under wine failed (exit ${mk.exitCode}); see the ${prefix.trim()} lines above.`);
  return venv;
}

/**
 * Install the wheel (with test-extras), test-requires and the Windows-only test dependencies into
 * the venv, offline from wheels downloaded for win_amd64.
 * @throws QuiverError `TEST_INSTALL_FAILED`
 */
async function installWheelUnderWine({ t, prefix, work, env, sink }: WineTestRun, venvPy: string, winePath: string[]): Promise<void> {
  const wheels = join(work, 'wheels');
  const extras = t.testExtras.length ? `[${t.testExtras.join(',')}]` : '';
  const want = [...t.testRequires, ...WINDOWS_ONLY_TEST_DEPS];
  if (want.length) await pipDownload(t, wheels, want, [], env, sink);
  mkdirSync(wheels, { recursive: true });
  copyFileSync(t.wheel, join(wheels, t.wheel.split('/').pop()!));
  if (extras) await pipDownload(t, wheels, [`${t.wheel}${extras}`], [], env, sink);
  const pkg = `${readWheelName(t.wheel)}${extras}`;
  const pip = await runUnderWine(t.wine, venvPy, ['-m', 'pip', 'install', '-q', '--no-index', '--find-links', wineDrivePath(wheels), pkg, ...want], prefix, { env, winePath }, sink);
  if (pip.exitCode !== 0) throw new QuiverError('TEST_INSTALL_FAILED', `installing ${t.wheel.split('/').pop()} and test-requires into the Windows venv under wine failed (pip exited ${pip.exitCode}); see the ${prefix.trim()} lines above.`);
}

/** `quiverdb` from `quiverdb-0.1.0-cp313-cp313-win_amd64.whl`. */
function readWheelName(wheel: string): string {
  return (wheel.split('/').pop() ?? '').split('-')[0];
}

/** `pip download` binary wheels for the target (win_amd64, its CPython) with the host's pip. */
async function pipDownload(t: CrossWheelTest, dest: string, reqs: string[], extra: string[], env: Record<string, string | undefined>, sink: LineSink): Promise<void> {
  const nodot = t.target.pyTag.slice(2);
  const args = ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--only-binary=:all:', '--platform', 'win_amd64', '--python-version', t.target.pythonVersion, '--implementation', 'cp', '--abi', `cp${nodot}`, '-d', dest, ...extra, ...reqs];
  const r = await stream(t.hostPython, args, `[test ${t.target.identifier}] `, { env: { ...env, PIP_FIND_LINKS: t.env['PIP_FIND_LINKS'] } }, sink);
  if (r.exitCode !== 0) throw new QuiverError('TEST_INSTALL_FAILED', `pip download --platform win_amd64 ${reqs.join(' ')} failed (exit ${r.exitCode}); the index must serve win_amd64 (or pure) wheels of test-requires; see the [test ${t.target.identifier}] lines above.`);
}
