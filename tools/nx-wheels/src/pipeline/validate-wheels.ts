/**
 * validate-wheels: prove a wheel directory is exactly the release that should ship. Reads every
 * file once (zip entries hashed while inflating), asks cibuildwheel which identifiers are
 * expected, runs the optional external checks, applies the rules (core/validation), writes
 * validation-report.json and SHA256SUMS, prints a table per wheel and appends a Markdown summary
 * to $GITHUB_STEP_SUMMARY.
 */
import { webcrypto } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { QuiverError } from '../core/errors';
import { selectionEnvironment, withProjectConfig } from '../core/project-config';
import { BuildIdentifier, parseIdentifier } from '../core/identifiers';
import { normalizeName } from '../core/names';
import { Abi3Sources, readAbi3Declaration } from '../core/validation/abi3';
import { ToolOutput } from '../core/validation/external';
import { resolveMaxSize, resolvePlatforms, resolveTag } from '../core/validation/options';
import { buildReport, formatMarkdown, formatSha256Sums, formatTerminal, SHA256SUMS_FILE, VALIDATION_REPORT_FILE, ValidationReport } from '../core/validation/report';
import { Expectation, extraRecordAlgorithms, InspectedFile, OWN_FILES, validateFiles } from '../core/validation/rules';
import { DIST_INFO_FILE, readWheelArchive } from '../core/wheel-archive';
import { readSdistArchive } from '../core/sdist';
import { parseWheelFilename } from '../core/wheel-filename';
import { consoleSink, LineSink } from '../runners/process';
import { ExternalCheck, runExternalChecks, sharedPython } from '../runners/wheel-checks';
import { sha256File } from './files';
import { expectedIdentifiers } from './identifiers';
import { loadBuildKind, loadPythonProject } from './project';
import { loadToolchain, Toolchain } from './toolchain';
import { readProjectVersion, versionSourceOf } from './project-version';
import { readProjectTagPattern } from './release-tag';
import { WHEEL_PROJECT_TAG } from '../plugin/options';
import { normalizeOptions } from '../executors/validate-wheels/options';
import type { ValidateWheelsExecutorSchema } from '../executors/validate-wheels/schema';
import type { TokenProject } from '../core/schema-options';

/** Inputs of {@link validateWheels}: the executor's options (schema.json) plus what Nx, publish and tests supply. */
export interface ValidateWheelsOptions extends ValidateWheelsExecutorSchema, TokenProject {
  workspaceRoot: string;
}

/** What {@link validateWheels} takes from its caller rather than from options: publish, rehearse-release and tests give their own. */
export interface ValidateWheelsDeps {
  /** Environment (default `process.env`): GITHUB_REF*, GITHUB_STEP_SUMMARY, CIBW_*. */
  env?: Record<string, string | undefined>;
  /** Expected identifiers given directly instead of asking cibuildwheel (publish's selection, tests). */
  identifiers?: string[];
  /** Tool paths to use instead of the toolchain's (tests); null skips that check. */
  tools?: { twine: string | null; auditwheel: string | null };
  /** An already-resolved toolchain (publish passes its own, so it is not resolved twice). */
  toolchain?: Toolchain;
  /** Wheels read at the same time (default 4: inflating runs on the thread pool, hashing on the main thread). */
  concurrency?: number;
}

/** Files up to this size are read whole into memory (one read, hashed off the main thread). */
const IN_MEMORY_LIMIT = 1024 * 1024 * 1024;

async function sha256Hex(data: Buffer): Promise<string> {
  // WebCrypto digests run on libuv's thread pool, in parallel with the inflate-and-hash of the entries.
  const d = await webcrypto.subtle.digest('SHA-256', data);
  return Buffer.from(d).toString('hex');
}

