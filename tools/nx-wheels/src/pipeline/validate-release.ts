/**
 * validate-release: gather pyproject.toml, the changelog and git facts, judge them with
 * {@link checkRelease}, and write the outputs a release workflow needs (release notes file,
 * `$GITHUB_STEP_SUMMARY`, `$GITHUB_OUTPUT` with the finding codes).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { QuiverError } from '../core/errors';
import { checkRelease, ReleaseCheckResult, renderReleaseSummary } from '../core/release-check';
import { isShallowRepository, listTags } from '../runners/git';
import { readProjectVersion, versionSourceOf } from './project-version';
import { readProjectTagPattern } from './release-tag';
import { normalizeOptions } from '../executors/validate-release/options';

/** Options of {@link validateRelease} (the executor's schema plus context). */
export interface ValidateReleaseOptions {
  workspaceRoot: string;
  /** Workspace-relative project root. */
  projectRoot: string;
  projectName: string;
  /** `auto` (default): tag mode when a tag is given or the workflow runs for a tag, else branch mode. */
  mode?: 'auto' | 'branch' | 'tag';
  /** Tag to check in tag mode; default from GITHUB_REF_NAME / GITHUB_REF. */
  tag?: string;
  /** Changelog path (workspace-relative or absolute); default `<projectRoot>/CHANGELOG.md`. */
  changelog?: string;
  /** Where to write the version's changelog section; default `dist/<projectRoot>/release-notes.md`. */
  notesFile?: string;
  /** Release tag prefix; default: the project's pattern in nx.json `release` with `{projectName}` resolved (`v{version}` -> `v`, `{projectName}-v{version}` -> `quiverdb-v`). */
  tagPrefix?: string;
  /** The project's Nx tags (selects its release group when groups select by `tag:`). */
  projectTags?: string[];
  /** Host interpreter for the toolchain that reads a dynamic version through PEP 517. */
  python?: string;
  /** Environment (default process.env); injectable for tests. */
  env?: Record<string, string | undefined>;
}

/** What {@link validateRelease} did. */
export interface ValidateReleaseOutcome {
  result: ReleaseCheckResult;
  /** Markdown summary (also appended to `$GITHUB_STEP_SUMMARY` when set). */
  summary: string;
  /** Absolute path of the written release notes, when the section was found. */
  notesFile: string | null;
}

/**
 * Which tag to check, and from where: `--tag`, then `GITHUB_REF_NAME` when `GITHUB_REF_TYPE` is
 * `tag` (or unset), then `GITHUB_REF` when it is `refs/tags/...`.
 */
function resolveTag(opt: string | undefined, env: Record<string, string | undefined>): { tag: string; source: string } | null {
  if (opt && opt.trim()) return { tag: opt.trim(), source: '--tag' };
  const refType = env['GITHUB_REF_TYPE'];
  if (env['GITHUB_REF_NAME'] && (refType === 'tag' || (!refType && env['GITHUB_REF']?.startsWith('refs/tags/')))) {
    return { tag: env['GITHUB_REF_NAME'], source: 'GITHUB_REF_NAME' };
  }
  if (env['GITHUB_REF']?.startsWith('refs/tags/')) return { tag: env['GITHUB_REF'], source: 'GITHUB_REF' };
  return null;
}

/**
 * The `$GITHUB_OUTPUT` lines (`name=value`) of a check: always `codes=<finding codes, comma-separated,
 * in the order found; empty when every check passed>`, and when the version could be read also
 * `version`, `prerelease` (`true`/`false`), `tag` (`<tagPrefix><version>`) and, when the changelog
 * section was written, `notes-file` (absolute path). A workflow's verdict reads `codes` to tell an
 * expected finding from a real one.
 */
function githubOutputLines(result: ReleaseCheckResult, tagPrefix: string, notesFile: string | null): string[] {
  const out = [`codes=${result.failures.map((f) => f.code).join(',')}`];
  if (result.version) {
    out.push(`version=${result.version}`, `prerelease=${result.prerelease}`, `tag=${tagPrefix}${result.version}`);
    if (notesFile) out.push(`notes-file=${notesFile}`);
  }
  return out;
}

/**
 * The text of `file`, or `null` when it does not exist.
 * @param shown the path as messages show it
 * @param fix what to do when the path cannot be read as a file
 * @throws QuiverError `FILE_UNREADABLE` (a directory, no permission...) naming the file and `fix`
 */
