/**
 * ci.yml: affected checks and wheel builds on pushes to the default branch and on pull requests,
 * with one aggregator check (`CI result`) for branch protection.
 */
import { type Ctx, type CiPlan, context, platformsOf, RUNNERS, shq } from './plan';
import { script } from './scripts';
import { checkout, install, platformMatrix, setupNode, setupPython, ubuntuJob, uploadPaths, uses, workflow } from './steps';
import { flow, note, trailing, workflowYaml, type Job, type Styled, type Workflow } from './yaml-builder';

/**
 * The jobs of ci.yml other than the aggregator, with their display names: the aggregator needs
 * every one of them (a test holds the job list and this table equal).
 */
export const CI_JOBS = {
  affected: 'affected projects',
  checks: 'lint, typecheck, test (affected)',
  e2e: 'e2e (affected)',
  'build-wheels': 'build-wheels',
  'merge-wheels': 'merge wheels',
} as const;

/** Id and name of ci.yml's aggregator job: the one stable check name branch protection requires. */
export const CI_RESULT_JOB = { id: 'ci-result', name: 'CI result' } as const;

/** The base and head nx affected compares, from the affected job. */
const NX_SHAS = { NX_BASE: '${{ needs.affected.outputs.base }}', NX_HEAD: '${{ needs.affected.outputs.head }}' };

/**
 * ci.yml's step that turns the affected wheel projects into build legs when some project does not
 * release on every platform: one leg per platform with the affected projects whose
 * `[tool.nx-wheels] release-platforms` include it, as the JSON matrix build-wheels reads
 * (`{"include":[{"platform","os","projects"}]}`; `projects` comma-separated). A project this table
 * does not know (added since the generator ran) stops the step with one ::error line.
 */
function legsStep(p: Ctx): Styled {
  const run = script('build-legs', {
    PLATFORM_TABLE: p.projects.map((q) => `[${shq(q.name)}]=${shq(platformsOf(p, q))}`).join(' '),
    OS_TABLE: p.platforms.map((x) => `[${x}]=${RUNNERS[x]}`).join(' '),
    BUILD_WHEELS: p.t.buildWheels,
    PLATFORMS: p.platforms.join(' '),
  });
  const why =
    'One build leg per platform with the affected wheel projects that release on it\n([tool.nx-wheels] release-platforms): a project is never built on a platform it does not release.';
  return note(
    {
      name: 'Build legs (each platform with the affected projects that release on it)',
      id: 'legs',
      env: { PROJECTS: '${{ steps.wheels.outputs.projects }}' },
      run,
    },
    why,
  );
}

/** The first job: base and head (nx-set-shas) and whether a wheel project is affected (with the build legs when uneven). */
function affectedJob(p: Ctx): Job {
  const wheels = [
    `projects="$(npx nx show projects --affected --withTarget=${p.t.buildWheels} --sep=' ')"`,
    'if [ -n "$projects" ]; then wheels=true; else wheels=false; fi',
    'echo "wheels=$wheels" >> "$GITHUB_OUTPUT"',
    ...(p.uneven ? ['echo "projects=$projects" >> "$GITHUB_OUTPUT"'] : []),
    'echo "Affected projects with build-wheels: ${projects:-none} (base $NX_BASE, head $NX_HEAD)" >> "$GITHUB_STEP_SUMMARY"',
  ];
  const steps: Job['steps'] = [
    checkout(true),
    { id: 'shas', uses: uses('nxSetShas'), with: { 'main-branch-name': p.defaultBranch } },
    setupNode(),
    install(p),
    { name: 'Does the change affect a wheel build?', id: 'wheels', run: `${wheels.join('\n')}\n` },
    ...(p.uneven ? [legsStep(p)] : []),
  ];
  return ubuntuJob(
    CI_JOBS.affected,
    15,
    { contents: 'read', actions: trailing('read', `nx-set-shas looks up the last successful CI run on ${p.defaultBranch}`) },
    steps,
    {
      outputs: {
        base: '${{ steps.shas.outputs.base }}',
        head: '${{ steps.shas.outputs.head }}',
        wheels: '${{ steps.wheels.outputs.wheels }}',
        matrix: p.uneven ? '${{ steps.legs.outputs.matrix }}' : undefined,
      },
    },
  );
}