/** Run `fn` over `items` with at most `n` in flight; results in input order. */
async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Read one directory entry: stat, whole-file sha256 and, for wheels, the archive. */
export async function inspectFile(dir: string, name: string, readSdists = false): Promise<InspectedFile> {
  const path = join(dir, name);
  const base: InspectedFile = { name, kind: 'other', size: 0, sha256: null, readError: null, archive: null };
  const l = await lstat(path);
  let s = l;
  if (l.isSymbolicLink()) {
    try {
      s = await stat(path);
    } catch (e) {
      return { ...base, kind: 'other', readError: `${(e as NodeJS.ErrnoException).code ?? 'error'}: dangling symbolic link` };
    }
  }
  const kind = s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
  const f: InspectedFile = { ...base, kind, size: s.size };
  if (readSdists && name.endsWith('.tar.gz') && kind === 'file') {
    const [sha256, sdist] = await Promise.all([sha256File(path), readSdistArchive(path)]);
    return { ...f, sha256, sdist };
  }
  if (!name.endsWith('.whl')) return f;
  if (kind !== 'file') return { ...f, readError: `${name} is a ${kind}, not a file` };
  try {
    // Small wheels are read once into memory; larger ones are streamed from the file.
    const source = s.size <= IN_MEMORY_LIMIT ? await readFile(path) : path;
    // Windows modules are kept whole: their DLL imports are read from the import tables (check-binaries).
    const keep = (n: string) => DIST_INFO_FILE.test(n) || /\.(pyd|dll)$/i.test(n);
    const [sha256, archive] = await Promise.all([typeof source === 'string' ? sha256File(source) : sha256Hex(source), readWheelArchive(source, { keep })]);
    const extra = extraRecordAlgorithms(archive);
    return { ...f, sha256, archive: extra.length ? await readWheelArchive(source, { keep, algorithms: ['sha256', ...extra] }) : archive };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ...f, readError: `${err.code ?? 'error'}: ${err.message}` };
  }
}

/** The files a stable-ABI declaration may live in, those that exist (see core/validation/abi3). */
function abi3Sources(ws: string, packageDir: string, pyprojectShown: string): Abi3Sources {
  const read = (name: string) => {
    const path = join(packageDir, name);
    return existsSync(path) ? { file: relative(ws, path) || path, text: readFileSync(path, 'utf8') } : undefined;
  };
  const cargo = read('Cargo.toml') ?? read(join('rust', 'Cargo.toml'));
  return { pyproject: { file: pyprojectShown, text: readFileSync(join(packageDir, 'pyproject.toml'), 'utf8') }, setupCfg: read('setup.cfg'), setupPy: read('setup.py'), cargoToml: cargo };
}

function isLinuxWheel(name: string): boolean {
  const p = parseWheelFilename(name);
  return !!p && p.platformTags.some((t) => /^(manylinux|musllinux|linux)_?/.test(t));
}

