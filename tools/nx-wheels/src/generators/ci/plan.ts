/**
 * What the workflows are made from: the {@link CiPlan} the generator reads from the workspace and
 * the facts every workflow derives from it ({@link context}), plus the small text helpers they share.
 */

/** A platform the workflows build on, with its GitHub-hosted runner. */
export const RUNNERS = { linux: 'ubuntu-latest', windows: 'windows-latest', macos: 'macos-latest' } as const;
type CiPlatform = keyof typeof RUNNERS;

/** One wheel project (a pyproject.toml with [tool.cibuildwheel]). */
export interface CiProject {
  /** Nx project name. */
  name: string;
  /** Workspace-relative project root (posix). */
  root: string;
  /** [project].name: the PyPI distribution. */
  distribution: string;
  /** Platforms its [tool.cibuildwheel] build identifiers select (release order: linux, windows, macos). */
  platforms: CiPlatform[];
  /** Whether build-wheels also makes an sdist ([tool.nx-wheels].sdist). */
  sdist: boolean;
}

/** Everything the workflows depend on. */
export interface CiPlan {
  /** The wheel projects, in the order their steps appear (sorted by name). */
  projects: CiProject[];
  /** Names of the plugin's inferred targets (plugin options in nx.json). */
  targets: { buildWheels: string; test: string; validateWheels: string; publish: string; validateRelease: string; rehearseRelease: string };
  /** The wheel directory relative to each project root (plugin option wheelDir). */
  wheelDir: string;
  /**
   * The release tag's text before the version (nx.json release.releaseTag.pattern
   * `<prefix>{version}`), e.g. `v`; with `{projectName}` in it (e.g. `{projectName}-v`) every
   * project has its own tags and a tag releases the one project it names.
   */
  tagPrefix: string;
  /** The repository's default branch: ci.yml runs on pushes to it and nx-set-shas compares with it. */
  defaultBranch: string;
  /**
   * Whether the workspace has this repository's CI tools (tools/ci: npm-ci.mjs, the ci:lint
   * project): the install step is then `node tools/ci/npm-ci.mjs` and tools/ci/** triggers a release
   * dry run; otherwise `npm ci`.
   */
  ciTools: boolean;
}

/** A plan with the facts the workflows derive from it. */
export interface Ctx extends CiPlan {
  t: CiPlan['targets'];
  /** Whether there are several wheel projects (artifact, step and job names then carry the project). */
  multi: boolean;
  /** The platforms some project builds on, in release order. */
  platforms: CiPlatform[];
  /** Whether some project does not release on every platform of the matrix (ci.yml then computes its build legs). */
  uneven: boolean;
  /** Whether every project has its own release tags (`{projectName}` in the tag prefix): a tag releases one project. */
  perProject: boolean;
  /** The distributions, `a, b and c`. */
  dists: string;
  /** The distributions, `a + b`: the GitHub Release's title. */
  title: string;
}

/** The plan's derived facts; throws for a plan without projects (the generator refuses those first). */
export function context(plan: CiPlan): Ctx {
  if (plan.projects.length === 0) throw new Error('no wheel projects');
  const order: CiPlatform[] = ['linux', 'windows', 'macos'];
  const platforms = order.filter((x) => plan.projects.some((q) => q.platforms.includes(x)));
  const dists = plan.projects.map((q) => q.distribution);
  return {
    ...plan,
    t: plan.targets,
    multi: plan.projects.length > 1,
    platforms,
    uneven: plan.projects.some((q) => !platforms.every((x) => q.platforms.includes(x))),
    perProject: plan.tagPrefix.includes('{projectName}'),
    dists: joinAnd(dists),
    title: dists.join(' + '),
  };
}

/** `a`, `a and b`, `a, b and c`. */
export const joinAnd = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** A step or job id for a project name: letters, digits, `-` and `_` only. */
export const slug = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

/** A bash word for `text`: single-quoted. */
export const shq = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** The text of a project's release tags before the version (`{projectName}` filled in). */
export const tagPrefixOf = (plan: Pick<CiPlan, 'tagPrefix'>, q: CiProject) => plan.tagPrefix.split('{projectName}').join(q.name);

/** The platforms of the matrix `q` releases on, space-separated (a bash table entry). */
export const platformsOf = (p: Ctx, q: CiProject) => q.platforms.filter((x) => p.platforms.includes(x)).join(' ');

/** The condition for a project's steps in the platform matrix when it does not build on every platform of it, else `''`. */
export function platformCond(p: Ctx, q: CiProject): string {
  if (p.platforms.every((x) => q.platforms.includes(x))) return '';
  return q.platforms.map((x) => `matrix.platform == '${x}'`).join(' || ');
}

/** The conditions that are not empty, joined with `&&` (an `||` one in parentheses); `undefined` when none is left. */
export function allOf(...conds: string[]): string | undefined {
  const c = conds.filter(Boolean);
  if (c.length === 0) return undefined;
  return c.length === 1 ? c[0] : c.map((x) => (x.includes('||') ? `(${x})` : x)).join(' && ');
}

/** A PEP 440 public version (packaging's VERSION_PATTERN without the local label), as a bash ERE for the lower-cased text. */
export const PEP440_ERE =
  '^([0-9]+!)?[0-9]+(\\.[0-9]+)*([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*)?(-[0-9]+|[-_.]?(post|rev|r)[-_.]?[0-9]*)?([-_.]?dev[-_.]?[0-9]*)?$';
