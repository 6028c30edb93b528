/**
 * The text of the workflows the `ci` generator writes: `.github/workflows/ci.yml` (affected
 * checks and wheel builds on pushes and pull requests) and `.github/workflows/release.yml` (a
 * release tag builds fresh wheels of every wheel project, validates them, asks PyPI what to upload
 * and publishes each project by trusted publishing). Pure: a {@link CiPlan} in, YAML text out.
 *
 * With one wheel project the output is exactly this repository's committed workflows (a test
 * holds them byte for byte). With several, every project gets its own artifacts
 * (`<project>-wheels`, `<project>-pypi-upload`), validation steps and `publish-<project>` job; one
 * release tag releases them all (Nx release group, `projectsRelationship: fixed`, tag `v{version}`).
 * With a tag pattern that holds `{projectName}` (independent releases: `{projectName}-v{version}`)
 * release.yml triggers on every project's tags, a first `resolve` job maps the tag to its project,
 * and only that project is built (on its platforms), validated, released and published; a pull
 * request or a run from a branch is a dry run of every project.
 *
 * Every project builds only on the platforms it releases (`[tool.nx-wheels] release-platforms`):
 * release.yml's per-project steps carry a platform `if:`; when some project does not release on
 * every platform, ci.yml's affected job computes the build legs (each platform with the affected
 * projects that release on it) instead of a fixed matrix.
 */

/** A platform the workflows build on, with its GitHub-hosted runner. */
export const RUNNERS = { linux: 'ubuntu-latest', windows: 'windows-latest', macos: 'macos-latest' } as const;
export type CiPlatform = keyof typeof RUNNERS;

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

/**
 * Every third-party action the workflows use, pinned to a full commit SHA (zizmor's unpinned-uses
 * rule) with its release tag as a comment: one place to bump a pin for every generated workflow.
 */
export const ACTION = {
  checkout: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
  downloadArtifact: 'actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1',
  mergeArtifacts: 'actions/upload-artifact/merge@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0',
  nxSetShas: 'nrwl/nx-set-shas@afb73a62d26e41464e9254689e1fd6122ee683c1 # v5.0.1',
  pypiPublish: 'pypa/gh-action-pypi-publish@dc37677b2e1c63e2034f94d8a5b11f265b73ba33 # v1.14.2',
  setupNode: 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0',
  setupPython: 'actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0',
  uploadArtifact: 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0',
} as const;

/**
 * The Node.js every job runs (24 LTS: Node 20 is end-of-life), with no package-manager cache anywhere
 * (nothing another run could have written reaches a release build).
 */
const SETUP_NODE = `      - uses: ${ACTION.setupNode}
        with:
          node-version: 24
          package-manager-cache: false
`;

/** The interpreter of the pinned toolchain; cibuildwheel brings each target CPython itself (the manylinux container's on Linux, NuGet's python package on Windows). */
const SETUP_PYTHON = `      - uses: ${ACTION.setupPython}
        with:
          python-version: '3.12'
`;

/** The workflow-level env (Nx without cloud, daemon, TUI or colour) and bash defaults every workflow starts its jobs with. */
const ENV_DEFAULTS_JOBS = `env:
  NX_NO_CLOUD: 'true'
  NX_DAEMON: 'false'
  NX_TUI: 'false'
  FORCE_COLOR: '0'

defaults:
  run:
    shell: bash

jobs:
`;

const NPM_CI_TOOLS = "      - name: npm ci (then check this host's native packages)\n        run: node tools/ci/npm-ci.mjs\n";
const NPM_CI = '      - name: npm ci\n        run: npm ci\n';

/**
 * A download-artifact step of release.yml. With `github-token` and `run-id` the action reads
 * through the REST API, where artifacts belong to the run rather than to one attempt: a job re-run
 * alone ("Re-run failed jobs": publish, the GitHub Release, validate) then finds the artifact an
 * earlier attempt's job made, which the default (current attempt only) does not. The job needs
 * `actions: read`.
 */
const download = (name: string, path: string) =>
  `      - uses: ${ACTION.downloadArtifact}\n        with:\n          name: ${name}\n          path: ${path}\n` +
  '          github-token: ${{ github.token }} # with run-id: a re-run of this job alone reads an earlier attempt\'s artifact\n' +
  '          run-id: ${{ github.run_id }}\n';

/** `a`, `a and b`, `a, b and c`. */
const joinAnd = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** A step or job id for a project name: letters, digits, `-` and `_` only. */
const slug = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

interface Ctx extends CiPlan {
  t: CiPlan['targets'];
  multi: boolean;
  install: string;
  matrix: string;
  platforms: CiPlatform[];
  /** Whether some project does not release on every platform of the matrix (ci.yml then computes its build legs). */
  uneven: boolean;
  /** Whether every project has its own release tags (`{projectName}` in the tag prefix): a tag releases one project. */
  perProject: boolean;
  dists: string;
  title: string;
  ciPaths: string;
  ciLintComment: string;
  checkTargets: string;
  e2eEnv: string;
}

function context(plan: CiPlan): Ctx {
  if (plan.projects.length === 0) throw new Error('no wheel projects');
  const order: CiPlatform[] = ['linux', 'windows', 'macos'];
  const platforms = order.filter((x) => plan.projects.some((q) => q.platforms.includes(x)));
  const dists = plan.projects.map((q) => q.distribution);
  const t = plan.targets;
  return {
    ...plan,
    t,
    multi: plan.projects.length > 1,
    install: plan.ciTools ? NPM_CI_TOOLS : NPM_CI,
    matrix: platforms.map((x) => `          - platform: ${x}\n            os: ${RUNNERS[x]}\n`).join(''),
    platforms,
    uneven: plan.projects.some((q) => !platforms.every((x) => q.platforms.includes(x))),
    perProject: plan.tagPrefix.includes('{projectName}'),
    dists: joinAnd(dists),
    title: dists.join(' + '),
    ciPaths: plan.ciTools ? '      - tools/ci/**\n' : '',
    ciLintComment: plan.ciTools ? '      # lint = actionlint and zizmor over the workflows (project ci, affected when a workflow changes).\n' : '',
    checkTargets: ['lint', 'typecheck', 'test', ...(t.test !== 'test' ? [t.test] : [])].join(' '),
    e2eEnv: plan.ciTools
      ? '      # The e2e suite proves the native engine (no container engine, as on our machines); the\n' +
        "      # runner's docker and podman are hidden from it. build-wheels below runs cibuildwheel.\n" +
        '      CIBW_CONTAINER_ENGINE: docker\n' +
        '      DOCKER_HOST: unix:///nonexistent/docker.sock\n' +
        '      # These suites install Debian packages as root (podman + debootstrap, wine + maven) and keep\n' +
        "      # machine caches (our machines and .ci/run); GitHub's runner user is not root. The build-wheels\n" +
        "      # job proves the container path with the runner's docker, release-readiness the rehearsal.\n" +
        '      QUIVER_E2E_EXCLUDE: podman-engine,windows-cross,rehearse-release\n'
      : '',
  };
}

