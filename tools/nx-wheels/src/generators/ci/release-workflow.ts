/**
 * release.yml: a release tag builds fresh wheels of every wheel project (of the tag's project with
 * per-project tags), merges them, proves them in `validate`, then creates the GitHub Release and
 * publishes each project to PyPI by trusted publishing; a pull request is a dry run.
 */
import { type Ctx, type CiPlan, type CiProject, allOf, context, joinAnd, platformCond, tagPrefixOf } from './plan';
import { artifactOf, idOf, publishJobs, READ_ACTIONS, releaseJob, resolveJob } from './release-jobs';
import { script } from './scripts';
import {
  buildsProject,
  checkout,
  download,
  install,
  needsOf,
  onReleaseTag,
  platformMatrix,
  releasesProject,
  setupNode,
  setupPython,
  ubuntuJob,
  uploadWheels,
  uses,
  workflow,
} from './steps';
import { flow, note, workflowYaml, type Job, type Step, type Styled, type Value, type Workflow } from './yaml-builder';

/** Where validate-release writes `q`'s notes, SHA256SUMS and report. */
const relDir = (p: Ctx, q: CiProject) => (p.multi ? `dist/release/${q.name}` : 'dist/release');
/** Where the preflight puts `q`'s files to upload. */
const upDir = (p: Ctx, q: CiProject) => (p.multi ? `dist/pypi-upload/${q.name}` : 'dist/pypi-upload');
/** `q`'s wheel directory, where validate downloads its wheels. */
const whDir = (p: Ctx, q: CiProject) => `${q.root}/${p.wheelDir}`;
/** Per-project steps need a condition only when a run may build some of the projects. */
const buildsIf = (p: Ctx, q: CiProject) => (p.perProject && p.multi ? buildsProject(q) : '');

/** The wheel builds, one leg per platform (per-project tags: the platforms the resolve job chose). */
function buildJob(p: Ctx): Job {
  const fresh = p.projects.flatMap((q, i): Array<Step | Styled> => {
    const only = p.perProject ? allOf(buildsIf(p, q), platformCond(p, q)) : platformCond(p, q) || undefined;
    const build = {
      name: `nx run ${q.name}:${p.t.buildWheels} (cibuildwheel, fresh)`,
      if: only,
      run: `npx nx run ${q.name}:${p.t.buildWheels} --engine=cibuildwheel --platform="$PLATFORM" --skip-nx-cache`,
    };
    return [
      i === 0 ? note(build, 'Fresh: never a cached or downloaded wheel from another run.') : build,
      uploadWheels(p, `${artifactOf(p, q, 'wheels')}-\${{ matrix.platform }}`, [q], only),
    ];
  });
  const matrix = p.perProject
    ? note(
        '${{ fromJSON(needs.resolve.outputs.matrix) }}',
        "The platforms the resolve job chose: those of the tag's project (of every project in a dry run).",
      )
    : platformMatrix(p);
  const cache =
    'No package-manager cache anywhere in this workflow: nothing restored from a cache that\nanother run could have written reaches a release build (cache poisoning).';
  return {
    name: 'build (${{ matrix.platform }})',
    needs: p.perProject ? 'resolve' : undefined,
    strategy: { 'fail-fast': false, matrix },
    'runs-on': '${{ matrix.os }}',
    'timeout-minutes': 60,
    permissions: { contents: 'read' },
    env: { PLATFORM: '${{ matrix.platform }}' },
    steps: [checkout(), note(setupNode(), cache), setupPython('3.12'), install(p), ...fresh],
  };
}

/** Merges each project's platform artifacts into one (kept 14 days for re-runs of the GitHub Release). */
function mergeJob(p: Ctx): Job {
  const steps = p.projects.map((q, i) => {
    const name = artifactOf(p, q, 'wheels');
    const step = {
      uses: uses('mergeArtifacts'),
      if: buildsIf(p, q) || undefined,
      with: { name, pattern: `${name}-*`, 'retention-days': 14, 'delete-merged': true },
    };
    return i === 0 ? note(step, 'Kept 14 days, like `pypi-upload`: the GitHub Release job can be re-run on the same bytes.') : step;
  });
  return ubuntuJob('merge wheels', 10, {}, steps, { needs: p.perProject ? needsOf('build', 'resolve') : 'build' });
}

const PREFLIGHT = `Asks PyPI (read-only, no credentials) which files it already has: identical bytes are skipped,
same name with other bytes fails the release here (INDEX_FILE_CONFLICT), an incomplete set of
wheels fails it (RELEASE_INCOMPLETE). Writes exactly the files to upload to dist/pypi-upload/dist
and their SHA256SUMS. On a pull request the version may already be on PyPI (the rebuilt bytes
then differ), so there it only reports.`;

