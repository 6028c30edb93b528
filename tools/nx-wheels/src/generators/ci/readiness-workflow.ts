/**
 * release-readiness.yml: on pull requests (and by hand), validate-release in branch mode per wheel
 * project with a checklist in the job summary, and a rehearsal of the next release of each project
 * the change touches (one job per project each when there are several).
 */
import { type Ctx, type CiPlan, type CiProject, context, slug, tagPrefixOf } from './plan';
import { script } from './scripts';
import { checkout, install, setupNode, setupPython, ubuntuJob, uses, workflow } from './steps';
import { note, trailing, workflowYaml, type Job, type Workflow } from './yaml-builder';

/** One project's release-readiness job: validate-release --mode=branch, then the verdict and checklist. */
function readinessJob(p: Ctx, q: CiProject): Job {
  const check = {
    name: `nx run ${q.name}:${p.t.validateRelease} --mode=branch`,
    id: 'release',
    'continue-on-error': true,
    run: `npx nx run ${q.name}:${p.t.validateRelease} --mode=branch`,
  };
  const outputs = (x: string) => `\${{ steps.release.outputs.${x} }}`;
  const verdict = {
    name: 'Verdict',
    env: { OUTCOME: '${{ steps.release.outcome }}', CODES: outputs('codes'), VERSION: outputs('version'), TAG: outputs('tag') },
    run: script('release-verdict', { TAG_PREFIX: tagPrefixOf(p, q), DISTRIBUTION: q.distribution }),
  };
  return ubuntuJob(p.multi ? `release readiness (${q.name})` : 'release readiness', 15, { contents: 'read' }, [
    checkout(`validate-release compares the version with the latest ${tagPrefixOf(p, q)}* tag`),
    setupNode(),
    install(p),
    note(check, 'Its findings go to the log and the job summary; the verdict below decides.'),
    verdict,
  ]);
}

/**
 * The rehearse-release job of one project: on a pull request that touches the project (nx
 * affected against the base branch; always when run by hand), the next patch release rehearsed on
 * one ubuntu runner (Windows through the cross route under wine), the report uploaded whatever the outcome.
 */
function rehearseJob(p: Ctx, q: CiProject): Job {
  const when = "steps.affected.outputs.touched == 'true'";
  const touched = [
    'if [ -z "$BASE_REF" ]; then touched=true',
    `elif npx nx show projects --affected --base="origin/$BASE_REF" --head=HEAD --json | jq -e 'index("${q.name}")' >/dev/null; then touched=true`,
    'else touched=false; fi',
    'echo "touched=$touched" >> "$GITHUB_OUTPUT"',
    `echo "${q.name} touched by this change: $touched"`,
  ];
  const wine = {
    name: 'Install wine',
    if: when,
    run: 'sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends wine wine64',
  };
  const report = {
    name: `rehearsal-report-${slug(q.name)}`,
    path: `.nx-wheels/reports/rehearsal/${q.root}/rehearsal-report.json`,
    'include-hidden-files': trailing(true, 'the report lives under .nx-wheels/, which upload-artifact skips by default'),
    'if-no-files-found': 'warn',
  };
  return ubuntuJob(p.multi ? `rehearse release (${q.name})` : 'rehearse release', 60, { contents: 'read' }, [
    checkout(`the rehearsal releases after the latest ${tagPrefixOf(p, q)}* tag; nx affected needs the base branch`),
    setupNode(),
    // The interpreters a rehearsal may need: the host CPython of each cpXY identifier (native builds, installs from the index).
    setupPython('3.13', '3.12', '3.11', '3.10'),
    install(p),
    {
      name: `Does this change touch ${q.name}?`,
      id: 'affected',
      env: { BASE_REF: '${{ github.base_ref }}' },
      run: `${touched.join('\n')}\n`,
    },
    ...(q.platforms.includes('windows')
      ? [note(wine, "The Windows wheel is cross-built with zig and tested in python.org's CPython under wine.")]
      : []),
    {
      name: `nx run ${q.name}:${p.t.rehearseRelease} --specifier=patch`,
      if: when,
      run: `npx nx run ${q.name}:${p.t.rehearseRelease} --specifier=patch`,
    },
    { uses: uses('uploadArtifact'), if: `always() && ${when}`, with: report },
  ]);
}

/** The comment at the top of release-readiness.yml. */
const header = (
  p: Ctx,
) => `Release readiness of a pull request (or of any branch, by hand): \`nx run ${p.projects.length === 1 ? p.projects[0].name : '<project>'}:${p.t.validateRelease}
--mode=branch\` checks that [project].version is PEP 440 and newer than the latest ${p.tagPrefix}* tag, and
that CHANGELOG.md has its section. The job summary gets a checklist, and the verdict fails
whenever a check failed, with one exception: a pull request that does not release (its version
is already tagged) has VERSION_NOT_NEWER as its only finding. When the change touches a wheel
project, \`rehearse-release\` runs that project's whole next release (bump, build every release
platform, validate in tag mode, publish to a throwaway index, install and test from it) on one
ubuntu runner and uploads its report. See docs/release-guide.md.`;

/** release-readiness.yml for the plan, as a {@link Workflow}. */
function releaseReadinessWorkflow(plan: CiPlan): Workflow {
  const p = context(plan);
  const id = (base: string, q: CiProject) => (p.multi ? `${base}-${slug(q.name)}` : base);
  const jobs: Workflow['jobs'] = {};
  for (const q of p.projects) jobs[id('release-readiness', q)] = readinessJob(p, q);
  for (const q of p.projects) jobs[id('rehearse-release', q)] = rehearseJob(p, q);
  return workflow({
    header: header(p),
    name: 'Release readiness',
    on: { pull_request: null, workflow_dispatch: null },
    permissions: {},
    concurrency: { group: 'release-readiness-${{ github.event.pull_request.number || github.ref }}', 'cancel-in-progress': true },
    jobs,
  });
}

/** release-readiness.yml's text for the plan. */
export const renderReleaseReadinessWorkflow = (plan: CiPlan): string => workflowYaml(releaseReadinessWorkflow(plan));