/** The upload-artifact `path:` block (with the sdist comment) for some projects' wheel directories. */
function uploadPaths(p: Ctx, projects: CiProject[]): string {
  const off = projects.filter((q) => !q.sdist).map((q) => q.distribution);
  const note = off.length ? ` (off for ${joinAnd(off)})` : '';
  const lines = projects.flatMap((q) => [`            ${q.root}/${p.wheelDir}/*.whl\n`, `            ${q.root}/${p.wheelDir}/*.tar.gz\n`]);
  return `          # *.tar.gz: the sdist, when build-wheels' sdist option is on${note}.\n          path: |\n${lines.join('')}`;
}

/** The condition for a project's steps in the platform matrix when it does not build on every platform of it, else `''`. */
function platformCond(p: Ctx, q: CiProject): string {
  if (p.platforms.every((x) => q.platforms.includes(x))) return '';
  return q.platforms.map((x) => `matrix.platform == '${x}'`).join(' || ');
}

/** `if:` for a project's steps in the platform matrix, when it does not build on every platform of it. */
function platformIf(p: Ctx, q: CiProject): string {
  const cond = platformCond(p, q);
  return cond ? `        if: ${cond}\n` : '';
}

/** The text of a project's release tags before the version (`{projectName}` filled in). */
export const tagPrefixOf = (plan: Pick<CiPlan, 'tagPrefix'>, q: CiProject) => plan.tagPrefix.split('{projectName}').join(q.name);

/** A bash word for `text`: single-quoted. */
const shq = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * ci.yml's step that turns the affected wheel projects into build legs when some project does not
 * release on every platform: one leg per platform with the affected projects whose
 * `[tool.nx-wheels] release-platforms` include it, as the JSON matrix build-wheels reads
 * (`{"include":[{"platform","os","projects"}]}`; `projects` comma-separated). A project this table
 * does not know (added since the generator ran) stops the step with one ::error line.
 */
function legsStep(p: Ctx): string {
  const table = p.projects.map((q) => `[${shq(q.name)}]=${shq(q.platforms.filter((x) => p.platforms.includes(x)).join(' '))}`).join(' ');
  const os = p.platforms.map((x) => `[${x}]=${RUNNERS[x]}`).join(' ');
  return `      # One build leg per platform with the affected wheel projects that release on it
      # ([tool.nx-wheels] release-platforms): a project is never built on a platform it does not release.
      - name: Build legs (each platform with the affected projects that release on it)
        id: legs
        env:
          PROJECTS: \${{ steps.wheels.outputs.projects }}
        run: |
          declare -A platforms=(${table})
          declare -A os=(${os})
          for project in $PROJECTS; do
            if [ -z "\${platforms[$project]+set}" ]; then
              echo "::error title=build legs::$project has a ${p.t.buildWheels} target but this workflow does not know its release platforms; run nx g @quiver/nx-wheels:ci and commit the result."
              exit 1
            fi
          done
          include=''
          for platform in ${p.platforms.join(' ')}; do
            on=''
            for project in $PROJECTS; do
              case " \${platforms[$project]} " in *" $platform "*) on="$on\${on:+,}$project" ;; esac
            done
            if [ -n "$on" ]; then
              include="$include\${include:+,}{\\"platform\\":\\"$platform\\",\\"os\\":\\"\${os[$platform]}\\",\\"projects\\":\\"$on\\"}"
              echo "build-wheels ($platform): $on" >> "$GITHUB_STEP_SUMMARY"
            fi
          done
          echo "matrix={\\"include\\":[$include]}" >> "$GITHUB_OUTPUT"
`;
}

