/**
 * build-wheels' cross route: the `win_amd64` identifiers built on a Linux host with zig against
 * python.org's CPython for Windows, through the project's own build back-end, and tested in that
 * CPython under wine (core/windows-cross.ts decides, runners/windows-cross.ts and runners/wine.ts act).
 */
import { mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BuiltWheel } from '../core/build-report';
import { buildEnvironment, SourceDateEpoch, substitutePlaceholders, testCommand, testExtras, testRequires, testSkipped } from '../core/cibw-options';
import { QuiverError } from '../core/errors';
import { BuildIdentifier } from '../core/identifiers';
import { crossTargetFor, CrossTarget, pinFor, wineDrivePath, WindowsCPythonPin } from '../core/windows-cross';
import { parseWheelFilename } from '../core/wheel-filename';
import { buildWheel } from '../runners/native';
import { capture, LineSink } from '../runners/process';
import { findCPython, Interpreter } from '../runners/python';
import { ensureBuildEnv, stateDir } from '../runners/toolchain';
import { checkWheelImports, ensureWindowsCPython, prepareCrossBuild, readWindowsPins, testWheelUnderWine, userCacheDir, WINDOWS_PINS_FILE } from '../runners/windows-cross';
import { ensureWine } from '../runners/wine';
import { Zig } from '../runners/zig';
import { sha256File } from './files';

/** Check every identifier can be cross-built and has a pinned CPython; nothing is installed. */
export function planCross(identifiers: BuildIdentifier[]): Array<{ id: BuildIdentifier; target: CrossTarget; pin: WindowsCPythonPin }> {
  const pins = readWindowsPins();
  return identifiers.map((id) => {
    const target = crossTargetFor(id);
    return { id, target, pin: pinFor(target, pins, WINDOWS_PINS_FILE) };
  });
}

/** cibuildwheel's constraints file for a Python version and the virtualenv it pins (from the toolchain's cibuildwheel). */
async function cibuildwheelConstraints(toolchainPython: string, pythonVersion: string): Promise<{ file: string; virtualenv: string }> {
  const r = await capture(toolchainPython, ['-c', 'import cibuildwheel, os; print(os.path.join(os.path.dirname(cibuildwheel.__file__), "resources"))'], {});
  const file = join(r.stdout.trim(), `constraints-python${pythonVersion.replace('.', '')}.txt`);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    /* handled below */
  }
  const m = /^virtualenv==([\w.]+)/m.exec(text);
  if (r.exitCode !== 0 || !m) throw new QuiverError('TOOLCHAIN_PIN', `${file}: cibuildwheel's constraints for Python ${pythonVersion} (with a virtualenv pin) are missing; reinstall the toolchain (delete .nx-wheels/toolchain).`);
  return { file, virtualenv: m[1] };
}

/**
 * Build (and test) every Windows identifier on this Linux host.
 * @returns one report row per wheel, with `engine: 'cross'`, the toolchain and the test interpreter
 * @throws QuiverError `CROSS_UNSUPPORTED`, `NO_PYTHON_FOR_IDENTIFIER`, `NATIVE_BUILD_FAILED`,
 *   `WINDOWS_DLL_IMPORT`, `WINE_MISSING`, `TEST_INSTALL_FAILED`, `TESTS_FAILED`, the CPython install codes
 */
export async function buildWindowsCross(
  a: {
    ws: string;
    stagingDir: string;
    rel: string;
    out: string;
    tmp: string;
    env: Record<string, string | undefined>;
    runTests: boolean;
    sourceDateEpoch: SourceDateEpoch | null;
    project: Record<string, unknown>;
    identifiers: BuildIdentifier[];
    preferred: Interpreter;
    toolchainPython: string;
    zig: Zig;
  },
  sink: LineSink,
): Promise<BuiltWheel[]> {
  const cache = userCacheDir(a.env);
  mkdirSync(join(cache, 'tmp'), { recursive: true });
  const result: BuiltWheel[] = [];
  for (const { id, target, pin } of planCross(a.identifiers)) {
    const started = Date.now();
    const python = await findCPython(id.pythonVersion, a.preferred);
    if (!python) {
      throw new QuiverError('NO_PYTHON_FOR_IDENTIFIER', `cross build of ${id.id}: no host CPython ${id.pythonVersion} found to run the build back-end (looked for python${id.pythonVersion} on PATH and in pyenv); install it (e.g. pyenv install ${id.pythonVersion}) or pass --python=/path/to/python${id.pythonVersion}.`);
    }
    const cpython = await ensureWindowsCPython(pin, cache, a.toolchainPython, sink);
    const buildEnv = await ensureBuildEnv(a.ws, python, sink);
    const cross = prepareCrossBuild({
      dir: join(stateDir(a.ws), 'zig', 'wrappers', `${target.zigTarget}-${target.pyTag}`),
      zig: a.zig,
      target,
      cpythonDir: cpython,
      hostPython: python.executable,
      zigCacheDir: join(cache, `zig-cache-${a.zig.version}`),
      env: a.env,
    });
    const env = { ...a.env, ...(a.sourceDateEpoch ? { SOURCE_DATE_EPOCH: a.sourceDateEpoch.value } : {}), ...buildEnvironment(a.project, 'windows', id.id, a.env), ...cross };
    const raw = await buildWheel(buildEnv.bin('python'), { workspaceRoot: a.stagingDir, packageDir: a.rel, outDir: join(a.tmp, `raw-${id.id}`), identifier: id.id, env }, sink);
    const parsed = parseWheelFilename(basename(raw));
    if (!parsed || !parsed.platformTags.includes('win_amd64') || !parsed.pythonTags.includes(target.pyTag)) {
      throw new QuiverError('CROSS_WRONG_TAG', `cross build of ${id.id} produced ${basename(raw)}, not a ${target.pyTag}-*-win_amd64 wheel; the build back-end did not take the target from _PYTHON_HOST_PLATFORM (scikit-build-core does).`);
    }
    const mods = await checkWheelImports(raw, target);
    for (const m of mods) sink.out(`[build ${id.id}] ${m.name} imports ${m.imports.join(', ')}`);
    const buildSeconds = (Date.now() - started) / 1000;
    const wheel = join(a.out, basename(raw));
    renameSync(raw, wheel);
    let tests: BuiltWheel['tests'] = 'not-run';
    const interp = `CPython ${pin.pythonVersion} for Windows (${pin.package}) under wine`;
    let testInterpreter: string | undefined;
    if (a.runTests) {
      const cmd = testCommand(a.project, 'windows', id.id, a.env);
      if (!cmd || testSkipped(a.project, 'windows', id.id, a.env)) {
        sink.out(`[test ${id.id}] skipped (${cmd ? 'test-skip selects it' : 'no test-command'})`);
        tests = 'skipped';
      } else {
        const wine = await runWindowsTests({ root: a.stagingDir, projectRoot: a.rel, id, target, cpython, wheel, command: cmd, config: a.project, env: a.env, toolchainPython: a.toolchainPython, hostPython: buildEnv.bin('python'), cache }, sink);
        tests = 'passed';
        testInterpreter = `${interp}, ${wine.version}`;
      }
    }
    result.push({
      file: basename(wheel),
      identifier: id.id,
      platform: 'windows',
      engine: 'cross',
      tags: parsed.tags,
      size: statSync(wheel).size,
      sha256: await sha256File(wheel),
      seconds: Math.round(buildSeconds * 10) / 10,
      tests,
      toolchain: `zig ${a.zig.version} ${target.zigTarget} + CPython ${pin.pythonVersion} for Windows (${pin.package})`,
      ...(testInterpreter ? { testInterpreter } : {}),
    });
  }
  return result;
}

