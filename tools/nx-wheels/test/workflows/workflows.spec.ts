/**
 * The GitHub workflows' invariants, read from the YAML itself: triggers, job graph, which jobs and
 * steps run for a tag / a pull request / a dispatch (the `if:` expressions evaluated), permissions
 * per job, the PyPI environment, artifact names and retention, pinned actions, Node 24 and the npm-ci.mjs
 * install step, timeouts, and that every step that builds or validates is an Nx target while the
 * publish job runs nothing of ours. actionlint and zizmor (nx run ci:lint) check syntax and
 * security patterns; this checks the design. The inline scripts' behaviour: workflow-scripts.spec.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CI_JOBS, CI_RESULT_JOB } from '../../src/generators/ci/workflows';
import { WORKSPACE } from '../helpers/workspace';
import { envName, evaluate, FILES, globMatches, GithubContext, INSTALL_STEP, load, needs, runs, Step, stepById, steps, text, uses } from './load';

/** What a download-artifact step of release.yml adds to name and path: the REST API route a re-run of the job alone needs. */
const BY_RUN = { 'github-token': '${{ github.token }}', 'run-id': '${{ github.run_id }}' };

/** What a build uploads: the wheels, and the sdist when the build-wheels sdist option is on. */
const WHEELHOUSE_FILES = 'bindings/python/wheelhouse/*.whl\nbindings/python/wheelhouse/*.tar.gz\n';

const TAG_PUSH: GithubContext = { event_name: 'push', ref: 'refs/tags/v1.2.3' };
const TAG_DISPATCH: GithubContext = { event_name: 'workflow_dispatch', ref: 'refs/tags/v1.2.3' };
const PULL_REQUEST: GithubContext = { event_name: 'pull_request', ref: 'refs/pull/17/merge' };
const BRANCH_DISPATCH: GithubContext = { event_name: 'workflow_dispatch', ref: 'refs/heads/main' };
const BRANCH_PUSH: GithubContext = { event_name: 'push', ref: 'refs/heads/main' };
/** Does a job or step with this `if:` run (given its needs succeeded)? */
const runsFor = (x: { if?: string }, github: GithubContext) => (x.if === undefined ? true : evaluate(x.if, github));