/** One project's checks in validate: validate-release (tag mode), the downloaded wheels validated, the PyPI preflight. */
function checkSteps(p: Ctx, q: CiProject): Array<Step | Styled> {
  const t = p.t;
  const platforms = q.platforms.join(',');
  const release = {
    name: `nx run ${q.name}:${t.validateRelease} --mode=tag`,
    id: idOf(p, q, 'release'),
    if: p.perProject ? releasesProject(q) : onReleaseTag(p),
    run: `npx nx run ${q.name}:${t.validateRelease} --mode=tag --notesFile=${relDir(p, q)}/release-notes.md`,
  };
  const wheels = {
    name: `nx run ${q.name}:${t.validateWheels} --platforms=${platforms}`,
    if: buildsIf(p, q) || undefined,
    run: `npx nx run ${q.name}:${t.validateWheels} --platforms=${platforms} --exclude-task-dependencies --skip-nx-cache --sha256sums=${relDir(p, q)}/SHA256SUMS --reportFile=${relDir(p, q)}/validation-report.json`,
  };
  const preflight = {
    name: `nx run ${q.name}:${t.publish} --preflight`,
    id: idOf(p, q, 'preflight'),
    if: buildsIf(p, q) || undefined,
    'continue-on-error': "${{ github.event_name == 'pull_request' }}",
    run: `npx nx run ${q.name}:${t.publish} --preflight --wheelDir=${whDir(p, q)} --uploadDir=${upDir(p, q)} --exclude-task-dependencies`,
  };
  return [
    note(release, 'Tag == [project].version == CHANGELOG.md section; writes the notes and version/prerelease outputs.'),
    download(artifactOf(p, q, 'wheels'), whDir(p, q), buildsIf(p, q)),
    note(
      wheels,
      "--exclude-task-dependencies: check the downloaded wheels, do not rebuild them here.\nThe tag comes from GITHUB_REF (none on a pull request: the version is pyproject.toml's).",
    ),
    note(preflight, PREFLIGHT),
  ];
}

/** With several projects: one SHA256SUMS and one set of release notes for the GitHub Release. */
function combineStep(p: Ctx): Array<Step | Styled> {
  if (!p.multi) return [];
  const names = p.projects.map((q) => q.name).join(' ');
  const notes = [
    `for p in ${names}; do`,
    '  if [ -f "dist/release/$p/release-notes.md" ]; then cat "dist/release/$p/release-notes.md"; echo; fi',
    'done > dist/release/release-notes.md',
  ];
  const sums = p.perProject
    ? [
        'mkdir -p dist/release',
        `for p in ${names}; do`,
        '  if [ -f "dist/release/$p/SHA256SUMS" ]; then cat "dist/release/$p/SHA256SUMS"; fi',
        'done > dist/release/SHA256SUMS',
      ]
    : [`cat ${p.projects.map((q) => `${relDir(p, q)}/SHA256SUMS`).join(' ')} > dist/release/SHA256SUMS`];
  const why = p.perProject ? 'from the projects this run built.' : "from every project's.";
  return [
    note(
      { name: 'SHA256SUMS and release notes of every project', run: `${[...sums, ...notes].join('\n')}\n` },
      `One SHA256SUMS and one set of release notes for the GitHub Release, ${why}`,
    ),
  ];
}

/** One project's pypi-upload artifact and the fingerprint of its SHA256SUMS (a job output the publish job checks). */
function uploadSteps(p: Ctx, q: CiProject): Array<Step | Styled> {
  const ok = `steps.${idOf(p, q, 'preflight')}.outcome == 'success'`;
  const run = 'echo "sha256=$(sha256sum SHA256SUMS | cut -c1-64)" >> "$GITHUB_OUTPUT"';
  const fingerprint = {
    name: `Fingerprint of the ${artifactOf(p, q, 'pypi-upload')} SHA256SUMS`,
    id: idOf(p, q, 'fingerprint'),
    if: ok,
    'working-directory': upDir(p, q),
    run,
  };
  const upload = {
    uses: uses('uploadArtifact'),
    if: ok,
    with: { name: artifactOf(p, q, 'pypi-upload'), path: `${upDir(p, q)}/`, 'if-no-files-found': 'error', 'retention-days': 14 },
  };
  return [
    note(
      fingerprint,
      'The sha256 of SHA256SUMS travels to the publish job as a job output, outside the artifact:\npublish uploads only an artifact whose SHA256SUMS is the one made here.',
    ),
    note(
      upload,
      'What the publish job uploads, and nothing else. Kept 14 days: re-running the publish job\nwithin that time uploads these validated bytes (docs/release-guide.md#recovering).',
    ),
  ];
}