/** lint, typecheck and the tests of the affected projects. */
function checksJob(p: Ctx): Job {
  const targets = ['lint', 'typecheck', 'test', ...(p.t.test !== 'test' ? [p.t.test] : [])].join(' ');
  const lint = 'lint = actionlint and zizmor over the workflows (project ci, affected when a workflow changes).';
  const run = { name: `nx affected -t ${targets}`, run: `npx nx affected -t ${targets} --parallel=1` };
  return ubuntuJob(
    CI_JOBS.checks,
    60,
    { contents: 'read' },
    [
      checkout(true),
      setupNode(),
      note(setupPython('3.13', '3.12'), '3.12 runs the pinned toolchain (python3); 3.13 tests the cp313 wheel on the host.'),
      install(p),
      p.ciTools ? note(run, lint) : run,
    ],
    { needs: 'affected', env: NX_SHAS },
  );
}

/** The e2e suites of the affected projects (in this repository: without a container engine). */
function e2eJob(p: Ctx): Job {
  const env = p.ciTools
    ? {
        ...NX_SHAS,
        CIBW_CONTAINER_ENGINE: note(
          'docker',
          "The e2e suite proves the native engine (no container engine, as on our machines); the\nrunner's docker and podman are hidden from it. build-wheels below runs cibuildwheel.",
        ),
        DOCKER_HOST: 'unix:///nonexistent/docker.sock',
        QUIVER_E2E_EXCLUDE: note(
          'podman-engine,windows-cross,rehearse-release',
          "These suites install Debian packages as root (podman + debootstrap, wine + maven) and keep\nmachine caches (our machines and .ci/run); GitHub's runner user is not root. The build-wheels\njob proves the container path with the runner's docker, release-readiness the rehearsal.",
        ),
      }
    : NX_SHAS;
  const steps = [
    checkout(true),
    setupNode(),
    setupPython('3.13', '3.12'),
    install(p),
    { name: 'nx affected -t e2e', run: 'npx nx affected -t e2e --parallel=1' },
  ];
  return ubuntuJob(CI_JOBS.e2e, 60, { contents: 'read' }, steps, { needs: 'affected', env });
}

/** The wheel builds: a fixed platform matrix, or the affected job's legs when some project does not build everywhere. */
function buildWheelsJob(p: Ctx): Job {
  const b = p.t.buildWheels;
  const build = p.uneven
    ? {
        name: `nx run-many -t ${b} (the leg's affected projects, cibuildwheel)`,
        run: `npx nx run-many -t ${b} --projects="$PROJECTS" --engine=cibuildwheel --platform="$PLATFORM"`,
      }
    : { name: `nx affected -t ${b} (cibuildwheel)`, run: `npx nx affected -t ${b} --engine=cibuildwheel --platform="$PLATFORM"` };
  const matrix = p.uneven
    ? note(
        '${{ fromJSON(needs.affected.outputs.matrix) }}',
        'The legs of the affected job: each platform with the affected projects that release on it.',
      )
    : platformMatrix(p);
  const python =
    "The toolchain's interpreter; cibuildwheel brings the target CPython itself\n(the manylinux container's on Linux, the NuGet `python` package on Windows).";
  const upload = {
    name: 'wheels-${{ matrix.platform }}',
    path: uploadPaths(p, p.projects),
    'if-no-files-found': 'error',
    'retention-days': 7,
  };
  return {
    name: 'build-wheels (${{ matrix.platform }})',
    needs: 'affected',
    if: "needs.affected.outputs.wheels == 'true'",
    strategy: { 'fail-fast': false, matrix },
    'runs-on': '${{ matrix.os }}',
    'timeout-minutes': 60,
    permissions: { contents: 'read' },
    env: { ...NX_SHAS, PLATFORM: '${{ matrix.platform }}', PROJECTS: p.uneven ? '${{ matrix.projects }}' : undefined },
    steps: [
      checkout(true),
      setupNode(),
      note(setupPython('3.12'), python),
      install(p),
      build,
      { uses: uses('uploadArtifact'), with: upload },
    ],
  };
}