describe('every workflow', () => {
  it('there are the four workflows', () => {
    expect(FILES).toEqual(['ci.yml', 'main-guard.yml', 'release-readiness.yml', 'release.yml']);
  });

  it.each(FILES)('%s: permissions {} at the top, explicit permissions on every job', (f) => {
    const w = load(f);
    expect(w.permissions).toEqual({});
    for (const [id, job] of Object.entries(w.jobs)) {
      expect({ id, permissions: job.permissions }).toEqual({ id, permissions: expect.any(Object) });
    }
  });

  it.each(FILES)('%s: timeout-minutes on every job (5 to 60; 60 for wheel builds)', (f) => {
    for (const [id, job] of Object.entries(load(f).jobs)) {
      const t = job['timeout-minutes'];
      expect({ id, t: Number.isInteger(t) && t! >= 5 && t! <= 60 }).toEqual({ id, t: true });
      if (runs(job).some((r) => /(-t |python:)build-wheels\b/.test(r))) expect({ id, t }).toEqual({ id, t: 60 });
    }
  });

  it.each(FILES)('%s: every action is pinned to a full commit SHA with its version in a comment', (f) => {
    const lines = text(f).split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l));
    const parsed = Object.values(load(f).jobs).flatMap((j) => steps(j).filter((s) => s.uses));
    expect(lines).toHaveLength(parsed.length);
    for (const l of lines) {
      expect(l).toMatch(/uses:\s+[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it('one action, one SHA, across all workflows', () => {
    const pins = new Map<string, Set<string>>();
    for (const f of FILES) {
      for (const m of text(f).matchAll(/uses:\s+([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([0-9a-f]{40}) # (v[\d.]+)/g)) {
        pins.set(m[1], (pins.get(m[1]) ?? new Set()).add(`${m[2]} ${m[3]}`));
      }
    }
    for (const [action, set] of pins) expect({ action, pins: [...set] }).toEqual({ action, pins: [expect.any(String)] });
  });

  it.each(FILES)('%s: no API tokens or stored secrets', (f) => {
    const t = text(f);
    expect(t).not.toMatch(/secrets\./);
    expect(t).not.toMatch(/PYPI_(API_)?TOKEN|TWINE_(PASSWORD|USERNAME)|password:/i);
  });

  it.each(FILES)('%s: every matrix keeps going when one leg fails (fail-fast: false)', (f) => {
    for (const job of Object.values(load(f).jobs)) {
      if (job.strategy?.matrix) expect(job.strategy['fail-fast']).toBe(false);
    }
  });

  it.each(FILES)('%s: needs name existing jobs and the graph has no cycle', (f) => {
    const jobs = load(f).jobs;
    const seen = new Set<string>();
    const visit = (id: string, path: string[]) => {
      expect(path).not.toContain(id);
      if (seen.has(id)) return;
      for (const n of needs(jobs[id])) {
        expect(Object.keys(jobs)).toContain(n);
        visit(n, [...path, id]);
      }
      seen.add(id);
    };
    Object.keys(jobs).forEach((id) => visit(id, []));
  });

  it.each(FILES)('%s: every actions/setup-node uses Node 24 and no package-manager cache', (f) => {
    for (const job of Object.values(load(f).jobs)) {
      for (const s of uses(job, 'actions/setup-node')) {
        expect(s.with).toEqual({ 'node-version': 24, 'package-manager-cache': false });
      }
    }
  });

  it.each(FILES)('%s: a job that runs Nx installs node_modules with the npm-ci.mjs step (checkout, setup-node 24, then node tools/ci/npm-ci.mjs), never npm install', (f) => {
    for (const [id, job] of Object.entries(load(f).jobs)) {
      const all = steps(job);
      for (const r of runs(job)) expect({ id, run: r }).not.toEqual({ id, run: expect.stringMatching(/\bnpm (install|i|ci|add)\b|npm-ci\.mjs./) });
      const firstNx = all.findIndex((s) => /\bnpx nx\b/.test(s.run ?? ''));
      const install = all.filter((s) => s.run === INSTALL_STEP.run);
      if (firstNx === -1) {
        expect({ id, install }).toEqual({ id, install: [] });
        continue;
      }
      expect({ id, install }).toEqual({ id, install: [INSTALL_STEP] });
      const at = all.indexOf(install[0]);
      expect(at).toBeLessThan(firstNx);
      const before = all.slice(0, at);
      expect(before.some((s) => s.uses?.startsWith('actions/checkout@'))).toBe(true);
      expect(before.some((s) => s.uses?.startsWith('actions/setup-node@'))).toBe(true);
    }
  });

  it.each(FILES)('%s: no inline build, upload or packaging scripts (Nx targets and the pinned publish action do that)', (f) => {
    for (const job of Object.values(load(f).jobs)) {
      for (const r of runs(job)) {
        expect(r).not.toMatch(/(?<!=)\bcibuildwheel\b|\btwine\b|python3? -m (build|pip)|\bpip install\b|auditwheel|cmake /);
      }
    }
  });
});

describe('ci.yml', () => {
  const w = load('ci.yml');
  const { affected, checks, e2e, 'build-wheels': build, 'merge-wheels': merge, 'ci-result': result } = w.jobs;

  it('runs on pushes to main and on pull requests', () => {
    expect(w.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
  });

  it('jobs: affected, checks, e2e, build-wheels, merge-wheels and the ci-result aggregator (release readiness is its own workflow)', () => {
    expect(Object.keys(w.jobs).sort()).toEqual(['affected', 'build-wheels', 'checks', 'ci-result', 'e2e', 'merge-wheels']);
    expect(text('ci.yml')).not.toMatch(/validate-release/);
    // the generator's table of jobs and display names is this file's
    expect(w.jobs[CI_RESULT_JOB.id]).toBe(result);
    const names = Object.fromEntries(Object.entries(w.jobs).filter(([id]) => id !== CI_RESULT_JOB.id).map(([id, j]) => [id, j.name]));
    expect({ ...names, 'build-wheels': 'build-wheels' }).toEqual(CI_JOBS);
    expect(build.name).toBe('build-wheels (${{ matrix.platform }})');
  });

  it('ci-result: one non-matrix job named `CI result` that needs every other job and always runs (the check to require)', () => {
    expect(result.name).toBe(CI_RESULT_JOB.name);
    expect(result.name).not.toMatch(/\$\{\{/);
    expect(result.strategy).toBeUndefined();
    expect(result.if).toBe('always()');
    expect(needs(result).sort()).toEqual(Object.keys(w.jobs).filter((id) => id !== 'ci-result').sort());
    expect(result.permissions).toEqual({});
    expect(steps(result)).toHaveLength(1);
    expect(steps(result)[0].env).toEqual({
      WHEELS: '${{ needs.affected.outputs.wheels }}',
      AFFECTED: '${{ needs.affected.result }}',
      CHECKS: '${{ needs.checks.result }}',
      E2E: '${{ needs.e2e.result }}',
      BUILD_WHEELS: '${{ needs.build-wheels.result }}',
      MERGE_WHEELS: '${{ needs.merge-wheels.result }}',
    });
    // (its verdicts are run with bash in workflow-scripts.spec.ts)
  });

  it('e2e: nx affected -t e2e with CPython 3.13 on the host, the runner\'s container engines hidden (the suite proves the native engine)', () => {
    expect(needs(e2e)).toEqual(['affected']);
    expect(e2e.if).toBeUndefined();
    expect(e2e.permissions).toEqual({ contents: 'read' });
    expect(runs(e2e)).toContain('npx nx affected -t e2e --parallel=1');
    expect(e2e.env).toEqual({
      NX_BASE: '${{ needs.affected.outputs.base }}',
      NX_HEAD: '${{ needs.affected.outputs.head }}',
      CIBW_CONTAINER_ENGINE: 'docker',
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      QUIVER_E2E_EXCLUDE: 'podman-engine,windows-cross,rehearse-release',
    });
    expect(uses(e2e, 'actions/setup-python')[0].with).toEqual({ 'python-version': '3.13\n3.12\n' });
  });

  it('a change to a workflow makes nx-wheels affected, so its test and e2e targets (the workflow tests) run in CI', () => {
    const nx = JSON.parse(readFileSync(join(WORKSPACE, 'tools/nx-wheels/package.json'), 'utf8')).nx;
    for (const t of ['test', 'e2e']) expect(nx.targets[t].inputs).toContain('{workspaceRoot}/.github/workflows/**/*');
    const r = spawnSync('npx', ['nx', 'show', 'projects', '--affected', '--files=.github/workflows/main-guard.yml', '--withTarget=e2e'], {
      cwd: WORKSPACE,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    expect({ status: r.status, projects: r.stdout.trim().split('\n') }).toEqual({ status: 0, projects: ['nx-wheels'] });
  });

  it('derives base and head with nrwl/nx-set-shas (full history) and hands them to the other jobs', () => {
    expect(uses(affected, 'nrwl/nx-set-shas')).toHaveLength(1);
    expect(uses(affected, 'actions/checkout')[0].with).toMatchObject({ 'fetch-depth': 0 });
    expect(affected.permissions).toEqual({ contents: 'read', actions: 'read' });
    for (const job of [checks, e2e, build]) {
      expect(needs(job)).toEqual(['affected']);
      expect(job.env).toMatchObject({ NX_BASE: '${{ needs.affected.outputs.base }}', NX_HEAD: '${{ needs.affected.outputs.head }}' });
      expect(uses(job, 'actions/checkout')[0].with).toMatchObject({ 'fetch-depth': 0 });
    }
  });

  it('lint, typecheck and test go through nx affected', () => {
    expect(runs(checks)).toContain('npx nx affected -t lint typecheck test --parallel=1');
    expect(checks.permissions).toEqual({ contents: 'read' });
  });

  it('build-wheels runs only when a wheel project is affected, via nx affected and the cibuildwheel engine, on Linux and Windows', () => {
    expect(runs(affected).join('\n')).toMatch(/npx nx show projects --affected --withTarget=build-wheels/);
    expect(build.if).toBe("needs.affected.outputs.wheels == 'true'");
    expect(build.strategy?.['fail-fast']).toBe(false);
    expect(build.strategy?.matrix?.include).toEqual([
      { platform: 'linux', os: 'ubuntu-latest' },
      { platform: 'windows', os: 'windows-latest' },
    ]);
    expect(build['runs-on']).toBe('${{ matrix.os }}');
    expect(runs(build)).toContain('npx nx affected -t build-wheels --engine=cibuildwheel --platform="$PLATFORM"');
    expect(build.permissions).toEqual({ contents: 'read' });
  });

  it('each platform uploads its own artifact; one merged `wheels` artifact, kept 7 days, only when every platform built', () => {
    const up = uses(build, 'actions/upload-artifact');
    expect(up).toHaveLength(1);
    expect(up[0].with).toEqual({ name: 'wheels-${{ matrix.platform }}', path: WHEELHOUSE_FILES, 'if-no-files-found': 'error', 'retention-days': 7 });
    expect(needs(merge)).toEqual(['build-wheels']);
    expect(merge.if).toBeUndefined(); // default success(): a failed platform skips the merge
    const m = uses(merge, 'actions/upload-artifact/merge');
    expect(m).toHaveLength(1);
    expect(m[0].with).toEqual({ name: 'wheels', pattern: 'wheels-*', 'retention-days': 7, 'delete-merged': true });
    expect(globMatches('wheels-*', 'wheels')).toBe(false);
  });

  it('no job may write or request an OIDC token, and none uses an environment', () => {
    for (const job of Object.values(w.jobs)) {
      expect(Object.values(job.permissions as object)).not.toContain('write');
      expect(job.environment).toBeUndefined();
    }
  });
});

describe('release-readiness.yml', () => {
  const w = load('release-readiness.yml');
  const job = w.jobs['release-readiness'];

  it('runs on pull requests and by hand, reads contents only', () => {
    expect(w.on).toEqual({ pull_request: null, workflow_dispatch: null });
    expect(Object.keys(w.jobs)).toEqual(['release-readiness', 'rehearse-release']);
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.environment).toBeUndefined();
    expect(uses(job, 'actions/checkout')[0].with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
  });

  it('rehearse-release: on a change that touches python (always by hand), wine installed, the next patch release rehearsed, the report uploaded whatever the outcome', () => {
    const r = w.jobs['rehearse-release'];
    expect(r['runs-on']).toBe('ubuntu-latest');
    expect(r.permissions).toEqual({ contents: 'read' });
    expect(uses(r, 'actions/checkout')[0].with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
    const affected = stepById(r, 'affected');
    expect(affected.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(affected.run).toContain(`npx nx show projects --affected --base="origin/$BASE_REF" --head=HEAD --json | jq -e 'index("python")'`);
    const gated = steps(r).filter((s) => s.if);
    expect(gated.map((s) => [s.name ?? s.uses, s.if])).toEqual([
      ['Install wine', "steps.affected.outputs.touched == 'true'"],
      ['nx run python:rehearse-release --specifier=patch', "steps.affected.outputs.touched == 'true'"],
      [expect.stringMatching(/^actions\/upload-artifact@/), "always() && steps.affected.outputs.touched == 'true'"],
    ]);
    expect(steps(r).find((s) => s.name === 'nx run python:rehearse-release --specifier=patch')!.run).toBe('npx nx run python:rehearse-release --specifier=patch');
    expect(uses(r, 'actions/upload-artifact')[0].with).toMatchObject({ name: 'rehearsal-report-python', path: '.nx-wheels/reports/rehearsal/bindings/python/rehearsal-report.json' });
  });

  it('validate-release in branch mode may fail; the verdict step always runs and reads its outcome, codes, version and tag', () => {
    const check = stepById(job, 'release');
    expect(check.run).toBe('npx nx run python:validate-release --mode=branch');
    expect(check['continue-on-error']).toBe(true);
    const verdict = steps(job).at(-1)!;
    expect(verdict.name).toBe('Verdict');
    expect(verdict.if).toBeUndefined(); // runs after a failed check too (continue-on-error)
    expect(verdict.env).toEqual({
      OUTCOME: '${{ steps.release.outcome }}',
      CODES: '${{ steps.release.outputs.codes }}',
      VERSION: '${{ steps.release.outputs.version }}',
      TAG: '${{ steps.release.outputs.tag }}',
    });
    // (the verdict's decisions are run with bash in workflow-scripts.spec.ts)
  });
});

describe('release.yml', () => {
  const w = load('release.yml');
  const { build, merge, validate, release, publish } = w.jobs;

  it('runs for tags v*.*.*, by hand, and for pull requests that change this workflow or tools/ci', () => {
    expect(w.on).toEqual({
      push: { tags: ['v*.*.*'] },
      pull_request: { paths: ['.github/workflows/release.yml', 'tools/ci/**'] },
      workflow_dispatch: null,
    });
    for (const t of ['v1.2.3', 'v0.1.0', 'v1.4.0rc1', 'v2.0.0.dev3', 'v1.2.3.post1']) expect(globMatches('v*.*.*', t)).toBe(true);
    for (const t of ['v1.2', '1.2.3', 'release-1.2.3']) expect(globMatches('v*.*.*', t)).toBe(false);
    const paths = (w.on.pull_request as { paths: string[] }).paths;
    const triggers = (file: string) => paths.some((p) => globMatches(p, file));
    for (const f of ['.github/workflows/release.yml', 'tools/ci/npm-ci.mjs', 'tools/ci/project.json']) expect(triggers(f)).toBe(true);
    for (const f of ['.github/workflows/ci.yml', 'README.md', 'tools/nx-wheels/src/index.ts']) expect(triggers(f)).toBe(false);
  });

  it('a dry run (pull request) is cancelled by a newer push; a release never is', () => {
    expect(w.concurrency).toEqual({ group: 'release-${{ github.ref }}', 'cancel-in-progress': '${{ github.event_name == \'pull_request\' }}' });
    expect(evaluate(w.concurrency!['cancel-in-progress'] as string, PULL_REQUEST)).toBe(true);
    expect(evaluate(w.concurrency!['cancel-in-progress'] as string, TAG_PUSH)).toBe(false);
  });

  it('job graph: build -> merge -> validate -> (release || publish)', () => {
    expect(Object.keys(w.jobs).sort()).toEqual(['build', 'merge', 'publish', 'release', 'validate']);
    expect(needs(build)).toEqual([]);
    expect(needs(merge)).toEqual(['build']);
    expect(needs(validate)).toEqual(['merge']);
    expect(needs(release)).toEqual(['validate']);
    expect(needs(publish)).toEqual(['validate']);
    for (const j of [build, merge, validate]) expect(j.if).toBeUndefined();
  });

  it('build, merge and validate run for every trigger; release and publish only for a tag (pushed, or dispatched on a tag)', () => {
    const jobsFor = (g: GithubContext) => Object.entries(w.jobs).filter(([, j]) => runsFor(j, g)).map(([id]) => id).sort();
    expect(jobsFor(TAG_PUSH)).toEqual(['build', 'merge', 'publish', 'release', 'validate']);
    expect(jobsFor(TAG_DISPATCH)).toEqual(['build', 'merge', 'publish', 'release', 'validate']);
    expect(jobsFor(PULL_REQUEST)).toEqual(['build', 'merge', 'validate']);
    expect(jobsFor(BRANCH_DISPATCH)).toEqual(['build', 'merge', 'validate']);
    expect(jobsFor(BRANCH_PUSH)).toEqual(['build', 'merge', 'validate']); // (the trigger never fires for branches)
    expect(jobsFor({ event_name: 'pull_request', ref: 'refs/tags/v1.2.3' })).toEqual(['build', 'merge', 'validate']);
  });

  it('validate: on a tag the guard, validate-release, validate-wheels, the preflight and both uploads run; on a pull request only validate-wheels and the preflight (which may fail there)', () => {
    // (the pypi-upload upload depends on the preflight's outcome, not on the trigger: checked below)
    const stepsFor = (g: GithubContext) =>
      steps(validate).filter((s) => !s.if?.includes('steps.') && runsFor(s, g)).map((s) => s.id ?? s.name ?? s.uses!.split('@')[0]);
    const always = ['actions/checkout', 'actions/setup-node', 'actions/setup-python', INSTALL_STEP.name, 'actions/download-artifact', 'nx run python:validate-wheels --platforms=linux,windows', 'preflight'];
    expect(stepsFor(TAG_PUSH)).toEqual(['actions/checkout', 'on-default-branch', 'actions/setup-node', 'actions/setup-python', INSTALL_STEP.name, 'release', 'actions/download-artifact', 'nx run python:validate-wheels --platforms=linux,windows', 'preflight', 'actions/upload-artifact']);
    expect(stepsFor(TAG_DISPATCH)).toEqual(stepsFor(TAG_PUSH));
    expect(stepsFor(PULL_REQUEST)).toEqual(always);
    expect(stepsFor(BRANCH_DISPATCH)).toEqual(stepsFor(PULL_REQUEST));
    const preflight = stepById(validate, 'preflight');
    expect(evaluate(String(preflight['continue-on-error']), PULL_REQUEST)).toBe(true);
    for (const g of [TAG_PUSH, TAG_DISPATCH, BRANCH_DISPATCH]) expect(evaluate(String(preflight['continue-on-error']), g)).toBe(false);
    for (const s of steps(validate)) if (s !== preflight) expect(s['continue-on-error']).toBeUndefined();
  });

  it('least privilege: only release writes contents, only publish gets id-token (and nothing else), only publish uses the pypi environment', () => {
    expect(build.permissions).toEqual({ contents: 'read' });
    expect(merge.permissions).toEqual({});
    // actions: read for download-artifact by run id (a job re-run alone reads an earlier attempt's artifact)
    expect(validate.permissions).toEqual({ contents: 'read', actions: 'read' });
    expect(release.permissions).toEqual({ contents: 'write', actions: 'read' });
    expect(publish.permissions).toEqual({ 'id-token': 'write', actions: 'read' });
    expect(publish.environment).toEqual({ name: 'pypi', url: 'https://pypi.org/project/quiverdb/${{ needs.validate.outputs.version }}/' });
    for (const [id, job] of Object.entries(w.jobs)) {
      if (id !== 'publish') {
        expect(envName(job)).toBeUndefined();
        expect((job.permissions as Record<string, string>)['id-token']).toBeUndefined();
      }
      const writes = Object.entries(job.permissions as Record<string, string>).filter(([, v]) => v === 'write').map(([k]) => k);
      expect({ id, writes }).toEqual({ id, writes: id === 'release' ? ['contents'] : id === 'publish' ? ['id-token'] : [] });
    }
  });

  it('build: fresh wheels per platform on native runners through the executor with cibuildwheel', () => {
    expect(build.strategy?.['fail-fast']).toBe(false);
    expect(build.strategy?.matrix?.include).toEqual([
      { platform: 'linux', os: 'ubuntu-latest' },
      { platform: 'windows', os: 'windows-latest' },
    ]);
    expect(runs(build)).toContain('npx nx run python:build-wheels --engine=cibuildwheel --platform="$PLATFORM" --skip-nx-cache');
    // nothing restored from other runs
    expect(uses(build, 'actions/download-artifact')).toHaveLength(0);
    expect(uses(build, 'actions/cache')).toHaveLength(0);
    expect(uses(build, 'actions/upload-artifact')[0].with).toMatchObject({ name: 'wheels-${{ matrix.platform }}', path: WHEELHOUSE_FILES, 'if-no-files-found': 'error' });
  });

  it('merge: one `wheels` artifact, per-platform artifacts removed, kept 14 days', () => {
    expect(uses(merge, 'actions/upload-artifact/merge')[0].with).toEqual({ name: 'wheels', pattern: 'wheels-*', 'retention-days': 14, 'delete-merged': true });
  });

  it('validate: the default-branch guard first (full history), then validate-release in tag mode, validate-wheels for every platform, the publish preflight, artifact pypi-upload', () => {
    expect(uses(validate, 'actions/checkout')[0].with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
    const guard = stepById(validate, 'on-default-branch');
    expect(steps(validate).indexOf(guard)).toBe(1); // right after the checkout, before anything is installed
    expect(guard.env).toEqual({ DEFAULT_BRANCH: '${{ github.event.repository.default_branch }}', TAG: '${{ github.ref_name }}' });
    expect(guard.run).toMatch(/git merge-base --is-ancestor "\$GITHUB_SHA" "origin\/\$DEFAULT_BRANCH"/);
    // (its behaviour: workflow-scripts.spec.ts)
    const rel = stepById(validate, 'release');
    expect(rel.run).toMatch(/^npx nx run python:validate-release --mode=tag /);
    expect(validate.outputs).toEqual({
      version: '${{ steps.release.outputs.version }}',
      prerelease: '${{ steps.release.outputs.prerelease }}',
      uploads: '${{ steps.preflight.outputs.uploads }}',
      'upload-sums': '${{ steps.fingerprint.outputs.sha256 }}',
    });
    const fingerprint = stepById(validate, 'fingerprint');
    expect(fingerprint.if).toBe("steps.preflight.outcome == 'success'");
    expect(fingerprint['working-directory']).toBe('dist/pypi-upload');
    const dl = uses(validate, 'actions/download-artifact');
    expect(dl).toHaveLength(1);
    expect(dl[0].with).toEqual({ name: 'wheels', path: 'bindings/python/wheelhouse', ...BY_RUN });
    const vw = runs(validate).find((x) => x.includes('python:validate-wheels'))!;
    expect(vw).toMatch(/^npx nx run python:validate-wheels --platforms=linux,windows --exclude-task-dependencies .*--sha256sums=dist\/release\/SHA256SUMS/);
    const preflight = stepById(validate, 'preflight');
    expect(preflight.run).toBe('npx nx run python:publish --preflight --wheelDir=bindings/python/wheelhouse --uploadDir=dist/pypi-upload --exclude-task-dependencies');
    const i = (pred: (s: Step) => boolean) => steps(validate).findIndex(pred);
    // downloaded, then validated, then the preflight, then uploaded
    expect(i((s) => s.uses?.startsWith('actions/download-artifact@') ?? false)).toBeLessThan(i((s) => s.run?.includes('validate-wheels') ?? false));
    expect(i((s) => s.run?.includes('validate-wheels') ?? false)).toBeLessThan(i((s) => s === preflight));
    const ups = uses(validate, 'actions/upload-artifact');
    const meta = ups.find((s) => s.with!['name'] === 'release-metadata')!;
    expect(String(meta.with!['path'])).toMatch(/release-notes\.md[\s\S]*SHA256SUMS/);
    const upload = ups.find((s) => s.with!['name'] === 'pypi-upload')!;
    expect(upload.with).toEqual({ name: 'pypi-upload', path: 'dist/pypi-upload/', 'if-no-files-found': 'error', 'retention-days': 14 });
    expect(upload.if).toBe("steps.preflight.outcome == 'success'");
    expect(i((s) => s === preflight)).toBeLessThan(i((s) => s === upload));
  });

  it('release: GitHub Release with the changelog section as notes (generated notes as fallback), wheels and SHA256SUMS, pre-release for a/b/rc/dev', () => {
    const names = uses(release, 'actions/download-artifact').map((s) => s.with!['name']);
    expect(names.sort()).toEqual(['release-metadata', 'wheels']);
    // never replaces an asset (immutable releases refuse it): skip by sha256, upload what is missing
    expect(runs(release).join('\n')).not.toMatch(/--clobber/);
    expect(runs(release).join('\n')).toMatch(/gh release view "\$TAG" --json isDraft,assets/);
    const script = runs(release).join('\n');
    expect(script).toMatch(/gh release create "\$TAG" --verify-tag/);
    expect(script).toMatch(/--notes-file release\/release-notes\.md/);
    expect(script).toMatch(/--generate-notes/);
    expect(script).toMatch(/assets=\(wheels\/\*\.whl wheels\/\*\.tar\.gz release\/SHA256SUMS\)/);
    expect(script).toMatch(/shopt -s nullglob/);
    expect(script).toMatch(/if \[ "\$PRERELEASE" = true \]; then pre=\(--prerelease/);
    const step = steps(release).find((s) => s.run)!;
    expect(step.env).toMatchObject({ GH_TOKEN: '${{ github.token }}', PRERELEASE: '${{ needs.validate.outputs.prerelease }}', TAG: '${{ github.ref_name }}' });
  });

  it('publish: download pypi-upload, verify it against SHA256SUMS, pypa/gh-action-pypi-publish (pinned) with attestations; nothing else', () => {
    const all = steps(publish);
    expect(all.map((s) => s.uses?.split('@')[0] ?? `run:${s.id}`)).toEqual(['actions/download-artifact', 'run:verify', 'pypa/gh-action-pypi-publish']);
    const [dl, verify, upload] = all;
    expect(dl.with).toEqual({ name: 'pypi-upload', path: 'pypi-upload', ...BY_RUN });
    expect(verify['working-directory']).toBe('pypi-upload');
    expect(verify.env).toEqual({ EXPECTED_SUMS: '${{ needs.validate.outputs.upload-sums }}' });
    expect(verify.run).toMatch(/sha256sum -c --strict \.\.\/SHA256SUMS/);
    expect(upload.uses).toMatch(/^pypa\/gh-action-pypi-publish@[0-9a-f]{40}$/);
    expect(upload.with).toEqual({ 'packages-dir': 'pypi-upload/dist/', attestations: true, 'print-hash': true });
    expect(upload.if).toBe("steps.verify.outputs.count != '0'");
    // no checkout, no setup-*, no npm / npx / pip / python / our scripts, no GitHub token
    for (const s of all) expect(s.uses ?? '').not.toMatch(/^actions\/(checkout|setup-)/);
    const scripts = runs(publish).join('\n');
    expect(scripts).not.toMatch(/\b(npm|npx|node|pip3?|python3?|uv|nx)\b/);
    // the job's token (actions: read) goes to download-artifact only, never to a script or the publish action
    expect(JSON.stringify({ ...publish, steps: all.filter((s) => s !== dl) })).not.toMatch(/GH_TOKEN|github\.token|tools\//);
  });

  it('every download-artifact reads by run id with the job token, and its job may read actions (a job re-run alone finds an earlier attempt\'s artifact)', () => {
    const jobs = Object.entries(w.jobs).filter(([, j]) => uses(j, 'actions/download-artifact').length > 0);
    expect(jobs.map(([id]) => id).sort()).toEqual(['publish', 'release', 'validate']);
    for (const [id, job] of jobs) {
      for (const s of uses(job, 'actions/download-artifact')) expect({ id, with: s.with }).toEqual({ id, with: expect.objectContaining(BY_RUN) });
      expect({ id, actions: (job.permissions as Record<string, string>)['actions'] }).toEqual({ id, actions: 'read' });
    }
  });

  it('the artifact publish uploads is the one validate made after the preflight', () => {
    const made = uses(validate, 'actions/upload-artifact').map((s) => s.with!['name']);
    expect(made).toContain('pypi-upload');
    expect(uses(publish, 'actions/download-artifact').map((s) => s.with!['name'])).toEqual(['pypi-upload']);
  });

  it('every build and validation step is an Nx target (or the default-branch guard, or the fingerprint of SHA256SUMS)', () => {
    for (const job of [build, validate]) {
      for (const s of steps(job).filter((x) => x.run)) {
        if (s.id === 'on-default-branch') continue;
        if (s.id === 'fingerprint') {
          expect(s.run).toBe('echo "sha256=$(sha256sum SHA256SUMS | cut -c1-64)" >> "$GITHUB_OUTPUT"');
          continue;
        }
        expect(s.run).toMatch(/^(node tools\/ci\/npm-ci\.mjs|npx nx run python:[\w-]+ [\s\S]*)$/);
      }
    }
  });
});

describe('main-guard.yml', () => {
  const w = load('main-guard.yml');
  const job = Object.values(w.jobs)[0];

  it('runs on pushes to main only (branches filter only: tag pushes never trigger it)', () => {
    expect(w.on).toEqual({ push: { branches: ['main'] } });
  });

  it('reads pull requests and contents, nothing else', () => {
    expect(Object.keys(w.jobs)).toHaveLength(1);
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
  });

  it('asks GitHub, per pushed commit, for its merged pull request and points to branch protection', () => {
    const script = runs(job).join('\n');
    expect(script).toMatch(/compare\/\$BEFORE\.\.\.\$AFTER/);
    expect(script).toMatch(/repos\/\$REPO\/commits\/\$sha\/pulls/);
    expect(script).toMatch(/merged_at != null/);
    expect(script).toMatch(/settings\/branches/);
    expect(script).toMatch(/exit 1/);
  });

  it('the release workflow does not depend on it', () => {
    expect(text('release.yml')).not.toMatch(/workflow_run|main-guard|Main guard/);
  });
});

describe('ci:lint and the test command', () => {
  const project = JSON.parse(readFileSync(join(WORKSPACE, 'tools/ci/project.json'), 'utf8'));
  const lint = project.targets.lint;

  it('ci:lint runs actionlint then zizmor, cached on the workflows and both pins', () => {
    expect(project.name).toBe('ci');
    expect(lint.cache).toBe(true);
    expect(lint.options.commands).toEqual(['node tools/ci/actionlint.mjs', 'node tools/ci/zizmor.mjs']);
    expect(lint.options.parallel).toBe(false);
    expect(lint.inputs).toEqual(
      expect.arrayContaining(['{workspaceRoot}/.github/workflows/**/*', '{projectRoot}/actionlint.mjs', '{projectRoot}/zizmor.mjs', '{projectRoot}/zizmor-requirements.txt']),
    );
    const script = readFileSync(join(WORKSPACE, 'tools/ci/actionlint.mjs'), 'utf8');
    expect(script).toMatch(/ACTIONLINT_VERSION = 'v\d+\.\d+\.\d+'/);
    expect(script).toMatch(/github\.com\/rhysd\/actionlint\/cmd\/actionlint/);
  });

  it('zizmor is pinned to one version with sha256 hashes and installed binary-only with --require-hashes', () => {
    const req = readFileSync(join(WORKSPACE, 'tools/ci/zizmor-requirements.txt'), 'utf8');
    const lines = req.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines[0]).toMatch(/^zizmor==\d+\.\d+\.\d+ \\$/);
    const hashes = lines.slice(1).map((l) => l.trim().replace(/ \\$/, ''));
    expect(hashes.length).toBeGreaterThanOrEqual(2);
    for (const h of hashes) expect(h).toMatch(/^--hash=sha256:[0-9a-f]{64}$/);
    const script = readFileSync(join(WORKSPACE, 'tools/ci/zizmor.mjs'), 'utf8');
    expect(script).toMatch(/'--require-hashes', '--only-binary=:all:', '--no-deps'/);
    expect(script).toMatch(/\['--offline'/);
  });

  it('the README test command and .ci/run are the same command and include lint', () => {
    const readme = readFileSync(join(WORKSPACE, 'README.md'), 'utf8');
    const run = readFileSync(join(WORKSPACE, '.ci/run'), 'utf8');
    const cmd = /(npm install --no-audit --no-fund|node tools\/ci\/npm-ci\.mjs) && npx nx run-many -t [^\n]+/;
    const a = cmd.exec(run)![0];
    expect(readme).toContain(a);
    expect(a).toMatch(/-t lint typecheck test e2e /);
  });
});