/** validate: the tag's commit on the default branch, then each project's checks; its outputs feed release and publish. */
function validateJob(p: Ctx): Job {
  const guard = {
    name: "The tag's commit is on the default branch",
    id: 'on-default-branch',
    if: onReleaseTag(p),
    env: { DEFAULT_BRANCH: '${{ github.event.repository.default_branch }}', TAG: '${{ github.ref_name }}' },
    run: script('tag-on-default-branch'),
  };
  const paths = [
    'dist/release/release-notes.md',
    'dist/release/SHA256SUMS',
    ...p.projects.map((q) => `${relDir(p, q)}/validation-report.json`),
  ];
  const metadata = {
    uses: uses('uploadArtifact'),
    if: onReleaseTag(p),
    with: { name: 'release-metadata', path: `${paths.join('\n')}\n`, 'if-no-files-found': 'error', 'retention-days': 14 },
  };
  const steps = [
    checkout('the default-branch guard needs the history of origin/<default branch>'),
    note(guard, 'A release is made from a reviewed commit: the tag must point at a commit of the default branch.'),
    setupNode(),
    setupPython('3.12'),
    install(p),
    ...p.projects.flatMap((q) => checkSteps(p, q)),
    ...combineStep(p),
    metadata,
    ...p.projects.flatMap((q) => uploadSteps(p, q)),
  ];
  return ubuntuJob('validate', 30, { contents: 'read', actions: READ_ACTIONS }, steps, {
    needs: p.perProject ? needsOf('merge', 'resolve') : 'merge',
    outputs: validateOutputs(p),
  });
}

/** validate's outputs: version and prerelease (per-project tags: from the one validate-release step that ran), each project's uploads and fingerprint. */
function validateOutputs(p: Ctx): Record<string, Value> {
  const from = (out: string) =>
    `\${{ ${(p.perProject ? p.projects : p.projects.slice(0, 1)).map((q) => `steps.${idOf(p, q, 'release')}.outputs.${out}`).join(' || ')} }}`;
  const perProject = p.projects.flatMap((q) => [
    [idOf(p, q, 'uploads'), `\${{ steps.${idOf(p, q, 'preflight')}.outputs.uploads }}`],
    [idOf(p, q, 'upload-sums'), `\${{ steps.${idOf(p, q, 'fingerprint')}.outputs.sha256 }}`],
  ]);
  return { version: from('version'), prerelease: from('prerelease'), ...Object.fromEntries(perProject) };
}

/** The comment at the top of release.yml. */
function header(p: Ctx): string {
  const first = p.perProject
    ? `Release one wheel project per tag: ${joinAnd(p.projects.map((q) => `${tagPrefixOf(p, q)}X.Y.Z`))} (nx.json release.releaseTag.pattern
"${p.tagPrefix}{version}"; each project has its own version). The resolve job maps the tag to its
project, and only that project is built, validated and published. The tag (pushed by nx release
after the release pull request is merged; see`
    : `Release ${p.dists}: a tag ${p.tagPrefix}X.Y.Z (pushed after the release pull request is merged; see`;
  return `${first}
docs/release-guide.md) builds fresh wheels on each platform, merges them, proves them in
\`validate\` (the tag is on the default branch, validate-release in tag mode, validate-wheels for
every platform, and the publish preflight that asks PyPI, read-only, which files to upload), then
in parallel creates the GitHub Release and uploads exactly the preflight's files to PyPI by
trusted publishing (OIDC; no API token anywhere). The publish job runs none of our code and no
npm/pip install: it downloads the \`pypi-upload\` artifact, checks it against its SHA256SUMS and
hands it to pypa/gh-action-pypi-publish.

A pull request that changes this workflow or tools/ci/** runs it as a dry run: build, merge and
validate only (no GitHub Release, no publish). workflow_dispatch: re-run a release by hand
(choose the tag under "Use workflow from"); from a branch it is a dry run too.`;
}

/** release.yml for the plan, as a {@link Workflow}. */
function releaseWorkflow(plan: CiPlan): Workflow {
  const p = context(plan);
  const tags = (p.perProject ? p.projects.map((q) => tagPrefixOf(p, q)) : [p.tagPrefix]).map((x) => `${x}*.*.*`);
  const jobs: Workflow['jobs'] = p.perProject ? { resolve: resolveJob(p) } : {};
  Object.assign(jobs, { build: buildJob(p), merge: mergeJob(p), validate: validateJob(p), release: releaseJob(p) }, publishJobs(p));
  return workflow({
    header: header(p),
    name: 'Release',
    on: {
      push: { tags: flow(tags) },
      pull_request: { paths: ['.github/workflows/release.yml', ...(p.ciTools ? ['tools/ci/**'] : [])] },
      workflow_dispatch: null,
    },
    permissions: note(
      {},
      'Nothing by default; each job asks for what it needs. Only `release` may write to the\nrepository and only `publish` may request an OIDC token.',
    ),
    concurrency: {
      group: 'release-${{ github.ref }}',
      'cancel-in-progress': note(
        "${{ github.event_name == 'pull_request' }}",
        "A newer push to the same pull request replaces its dry run; a tag's release is never cancelled.",
      ),
    },
    jobs,
  });
}

/** release.yml's text for the plan. */
export const renderReleaseWorkflow = (plan: CiPlan): string => workflowYaml(releaseWorkflow(plan));