/** ci.yml for the plan. */
export function renderCiWorkflow(plan: CiPlan): string {
  const p = context(plan);
  return `# CI for pushes to ${p.defaultBranch} and pull requests. Every step is an Nx target; \`nx affected\` (base/head
# from nrwl/nx-set-shas) runs only what a change can affect, so a pull request that touches no
# native or binding code builds no wheels (the workflows, the lockfile and package.json are inputs
# of the wheel targets, so a change to them does build). \`CI result\` is the one check to require
# in branch protection. Release readiness has its own workflow (release-readiness.yml). Release
# notes: docs/release-guide.md.
name: CI

on:
  push:
    branches: [${p.defaultBranch}]
  pull_request:

# Nothing by default; each job asks for what it needs.
permissions: {}

concurrency:
  group: ci-\${{ github.event.pull_request.number || github.sha }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

${ENV_DEFAULTS_JOBS}  affected:
    name: affected projects
    runs-on: ubuntu-latest
    timeout-minutes: 15
    permissions:
      contents: read
      actions: read # nx-set-shas looks up the last successful CI run on ${p.defaultBranch}
    outputs:
      base: \${{ steps.shas.outputs.base }}
      head: \${{ steps.shas.outputs.head }}
      wheels: \${{ steps.wheels.outputs.wheels }}
${p.uneven ? '      matrix: ${{ steps.legs.outputs.matrix }}\n' : ''}    steps:
      - uses: ${ACTION.checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
      - id: shas
        uses: ${ACTION.nxSetShas}
        with:
          main-branch-name: ${p.defaultBranch}
${SETUP_NODE}${p.install}      - name: Does the change affect a wheel build?
        id: wheels
        run: |
          projects="$(npx nx show projects --affected --withTarget=${p.t.buildWheels} --sep=' ')"
          if [ -n "$projects" ]; then wheels=true; else wheels=false; fi
          echo "wheels=$wheels" >> "$GITHUB_OUTPUT"
${p.uneven ? '          echo "projects=$projects" >> "$GITHUB_OUTPUT"\n' : ''}          echo "Affected projects with build-wheels: \${projects:-none} (base $NX_BASE, head $NX_HEAD)" >> "$GITHUB_STEP_SUMMARY"
${p.uneven ? legsStep(p) : ''}
  checks:
    name: lint, typecheck, test (affected)
    needs: affected
    runs-on: ubuntu-latest
    timeout-minutes: 60
    permissions:
      contents: read
    env:
      NX_BASE: \${{ needs.affected.outputs.base }}
      NX_HEAD: \${{ needs.affected.outputs.head }}
    steps:
      - uses: ${ACTION.checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
${SETUP_NODE}      # 3.12 runs the pinned toolchain (python3); 3.13 tests the cp313 wheel on the host.
      - uses: ${ACTION.setupPython}
        with:
          python-version: |
            3.13
            3.12
${p.install}${p.ciLintComment}      - name: nx affected -t ${p.checkTargets}
        run: npx nx affected -t ${p.checkTargets} --parallel=1

  # The end-to-end suites (the e2e target; for this workspace's plugin: real Nx, real builds in
  # copies of the workspace). A change to a workflow makes the plugin affected too (its test and
  # e2e inputs include .github/workflows), so the workflow tests run on such a pull request.
  e2e:
    name: e2e (affected)
    needs: affected
    runs-on: ubuntu-latest
    timeout-minutes: 60
    permissions:
      contents: read
    env:
      NX_BASE: \${{ needs.affected.outputs.base }}
      NX_HEAD: \${{ needs.affected.outputs.head }}
${p.e2eEnv}    steps:
      - uses: ${ACTION.checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
${SETUP_NODE}      - uses: ${ACTION.setupPython}
        with:
          python-version: |
            3.13
            3.12
${p.install}      - name: nx affected -t e2e
        run: npx nx affected -t e2e --parallel=1

  build-wheels:
    name: build-wheels (\${{ matrix.platform }})
    needs: affected
    if: needs.affected.outputs.wheels == 'true'
    strategy:
      fail-fast: false
${p.uneven ? '      # The legs of the affected job: each platform with the affected projects that release on it.\n      matrix: ${{ fromJSON(needs.affected.outputs.matrix) }}\n' : `      matrix:\n        include:\n${p.matrix}`}    runs-on: \${{ matrix.os }}
    timeout-minutes: 60
    permissions:
      contents: read
    env:
      NX_BASE: \${{ needs.affected.outputs.base }}
      NX_HEAD: \${{ needs.affected.outputs.head }}
      PLATFORM: \${{ matrix.platform }}
${p.uneven ? '      PROJECTS: ${{ matrix.projects }}\n' : ''}    steps:
      - uses: ${ACTION.checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
${SETUP_NODE}      # The toolchain's interpreter; cibuildwheel brings the target CPython itself
      # (the manylinux container's on Linux, the NuGet \`python\` package on Windows).
${SETUP_PYTHON}${p.install}${
  p.uneven
    ? `      - name: nx run-many -t ${p.t.buildWheels} (the leg's affected projects, cibuildwheel)\n        run: npx nx run-many -t ${p.t.buildWheels} --projects="$PROJECTS" --engine=cibuildwheel --platform="$PLATFORM"\n`
    : `      - name: nx affected -t ${p.t.buildWheels} (cibuildwheel)\n        run: npx nx affected -t ${p.t.buildWheels} --engine=cibuildwheel --platform="$PLATFORM"\n`
}      - uses: ${ACTION.uploadArtifact}
        with:
          name: wheels-\${{ matrix.platform }}
${uploadPaths(p, p.projects)}          if-no-files-found: error
          retention-days: 7

  # Runs only when every platform built (needs: build-wheels), so a failed platform leaves no
  # \`wheels\` artifact behind.
  merge-wheels:
    name: merge wheels
    needs: build-wheels
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions: {}
    steps:
      - uses: ${ACTION.mergeArtifacts}
        with:
          name: wheels
          pattern: wheels-*
          retention-days: 7
          delete-merged: true

${resultJob()}`;
}

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

/**
 * ci.yml's aggregator job. It runs always (also when a job failed or the run was cancelled) and
 * fails unless affected, checks and e2e succeeded and the wheel jobs match the affected verdict:
 * succeeded when a wheel project is affected, skipped when none is. A skipped matrix job reports
 * under its unexpanded name (build-wheels with the literal matrix expression in it), so its
 * per-platform names cannot be required; this job's name can.
 */
function resultJob(): string {
  return `  # The check to require in branch protection (docs/release-guide.md#protect-main). A matrix job
  # skipped by its \`if\` reports under its unexpanded name, so \`build-wheels (linux)\` never arrives
  # on a pull request that builds no wheels; this job always runs, under one name. It fails when a
  # job failed or was cancelled, or when build-wheels was skipped although a wheel project is
  # affected (or ran although none is); it passes when the wheel jobs were rightly skipped.
  ${CI_RESULT_JOB.id}:
    name: ${CI_RESULT_JOB.name}
    needs: [${Object.keys(CI_JOBS).join(', ')}]
    if: always()
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions: {}
    steps:
      - name: Every job passed, or was rightly skipped
        env:
          WHEELS: \${{ needs.affected.outputs.wheels }}
${Object.keys(CI_JOBS).map((id) => `          ${id.toUpperCase().replace(/-/g, '_')}: \${{ needs.${id}.result }}\n`).join('')}        run: |
          failed=0
          row() { echo "| $1 | $2 | $3 |" >> "$GITHUB_STEP_SUMMARY"; }
          # expect <job name> <its result> <the result it must have> <why>
          expect() {
            if [ "$2" = "$3" ]; then
              row "$1" "$2" ok
            else
              row "$1" "$2" "should be $3$4"
              echo "::error title=${CI_RESULT_JOB.name}::$1 is $2, but it should be $3$4."
              failed=1
            fi
          }
          { echo "### ${CI_RESULT_JOB.name}"; echo; echo "| job | result | verdict |"; echo "|---|---|---|"; } >> "$GITHUB_STEP_SUMMARY"
          expect "${CI_JOBS.affected}" "$AFFECTED" success ""
          expect "${CI_JOBS.checks}" "$CHECKS" success ""
          expect "${CI_JOBS.e2e}" "$E2E" success ""
          case "$WHEELS" in
            true)
              expect "${CI_JOBS['build-wheels']}" "$BUILD_WHEELS" success " (a wheel project is affected)"
              expect "${CI_JOBS['merge-wheels']}" "$MERGE_WHEELS" success " (a wheel project is affected)"
              ;;
            false)
              expect "${CI_JOBS['build-wheels']}" "$BUILD_WHEELS" skipped " (no wheel project is affected)"
              expect "${CI_JOBS['merge-wheels']}" "$MERGE_WHEELS" skipped " (no wheel project is affected)"
              ;;
            *)
              row "${CI_JOBS['build-wheels']}" "$BUILD_WHEELS" "unknown: no verdict from ${CI_JOBS.affected}"
              echo "::error title=${CI_RESULT_JOB.name}::${CI_JOBS.affected} gave no wheels verdict (output '$WHEELS'), so whether build-wheels had to run is unknown; see that job."
              failed=1
              ;;
          esac
          exit "$failed"
`;
}

/** A step's text with an `if:` line after its first line (`- uses:` / `- name:`), when `cond` is not empty. */
const withIf = (step: string, cond: string) => {
  if (!cond) return step;
  const nl = step.indexOf('\n') + 1;
  return `${step.slice(0, nl)}        if: ${cond}\n${step.slice(nl)}`;
};

/** A PEP 440 public version (packaging's VERSION_PATTERN without the local label), as a bash ERE for the lower-cased text. */
export const PEP440_ERE = '^([0-9]+!)?[0-9]+(\\.[0-9]+)*([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*)?(-[0-9]+|[-_.]?(post|rev|r)[-_.]?[0-9]*)?([-_.]?dev[-_.]?[0-9]*)?$';

/** release.yml's first comment lines when every project has its own release tags. */
function perProjectHeader(p: Ctx): string {
  const tags = p.projects.map((q) => `${tagPrefixOf(p, q)}X.Y.Z`);
  return `# Release one wheel project per tag: ${joinAnd(tags)} (nx.json release.releaseTag.pattern
