/**
 * What a changelog section says when nothing in its commit range is a change the changelog lists.
 *
 * Nx writes "This was a version bump only for <project> to align it with other projects, there were
 * no code changes." for such a version, which is wrong for quiverdb (a single project): the release
 * was asked for, so the section says why nothing is listed instead. The range is the one Nx's
 * changelog step uses (compat/nx-release.ts): since the previous *final* release tag for a final version, since
 * the previous release tag for a pre-release, from the first commit when there is none. Cases:
 *
 * - no earlier release tag: "First release of python (no earlier release tag v…). None of the N
 *   commits touching python or its dependencies is a feat, fix or perf commit, so none is listed.";
 * - a final version promoting pre-releases: "Promotes 1.4.0rc0, 1.4.0rc1 to 1.4.0: no feat, fix or
 *   perf commit touching python or its dependencies since 1.3.0 (2 other commits: build, chore).";
 * - otherwise: "No feat, fix or perf commit touching python or its dependencies since 1.3.0
 *   (1 other commit: chore)." or "No commit touches python or its dependencies since 1.3.0."
 *
 * {@link describeEmptySection} is pure (a table test covers it); {@link collectReleaseNotesFacts}
 * reads the commits and the project graph through Nx's own functions, the ones its changelog step
 * calls (no process of ours is spawned).
 */
import { compareVersions, isPrerelease } from '../core/pep440';
import { latestReleaseTag, releaseTags } from '../core/release-check';
import { nxInternals } from '../compat/nx-internals';
import { projectsOfCommit } from '../core/commit-projects';

/** The commits and tags a section's explanation is made of. */
export interface ReleaseNotesFacts {
  /** The release tag the commit range starts at (exclusive), or `null`: from the first commit. */
  from: { tag: string; version: string } | null;
  /** Pre-release versions a final version promotes (after `from`, below the version), ascending. */
  promotes: string[];
  /** Types (`chore`, `build`, `__INVALID__` for a non-conventional message) of the commits in the range touching the project or its dependencies. */
  commitTypes: string[];
}

/**
 * The body of a section for `version` of `project` whose range lists nothing, per the module comment.
 * @param shownTypes the conventional-commit types the changelog lists (`feat`, `fix`, `perf`)
 * @param prefix the release tag prefix (`v`), for the first-release text
 */
export function describeEmptySection(project: string, version: string, facts: ReleaseNotesFacts, shownTypes: readonly string[], prefix: string): string {
  const kinds = shownTypes.length ? orList(shownTypes) : 'listed';
  const n = facts.commitTypes.length;
  const others = (): string => {
    const types = [...new Set(facts.commitTypes.map((t) => (t === '__INVALID__' ? 'not conventional' : t)))].sort();
    return `${n} other commit${n === 1 ? '' : 's'}: ${types.join(', ')}`;
  };
  if (!facts.from) {
    const what = n === 0 ? `No commit touches ${project} or its dependencies yet.` : `None of the ${n} commit${n === 1 ? '' : 's'} touching ${project} or its dependencies is a ${kinds} commit (conventional commits), so none is listed.`;
    return `First release of ${project} (no earlier release tag ${prefix}…). ${what}`;
  }
  const since = `since ${facts.from.version}`;
  const tail = n === 0 ? `no commit touches ${project} or its dependencies ${since}.` : `no ${kinds} commit touching ${project} or its dependencies ${since} (${others()}).`;
  if (facts.promotes.length) return `Promotes ${facts.promotes.join(', ')} to ${version}: ${tail}`;
  return tail.charAt(0).toUpperCase() + tail.slice(1);
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** What {@link collectReleaseNotesFacts} needs. */
export interface ReleaseNotesQuery {
  projectName: string;
  /** The normalized version the section is for. */
  version: string;
  /** Release tag prefix (`v`). */
  prefix: string;
}

/**
 * The facts of `version`'s section: the start tag of its range, the pre-releases it promotes and the
 * types of the commits in the range that belong to the project (compat/nx-release.ts's rule).
 */
export async function collectReleaseNotesFacts(q: ReleaseNotesQuery): Promise<ReleaseNotesFacts> {
  const nx = nxInternals();
  const tags = String(await nx.execCommand('git', ['tag', '--merged', 'HEAD']))
    .split('\n')
    .map((t) => t.trim())
    .filter(Boolean);
  const final = !isPrerelease(q.version);
  const from = latestReleaseTag(tags, q.prefix, { finalOnly: final, below: q.version });
  const promotes = final
    ? releaseTags(tags, q.prefix)
        .filter((t) => isPrerelease(t.version) && compareVersions(t.version, q.version) < 0 && (!from || compareVersions(t.version, from.version) > 0))
        .map((t) => t.version)
        .reverse()
    : [];
  const fromSha = from ? await nx.getCommitHash(`refs/tags/${from.tag}`) : undefined;
  const commits = nx.parseCommits(await nx.getGitDiff(fromSha, 'HEAD')) as Array<{ type: string; scope: string; affectedFiles: string[] }>;
  const graph = await nx.createProjectGraphAsync({ exitOnError: false });
  const { fileMap } = await nx.createFileMapUsingProjectGraph(graph);
  const fileToProject = nx.createFileToProjectMap(fileMap.projectFileMap);
  // The release commits of the pre-releases (`chore(release): 1.4.0rc1`) are not changes.
  const mine = commits.filter((c) => !(c.type === 'chore' && c.scope === 'release') && projectsOfCommit(c.affectedFiles, fileToProject, graph).includes(q.projectName));
  return { from: from ? { tag: from.tag, version: from.version } : null, promotes, commitTypes: mine.map((c) => c.type) };
}
