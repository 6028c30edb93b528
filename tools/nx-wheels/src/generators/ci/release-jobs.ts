/**
 * The jobs of release.yml around the build: `resolve` (per-project tags: which project a tag
 * releases), `release` (the GitHub Release) and one `publish` job per project (PyPI by trusted publishing).
 */
import { type Ctx, type CiProject, PEP440_ERE, platformsOf, RUNNERS, shq, slug, tagPrefixOf } from './plan';
import { script } from './scripts';
import { download, needsOf, onReleaseTag, releasesProject, ubuntuJob, uses } from './steps';
import { note, trailing, type Job, type Styled } from './yaml-builder';

/** Artifact name `base` of `q` (the project's name in front when there are several). */
export const artifactOf = (p: Ctx, q: CiProject, base: string) => (p.multi ? `${q.name}-${base}` : base);

/** Step or output id `base` of `q` (the project's slug after it when there are several). */
export const idOf = (p: Ctx, q: CiProject, base: string) => (p.multi ? `${base}-${slug(q.name)}` : base);

/** The jobs a job after `validate` needs (`resolve` too with per-project tags). */
const afterValidate = (p: Ctx) => (p.perProject ? needsOf('validate', 'resolve') : 'validate');

/** `download-artifact by run id` permission, with its reason. */
export const READ_ACTIONS = trailing('read', 'download-artifact by run id (a re-run of this job alone)');

/**
 * release.yml's first job when every project has its own release tags: maps the run's tag to the
 * one project it releases (the tag is the project's prefix followed by a PEP 440 version) and gives
 * the later jobs `project` and `distribution` (empty in a dry run), `projects` (JSON array of the
 * projects to build: the tag's, or every project in a dry run: a pull request or a run by hand
 * from a branch) and `matrix` (the platforms those projects release on). A tag that names no
 * project, or more than one, stops the run with one ::error line.
 */
export function resolveJob(p: Ctx): Styled {
  const arr = (xs: string[]) => `(${xs.map(shq).join(' ')})`;
  const run = script('resolve-tag', {
    PROJECTS: arr(p.projects.map((q) => q.name)),
    PREFIXES: arr(p.projects.map((q) => tagPrefixOf(p, q))),
    DISTRIBUTIONS: arr(p.projects.map((q) => q.distribution)),
    PLATFORM_LISTS: arr(p.projects.map((q) => platformsOf(p, q))),
    OS_TABLE: p.platforms.map((x) => `[${x}]=${RUNNERS[x]}`).join(' '),
    VERSION_RE: shq(PEP440_ERE),
    EXAMPLES: p.projects.map((q) => `${tagPrefixOf(p, q)}<version>`).join(', '),
    PLATFORMS: p.platforms.join(' '),
  });
  const outputs = Object.fromEntries(
    ['project', 'distribution', 'projects', 'matrix'].map((x) => [x, `\${{ steps.resolve.outputs.${x} }}`]),
  );
  const step = {
    name: 'Which project does the tag release?',
    id: 'resolve',
    env: { EVENT: '${{ github.event_name }}', REF: '${{ github.ref }}' },
    run,
  };
  const job = ubuntuJob('resolve the project', 5, {}, [step], { outputs });
  return note(job, "Which project the tag releases. No checkout, no token: the table below is the generator's.");
}

const GH_RELEASE_COMMENT = `gh (preinstalled on GitHub-hosted runners) instead of a third-party action: no extra code
runs with contents: write. A re-run never replaces an asset (no --clobber, which immutable
releases refuse): an asset already attached with the same sha256 (GitHub's digest, or the
downloaded bytes for an asset without one) is skipped, a missing one is uploaded, one with
other bytes stops the job before anything is uploaded; a draft left by a failed create is
completed and published.`;

/** The GitHub Release of a tag: the wheels, SHA256SUMS and the release notes, made idempotent by gh. */
export function releaseJob(p: Ctx): Job {
  const wheels = p.projects.map((q) =>
    download(artifactOf(p, q, 'wheels'), 'wheels', p.perProject && p.multi ? releasesProject(q) : undefined),
  );
  const env = {
    GH_TOKEN: '${{ github.token }}',
    GH_REPO: '${{ github.repository }}',
    TAG: '${{ github.ref_name }}',
    VERSION: '${{ needs.validate.outputs.version }}',
    PRERELEASE: '${{ needs.validate.outputs.prerelease }}',
    DISTRIBUTION: p.perProject ? '${{ needs.resolve.outputs.distribution }}' : undefined,
  };
  const gh = note(
    { name: 'gh release create', env, run: script('github-release', { TITLE: p.perProject ? '$DISTRIBUTION' : p.title }) },
    GH_RELEASE_COMMENT,
  );
  const permissions = { contents: trailing('write', 'gh release create / upload'), actions: READ_ACTIONS };
  return ubuntuJob('GitHub Release', 10, permissions, [...wheels, download('release-metadata', 'release'), gh], {
    needs: afterValidate(p),
    if: onReleaseTag(p),
  });
}

/** One project's publish job: the validated pypi-upload artifact, checked against its fingerprint, to PyPI. */
function publishJob(p: Ctx, q: CiProject): Job {
  const verify = {
    name: 'Verify pypi-upload against its SHA256SUMS',
    id: 'verify',
    'working-directory': 'pypi-upload',
    env: { EXPECTED_SUMS: `\${{ needs.validate.outputs.${idOf(p, q, 'upload-sums')} }}` },
    run: script('verify-pypi-upload'),
  };
  const why =
    "The artifact must be exactly what validate made: its SHA256SUMS the one validate\nfingerprinted, the same file names in dist/ and in SHA256SUMS, every file's sha256 as listed.";
  const publish = {
    name: 'pypa/gh-action-pypi-publish',
    if: "steps.verify.outputs.count != '0'",
    uses: uses('pypiPublish'),
    with: { 'packages-dir': 'pypi-upload/dist/', attestations: true, 'print-hash': true },
  };
  const steps = [download(artifactOf(p, q, 'pypi-upload'), 'pypi-upload'), note(verify, why), publish];
  return ubuntuJob(
    p.multi ? `publish ${q.distribution} to PyPI` : 'publish to PyPI',
    15,
    { 'id-token': trailing('write', 'trusted publishing (OIDC); no API token'), actions: READ_ACTIONS },
    steps,
    {
      needs: afterValidate(p),
      if: p.perProject ? releasesProject(q) : onReleaseTag(p),
      environment: { name: 'pypi', url: `https://pypi.org/project/${q.distribution}/\${{ needs.validate.outputs.version }}/` },
    },
  );
}

/** The publish jobs by id (`publish`, or `publish-<project>` each when there are several); the first carries the why. */
export function publishJobs(p: Ctx): Record<string, Job | Styled> {
  const why =
    'Holds the only id-token of the workflow, so it runs nothing of ours: no checkout, no npm, no\npip. Everything that needs the toolchain ran in `validate`, without id-token.';
  return Object.fromEntries(
    p.projects.map((q, i) => [p.multi ? `publish-${slug(q.name)}` : 'publish', i === 0 ? note(publishJob(p, q), why) : publishJob(p, q)]),
  );
}