function readIfExists(file: string, shown: string, fix: string): string | null {
  if (!existsSync(file)) return null;
  try {
    if (statSync(file).isDirectory()) {
      throw new QuiverError('FILE_UNREADABLE', `${shown} is a directory, not a file; ${fix}`);
    }
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof QuiverError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new QuiverError('FILE_UNREADABLE', `${shown} cannot be read (${err.code ?? err.message}); ${fix}`);
  }
}

/**
 * Run the release checks. A dynamic version is read through PEP 517 (pipeline/project-version.ts).
 * @throws QuiverError `BAD_OPTION` for an unknown mode; `PEP517_METADATA_FAILED` when the back-end cannot compute a dynamic version; `FILE_UNREADABLE` when pyproject.toml or the
 *   changelog exists but cannot be read as a file (a directory, no permission); git errors from runners/git
 *   (`NOT_A_GIT_REPO`, `GIT_FAILED`) in branch mode. Check failures are in `result.failures`.
 */
export async function validateRelease(options: ValidateReleaseOptions): Promise<ValidateReleaseOutcome> {
  const o = normalizeOptions(options);
  const env = o.env ?? process.env;
  const mode = o.mode ?? 'auto';
  if (!['auto', 'branch', 'tag'].includes(mode)) {
    throw new QuiverError('BAD_OPTION', `--mode=${mode} is not one of auto, branch, tag.`);
  }
  const abs = (p: string) => (isAbsolute(p) ? p : join(o.workspaceRoot, p));
  const shown = (p: string) => relative(o.workspaceRoot, p) || p;
  const tagPrefix = o.tagPrefix ?? readProjectTagPattern(o.workspaceRoot, o.projectName, o.projectTags ?? []).prefix;
  const found = resolveTag(o.tag, env);
  const effective = mode === 'auto' ? (found ? 'tag' : 'branch') : mode;
  const pyprojectPath = join(o.workspaceRoot, o.projectRoot, 'pyproject.toml');
  const changelogPath = abs(o.changelog);
  let tags: string[] | undefined;
  let shallow: boolean | undefined;
  if (effective === 'branch') {
    const cwd = join(o.workspaceRoot, o.projectRoot);
    shallow = await isShallowRepository(cwd);
    tags = await listTags(cwd, `${tagPrefix}*`);
  }
  let computed: string | null = null;
  let vcs: string | null = null;
  if (existsSync(pyprojectPath)) {
    const src = versionSourceOf(o.workspaceRoot, o.projectRoot);
    vcs = src.vcs;
    // A VCS version has nothing to compare before its tag exists (branch mode).
    if (src.dynamic && !(vcs && effective === 'branch')) computed = (await readProjectVersion({ workspaceRoot: o.workspaceRoot, projectRoot: o.projectRoot, projectName: o.projectName, python: o.python, env })).version;
  }
  const result = checkRelease({
    computed,
    vcs,
    mode: effective,
    pyprojectFile: shown(pyprojectPath),
    pyprojectText: readIfExists(pyprojectPath, shown(pyprojectPath), 'make it the project\'s pyproject.toml file (with [project].version).'),
    changelogFile: shown(changelogPath),
    changelogText: readIfExists(changelogPath, shown(changelogPath), `make it a Markdown file with a "## <version>" section per release, or point --changelog at the changelog file.`),
    tag: found?.tag ?? null,
    tagSource: found?.source,
    tags,
    tagPrefix,
    shallow,
  });
  let notesFile: string | null = null;
  if (result.section) {
    notesFile = abs(o.notesFile);
    try {
      mkdirSync(dirname(notesFile), { recursive: true });
      writeFileSync(notesFile, result.section.body + '\n');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new QuiverError('FILE_UNWRITABLE', `${shown(notesFile)} cannot be written (${err.code ?? err.message}); remove what is in the way or pass --notesFile=<path of a file to create>.`);
    }
  }
  const summary = renderReleaseSummary(result, o.projectName);
  if (env['GITHUB_STEP_SUMMARY']) appendFileSync(env['GITHUB_STEP_SUMMARY'], summary + '\n');
  if (env['GITHUB_OUTPUT']) appendFileSync(env['GITHUB_OUTPUT'], githubOutputLines(result, tagPrefix, notesFile).join('\n') + '\n');
  return { result, summary, notesFile };
}
