/**
 * Where quiver's release rules take over from Nx 24's SemVer-minded `nx release` internals.
 *
 * Nx resolves git tags in one function, `getLatestGitTagForPattern` (nx/src/command-line/release/
 * utils/git): it lists `git tag --sort -v:refname` (git's version sort) and, with
 * `releaseTag.requireSemver: false` (needed for PEP 440 tags such as `v1.4.0rc1`), takes the first
 * tag matching `^v(.+)`. A stray `vendor-import` sorts first and Nx reads the version
 * `endor-import`. The current version (`currentVersionResolver: "git-tag"`), the commit range of
 * conventional-commit bumps and the changelog's start all come from that function, and Nx offers
 * no hook for it, so {@link install} (called explicitly, after nx-internals.ts checked
 * that this Nx is in the tested range and has these exports with the expected arity) replaces the
 * module exports Nx calls through:
 *
 * - `getLatestGitTagForPattern`, for tag patterns `<prefix>{version}` where the prefix may hold
 *   `{projectName}` / `{releaseGroupName}` (`v{version}`, `{projectName}-v{version}`, resolved with
 *   the values Nx passes, core/release-tag.ts): the highest tag per {@link latestReleaseTag} (PEP 440
 *   versions only, PEP 440 order; the rule validate-release uses). `quiverdb-v1.2.3` is never read
 *   as a tag of a project `quiver`: the whole prefix `quiver-v` must precede a version;
 * - `resolveChangelogFromSHA` (nx/src/command-line/release/changelog/version-plan-filtering): when
 *   the version being released is final, the changelog starts at the previous *final* release tag,
 *   so `1.4.0` after `1.4.0rc0`, `1.4.0rc1` lists everything since `1.3.0`;
 * - `createChangesFromCommits` (nx/src/command-line/release/changelog/commit-utils): a commit belongs
 *   to the projects owning the files it touches and to the projects depending on them (a
 *   `libs/quiver` fix is listed under `python`); a commit touching only files outside every project
 *   (docs/, README.md) belongs to none (Nx lists it under every project);
 * - `createFileMapUsingProjectGraph` (nx/src/project-graph/file-map-utils) only records the project
 *   graph the changelog step uses, for the dependency walk above.
 *
 * Each replacement delegates to Nx's own function for cases it does not handle. Exports are
 * replaced on the module objects Nx itself loaded (same resolved files), once per process.
 */
import { GraphLike, projectsOfCommit } from '../core/commit-projects';
import { isPrerelease, normalizeVersion } from '../core/pep440';
import { latestReleaseTag } from '../core/release-check';
import { tagPrefixFor, TagPatternValues } from '../core/release-tag';
import { releasingVersionOf } from '../release/release-state';
import { nxInternals } from './nx-internals';

/**
 * Per process, on `globalThis` (Nx can load this module twice through different loaders): whether
 * the hooks are in, and the project graph the changelog step last built.
 */
const shared = ((globalThis as unknown as Record<symbol, { installed: boolean; lastGraph: GraphLike | null }>)[Symbol.for('@quiver/nx-wheels/compat/nx-release')] ??= {
  installed: false,
  lastGraph: null,
});

interface Commit {
  shortHash: string;
  affectedFiles: string[];
}

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Replace the Nx exports described in the module comment, once per process. Called explicitly by
 * the VersionActions' `init` (before Nx resolves the current version) and by the changelog
 * renderer; importing this module changes nothing.
 * @throws QuiverError `NX_RELEASE_UNSUPPORTED` when the workspace's Nx is outside the tested range
 *   or an export is missing or re-shaped ({@link nxInternals}); nothing is replaced then
 */
export function install(): void {
  if (shared.installed) return;
  const nx = nxInternals();
  shared.installed = true;
  const { git, plans, commitUtils, fileMapUtils } = nx;

  const nxLatest = git['getLatestGitTagForPattern'];
  git['getLatestGitTagForPattern'] = async (pattern: string, data: TagPatternValues | undefined, resolveTags: AnyFn, options: { checkAllBranchesWhen?: unknown } = {}) => {
    const prefix = tagPrefixFor(pattern, data ?? {});
    if (prefix === null) return nxLatest(pattern, data, resolveTags, options);
    let tags: string[];
    try {
      tags = await resolveTags(options.checkAllBranchesWhen);
    } catch {
      return null;
    }
    const latest = latestReleaseTag(tags, prefix);
    return latest ? { tag: latest.tag, extractedVersion: latest.version } : null;
  };

  const nxFrom = plans['resolveChangelogFromSHA'];
  plans['resolveChangelogFromSHA'] = async (args: { fromRef?: string; tagPattern: string; tagPatternValues?: TagPatternValues; checkAllBranchesWhen?: unknown; resolveRepositoryTags: AnyFn }) => {
    const prefix = tagPrefixFor(args.tagPattern, args.tagPatternValues ?? {});
    const raw = releasingVersionOf(args.tagPatternValues?.projectName);
    const releasing = raw ? normalizeVersion(raw) : null;
    if (args.fromRef || prefix === null || !releasing || isPrerelease(releasing)) return nxFrom(args);
    const tags: string[] = await args.resolveRepositoryTags(args.checkAllBranchesWhen);
    const previous = latestReleaseTag(tags, prefix, { finalOnly: true, below: releasing });
    if (!previous) return nxFrom({ ...args, resolveRepositoryTags: async () => [] });
    return nx.getCommitHash(`refs/tags/${previous.tag}`);
  };

  const nxFileMap = fileMapUtils['createFileMapUsingProjectGraph'];
  fileMapUtils['createFileMapUsingProjectGraph'] = async (graph: GraphLike, ...rest: unknown[]) => {
    shared.lastGraph = graph;
    return nxFileMap(graph, ...rest);
  };

  const nxChanges = commitUtils['createChangesFromCommits'];
  commitUtils['createChangesFromCommits'] = (commits: Commit[], fileMap: unknown, fileToProject: Record<string, string>, conventionalCommits: unknown) => {
    if (!shared.lastGraph) return nxChanges(commits, fileMap, fileToProject, conventionalCommits);
    const graph = shared.lastGraph;
    return commitUtils['filterHiddenChanges'](
      commits.map((c) => commitUtils['mapCommitToChange'](c, projectsOfCommit(c.affectedFiles, fileToProject, graph))),
      conventionalCommits,
    );
  };
}
