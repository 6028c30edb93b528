/**
 * The test target: run `[tool.cibuildwheel]` test-command against wheels that were already built
 * (read from build-report.json), each in a fresh venv, without rebuilding anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { BUILD_REPORT_FILE, BuildReport, formatTable } from '../core/build-report';
import { QuiverError } from '../core/errors';
import { parseIdentifier } from '../core/identifiers';
import { LineSink, consoleSink } from '../runners/process';
import { findCPython, hostInterpreter } from '../runners/python';
import { testOne } from './build-wheels';
import { testPureWheel } from './build-pure';
import { cachedHostInterpreter } from './host-python';
import { loadPythonProject } from './project';
import { normalizeOptions } from '../executors/test-wheels/options';

export interface TestWheelsOptions {
  workspaceRoot: string;
  projectRoot: string;
  projectName: string;
  /** Directory with the wheels and build-report.json (workspace-relative or absolute); default in schema.json. */
  wheelDir?: string;
  python?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Test every wheel of the report that this host can run.
 * @returns rows of (wheel, result)
 * @throws QuiverError `NO_BUILD_REPORT`, `NOTHING_TO_TEST`, `TESTS_FAILED`, `NO_PYTHON_FOR_IDENTIFIER`
 */
export async function testWheels(options: TestWheelsOptions, sink: LineSink = consoleSink): Promise<Array<[string, string]>> {
  const o = normalizeOptions(options);
  const ws = o.workspaceRoot;
  const env = o.env ?? process.env;
  const project = loadPythonProject(ws, o.projectRoot);
  const dir = isAbsolute(o.wheelDir) ? o.wheelDir : resolve(ws, o.wheelDir);
  const reportFile = join(dir, BUILD_REPORT_FILE);
  if (!existsSync(reportFile)) {
    throw new QuiverError('NO_BUILD_REPORT', `${relative(ws, reportFile)} not found; build the wheels first (the test target depends on build-wheels-untested).`);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as BuildReport;
  const hostPlatform = process.platform === 'win32' ? 'windows' : process.platform === 'linux' ? 'linux' : null;
  const preferred = o.python ? await hostInterpreter(o.python) : undefined;
  const rows: Array<[string, string]> = [];
  for (const w of report.wheels) {
    const id = parseIdentifier(w.identifier);
    if (id?.platform === 'any' && hostPlatform) {
      // The pure wheel of a pure-Python project: a fresh venv of the host's Python (pipeline/build-pure).
      const host = preferred ?? (await cachedHostInterpreter(ws, undefined));
      const packageDir = resolve(ws, o.projectRoot);
      rows.push([w.file, await testPureWheel({ project, root: ws, projectRoot: packageDir, wheel: join(dir, w.file), python: host.executable, platform: hostPlatform, env }, sink)]);
      continue;
    }
    if (!id || w.platform !== hostPlatform) {
      rows.push([w.file, `not run here (${w.platform} wheel on a ${process.platform} host)`]);
      continue;
    }
    const python = await findCPython(id.pythonVersion, preferred);
    if (!python) {
      throw new QuiverError('NO_PYTHON_FOR_IDENTIFIER', `test: no CPython ${id.pythonVersion} found to test ${w.file}; install it (e.g. pyenv install ${id.pythonVersion}) or pass --python.`);
    }
    const result = await testOne(
      { ws, packageDir: resolve(ws, o.projectRoot), platform: w.platform, id, wheel: join(dir, w.file), python: python.executable, config: project.cibuildwheel ?? {}, env },
      sink,
    );
    rows.push([w.file, result]);
  }
  if (!rows.some(([, r]) => r === 'passed' || r === 'skipped')) {
    throw new QuiverError('NOTHING_TO_TEST', `no wheel in ${relative(ws, dir)} can be tested on this ${process.platform} host.`);
  }
  sink.out('');
  sink.out(formatTable(['wheel', 'tests'], rows));
  return rows;
}