/** Merges the platforms' wheels into one `wheels` artifact. */
function mergeWheelsJob(): Job {
  const merge = { uses: uses('mergeArtifacts'), with: { name: 'wheels', pattern: 'wheels-*', 'retention-days': 7, 'delete-merged': true } };
  return ubuntuJob(CI_JOBS['merge-wheels'], 10, {}, [merge], { needs: 'build-wheels' });
}

/**
 * ci.yml's aggregator job. It runs always (also when a job failed or the run was cancelled) and
 * fails unless affected, checks and e2e succeeded and the wheel jobs match the affected verdict:
 * succeeded when a wheel project is affected, skipped when none is. A skipped matrix job reports
 * under its unexpanded name (build-wheels with the literal matrix expression in it), so its
 * per-platform names cannot be required; this job's name can.
 */
function resultJob(): Job {
  const ids = Object.keys(CI_JOBS) as Array<keyof typeof CI_JOBS>;
  const env = {
    WHEELS: '${{ needs.affected.outputs.wheels }}',
    ...Object.fromEntries(ids.map((id) => [id.toUpperCase().replace(/-/g, '_'), `\${{ needs.${id}.result }}`])),
  };
  const vars = {
    RESULT: CI_RESULT_JOB.name,
    AFFECTED: CI_JOBS.affected,
    CHECKS: CI_JOBS.checks,
    E2E: CI_JOBS.e2e,
    BUILD_WHEELS: CI_JOBS['build-wheels'],
    MERGE_WHEELS: CI_JOBS['merge-wheels'],
  };
  const step = { name: 'Every job passed, or was rightly skipped', env, run: script('ci-result', vars) };
  return ubuntuJob(CI_RESULT_JOB.name, 5, {}, [step], { needs: flow(ids), if: 'always()' });
}

const RESULT_COMMENT = `The check to require in branch protection (docs/release-guide.md#protect-main). A matrix job
skipped by its \`if\` reports under its unexpanded name, so \`build-wheels (linux)\` never arrives
on a pull request that builds no wheels; this job always runs, under one name. It fails when a
job failed or was cancelled, or when build-wheels was skipped although a wheel project is
affected (or ran although none is); it passes when the wheel jobs were rightly skipped.`;

const HEADER = (branch: string) => `CI for pushes to ${branch} and pull requests. Every step is an Nx target; \`nx affected\` (base/head
from nrwl/nx-set-shas) runs only what a change can affect, so a pull request that touches no
native or binding code builds no wheels (the workflows, the lockfile and package.json are inputs
of the wheel targets, so a change to them does build). \`CI result\` is the one check to require
in branch protection. Release readiness has its own workflow (release-readiness.yml). Release
notes: docs/release-guide.md.`;

/** ci.yml for the plan, as a {@link Workflow}. */
function ciWorkflow(plan: CiPlan): Workflow {
  const p = context(plan);
  const e2e =
    "The end-to-end suites (the e2e target; for this workspace's plugin: real Nx, real builds in\ncopies of the workspace). A change to a workflow makes the plugin affected too (its test and\ne2e inputs include .github/workflows), so the workflow tests run on such a pull request.";
  const merge = 'Runs only when every platform built (needs: build-wheels), so a failed platform leaves no\n`wheels` artifact behind.';
  return workflow({
    header: HEADER(p.defaultBranch),
    name: 'CI',
    on: { push: { branches: flow([p.defaultBranch]) }, pull_request: null },
    permissions: note({}, 'Nothing by default; each job asks for what it needs.'),
    concurrency: {
      group: 'ci-${{ github.event.pull_request.number || github.sha }}',
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    },
    jobs: {
      affected: affectedJob(p),
      checks: checksJob(p),
      e2e: note(e2eJob(p), e2e),
      'build-wheels': buildWheelsJob(p),
      'merge-wheels': note(mergeWheelsJob(), merge),
      [CI_RESULT_JOB.id]: note(resultJob(), RESULT_COMMENT),
    },
  });
}

/** ci.yml's text for the plan. */
export const renderCiWorkflow = (plan: CiPlan): string => workflowYaml(ciWorkflow(plan));
