/**
 * rehearse-release: the whole next release of one wheel project on this machine, before any tag,
 * without touching the user's tree, index, branches or tags:
 *
 *   prepare          a scratch clone of HEAD under .nx-wheels/rehearsal/ (no remote: nothing can be
 *                    pushed back), `nx release <version> --skip-publish` there (our VersionActions,
 *                    the changelog section, a commit and a tag that exist in the clone only);
 *   build            every release platform with the engine that ships it (Linux: cibuildwheel's
 *                    container where one starts, else the native engine at the declared policy;
 *                    Windows: cibuildwheel on a Windows host, the cross route elsewhere), each
 *                    wheel's test-command included;
 *   validate-release tag mode; validate-wheels for the rehearsed platforms with the tag;
 *   publish          the real publish pipeline to a throwaway pypiserver on 127.0.0.1 (generated
 *                    password), then again, expecting every file skipped;
 *   install + test   per platform: the release downloaded from that index by name and exact version
 *                    (its bytes must be the built ones), installed into a fresh environment (Linux:
 *                    the host CPython; Windows: the pinned Windows CPython under wine) and the
 *                    project's test-command run against it.
 *
 * The server is stopped by its PID in every exit path (runners/package-index) and the clone is
 * removed unless `keep`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { BuildReport } from '../core/build-report';
import { isQuiverError, QuiverError } from '../core/errors';
import { Platform } from '../core/identifiers';
import { compareVersions, isValidVersion, normalizeVersion } from '../core/pep440';
import { DEFAULT_RELEASE_PLATFORMS } from '../core/pyproject';
import { formatRehearsalTable, rehearsalMarkdown, rehearsalPlatforms, RehearsalReport, RehearsalStepName, rehearsalVerdict } from '../core/rehearsal';
import { latestReleaseTag } from '../core/release-check';
import { capture, LineSink, consoleSink, stream } from '../runners/process';
import { startThrowawayIndex, ThrowawayIndex } from '../runners/package-index';
import { stateDir } from '../runners/toolchain';
import { buildWheels } from './build-wheels';
import { loadPythonProject } from './project';
import { loadToolchain } from './toolchain';
import { installAndTest, publishTwice, validateRehearsal } from './rehearse-steps';
import { normalizeOptions } from '../executors/rehearse-release/options';
import type { RehearseReleaseExecutorSchema } from '../executors/rehearse-release/schema';
import type { TokenProject } from '../core/schema-options';

/** Inputs of {@link rehearseRelease}: the executor's options (schema.json) plus what Nx and tests supply. */
export interface RehearseReleaseOptions extends RehearseReleaseExecutorSchema, TokenProject {
  workspaceRoot: string;
  env?: Record<string, string | undefined>;
  /** Every project of the workspace (name -> root), as build-wheels takes it. */
  projects?: Record<string, { root: string }>;
}

