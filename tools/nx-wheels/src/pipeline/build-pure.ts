/**
 * build-wheels for a pure-Python project (core/build-kind): one `python -m build --wheel`
 * (pypa/build, in the pinned toolchain) from the staged sources, no cibuildwheel, no auditwheel;
 * the wheel must come out pure (`<py3 tag>-none-any`), is tested in a fresh venv of the host's
 * Python (the toolchain's interpreter: `--python`, else the first python3 on PATH) and reported
 * as the one {@link PURE_IDENTIFIER} that validate-wheels and publish expect.
 *
 * Why only the host's Python: a pure wheel's bytes do not depend on the interpreter that built
 * them, and its tests on one supported Python are what the release proves here; a project that
 * wants its test-command on more interpreters runs the `test` target with `--python` for each.
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { BUILD_REPORT_FILE, BuildReport, BuiltWheel, formatBuildSummary } from '../core/build-report';
import { BuildKindDecision } from '../core/build-kind';
import { resolveSourceDateEpoch, substitutePlaceholders, testCommand, testEnvironment, testExtras, testRequires, testSkipped } from '../core/cibw-options';
import { QuiverError } from '../core/errors';
import { Platform, PURE_IDENTIFIER } from '../core/identifiers';
import { testPaths } from '../core/test-paths';
import { PythonProject } from '../core/pyproject';
import { formatBytes } from '../core/staging';
import { isPure } from '../core/validation/types';
import { parseWheelFilename } from '../core/wheel-filename';
import { headCommitTime } from '../runners/git';
import { buildSdist, buildWheel } from '../runners/native';
import { LineSink } from '../runners/process';
import { stateDir } from '../runners/toolchain';
import { testWheel } from '../runners/wheel-test';
import { replaceDir, sha256File } from './files';
import { stageSources } from './staging';
import { loadToolchain } from './toolchain';

/** Inputs of {@link buildPureWheel}. */
export interface BuildPureOptions {
  workspaceRoot: string;
  /** Workspace-relative project root (posix). */
  projectRoot: string;
  projectName: string;
  project: PythonProject;
  kind: BuildKindDecision;
  /** Absolute output directory. */
  outputDir: string;
  /** The output directory as the user gave it (keys the staging directory). */
  outputDirOption: string;
  /** The host's platform (recorded in the report; the wheel serves every platform). */
  platform: Platform;
  python?: string;
  runTests: boolean;
  sdist: boolean;
  env: Record<string, string | undefined>;
  projects: Record<string, { root: string }>;
}

/**
 * Build, check and test the one pure wheel of a project.
 * @returns the build report (also written to `<outputDir>/build-report.json`)
 * @throws QuiverError `PURE_WHEEL_NOT_PURE` when the back-end produced a platform wheel, and what
 *   the build and test steps throw (`NATIVE_BUILD_FAILED`, `TEST_INSTALL_FAILED`, `TESTS_FAILED`)
 */