function toolOutput(r: { exitCode: number | null; stdout: string; stderr: string }): ToolOutput {
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The version the wheels must carry: `[project].version`; for a dynamic version the one the build
 * back-end computes through PEP 517 (pipeline/project-version.ts), except a VCS version without a
 * release tag to check (a branch build's `1.2.4.dev3+gabc`): then only the tag rule would apply, and
 * there is none, so the version is not compared.
 */
async function expectedVersion(ws: string, projectRoot: string, project: { version: string | null; dynamicVersion: boolean }, tagged: boolean, python: string | undefined, env: Record<string, string | undefined>): Promise<{ version: string | null; dynamicVersion: boolean }> {
  if (!project.dynamicVersion) return { version: project.version, dynamicVersion: false };
  if (versionSourceOf(ws, projectRoot).vcs && !tagged) return { version: null, dynamicVersion: true };
  return { version: (await readProjectVersion({ workspaceRoot: ws, projectRoot, python, env })).version, dynamicVersion: false };
}

/**
 * Validate a wheel directory.
 * @returns the report (also written to reportFile); `report.ok` is false when any check failed
 * @throws QuiverError for bad options, a missing directory or pyproject.toml, or when cibuildwheel
 *   cannot list the identifiers
 */
export async function validateWheels(options: ValidateWheelsOptions, sink: LineSink = consoleSink, deps: ValidateWheelsDeps = {}): Promise<ValidationReport> {
  const run = resolveRun(normalizeOptions(options), deps.env ?? process.env);
  const { o, ws, wheelDir } = run;
  // Read the directory, while the toolchain is resolved and the identifiers listed.
  const ignore = [...OWN_FILES, basename(run.reportFile), basename(run.sumsFile)];
  const names = (await readdir(wheelDir)).filter((n) => !ignore.includes(n)).sort();
  const reading = pool(names, deps.concurrency ?? 4, (n) => inspectFile(wheelDir, n, run.sdist));
  reading.catch(() => undefined); // awaited below; not an unhandled rejection if the toolchain fails first

  // The toolchain: cibuildwheel for the identifiers, twine and auditwheel for the external checks.
  const needToolchain = (!deps.identifiers && run.kind === 'compiled') || (run.external && !deps.tools);
  const toolchain = needToolchain ? (deps.toolchain ?? (await loadToolchain(ws, o.python, sink))) : null;
  const identifiers = deps.identifiers
    ? parseIdentifiersOption(deps.identifiers)
    : await expectedIdentifiers({ kind: run.kind, cibuildwheel: () => toolchain!.bin('cibuildwheel'), workspaceRoot: ws, packageDir: run.packageDir, platforms: run.platforms, env: run.env });

  // External checks, where the pinned tools are present: started with the reading, not after it
  // (their output is only used for files whose archive turns out readable).
  const tools = deps.tools ?? { twine: toolchain ? toolchain.bin('twine') : null, auditwheel: toolchain ? toolchain.bin('auditwheel') : null };
  const external = run.external ? startExternalChecks(wheelDir, names, run.sdist, tools) : { status: { ...EXTERNAL_OFF }, outputs: Promise.resolve(new Map()) };
  const [files, outputs] = await Promise.all([reading, external.outputs]);
  attachToolOutputs(files, outputs);

  const report = await judge(run, files, identifiers, external.status);
  writeValidationOutputs(run, report, sink);
  return report;
}

/** Everything a validation run decides from its options and the project before reading a file. */
interface ValidationRun {
  o: ReturnType<typeof normalizeOptions<ValidateWheelsOptions>>;
  ws: string;
  env: Record<string, string | undefined>;
  project: ReturnType<typeof withProjectConfig>;
  packageDir: string;
  platforms: ReturnType<typeof resolvePlatforms>;
  tag: ReturnType<typeof resolveTag>;
  tagPrefix: string;
  maxSize: number;
  wheelDir: string;
  reportFile: string;
  sumsFile: string;
  external: boolean;
  sdist: boolean;
  kind: 'pure' | 'compiled';
  /** A path as shown to the user: workspace-relative when inside it. */
  show: (p: string) => string;
}

/**
 * The run's settings: options resolved against the project and the environment.
 * @throws QuiverError `BAD_OPTION_*`, `WHEELHOUSE_NOT_FOUND`, and pyproject.toml errors
 */
function resolveRun(o: ValidationRun['o'], processEnv: Record<string, string | undefined>): ValidationRun {
  const ws = o.workspaceRoot;
  const env = selectionEnvironment(o.projectConfig, processEnv);
  const show = (p: string) => {
    const r = relative(ws, p);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
  };
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(ws, p));
  const project = withProjectConfig(loadPythonProject(ws, o.projectRoot), o.projectConfig);
  const platforms = resolvePlatforms(o.platforms, process.platform, project.nxWheels.releasePlatforms);
  const tag = resolveTag(o.tag, env);
  // The project's release tag prefix (nx.json release); plain `v` keeps the historical rule (one leading v stripped).
  const tagPrefix = tag ? readProjectTagPattern(ws, o.projectName, [WHEEL_PROJECT_TAG]).prefix : 'v';
  const maxSize = resolveMaxSize(o.maxSize);
  const wheelDir = abs(o.wheelDir);
  const reportFile = o.reportFile ? abs(o.reportFile) : join(wheelDir, VALIDATION_REPORT_FILE);
  const sumsFile = o.sha256sums ? abs(o.sha256sums) : join(wheelDir, SHA256SUMS_FILE);
  if (!existsSync(wheelDir) || !statSync(wheelDir).isDirectory()) {
    throw new QuiverError('WHEELHOUSE_NOT_FOUND', `${show(wheelDir)} is not a directory; build the wheels first (nx run ${o.projectName}:build-wheels) or pass --wheelDir=<directory with the downloaded wheels>.`);
  }
  // Pure or compiled (core/build-kind), decided as build-wheels decides it: the expectation follows.
  const kind = loadBuildKind(ws, o.projectRoot, project, o.projectConfig?.pure).kind;
  const sdist = o.sdist ?? project.nxWheels.sdist ?? false;
  return { o, ws, env, project, packageDir: resolve(ws, o.projectRoot), platforms, tag, tagPrefix, maxSize, wheelDir, reportFile, sumsFile, external: o.externalChecks !== false, sdist, kind, show };
}

/** Identifiers given by the caller (publish's selection, tests) as build identifiers. */
function parseIdentifiersOption(ids: string[]): BuildIdentifier[] {
  return ids.map((id) => {
    const p = parseIdentifier(id);
    if (!p) throw new QuiverError('BAD_OPTION_IDENTIFIERS', `identifier "${id}" is not <python>-<platform> (e.g. cp313-manylinux_x86_64).`);
    return p;
  });
}

type ExternalStatus = { twine: string; auditwheel: string };
type ExternalOutputs = Map<string, { twine?: ToolOutput; auditwheel?: ToolOutput }>;
const EXTERNAL_OFF: ExternalStatus = { twine: 'off (externalChecks=false)', auditwheel: 'off (externalChecks=false)' };

/** Start twine check and auditwheel show on the candidates, where the tools are present; says which ran. */
function startExternalChecks(wheelDir: string, names: string[], sdist: boolean, tools: { twine: string | null; auditwheel: string | null }): { status: ExternalStatus; outputs: Promise<ExternalOutputs> } {
  const candidates = names.filter((n) => n.endsWith('.whl') || (sdist && n.endsWith('.tar.gz')));
  const twine = tools.twine && existsSync(tools.twine) ? tools.twine : null;
  const auditwheel = tools.auditwheel && existsSync(tools.auditwheel) && process.platform === 'linux' ? tools.auditwheel : null;
  const status = {
    twine: twine ? 'ran' : 'not run: twine is not in the toolchain',
    auditwheel: auditwheel ? 'ran' : process.platform !== 'linux' ? 'not run: auditwheel needs a Linux host' : 'not run: auditwheel is not in the toolchain',
  };
  const checks: ExternalCheck[] = [];
  for (const n of candidates) {
    if (twine) checks.push({ tool: 'twine', file: join(wheelDir, n) });
    if (auditwheel && isLinuxWheel(n)) checks.push({ tool: 'auditwheel', file: join(wheelDir, n) });
  }
  const run = { twine, auditwheel };
  const outputs = runExternalChecks(sharedPython(run), run, checks).then((results) => {
    const byName: ExternalOutputs = new Map();
    for (const r of results) {
      const name = basename(r.file);
      byName.set(name, { ...byName.get(name), [r.tool]: toolOutput(r) });
    }
    return byName;
  });
  return { status, outputs };
}

/** The tools' outputs go with the files whose archive could be read. */
function attachToolOutputs(files: InspectedFile[], outputs: ExternalOutputs): void {
  for (const f of files) {
    const readable = (f.archive && !f.archive.problem) || (f.sdist && !f.sdist.problem);
    const out = outputs.get(f.name);
    if (!readable || !out) continue;
    if (out.twine) f.twine = out.twine;
    if (out.auditwheel) f.auditwheel = out.auditwheel;
  }
}

/** Check the files against what the release must be, as a report. */
async function judge(run: ValidationRun, files: InspectedFile[], identifiers: BuildIdentifier[], externalChecks: ExternalStatus): Promise<ValidationReport> {
  const { o, ws, project, tag, tagPrefix, maxSize, sdist } = run;
  const abi3 = readAbi3Declaration(abi3Sources(ws, run.packageDir, project.file));
  const expectation: Expectation = {
    name: project.name,
    pyprojectFile: project.file,
    ...(await expectedVersion(ws, o.projectRoot, project, tag !== null, o.python, run.env)),
    tag,
    ...(tagPrefix !== 'v' ? { tagPrefix } : {}),
    identifiers,
    maxSize,
    sdist,
    twineStrict: o.twineStrict === true,
    abi3,
    foreignBinaries: project.nxWheels.foreignBinaries ?? [],
  };
  const outcome = validateFiles(files, expectation, []);
  const report = buildReport(outcome, {
    project: o.projectName,
    distribution: normalizeName(project.name),
    tag,
    platforms: run.platforms,
    identifiers: identifiers.map((i) => i.id),
    wheelDir: run.show(run.wheelDir),
    maxSize,
    externalChecks,
  });
  const sdistFile = sdist ? files.find((f) => f.sdist && f.name.endsWith('.tar.gz')) : undefined;
  report.sdist = sdistFile ? { file: sdistFile.name, size: sdistFile.size, sha256: sdistFile.sha256 } : null;
  return report;
}

/** The JSON report, SHA256SUMS (only for a release that passed: a failed run leaves none behind), the table, the step summary. */
function writeValidationOutputs(run: ValidationRun, report: ValidationReport, sink: LineSink): void {
  const { reportFile, sumsFile, show } = run;
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
  if (report.ok) {
    mkdirSync(dirname(sumsFile), { recursive: true });
    writeFileSync(sumsFile, formatSha256Sums([...report.wheels, ...(report.sdist ? [report.sdist] : [])]));
  } else rmSync(sumsFile, { force: true });

  for (const line of formatTerminal(report).split('\n')) sink.out(line);
  sink.out(`report: ${show(reportFile)}${report.ok ? `; checksums: ${show(sumsFile)}` : ''}`);
  const summary = run.env['GITHUB_STEP_SUMMARY'];
  if (summary) {
    try {
      appendFileSync(summary, formatMarkdown(report) + '\n');
    } catch (e) {
      sink.err(`validate-wheels: could not append to GITHUB_STEP_SUMMARY (${(e as Error).message})`);
    }
  }
}