# "${p.tagPrefix}{version}"; each project has its own version). The resolve job maps the tag to its
# project, and only that project is built, validated and published. The tag (pushed by nx release
# after the release pull request is merged; see
`;
}

/**
 * release.yml's first job when every project has its own release tags: maps the run's tag to the
 * one project it releases (the tag is the project's prefix followed by a PEP 440 version) and gives
 * the later jobs `project` and `distribution` (empty in a dry run), `projects` (JSON array of the
 * projects to build: the tag's, or every project in a dry run: a pull request or a run by hand
 * from a branch) and `matrix` (the platforms those projects release on). A tag that names no
 * project, or more than one, stops the run with one ::error line.
 */
function resolveJob(p: Ctx): string {
  const arr = (xs: string[]) => `(${xs.map(shq).join(' ')})`;
  const example = p.projects.map((q) => `${tagPrefixOf(p, q)}<version>`).join(', ');
  return `  # Which project the tag releases. No checkout, no token: the table below is the generator's.
  resolve:
    name: resolve the project
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions: {}
    outputs:
      project: \${{ steps.resolve.outputs.project }}
      distribution: \${{ steps.resolve.outputs.distribution }}
      projects: \${{ steps.resolve.outputs.projects }}
      matrix: \${{ steps.resolve.outputs.matrix }}
    steps:
      - name: Which project does the tag release?
        id: resolve
        env:
          EVENT: \${{ github.event_name }}
          REF: \${{ github.ref }}
        run: |
          # Per project: its name, the text of its tags before the version, its distribution, its release platforms.
          projects=${arr(p.projects.map((q) => q.name))}
          prefixes=${arr(p.projects.map((q) => tagPrefixOf(p, q)))}
          distributions=${arr(p.projects.map((q) => q.distribution))}
          platforms=${arr(p.projects.map((q) => q.platforms.filter((x) => p.platforms.includes(x)).join(' ')))}
          declare -A os=(${p.platforms.map((x) => `[${x}]=${RUNNERS[x]}`).join(' ')})
          version_re=${shq(PEP440_ERE)}
          if { [ "$EVENT" = push ] || [ "$EVENT" = workflow_dispatch ]; } && [[ "$REF" == refs/tags/* ]]; then
            tag="\${REF#refs/tags/}"
            found=()
            for i in "\${!projects[@]}"; do
              prefix="\${prefixes[$i]}"
              version="\${tag#"$prefix"}"
              if [[ "$tag" == "$prefix"* ]] && [[ "\${version,,}" =~ $version_re ]]; then found+=("$i"); fi
            done
            if [ "\${#found[@]}" -ne 1 ]; then
              why='names no wheel project'
              if [ "\${#found[@]}" -gt 1 ]; then
                why='matches several projects:'
                for i in "\${found[@]}"; do why="$why \${projects[$i]}"; done
              fi
              echo "::error title=Release tag::tag $tag $why; a release tag is a project's prefix and its PEP 440 version (${example}); push one of those, or run nx g @quiver/nx-wheels:ci if a project is missing here."
              exit 1
            fi
            selected=("\${found[0]}")
            echo "project=\${projects[\${found[0]}]}" >> "$GITHUB_OUTPUT"
            echo "distribution=\${distributions[\${found[0]}]}" >> "$GITHUB_OUTPUT"
            echo "tag $tag releases \${projects[\${found[0]}]} (\${distributions[\${found[0]}]} \${tag#"\${prefixes[\${found[0]}]}"})" | tee -a "$GITHUB_STEP_SUMMARY"
          else
            selected=("\${!projects[@]}")
            echo "project=" >> "$GITHUB_OUTPUT"
            echo "distribution=" >> "$GITHUB_OUTPUT"
            echo "dry run ($EVENT, $REF): every project is built and validated, nothing is released" | tee -a "$GITHUB_STEP_SUMMARY"
          fi
          names=''
          include=''
          for i in "\${selected[@]}"; do names="$names\${names:+,}\\"\${projects[$i]}\\""; done
          for platform in ${p.platforms.join(' ')}; do
            for i in "\${selected[@]}"; do
              if [[ " \${platforms[$i]} " == *" $platform "* ]]; then
                include="$include\${include:+,}{\\"platform\\":\\"$platform\\",\\"os\\":\\"\${os[$platform]}\\"}"
                break
              fi
            done
          done
          echo "projects=[$names]" >> "$GITHUB_OUTPUT"
          echo "matrix={\\"include\\":[$include]}" >> "$GITHUB_OUTPUT"

`;
}

/** release.yml for the plan. */
export function renderReleaseWorkflow(plan: CiPlan): string {
  const p = context(plan);
  const t = p.t;
  const art = (q: CiProject, base: string) => (p.multi ? `${q.name}-${base}` : base);
  const sid = (q: CiProject, base: string) => (p.multi ? `${base}-${slug(q.name)}` : base);
  const relDir = (q: CiProject) => (p.multi ? `dist/release/${q.name}` : 'dist/release');
  const upDir = (q: CiProject) => (p.multi ? `dist/pypi-upload/${q.name}` : 'dist/pypi-upload');
  const whDir = (q: CiProject) => `${q.root}/${p.wheelDir}`;
  // A tag release (not a dry run): with one tag for every project, a push or a run by hand on such a
  // tag; with a tag per project, a run whose tag the resolve job matched to a project.
  const isTag = p.perProject
    ? "needs.resolve.outputs.project != ''"
    : `(github.event_name == 'push' || github.event_name == 'workflow_dispatch') && startsWith(github.ref, 'refs/tags/${p.tagPrefix}')`;
  /** Whether this run builds `q` (per-project tags: the tag's project, or every project in a dry run). */
  const builds = (q: CiProject) => `contains(fromJSON(needs.resolve.outputs.projects), '${q.name}')`;
  /** Whether this run releases `q` (per-project tags). */
  const releases = (q: CiProject) => `needs.resolve.outputs.project == '${q.name}'`;
  /** An `if:` line (at `indent`) for the conditions that are not empty, joined with &&. */
  const ifLine = (indent: string, conds: string[]) => {
    const c = conds.filter(Boolean);
    return c.length === 0 ? '' : `${indent}if: ${c.length === 1 ? c[0] : c.map((x) => (x.includes('||') ? `(${x})` : x)).join(' && ')}\n`;
  };
  /** Per-project steps need a condition only when a run may build some of the projects. */
  const buildsIf = (q: CiProject) => (p.perProject && p.multi ? builds(q) : '');

  const buildSteps = (p: Ctx) =>
    '      # Fresh: never a cached or downloaded wheel from another run.\n' +
    p.projects
      .map((q) => {
        const only = p.perProject ? ifLine('        ', [buildsIf(q), platformCond(p, q)]) : platformIf(p, q);
        return (
          `      - name: nx run ${q.name}:${t.buildWheels} (cibuildwheel, fresh)\n${only}` +
          `        run: npx nx run ${q.name}:${t.buildWheels} --engine=cibuildwheel --platform="$PLATFORM" --skip-nx-cache\n` +
          `      - uses: ${ACTION.uploadArtifact}\n${only}` +
          `        with:\n          name: ${art(q, 'wheels')}-\${{ matrix.platform }}\n${uploadPaths(p, [q])}` +
          '          if-no-files-found: error\n          retention-days: 7\n'
        );
      })
      .join('');

  const mergeSteps = (p: Ctx) =>
    '      # Kept 14 days, like `pypi-upload`: the GitHub Release job can be re-run on the same bytes.\n' +
    p.projects
      .map(
        (q) =>
          `      - uses: ${ACTION.mergeArtifacts}\n${ifLine('        ', [buildsIf(q)])}` +
          `        with:\n          name: ${art(q, 'wheels')}\n          pattern: ${art(q, 'wheels')}-*\n          retention-days: 14\n          delete-merged: true\n`,
      )
      .join('');

  const validateOutputs = (p: Ctx) => {
    // With a tag per project, the one validate-release step that ran gives them.
    const from = (out: string) => (p.perProject ? p.projects : p.projects.slice(0, 1)).map((q) => `steps.${sid(q, 'release')}.outputs.${out}`).join(' || ');
    return (
      `    outputs:\n      version: \${{ ${from('version')} }}\n      prerelease: \${{ ${from('prerelease')} }}\n` +
      p.projects
        .map((q) => `      ${sid(q, 'uploads')}: \${{ steps.${sid(q, 'preflight')}.outputs.uploads }}\n      ${sid(q, 'upload-sums')}: \${{ steps.${sid(q, 'fingerprint')}.outputs.sha256 }}\n`)
        .join('')
    );
  };

  const validateSteps = (p: Ctx) => {
    const perProjectA = (q: CiProject) => `      # Tag == [project].version == CHANGELOG.md section; writes the notes and version/prerelease outputs.
      - name: nx run ${q.name}:${t.validateRelease} --mode=tag
        id: ${sid(q, 'release')}
        if: ${p.perProject ? releases(q) : isTag}
        run: npx nx run ${q.name}:${t.validateRelease} --mode=tag --notesFile=${relDir(q)}/release-notes.md
${withIf(download(art(q, 'wheels'), whDir(q)), buildsIf(q))}      # --exclude-task-dependencies: check the downloaded wheels, do not rebuild them here.
      # The tag comes from GITHUB_REF (none on a pull request: the version is pyproject.toml's).
      - name: nx run ${q.name}:${t.validateWheels} --platforms=${q.platforms.join(',')}
${ifLine('        ', [buildsIf(q)])}        run: >-
          npx nx run ${q.name}:${t.validateWheels} --platforms=${q.platforms.join(',')} --exclude-task-dependencies --skip-nx-cache
          --sha256sums=${relDir(q)}/SHA256SUMS --reportFile=${relDir(q)}/validation-report.json
      # Asks PyPI (read-only, no credentials) which files it already has: identical bytes are skipped,
      # same name with other bytes fails the release here (INDEX_FILE_CONFLICT), an incomplete set of
      # wheels fails it (RELEASE_INCOMPLETE). Writes exactly the files to upload to dist/pypi-upload/dist
      # and their SHA256SUMS. On a pull request the version may already be on PyPI (the rebuilt bytes
      # then differ), so there it only reports.
      - name: nx run ${q.name}:${t.publish} --preflight
        id: ${sid(q, 'preflight')}
${ifLine('        ', [buildsIf(q)])}        continue-on-error: \${{ github.event_name == 'pull_request' }}
        run: npx nx run ${q.name}:${t.publish} --preflight --wheelDir=${whDir(q)} --uploadDir=${upDir(q)} --exclude-task-dependencies
`;
    const combine = p.multi && p.perProject
      ? "      # One SHA256SUMS and one set of release notes for the GitHub Release, from the projects this run built.\n" +
        '      - name: SHA256SUMS and release notes of every project\n' +
        '        run: |\n' +
        '          mkdir -p dist/release\n' +
        `          for p in ${p.projects.map((q) => q.name).join(' ')}; do\n` +
        '            if [ -f "dist/release/$p/SHA256SUMS" ]; then cat "dist/release/$p/SHA256SUMS"; fi\n' +
        '          done > dist/release/SHA256SUMS\n' +
        `          for p in ${p.projects.map((q) => q.name).join(' ')}; do\n` +
        '            if [ -f "dist/release/$p/release-notes.md" ]; then cat "dist/release/$p/release-notes.md"; echo; fi\n' +
        '          done > dist/release/release-notes.md\n'
      : p.multi
      ? '      # One SHA256SUMS and one set of release notes for the GitHub Release, from every project\'s.\n' +
        '      - name: SHA256SUMS and release notes of every project\n' +
        '        run: |\n' +
        `          cat ${p.projects.map((q) => `${relDir(q)}/SHA256SUMS`).join(' ')} > dist/release/SHA256SUMS\n` +
        `          for p in ${p.projects.map((q) => q.name).join(' ')}; do\n` +
        '            if [ -f "dist/release/$p/release-notes.md" ]; then cat "dist/release/$p/release-notes.md"; echo; fi\n' +
        '          done > dist/release/release-notes.md\n'
      : '';
    const perProjectB = (q: CiProject) => `      # The sha256 of SHA256SUMS travels to the publish job as a job output, outside the artifact:
      # publish uploads only an artifact whose SHA256SUMS is the one made here.
      - name: Fingerprint of the ${art(q, 'pypi-upload')} SHA256SUMS
        id: ${sid(q, 'fingerprint')}
        if: steps.${sid(q, 'preflight')}.outcome == 'success'
        working-directory: ${upDir(q)}
        run: echo "sha256=$(sha256sum SHA256SUMS | cut -c1-64)" >> "$GITHUB_OUTPUT"
      # What the publish job uploads, and nothing else. Kept 14 days: re-running the publish job
      # within that time uploads these validated bytes (docs/release-guide.md#recovering).
      - uses: ${ACTION.uploadArtifact}
        if: steps.${sid(q, 'preflight')}.outcome == 'success'
        with:
          name: ${art(q, 'pypi-upload')}
          path: ${upDir(q)}/
          if-no-files-found: error
          retention-days: 14
`;
    return p.projects.map(perProjectA).join('') + combine + `      - uses: ${ACTION.uploadArtifact}
        if: ${isTag}
        with:
          name: release-metadata
          path: |
            dist/release/release-notes.md
            dist/release/SHA256SUMS
${p.projects.map((q) => `            ${relDir(q)}/validation-report.json\n`).join('')}          if-no-files-found: error
          retention-days: 14
` + p.projects.map(perProjectB).join('');
  };

  const releaseWheelDownloads = (p: Ctx) =>
    p.projects
      .map((q) => withIf(download(art(q, 'wheels'), 'wheels'), p.perProject && p.multi ? releases(q) : ''))
      .join('');

  const publishJobs = (p: Ctx) =>
    p.projects
      .map((q, i) => {
        const first = i === 0;
        const jobId = p.multi ? `publish-${slug(q.name)}` : 'publish';
        const jobName = p.multi ? `publish ${q.distribution} to PyPI` : 'publish to PyPI';
        return (first ? '' : '\n') + `${first ? '  # Holds the only id-token of the workflow, so it runs nothing of ours: no checkout, no npm, no\n  # pip. Everything that needs the toolchain ran in \`validate\`, without id-token.\n' : ''}  ${jobId}:
    name: ${jobName}
    needs: ${p.perProject ? '[validate, resolve]' : 'validate'}
    if: ${p.perProject ? releases(q) : isTag}
    runs-on: ubuntu-latest
    timeout-minutes: 15
    environment:
      name: pypi
      url: https://pypi.org/project/${q.distribution}/\${{ needs.validate.outputs.version }}/
    permissions:
      id-token: write # trusted publishing (OIDC); no API token
      actions: read # download-artifact by run id (a re-run of this job alone)
    steps:
${download(art(q, 'pypi-upload'), 'pypi-upload')}      # The artifact must be exactly what validate made: its SHA256SUMS the one validate
      # fingerprinted, the same file names in dist/ and in SHA256SUMS, every file's sha256 as listed.
      - name: Verify pypi-upload against its SHA256SUMS
        id: verify
        working-directory: pypi-upload
        env:
          EXPECTED_SUMS: \${{ needs.validate.outputs.${sid(q, 'upload-sums')} }}
        run: |
          if [ ! -f SHA256SUMS ]; then
            echo "::error title=pypi-upload::SHA256SUMS is missing from the pypi-upload artifact; re-run all jobs of this workflow run (the validate job writes it)."
            exit 1
          fi
          actual="$(sha256sum SHA256SUMS | cut -c1-64)"
          if [ -z "$EXPECTED_SUMS" ] || [ "$actual" != "$EXPECTED_SUMS" ]; then
            echo "::error title=pypi-upload::SHA256SUMS of the pypi-upload artifact has sha256 $actual, but the validate job made one with \${EXPECTED_SUMS:-(no fingerprint)}; re-run all jobs of this workflow run."
            exit 1
          fi
          mkdir -p dist # an empty dist/ (nothing to upload) does not survive the artifact
          listed="$(sed -E 's/^[0-9a-f]{64} [ *]//' SHA256SUMS | LC_ALL=C sort)"
          present="$(find dist -mindepth 1 -maxdepth 1 -printf '%f\\n' | LC_ALL=C sort)"
          if [ "$listed" != "$present" ]; then
            echo "::error title=pypi-upload::dist/ and SHA256SUMS of the pypi-upload artifact do not name the same files; re-run all jobs of this workflow run so that validate makes the artifact again."
            diff <(printf '%s\\n' "$listed") <(printf '%s\\n' "$present") || true
            exit 1
          fi
          count=0
          if [ -n "$present" ]; then
            count="$(printf '%s\\n' "$present" | grep -c .)"
            (cd dist && sha256sum -c --strict ../SHA256SUMS)
          fi
          echo "count=$count" >> "$GITHUB_OUTPUT"
          if [ "$count" -eq 0 ]; then
            echo "Nothing to upload: PyPI already has every file of this release with identical bytes (see the validate job's preflight)." | tee -a "$GITHUB_STEP_SUMMARY"
          else
            { echo "Uploading $count file(s) to PyPI:"; echo; sed 's/^/    /' SHA256SUMS; } | tee -a "$GITHUB_STEP_SUMMARY"
          fi
      - name: pypa/gh-action-pypi-publish
        if: steps.verify.outputs.count != '0'
        uses: ${ACTION.pypiPublish}
        with:
          packages-dir: pypi-upload/dist/
          attestations: true
          print-hash: true
`;
      })
      .join('');

  return `${p.perProject ? perProjectHeader(p) : `# Release ${p.dists}: a tag ${p.tagPrefix}X.Y.Z (pushed after the release pull request is merged; see\n`}# docs/release-guide.md) builds fresh wheels on each platform, merges them, proves them in
# \`validate\` (the tag is on the default branch, validate-release in tag mode, validate-wheels for
# every platform, and the publish preflight that asks PyPI, read-only, which files to upload), then
# in parallel creates the GitHub Release and uploads exactly the preflight's files to PyPI by
# trusted publishing (OIDC; no API token anywhere). The publish job runs none of our code and no
# npm/pip install: it downloads the \`pypi-upload\` artifact, checks it against its SHA256SUMS and
# hands it to pypa/gh-action-pypi-publish.
#
# A pull request that changes this workflow or tools/ci/** runs it as a dry run: build, merge and
# validate only (no GitHub Release, no publish). workflow_dispatch: re-run a release by hand
# (choose the tag under "Use workflow from"); from a branch it is a dry run too.
name: Release

on:
  push:
    tags: [${(p.perProject ? p.projects.map((q) => tagPrefixOf(p, q)) : [p.tagPrefix]).map((x) => `'${x}*.*.*'`).join(', ')}]
  pull_request:
    paths:
      - .github/workflows/release.yml
${p.ciPaths}  workflow_dispatch:

# Nothing by default; each job asks for what it needs. Only \`release\` may write to the
# repository and only \`publish\` may request an OIDC token.
permissions: {}

concurrency:
  group: release-\${{ github.ref }}
  # A newer push to the same pull request replaces its dry run; a tag's release is never cancelled.
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

${ENV_DEFAULTS_JOBS}${p.perProject ? resolveJob(p) : ''}  build:
    name: build (\${{ matrix.platform }})
${p.perProject ? '    needs: resolve\n' : ''}    strategy:
      fail-fast: false
${p.perProject ? "      # The platforms the resolve job chose: those of the tag's project (of every project in a dry run).\n      matrix: ${{ fromJSON(needs.resolve.outputs.matrix) }}\n" : `      matrix:\n        include:\n${p.matrix}`}    runs-on: \${{ matrix.os }}
    timeout-minutes: 60
    permissions:
      contents: read
    env:
      PLATFORM: \${{ matrix.platform }}
    steps:
      - uses: ${ACTION.checkout}
        with:
          persist-credentials: false
      # No package-manager cache anywhere in this workflow: nothing restored from a cache that
      # another run could have written reaches a release build (cache poisoning).
${SETUP_NODE}${SETUP_PYTHON}${p.install}${buildSteps(p)}
  merge:
    name: merge wheels
    needs: ${p.perProject ? '[build, resolve]' : 'build'}
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions: {}
    steps:
${mergeSteps(p)}
  validate:
    name: validate
    needs: ${p.perProject ? '[merge, resolve]' : 'merge'}
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
      actions: read # download-artifact by run id (a re-run of this job alone)
${validateOutputs(p)}    steps:
      - uses: ${ACTION.checkout}
        with:
          fetch-depth: 0 # the default-branch guard needs the history of origin/<default branch>
          persist-credentials: false
      # A release is made from a reviewed commit: the tag must point at a commit of the default branch.
      - name: The tag's commit is on the default branch
        id: on-default-branch
        if: ${isTag}
        env:
          DEFAULT_BRANCH: \${{ github.event.repository.default_branch }}
          TAG: \${{ github.ref_name }}
        run: |
          if ! git rev-parse -q --verify "refs/remotes/origin/$DEFAULT_BRANCH" >/dev/null; then
            echo "::error title=Release guard::origin/$DEFAULT_BRANCH is not in the checkout; the validate job's actions/checkout needs fetch-depth: 0."
            exit 1
          fi
          if ! git merge-base --is-ancestor "$GITHUB_SHA" "origin/$DEFAULT_BRANCH"; then
            echo "::error title=Release guard::tag $TAG points at $GITHUB_SHA, which is not on $DEFAULT_BRANCH; delete the tag (git push --delete origin $TAG) and tag the merged release commit on $DEFAULT_BRANCH (docs/release-guide.md#cutting-a-release)."
            exit 1
          fi
          echo "tag $TAG: $GITHUB_SHA is on $DEFAULT_BRANCH" | tee -a "$GITHUB_STEP_SUMMARY"
${SETUP_NODE}${SETUP_PYTHON}${p.install}${validateSteps(p)}
  release:
    name: GitHub Release
    needs: ${p.perProject ? '[validate, resolve]' : 'validate'}
    if: ${isTag}
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: write # gh release create / upload
      actions: read # download-artifact by run id (a re-run of this job alone)
    steps:
${releaseWheelDownloads(p)}${download('release-metadata', 'release')}      # gh (preinstalled on GitHub-hosted runners) instead of a third-party action: no extra code
      # runs with contents: write. A re-run never replaces an asset (no --clobber, which immutable
      # releases refuse): an asset already attached with the same sha256 (GitHub's digest, or the
      # downloaded bytes for an asset without one) is skipped, a missing one is uploaded, one with
      # other bytes stops the job before anything is uploaded; a draft left by a failed create is
      # completed and published.
      - name: gh release create
        env:
          GH_TOKEN: \${{ github.token }}
          GH_REPO: \${{ github.repository }}
          TAG: \${{ github.ref_name }}
          VERSION: \${{ needs.validate.outputs.version }}
          PRERELEASE: \${{ needs.validate.outputs.prerelease }}
${p.perProject ? '          DISTRIBUTION: ${{ needs.resolve.outputs.distribution }}\n' : ''}        run: |
          set -euo pipefail
          shopt -s nullglob
          assets=(wheels/*.whl wheels/*.tar.gz release/SHA256SUMS)
          pre=()
          if [ "$PRERELEASE" = true ]; then pre=(--prerelease --latest=false); fi
          # First line draft|published, then one "name<TAB>sha256" line per attached asset.
          if ! listing="$(gh release view "$TAG" --json isDraft,assets --jq '(if .isDraft then "draft" else "published" end), (.assets[] | [.name, ((.digest // "") | sub("^sha256:"; ""))] | @tsv)' 2>/dev/null)"; then
            # The version's CHANGELOG.md section; GitHub's generated notes when it is empty.
            if grep -q '[^[:space:]]' release/release-notes.md; then
              notes=(--notes-file release/release-notes.md)
            else
              notes=(--generate-notes)
            fi
            gh release create "$TAG" --verify-tag --title "${p.perProject ? '$DISTRIBUTION' : p.title} $VERSION" "\${notes[@]}" "\${pre[@]}" "\${assets[@]}"
            exit 0
          fi
          state="$(head -n 1 <<<"$listing")"
          attached="$(tail -n +2 <<<"$listing")"
          upload=()
          conflict=0
          for f in "\${assets[@]}"; do
            name="\${f##*/}"
            want="$(sha256sum "$f" | cut -c1-64)"
            have="$(awk -F '\\t' -v n="$name" '$1 == n { print "=" $2; exit }' <<<"$attached")"
            if [ -z "$have" ]; then
              echo "$name: not attached yet, uploading"
              upload+=("$f")
              continue
            fi
            have="\${have#=}"
            if [ -z "$have" ]; then # attached before GitHub recorded digests: hash the attached bytes
              dir="$(mktemp -d)"
              gh release download "$TAG" --pattern "$name" --dir "$dir"
              have="$(sha256sum "$dir/$name" | cut -c1-64)"
            fi
            if [ "$have" = "$want" ]; then
              echo "$name: already attached with the same sha256 $want, skipped"
            else
              echo "::error title=GitHub Release::release $TAG already has $name with sha256 $have, but this run's $name has sha256 $want; assets are never replaced: if the attached file is the wrong one, delete it (gh release delete-asset $TAG $name) and re-run this job, otherwise this run did not rebuild the released bytes (docs/release-guide.md#recovering)."
              conflict=1
            fi
          done
          if [ "$conflict" -ne 0 ]; then exit 1; fi
          if [ "\${#upload[@]}" -gt 0 ] && ! gh release upload "$TAG" "\${upload[@]}"; then
            echo "::error title=GitHub Release::uploading \${upload[*]##*/} to release $TAG failed (gh's message above); a published release that is immutable takes no new assets: publish a new version (docs/release-guide.md#recovering)."
            exit 1
          fi
          if [ "$state" = draft ]; then gh release edit "$TAG" --draft=false "\${pre[@]}"; fi
          echo "release $TAG ($state): \${#upload[@]} asset(s) uploaded, $(( \${#assets[@]} - \${#upload[@]} )) already attached" | tee -a "$GITHUB_STEP_SUMMARY"

${publishJobs(p)}`;
}

/** The interpreters a rehearsal may need: the host CPython of each cpXY identifier (native builds, installs from the index). */
const SETUP_PYTHONS = `      - uses: ${ACTION.setupPython}
        with:
          python-version: |
            3.13
            3.12
            3.11
            3.10
`;

/**
 * The rehearse-release job of one project in release-readiness.yml: on a pull request that touches
 * the project (nx affected against the base branch; always when run by hand), the next patch
 * release rehearsed on one ubuntu runner (Windows through the cross route under wine), the report
 * uploaded whatever the outcome.
 */
function rehearseJob(p: Ctx, q: CiProject): string {
  const jobId = p.multi ? `rehearse-release-${slug(q.name)}` : 'rehearse-release';
  const windows = q.platforms.includes('windows');
  const when = "steps.affected.outputs.touched == 'true'";
  return `  ${jobId}:
    name: rehearse release${p.multi ? ` (${q.name})` : ''}
    runs-on: ubuntu-latest
    timeout-minutes: 60
    permissions:
      contents: read
    steps:
      - uses: ${ACTION.checkout}
        with:
          fetch-depth: 0 # the rehearsal releases after the latest ${tagPrefixOf(p, q)}* tag; nx affected needs the base branch
          persist-credentials: false
${SETUP_NODE}${SETUP_PYTHONS}${p.install}      - name: Does this change touch ${q.name}?
        id: affected
        env:
          BASE_REF: \${{ github.base_ref }}
        run: |
          if [ -z "$BASE_REF" ]; then touched=true
          elif npx nx show projects --affected --base="origin/$BASE_REF" --head=HEAD --json | jq -e 'index("${q.name}")' >/dev/null; then touched=true
          else touched=false; fi
          echo "touched=$touched" >> "$GITHUB_OUTPUT"
          echo "${q.name} touched by this change: $touched"
${windows ? `      # The Windows wheel is cross-built with zig and tested in python.org's CPython under wine.
      - name: Install wine
        if: ${when}
        run: sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends wine wine64
` : ''}      - name: nx run ${q.name}:${p.t.rehearseRelease} --specifier=patch
        if: ${when}
        run: npx nx run ${q.name}:${p.t.rehearseRelease} --specifier=patch
      - uses: ${ACTION.uploadArtifact}
        if: always() && ${when}
        with:
          name: rehearsal-report-${slug(q.name)}
          path: .nx-wheels/reports/rehearsal/${q.root}/rehearsal-report.json
          include-hidden-files: true # the report lives under .nx-wheels/, which upload-artifact skips by default
          if-no-files-found: warn
`;
}

/**
 * release-readiness.yml for the plan: on pull requests (and by hand), validate-release in branch
 * mode per wheel project with a checklist in the job summary (one job per project when there are several).
 */
export function renderReleaseReadinessWorkflow(plan: CiPlan): string {
  const p = context(plan);
  const t = p.t;
  const jobs = p.projects
    .map((q, i) => {
      const jobId = p.multi ? `release-readiness-${slug(q.name)}` : 'release-readiness';
      const jobName = p.multi ? `release readiness (${q.name})` : 'release readiness';
      return (i === 0 ? '' : '\n') + `  ${jobId}:
    name: ${jobName}
    runs-on: ubuntu-latest
    timeout-minutes: 15
    permissions:
      contents: read
    steps:
      - uses: ${ACTION.checkout}
        with:
          fetch-depth: 0 # validate-release compares the version with the latest ${tagPrefixOf(p, q)}* tag
          persist-credentials: false
${SETUP_NODE}${p.install}      # Its findings go to the log and the job summary; the verdict below decides.
      - name: nx run ${q.name}:${t.validateRelease} --mode=branch
        id: release
        continue-on-error: true
        run: npx nx run ${q.name}:${t.validateRelease} --mode=branch
      - name: Verdict
        env:
          OUTCOME: \${{ steps.release.outcome }}
          CODES: \${{ steps.release.outputs.codes }}
          VERSION: \${{ steps.release.outputs.version }}
          TAG: \${{ steps.release.outputs.tag }}
        run: |
          has() { case ",$CODES," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
          tagged=false
          if [ -n "$TAG" ] && git rev-parse -q --verify "refs/tags/$TAG" >/dev/null; then tagged=true; fi
          item() { if [ "$1" = ok ]; then echo "- ✅ $2"; else echo "- ❌ $2"; fi; }
          ok() { if "$@"; then echo ok; else echo failed; fi; }
          not() { ! "$@"; }
          readable() { [ -n "$VERSION" ]; }
          newer() { readable && not has VERSION_NOT_NEWER && not has NO_TAGS_SHALLOW; }
          tag_free() { readable && [ "$tagged" = false ]; }
          changelog() { not has CHANGELOG_MISSING; }
          section() { readable && not has CHANGELOG_MISSING && not has CHANGELOG_NO_SECTION; }
          {
            echo "### Release readiness checklist"
            echo
            item "$(ok readable)" "\\\`[project].version\\\` is a static PEP 440 version: \${VERSION:-(unreadable)}"
            item "$(ok newer)" "the version is newer than the latest release tag"
            item "$(ok tag_free)" "the tag \${TAG:-${tagPrefixOf(p, q)}<version>} does not exist yet"
            item "$(ok changelog)" "the changelog exists"
            item "$(ok section)" "the changelog has a section for \${VERSION:-the version}"
            for code in \${CODES//,/ }; do
              case "$code" in
                VERSION_NOT_NEWER | NO_TAGS_SHALLOW | CHANGELOG_MISSING | CHANGELOG_NO_SECTION) ;;
                *) item failed "\\\`$code\\\` (see the findings above)" ;;
              esac
            done
            echo
          } >> "$GITHUB_STEP_SUMMARY"
          if [ "$OUTCOME" = success ] && [ -z "$CODES" ]; then
            echo "Ready: ${q.distribution} $VERSION can be released (tag $TAG after the merge)." | tee -a "$GITHUB_STEP_SUMMARY"
          elif [ "$CODES" = VERSION_NOT_NEWER ] && [ "$tagged" = true ]; then
            echo "Not a release: ${q.distribution} $VERSION is already released (tag $TAG) and this change does not bump the version; every other check passed." | tee -a "$GITHUB_STEP_SUMMARY"
          else
            if [ -n "$CODES" ]; then why="failed checks: $CODES"; else why="validate-release did not finish (outcome: $OUTCOME)"; fi
            echo "::error title=release readiness::$why; see the findings above and docs/release-guide.md#validate-release"
            echo "Not ready: $why." >> "$GITHUB_STEP_SUMMARY"
            exit 1
          fi
`;
    })
    .join('') + p.projects.map((q) => '\n' + rehearseJob(p, q)).join('');
  return `# Release readiness of a pull request (or of any branch, by hand): \`nx run ${p.projects.length === 1 ? p.projects[0].name : '<project>'}:${p.t.validateRelease}
# --mode=branch\` checks that [project].version is PEP 440 and newer than the latest ${p.tagPrefix}* tag, and
# that CHANGELOG.md has its section. The job summary gets a checklist, and the verdict fails
# whenever a check failed, with one exception: a pull request that does not release (its version
# is already tagged) has VERSION_NOT_NEWER as its only finding. When the change touches a wheel
# project, \`rehearse-release\` runs that project's whole next release (bump, build every release
# platform, validate in tag mode, publish to a throwaway index, install and test from it) on one
# ubuntu runner and uploads its report. See docs/release-guide.md.
name: Release readiness

on:
  pull_request:
  workflow_dispatch:

permissions: {}

concurrency:
  group: release-readiness-\${{ github.event.pull_request.number || github.ref }}
  cancel-in-progress: true

${ENV_DEFAULTS_JOBS}` + jobs;
}