/**
 * Test an already-built Windows wheel (e.g. one downloaded from an index by rehearse-release) as the
 * cross route tests what it builds: a fresh virtualenv of the pinned Windows CPython under wine,
 * the wheel and test-requires installed, then the project's test-command with `{project}` /
 * `{package}` as wine paths of `ws` / its project root.
 * @throws QuiverError `CROSS_UNSUPPORTED`, `NO_PYTHON_FOR_IDENTIFIER`, `WINE_MISSING`, `TEST_INSTALL_FAILED`, `TESTS_FAILED`
 */
export async function testWindowsWheelFromIndex(
  a: { ws: string; projectRoot: string; id: BuildIdentifier; wheel: string; config: Record<string, unknown>; env: Record<string, string | undefined>; toolchainPython: string; preferred: Interpreter },
  sink: LineSink,
): Promise<void> {
  const [{ target, pin }] = planCross([a.id]);
  const cmd = testCommand(a.config, 'windows', a.id.id, a.env);
  if (!cmd) return;
  const cache = userCacheDir(a.env);
  mkdirSync(join(cache, 'tmp'), { recursive: true });
  const python = await findCPython(a.id.pythonVersion, a.preferred);
  if (!python) throw new QuiverError('NO_PYTHON_FOR_IDENTIFIER', `testing ${a.id.id}: no host CPython ${a.id.pythonVersion} to download its Windows test dependencies with (pyenv install ${a.id.pythonVersion}).`);
  const cpython = await ensureWindowsCPython(pin, cache, a.toolchainPython, sink);
  const buildEnv = await ensureBuildEnv(a.ws, python, sink);
  await runWindowsTests({ root: a.ws, projectRoot: a.projectRoot, id: a.id, target, cpython, wheel: a.wheel, command: cmd, config: a.config, env: a.env, toolchainPython: a.toolchainPython, hostPython: buildEnv.bin('python'), cache }, sink);
}

/**
 * The project's test-command against one Windows wheel in a fresh virtualenv of the pinned Windows
 * CPython under wine (`{project}` / `{package}` / `{wheel}` as wine paths).
 * @returns the wine that ran them
 */
async function runWindowsTests(
  a: { root: string; projectRoot: string; id: BuildIdentifier; target: CrossTarget; cpython: string; wheel: string; command: string; config: Record<string, unknown>; env: Record<string, string | undefined>; toolchainPython: string; hostPython: string; cache: string },
  sink: LineSink,
) {
  const wine = await ensureWine(join(a.cache, 'wineprefix'), sink);
  const constraints = await cibuildwheelConstraints(a.toolchainPython, a.id.pythonVersion);
  await testWheelUnderWine(
    {
      target: a.target,
      wine,
      cpythonDir: a.cpython,
      wheel: a.wheel,
      testCommand: substitutePlaceholders(a.command, { project: wineDrivePath(a.root), package: wineDrivePath(join(a.root, a.projectRoot)), wheel: wineDrivePath(a.wheel) }),
      testRequires: testRequires(a.config, 'windows', a.id.id, a.env),
      testExtras: testExtras(a.config, 'windows', a.id.id, a.env),
      hostPython: a.hostPython,
      constraints: constraints.file,
      virtualenvVersion: constraints.virtualenv,
      cacheDir: a.cache,
      env: a.env,
    },
    sink,
  );
  return wine;
}