const git = async (cwd: string, args: string[]) => {
  const r = await capture('git', args, { cwd });
  if (r.exitCode !== 0) throw new QuiverError('REHEARSAL_GIT', `git ${args.join(' ')} failed in ${cwd}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  return r.stdout.trim();
};

/** The release tag pattern of nx.json (`release.releaseTag.pattern`, default `v{version}`), with `{projectName}` filled in. */
function tagPrefix(workspaceRoot: string, projectName: string): string {
  let pattern = 'v{version}';
  try {
    const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as { release?: { releaseTag?: { pattern?: string } } };
    pattern = nxJson.release?.releaseTag?.pattern ?? pattern;
  } catch {
    /* no nx.json: the default */
  }
  const filled = pattern.replace(/\{projectName\}/g, projectName);
  const m = /^([^{}]*)\{version\}$/.exec(filled);
  if (!m) throw new QuiverError('REHEARSAL_TAG_PATTERN', `nx.json release.releaseTag.pattern "${pattern}" is not <prefix>{version}; rehearse-release needs the tag to end in the version.`);
  return m[1];
}

/** A specifier that is a version (not major|minor|patch|...): it must be newer than the latest release. */
function checkNewer(version: string | undefined, tags: string[], prefix: string): void {
  if (!version || /^(pre)?(major|minor|patch)$|^prerelease$/.test(version)) return;
  const v = version.replace(/^v/, '');
  if (!isValidVersion(v)) throw new QuiverError('BAD_OPTION_VERSION', `option specifier: "${version}" is neither a PEP 440 / SemVer version nor major, minor, patch, premajor, preminor, prepatch or prerelease.`);
  const latest = latestReleaseTag(tags, prefix);
  const normalized = normalizeVersion(v) ?? v;
  if (latest && compareVersions(normalized, latest.version) <= 0) {
    throw new QuiverError('REHEARSAL_VERSION_NOT_NEWER', `option specifier: ${normalized} is not newer than the latest release ${latest.tag}; pass a newer version or major|minor|patch.`);
  }
}

/** Link the workspace's node_modules and its installed tool venvs into the scratch clone (nothing reinstalled). */
function linkWorkspaceState(ws: string, scratch: string): void {
  if (existsSync(join(ws, 'node_modules'))) symlinkSync(join(ws, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const state = stateDir(ws);
  mkdirSync(stateDir(scratch), { recursive: true });
  for (const entry of existsSync(state) ? readdirSync(state) : []) {
    if (['rehearsal', 'staging', 'tmp', 'cache'].includes(entry) || entry.startsWith('tmp-') || entry.endsWith('.lock')) continue;
    // Already there (a workspace that commits a link to its .nx-wheels): the clone shares it as it is.
    if (existsSync(join(stateDir(scratch), entry))) continue;
    symlinkSync(join(state, entry), join(stateDir(scratch), entry));
  }
}

/**
 * Rehearse the next release of one project. Prints the steps as they run, then one table and one
 * verdict line; writes the JSON report (and `$GITHUB_STEP_SUMMARY`).
 * @returns the report (`ok` false when a step failed)
 * @throws QuiverError for bad input found before anything ran (`BAD_OPTION_*`, `REHEARSAL_*`)
 */
export async function rehearseRelease(options: RehearseReleaseOptions, sink: LineSink = consoleSink): Promise<RehearsalReport> {
  const started = Date.now();
  const r = await startRehearsal(normalizeOptions(options), sink, started);
  const { o, env, scratch, report } = r;
  let index: ThrowawayIndex | null = null;
  // Ctrl-C or a kill: the index is killed by runners/package-index's own handler; the scratch clone is
  // removed here; then the signal is raised again so the process ends as it would have.
  const onSignal = (sig: NodeJS.Signals) => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (!o.keep) rmSync(scratch, { recursive: true, force: true });
    process.kill(process.pid, sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await r.step('prepare', null, () => prepareScratch(r));
    await buildEveryPlatform(r);
    await validateRehearsal(r);
    const toolchain = await loadToolchain(scratch, o.python);
    index = await startThrowawayIndex(r.ws, toolchain.host, sink);
    sink.out(`rehearse-release: throwaway index ${index.url} (pypiserver, pid ${index.pid})`);
    await publishTwice(r, index);
    const config = loadPythonProject(scratch, o.projectRoot).cibuildwheel ?? {};
    for (const platform of r.platforms) await r.step('install + test', platform, () => installAndTest(r, platform, { index: index!, toolchain, config }));
    report.ok = true;
  } catch (e) {
    report.error = isQuiverError(e) ? `${e.code}: ${e.message}` : (e as Error).message;
    if (!isQuiverError(e) && env['QUIVER_DEBUG'] === '1') sink.err(`rehearse-release: unexpected error: ${(e as Error).stack ?? e}`);
  } finally {
    if (index) {
      await index.stop();
      sink.out(`rehearse-release: throwaway index stopped (pid ${index.pid})`);
    }
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (o.keep) report.scratch = scratch;
    else rmSync(scratch, { recursive: true, force: true });
  }
  report.seconds = (Date.now() - started) / 1000;
  writeRehearsalReport(r);
  return report;
}

/** One rehearsal in progress: what every step reads, and the report the steps fill in. */
export interface Rehearsal {
  o: ReturnType<typeof normalizeOptions<RehearseReleaseOptions>>;
  ws: string;
  env: Record<string, string | undefined>;
  sink: LineSink;
  /** Release tag prefix (nx.json release.releaseTag.pattern). */
  prefix: string;
  head: string;
  platforms: Platform[];
  scratch: string;
  /** Every platform's wheels, together, as a release job would have them. */
  releaseDir: string;
  report: RehearsalReport;
  builds: BuildReport[];
  /** Run one step: print its header, time it, record the verdict; a failure ends the rehearsal. */
  step: (name: RehearsalStepName, platform: Platform | null, fn: () => Promise<string>) => Promise<void>;
}

/**
 * Check what can be checked before anything runs (platforms, specifier, wine), and set up the report.
 * @throws QuiverError `BAD_OPTION_PLATFORMS`, `BAD_OPTION_VERSION`, `REHEARSAL_VERSION_NOT_NEWER`, `REHEARSAL_PLATFORM_UNAVAILABLE`
 */
async function startRehearsal(o: Rehearsal['o'], sink: LineSink, started: number): Promise<Rehearsal> {
  const ws = o.workspaceRoot;
  const env = o.env ?? process.env;
  const project = loadPythonProject(ws, o.projectRoot);
  const releasePlatforms = project.nxWheels.releasePlatforms ?? [...DEFAULT_RELEASE_PLATFORMS];
  let chosen: { platforms: Platform[]; partial: boolean };
  try {
    chosen = rehearsalPlatforms(o.platforms, releasePlatforms);
  } catch (e) {
    throw new QuiverError('BAD_OPTION_PLATFORMS', (e as Error).message);
  }
  const prefix = tagPrefix(ws, o.projectName);
  checkNewer(o.specifier, (await git(ws, ['tag', '--list'])).split('\n').filter(Boolean), prefix);
  // What cannot be rehearsed here is said before anything runs.
  if (chosen.platforms.includes('windows') && process.platform !== 'win32') {
    const wine = await capture('sh', ['-c', 'command -v wine'], {});
    if (wine.exitCode !== 0) {
      throw new QuiverError('REHEARSAL_PLATFORM_UNAVAILABLE', `platform windows cannot be rehearsed on this ${process.platform} host: wine is missing (install it: apt-get install -y wine wine64); or pass --platforms=${chosen.platforms.filter((p) => p !== 'windows').join(',') || 'linux'} to rehearse the rest (reported as partial).`);
    }
  }
  const head = await git(ws, ['rev-parse', 'HEAD']);
  const dirty = await git(ws, ['status', '--porcelain', '--untracked-files=no']);
  if (dirty) sink.out(`rehearse-release: the working tree has uncommitted changes; rehearsing HEAD ${head.slice(0, 12)} as committed (the changes are not part of it).`);
  const base = { reportVersion: 1 as const, project: o.projectName, distribution: project.normalizedName, version: null, tag: null, commit: head, releasePlatforms };
  const report: RehearsalReport = { ...base, platforms: chosen.platforms, partial: chosen.partial, ok: false, steps: [], wheels: [], scratch: null, startedAt: new Date(started).toISOString(), seconds: 0, error: null };
  const scratch = join(stateDir(ws), 'rehearsal', `${o.projectName}-${process.pid}-${Date.now()}`);
  const step = async (name: RehearsalStepName, platform: Platform | null, fn: () => Promise<string>): Promise<void> => {
    sink.out('');
    sink.out(`=== rehearse-release: ${name}${platform ? ` (${platform})` : ''} ===`);
    const t0 = Date.now();
    try {
      const detail = await fn();
      report.steps.push({ step: name, platform, verdict: 'passed', seconds: (Date.now() - t0) / 1000, detail });
    } catch (e) {
      const detail = isQuiverError(e) ? `${e.code}: ${e.message}` : (e as Error).message;
      report.steps.push({ step: name, platform, verdict: 'failed', seconds: (Date.now() - t0) / 1000, detail });
      throw e;
    }
  };
  return { o, ws, env, sink, prefix, head, platforms: chosen.platforms, scratch, releaseDir: join(scratch, 'dist', 'rehearsal', 'release'), report, builds: [], step };
}

/** The prepare step: a scratch clone of HEAD without a remote, then `nx release` in it; the release must make its tag. */
async function prepareScratch(r: Rehearsal): Promise<string> {
  const { o, ws, scratch, head, prefix, report } = r;
  mkdirSync(dirname(scratch), { recursive: true });
  await git(dirname(scratch), ['clone', '--quiet', '--no-hardlinks', ws, scratch]);
  await git(scratch, ['checkout', '--quiet', '--detach', head]);
  // No remote: nothing the rehearsal does (an nx release configured to push) can reach the user's repository.
  await git(scratch, ['remote', 'remove', 'origin']);
  for (const [k, v] of [['user.name', 'nx-wheels rehearsal'], ['user.email', 'rehearsal@nx-wheels.invalid'], ['commit.gpgsign', 'false'], ['tag.gpgsign', 'false']]) await git(scratch, ['config', k, v]);
  linkWorkspaceState(ws, scratch);
  const before = new Set((await git(scratch, ['tag', '--list'])).split('\n').filter(Boolean));
  const args = ['release', ...(o.specifier ? [o.specifier] : []), ...(o.preid ? [`--preid=${o.preid}`] : []), `--projects=${o.projectName}`, '--skip-publish'];
  const nxBin = join(scratch, 'node_modules', '.bin', 'nx');
  const res = await stream(nxBin, args, '[nx release] ', { cwd: scratch, env: { ...r.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' } }, r.sink);
  if (res.exitCode !== 0) throw new QuiverError('REHEARSAL_RELEASE_FAILED', `nx release ${args.slice(1).join(' ')} failed in the scratch workspace (exit ${res.exitCode}); see the [nx release] lines above.`);
  const newTags = (await git(scratch, ['tag', '--list'])).split('\n').filter((t) => t && !before.has(t) && t.startsWith(prefix));
  const released = loadPythonProject(scratch, o.projectRoot);
  report.version = released.normalizedVersion;
  report.tag = `${prefix}${released.normalizedVersion}`;
  if (!newTags.includes(report.tag)) {
    throw new QuiverError('REHEARSAL_NOTHING_TO_RELEASE', `nx release made no tag ${report.tag} (no change since the last release that conventional commits would release); pass --specifier=patch (or a version) to rehearse one anyway.`);
  }
  return `${report.tag} in a scratch clone of ${head.slice(0, 12)} (pyproject.toml ${released.version}, changelog section, commit and tag there only)`;
}

/** One build step per platform (Windows on a Linux host through the cross route), then every wheel into the release directory. */
async function buildEveryPlatform(r: Rehearsal): Promise<void> {
  const { o, scratch } = r;
  for (const platform of r.platforms) {
    await r.step('build', platform, async () => {
      const outputDir = join(scratch, 'dist', 'rehearsal', platform);
      const onLinux = process.platform === 'linux';
      const which = platform === 'windows' && onLinux ? { platforms: 'windows' } : { platform };
      const b = await buildWheels({ workspaceRoot: scratch, projectRoot: o.projectRoot, projectName: o.projectName, ...which, outputDir, python: o.python, projects: o.projects }, r.sink, { env: r.env });
      r.builds.push(b);
      return b.wheels.map((w) => `${w.file} (${w.engine}${w.toolchain ? `, ${w.toolchain}` : ''}; tests ${w.tests})`).join('; ');
    });
  }
  mkdirSync(r.releaseDir, { recursive: true });
  for (const b of r.builds) {
    for (const w of b.wheels) {
      cpSync(join(scratch, 'dist', 'rehearsal', w.platform, w.file), join(r.releaseDir, w.file));
      r.report.wheels.push({ file: w.file, platform: w.platform, engine: w.engine, sha256: w.sha256 });
    }
  }
}

/** The JSON report, the step summary, the table and the verdict line. */
function writeRehearsalReport(r: Rehearsal): void {
  const { o, ws, report, sink } = r;
  const reportFile = isAbsolute(o.reportFile) ? o.reportFile : resolve(ws, o.reportFile);
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
  if (r.env['GITHUB_STEP_SUMMARY']) appendFileSync(r.env['GITHUB_STEP_SUMMARY'], rehearsalMarkdown(report) + '\n');
  sink.out('');
  sink.out(formatRehearsalTable(report.steps));
  sink.out(`report: ${relative(ws, reportFile) || reportFile}${report.scratch ? `; scratch workspace kept: ${relative(ws, report.scratch)}` : ''}`);
  sink.out(rehearsalVerdict(report));
}
