/**
 * The pieces every workflow is built from: pinned actions, the common steps (checkout, Node,
 * Python, install, artifacts), the workflow preamble, and the release-tag condition.
 */
import { type Ctx, type CiProject, joinAnd, RUNNERS } from './plan';
import { flow, note, trailing, type Job, type Step, type Value, type Workflow } from './yaml-builder';

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

/** A `uses:` value for a pinned action: the `owner/repo@sha` with its version as the line's comment. */
export function uses(action: keyof typeof ACTION): Value {
  const [ref, version] = ACTION[action].split(' # ');
  return trailing(ref, version);
}

/**
 * actions/checkout without persisted credentials: shallow, or with `fullHistory` the whole history
 * (`fetch-depth: 0`; a string is the reason, written as the line's comment).
 */
export function checkout(fullHistory?: true | string): Step {
  const depth = fullHistory === undefined ? undefined : fullHistory === true ? 0 : trailing(0, fullHistory);
  return { uses: uses('checkout'), with: { 'fetch-depth': depth, 'persist-credentials': false } };
}

/**
 * The Node.js every job runs (24 LTS: Node 20 is end-of-life), with no package-manager cache anywhere
 * (nothing another run could have written reaches a release build).
 */
export const setupNode = (): Step => ({ uses: uses('setupNode'), with: { 'node-version': 24, 'package-manager-cache': false } });

/**
 * actions/setup-python with these versions (one: `'3.12'`, the pinned toolchain's interpreter;
 * several: a `|` list). cibuildwheel brings each target CPython itself.
 */
export function setupPython(...versions: string[]): Step {
  return { uses: uses('setupPython'), with: { 'python-version': versions.length === 1 ? versions[0] : `${versions.join('\n')}\n` } };
}

/** The node_modules install: this repository's `tools/ci/npm-ci.mjs` when the workspace has it, else `npm ci`. */
export function install(p: Ctx): Step {
  return p.ciTools
    ? { name: "npm ci (then check this host's native packages)", run: 'node tools/ci/npm-ci.mjs' }
    : { name: 'npm ci', run: 'npm ci' };
}

/**
 * A download-artifact step of release.yml. With `github-token` and `run-id` the action reads
 * through the REST API, where artifacts belong to the run rather than to one attempt: a job re-run
 * alone ("Re-run failed jobs": publish, the GitHub Release, validate) then finds the artifact an
 * earlier attempt's job made, which the default (current attempt only) does not. The job needs
 * `actions: read`.
 */
export function download(name: string, path: string, cond?: string): Step {
  const token = trailing('${{ github.token }}', "with run-id: a re-run of this job alone reads an earlier attempt's artifact");
  return {
    uses: uses('downloadArtifact'),
    if: cond || undefined,
    with: { name, path, 'github-token': token, 'run-id': '${{ github.run_id }}' },
  };
}

/** The upload-artifact `path:` (with the sdist comment) for some projects' wheel directories. */
export function uploadPaths(p: Ctx, projects: CiProject[]): Value {
  const off = projects.filter((q) => !q.sdist).map((q) => q.distribution);
  const why = `*.tar.gz: the sdist, when build-wheels' sdist option is on${off.length ? ` (off for ${joinAnd(off)})` : ''}.`;
  const lines = projects.flatMap((q) => [`${q.root}/${p.wheelDir}/*.whl`, `${q.root}/${p.wheelDir}/*.tar.gz`]);
  return note(`${lines.join('\n')}\n`, why);
}

/** An upload-artifact step for wheel directories (fails when nothing was built, kept 7 days). */
export function uploadWheels(p: Ctx, name: string, projects: CiProject[], cond?: string): Step {
  const w = { name, path: uploadPaths(p, projects), 'if-no-files-found': 'error', 'retention-days': 7 };
  return { uses: uses('uploadArtifact'), if: cond || undefined, with: w };
}

/** A job on ubuntu-latest with these permissions (`{}`: none). */
export function ubuntuJob(name: string, timeout: number, permissions: Value, steps: Job['steps'], more: Partial<Job> = {}): Job {
  const { needs, if: cond, environment, ...rest } = more;
  return { name, needs, if: cond, 'runs-on': 'ubuntu-latest', 'timeout-minutes': timeout, environment, permissions, ...rest, steps };
}

/** `needs:` for one job (`a`) or several (`[a, b]`). */
export const needsOf = (...jobs: string[]): Value => (jobs.length === 1 ? jobs[0] : flow(jobs));

/** The workflow-level env (Nx without cloud, daemon, TUI or colour) and bash defaults every workflow starts its jobs with. */
export function workflow(w: Pick<Workflow, 'header' | 'name' | 'on' | 'permissions' | 'concurrency' | 'jobs'>): Workflow {
  const { jobs, ...head } = w;
  return {
    ...head,
    env: { NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', FORCE_COLOR: '0' },
    defaults: { run: { shell: 'bash' } },
    jobs,
  };
}

/**
 * A tag release of release.yml (not a dry run): with one tag for every project, a push or a run by
 * hand on such a tag; with a tag per project, a run whose tag the resolve job matched to a project.
 */
export function onReleaseTag(p: Ctx): string {
  if (p.perProject) return "needs.resolve.outputs.project != ''";
  return `(github.event_name == 'push' || github.event_name == 'workflow_dispatch') && startsWith(github.ref, 'refs/tags/${p.tagPrefix}')`;
}

/** Whether a run builds `q` (per-project tags: the tag's project, or every project in a dry run). */
export const buildsProject = (q: CiProject) => `contains(fromJSON(needs.resolve.outputs.projects), '${q.name}')`;

/** Whether a run releases `q` (per-project tags). */
export const releasesProject = (q: CiProject) => `needs.resolve.outputs.project == '${q.name}'`;

/** The build matrix: every platform some project builds on, with its runner. */
export const platformMatrix = (p: Ctx): Value => ({ include: p.platforms.map((x) => ({ platform: x, os: RUNNERS[x] })) });
