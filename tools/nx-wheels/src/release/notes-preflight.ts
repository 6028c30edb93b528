/**
 * Before `nx release` writes a final version: will its changelog section list anything? The
 * changelog step lists the conventional commits since the previous final release tag (nx-hooks.ts)
 * that belong to the project or its dependencies and whose type is shown in changelogs. When there
 * are none, the section would say only "This was a version bump only", so the release is refused
 * here, before the version step writes pyproject.toml (the renderer refuses the same case as a
 * backstop). The commits, their files and the project graph come from Nx's own functions, the
 * ones its changelog step calls.
 */
import { QuiverError } from '../core/errors';
import { isPrerelease } from '../core/pep440';
import { latestReleaseTag } from '../core/release-check';
import { projectsOfCommit } from './nx-hooks';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
type AnyFn = (...args: any[]) => any;

/** `release.conventionalCommits.types` of nx.json over Nx's defaults: which types changelogs show. */
function hiddenTypes(userTypes: Record<string, unknown> | undefined): Set<string> {
  const defaults = (require('nx/src/command-line/release/config/conventional-commits') as { DEFAULT_CONVENTIONAL_COMMITS_CONFIG: { types: Record<string, { changelog: { hidden: boolean } }> } })
    .DEFAULT_CONVENTIONAL_COMMITS_CONFIG.types;
  const hidden = new Set(Object.entries(defaults).filter(([, t]) => t.changelog.hidden).map(([k]) => k));
  for (const [k, v] of Object.entries(userTypes ?? {})) {
    const c = v as { changelog?: boolean | { hidden?: boolean } } | boolean;
    const isHidden = c === false || (typeof c === 'object' && (c.changelog === false || (typeof c.changelog === 'object' && c.changelog.hidden === true)));
    if (isHidden) hidden.add(k);
    else hidden.delete(k);
  }
  return hidden;
}

/** What {@link assertFinalReleaseHasNotes} needs. */
export interface NotesPreflight {
  projectName: string;
  /** The normalized new version. */
  version: string;
  /** Release tag prefix (`v`). */
  prefix: string;
  /** `release.conventionalCommits.types` from nx.json, if any. */
  conventionalTypes?: Record<string, unknown>;
}

/**
 * @throws QuiverError `CHANGELOG_NOTHING_TO_LIST` when `version` is final and no shown conventional
 *   commit since the previous final release tag belongs to the project or its dependencies
 */
export async function assertFinalReleaseHasNotes(o: NotesPreflight): Promise<void> {
  if (isPrerelease(o.version)) return;
  const git = require('nx/src/command-line/release/utils/git') as Record<string, AnyFn>;
  const execCommand = (require('nx/src/command-line/release/utils/exec-command') as Record<string, AnyFn>)['execCommand'];
  const tags = String(await execCommand('git', ['tag', '--merged', 'HEAD']))
    .split('\n')
    .map((t) => t.trim())
    .filter(Boolean);
  const previous = latestReleaseTag(tags, o.prefix, { finalOnly: true, below: o.version });
  const from = previous ? await git['getCommitHash'](`refs/tags/${previous.tag}`) : undefined;
  const commits = git['parseCommits'](await git['getGitDiff'](from, 'HEAD')) as Array<{ type: string; shortHash: string; affectedFiles: string[] }>;
  const graph = await (require('nx/src/project-graph/project-graph') as Record<string, AnyFn>)['createProjectGraphAsync']({ exitOnError: false });
  const { fileMap } = await (require('nx/src/project-graph/file-map-utils') as Record<string, AnyFn>)['createFileMapUsingProjectGraph'](graph);
  const fileToProject = (require('nx/src/command-line/release/changelog/commit-utils') as Record<string, AnyFn>)['createFileToProjectMap'](fileMap.projectFileMap);
  const hidden = hiddenTypes(o.conventionalTypes);
  const listed = commits.filter((c) => !hidden.has(c.type) && projectsOfCommit(c.affectedFiles, fileToProject, graph).includes(o.projectName));
  if (listed.length) return;
  throw new QuiverError(
    'CHANGELOG_NOTHING_TO_LIST',
    `${o.projectName} ${o.version}: no commit since ${previous ? `the previous final release ${previous.tag}` : 'the first commit'} touches ${o.projectName} or its dependencies with a type changelogs show (feat, fix, perf), so its changelog section would say only "version bump only"; release after a fix or feature lands. Nothing was written, committed or tagged.`,
  );
}