export async function buildPureWheel(o: BuildPureOptions, sink: LineSink): Promise<BuildReport> {
  const ws = o.workspaceRoot;
  const toolchain = await loadToolchain(ws, o.python, sink);
  const sourceDateEpoch = resolveSourceDateEpoch(o.env, await headCommitTime(ws));
  const shownOut = relative(ws, o.outputDir) || o.outputDir;
  sink.out(`Build plan for ${o.projectName} (${o.projectRoot})`);
  sink.out(`  pure-Python: ${o.kind.reason}`);
  sink.out(`  build: python -m build --wheel (pypa/build), once for every platform; no cibuildwheel, no auditwheel`);
  sink.out(`    - ${PURE_IDENTIFIER}`);
  sink.out(o.runTests ? `  tests: a fresh venv of the host's Python ${toolchain.host.fullVersion} (${toolchain.host.executable})` : '  tests: off (test=false); the test target runs them against this wheel');
  sink.out(`  output dir: ${shownOut}`);
  if (sourceDateEpoch) sink.out(`  SOURCE_DATE_EPOCH: ${sourceDateEpoch.value} (${sourceDateEpoch.origin === 'head' ? "HEAD's commit time" : 'set in the environment'})`);
  if (o.sdist) sink.out('  sdist: yes (python -m build --sdist)');

  const staging = await stageSources({
    workspaceRoot: ws,
    projectRoot: o.projectRoot,
    projectName: o.projectName,
    outputDir: o.outputDirOption,
    projects: o.projects,
    testPaths: testPaths(o.projectRoot, o.project.cibuildwheel ?? {}),
  });
  sink.out(`  sources: ${staging.files} git-tracked files (${formatBytes(staging.bytes)}) of ${staging.roots.join(', ')}, staged in ${relative(ws, staging.dir)}`);
  const tmp = join(stateDir(ws), 'tmp', `build-${o.projectName}-${process.pid}-${Date.now()}`);
  const out = join(tmp, 'wheelhouse');
  mkdirSync(out, { recursive: true });
  try {
    const env = { ...o.env, ...(sourceDateEpoch ? { SOURCE_DATE_EPOCH: sourceDateEpoch.value } : {}) };
    const started = Date.now();
    const raw = await buildWheel(toolchain.bin('python'), { workspaceRoot: staging.dir, packageDir: o.projectRoot, outDir: join(tmp, 'raw'), identifier: PURE_IDENTIFIER, env }, sink);
    const parsed = parseWheelFilename(basename(raw));
    if (!parsed || !isPure(parsed)) {
      throw new QuiverError(
        'PURE_WHEEL_NOT_PURE',
        `${o.project.file}: built as pure-Python (${o.kind.reason}), but the back-end produced ${basename(raw)}, a platform wheel; set [tool.nx-wheels] pure = false (or the plugin option pure: false) so it is built per identifier with cibuildwheel or the native engine.`,
      );
    }
    const seconds = (Date.now() - started) / 1000;
    const wheel = join(out, basename(raw));
    renameSync(raw, wheel);
    let tests: BuiltWheel['tests'] = 'not-run';
    if (o.runTests) tests = await testPureWheel({ project: o.project, projectRoot: join(staging.dir, o.projectRoot), root: staging.dir, wheel, python: toolchain.host.executable, platform: o.platform, env: o.env }, sink);
    let sdist: BuildReport['sdist'] = null;
    if (o.sdist) {
      const file = await buildSdist(toolchain.bin('python'), { workspaceRoot: staging.dir, packageDir: o.projectRoot, outDir: out, env }, sink);
      sdist = { file: basename(file), size: statSync(file).size, sha256: await sha256File(file) };
    }
    const built: BuiltWheel = {
      file: basename(wheel),
      identifier: PURE_IDENTIFIER,
      platform: o.platform,
      engine: 'build',
      tags: parsed.tags,
      size: statSync(wheel).size,
      sha256: await sha256File(wheel),
      seconds: Math.round(seconds * 10) / 10,
      tests,
    };
    const report: BuildReport = { reportVersion: 1, project: o.projectName, distribution: o.project.normalizedName, version: o.project.normalizedVersion, createdAt: new Date().toISOString(), wheels: [built], sdist };
    writeFileSync(join(out, BUILD_REPORT_FILE), JSON.stringify(report, null, 2) + '\n');
    replaceDir(out, o.outputDir);
    sink.out('');
    sink.out(formatBuildSummary(report));
    sink.out(`1 wheel in ${shownOut}; report: ${relative(ws, join(o.outputDir, BUILD_REPORT_FILE))}`);
    return report;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(staging.dir, { recursive: true, force: true });
  }
}

/**
 * Test a pure wheel as cibuildwheel tests a wheel, in a fresh venv of `python`: install it (with
 * `test-extras`) and `test-requires`, then run `[tool.cibuildwheel] test-command` (resolved for
 * the identifier {@link PURE_IDENTIFIER}, so `overrides` and `test-skip` may name it) from an
 * empty directory; without a test-command, `python -m pip check` (the wheel and its dependencies
 * installed and consistent). Shared by build-wheels and the test target.
 * @param root the `{project}` of the test-command; `projectRoot` its `{package}`
 */
export async function testPureWheel(
  a: { project: PythonProject; root: string; projectRoot: string; wheel: string; python: string; platform: Platform; env: Record<string, string | undefined> },
  sink: LineSink,
): Promise<'passed' | 'skipped'> {
  const config = a.project.cibuildwheel ?? {};
  if (testSkipped(config, a.platform, PURE_IDENTIFIER, a.env)) {
    sink.out(`[test ${PURE_IDENTIFIER}] skipped (test-skip selects it)`);
    return 'skipped';
  }
  const cmd = testCommand(config, a.platform, PURE_IDENTIFIER, a.env) ?? 'python -m pip check';
  await testWheel(
    {
      identifier: PURE_IDENTIFIER,
      wheel: a.wheel,
      python: a.python,
      testCommand: substitutePlaceholders(cmd, { project: a.root, package: a.projectRoot, wheel: a.wheel }),
      testRequires: testRequires(config, a.platform, PURE_IDENTIFIER, a.env),
      testExtras: testExtras(config, a.platform, PURE_IDENTIFIER, a.env),
      env: { ...a.env, ...testEnvironment(config, a.platform, PURE_IDENTIFIER, a.env) },
    },
    sink,
  );
  return 'passed';
}
