/**
 * The GitHub workflows' invariants, read from the YAML itself: triggers, job graph, permissions
 * per job, the PyPI environment, artifact names and retention, pinned actions, and that every
 * step that builds, validates or publishes is an Nx target (no inline build scripts, no tokens).
 * actionlint (nx run ci:lint) checks the syntax and expressions; this checks the design.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE } from '../helpers/workspace';

type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string; 'continue-on-error'?: boolean };
type Job = {
  name?: string;
  needs?: string | string[];
  if?: string;
  'runs-on'?: string;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string; url?: string };
  strategy?: { 'fail-fast'?: boolean; matrix?: { include?: Array<Record<string, string>> } };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps?: Step[];
};
type Workflow = { name: string; on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> };

const DIR = join(WORKSPACE, '.github', 'workflows');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (f: string) => readFileSync(join(DIR, f), 'utf8');
const load = (f: string) => parse(text(f)) as Workflow;

const needs = (j: Job) => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);
const steps = (j: Job) => j.steps ?? [];
const runs = (j: Job) => steps(j).filter((s) => s.run).map((s) => s.run!);
const uses = (j: Job, action: string) => steps(j).filter((s) => s.uses?.split('@')[0] === action);
/** What a build uploads: the wheels, and the sdist when the build-wheels sdist option is on. */
const WHEELHOUSE_FILES = 'bindings/python/wheelhouse/*.whl\nbindings/python/wheelhouse/*.tar.gz\n';
const envName = (j: Job) => (typeof j.environment === 'string' ? j.environment : j.environment?.name);

/** GitHub's filter glob for refs: `*` matches any characters except `/`. */
function globMatches(pattern: string, ref: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*') + '$');
  return re.test(ref);
}

describe('every workflow', () => {
  it('there are the three workflows', () => {
    expect(FILES).toEqual(['ci.yml', 'main-guard.yml', 'release.yml']);
  });

  it.each(FILES)('%s: permissions {} at the top, explicit permissions on every job', (f) => {
    const w = load(f);
    expect(w.permissions).toEqual({});
    for (const [id, job] of Object.entries(w.jobs)) {
      expect({ id, permissions: job.permissions }).toEqual({ id, permissions: expect.any(Object) });
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

  it.each(FILES)('%s: dependencies are installed with npm install (the lockfile lacks other platforms\' native binaries)', (f) => {
    for (const job of Object.values(load(f).jobs)) {
      for (const r of runs(job)) {
        expect(r).not.toMatch(/\bnpm ci\b/);
        if (/\bnpm install\b/.test(r)) expect(r.trim()).toBe('npm install --no-audit --no-fund');
      }
    }
  });

  it.each(FILES)('%s: no inline build, upload or packaging scripts (Nx targets do that)', (f) => {
    for (const job of Object.values(load(f).jobs)) {
      for (const r of runs(job)) {
        expect(r).not.toMatch(/(?<!=)\bcibuildwheel\b|\btwine\b|python3? -m (build|pip)|\bpip install\b|auditwheel|cmake /);
      }
    }
  });
});

describe('ci.yml', () => {
  const w = load('ci.yml');
  const { affected, checks, 'build-wheels': build, 'merge-wheels': merge, 'release-readiness': readiness } = w.jobs;

  it('runs on pushes to main and on pull requests', () => {
    expect(w.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
  });

  it('derives base and head with nrwl/nx-set-shas (full history) and hands them to the other jobs', () => {
    expect(uses(affected, 'nrwl/nx-set-shas')).toHaveLength(1);
    expect(uses(affected, 'actions/checkout')[0].with).toMatchObject({ 'fetch-depth': 0 });
    expect(affected.permissions).toEqual({ contents: 'read', actions: 'read' });
    for (const job of [checks, build]) {
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

  it('pull requests run validate-release in branch mode (its summary goes to the job summary)', () => {
    expect(readiness.if).toBe("github.event_name == 'pull_request'");
    expect(readiness.permissions).toEqual({ contents: 'read' });
    expect(uses(readiness, 'actions/checkout')[0].with).toMatchObject({ 'fetch-depth': 0 });
    const check = steps(readiness).find((s) => s.id === 'release')!;
    expect(check.run).toBe('npx nx run python:validate-release --mode=branch');
    // a failure stands unless the version is an already released one (the PR does not release)
    const verdict = steps(readiness).find((s) => s.if === "steps.release.outcome == 'failure'")!;
    expect(verdict.run).toMatch(/refs\/tags\/v\$VERSION/);
    expect(verdict.run).toMatch(/exit 1/);
    expect(verdict.run).toMatch(/GITHUB_STEP_SUMMARY/);
  });

  it('no job may write or request an OIDC token, and none uses an environment', () => {
    for (const job of Object.values(w.jobs)) {
      expect(Object.values(job.permissions as object)).not.toContain('write');
      expect(job.environment).toBeUndefined();
    }
  });
});

describe('release.yml', () => {
  const w = load('release.yml');
  const { build, merge, validate, release, publish } = w.jobs;

  it('runs for tags v*.*.* and by hand, never for branches', () => {
    expect(w.on).toEqual({ push: { tags: ['v*.*.*'] }, workflow_dispatch: null });
    for (const t of ['v1.2.3', 'v0.1.0', 'v1.4.0rc1', 'v2.0.0.dev3', 'v1.2.3.post1']) expect(globMatches('v*.*.*', t)).toBe(true);
    for (const t of ['v1.2', '1.2.3', 'release-1.2.3']) expect(globMatches('v*.*.*', t)).toBe(false);
  });

  it('job graph: build -> merge -> validate -> (release || publish)', () => {
    expect(Object.keys(w.jobs).sort()).toEqual(['build', 'merge', 'publish', 'release', 'validate']);
    expect(needs(build)).toEqual([]);
    expect(needs(merge)).toEqual(['build']);
    expect(needs(validate)).toEqual(['merge']);
    expect(needs(release)).toEqual(['validate']);
    expect(needs(publish)).toEqual(['validate']);
    for (const j of [merge, validate, release, publish]) expect(j.if).toBeUndefined();
  });

  it('least privilege: only release writes contents, only publish gets id-token, only publish uses the pypi environment', () => {
    expect(build.permissions).toEqual({ contents: 'read' });
    expect(merge.permissions).toEqual({});
    expect(validate.permissions).toEqual({ contents: 'read' });
    expect(release.permissions).toEqual({ contents: 'write' });
    expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(envName(publish)).toBe('pypi');
    for (const [id, job] of Object.entries(w.jobs)) {
      if (id !== 'publish') {
        expect(envName(job)).toBeUndefined();
        expect((job.permissions as Record<string, string>)['id-token']).toBeUndefined();
      }
      if (id !== 'release') expect((job.permissions as Record<string, string>)['contents']).not.toBe('write');
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

  it('merge: one `wheels` artifact, per-platform artifacts removed, kept 14 days so a failed publish can be re-run on the same bytes', () => {
    expect(uses(merge, 'actions/upload-artifact/merge')[0].with).toEqual({ name: 'wheels', pattern: 'wheels-*', 'retention-days': 14, 'delete-merged': true });
  });

  it('validate: validate-release in tag mode, then validate-wheels expecting both platforms on the downloaded wheels', () => {
    const r = runs(validate);
    const rel = steps(validate).find((s) => s.id === 'release')!;
    expect(rel.run).toMatch(/^npx nx run python:validate-release --mode=tag /);
    expect(validate.outputs).toEqual({ version: '${{ steps.release.outputs.version }}', prerelease: '${{ steps.release.outputs.prerelease }}' });
    const dl = uses(validate, 'actions/download-artifact');
    expect(dl).toHaveLength(1);
    expect(dl[0].with).toEqual({ name: 'wheels', path: 'bindings/python/wheelhouse' });
    const vw = r.find((x) => x.includes('python:validate-wheels'))!;
    expect(vw).toMatch(/^npx nx run python:validate-wheels --platforms=linux,windows --exclude-task-dependencies/);
    // the wheels are downloaded before they are validated
    const i = (pred: (s: Step) => boolean) => steps(validate).findIndex(pred);
    expect(i((s) => s.uses?.startsWith('actions/download-artifact@') ?? false)).toBeLessThan(i((s) => s.run?.includes('validate-wheels') ?? false));
    const meta = uses(validate, 'actions/upload-artifact')[0].with!;
    expect(meta['name']).toBe('release-metadata');
    expect(String(meta['path'])).toMatch(/release-notes\.md[\s\S]*SHA256SUMS/);
  });

  it('release: GitHub Release with the changelog section as notes (generated notes as fallback), wheels and SHA256SUMS, pre-release for a/b/rc/dev', () => {
    const names = uses(release, 'actions/download-artifact').map((s) => s.with!['name']);
    expect(names.sort()).toEqual(['release-metadata', 'wheels']);
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

  it('publish: trusted publishing through nx run python:publish on the validated wheels', () => {
    expect(runs(publish)).toContain('npx nx run python:publish --platforms=linux,windows --exclude-task-dependencies');
    expect(uses(publish, 'actions/download-artifact')[0].with).toEqual({ name: 'wheels', path: 'bindings/python/wheelhouse' });
    expect(uses(publish, 'pypa/gh-action-pypi-publish')).toHaveLength(0);
    expect(JSON.stringify(publish)).not.toMatch(/GH_TOKEN|github\.token/);
  });

  it('every build, validation and publication step is an Nx target', () => {
    for (const job of [build, validate, publish]) {
      for (const r of runs(job)) expect(r).toMatch(/^(npm install --no-audit --no-fund|npx nx run python:[\w-]+ [\s\S]*)$/);
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
  it('ci:lint is cached on the workflows and the pinned actionlint, installed with go install', () => {
    const project = JSON.parse(readFileSync(join(WORKSPACE, 'tools/ci/project.json'), 'utf8'));
    expect(project.name).toBe('ci');
    const lint = project.targets.lint;
    expect(lint.cache).toBe(true);
    expect(lint.inputs).toEqual(expect.arrayContaining(['{workspaceRoot}/.github/workflows/**/*', '{projectRoot}/actionlint.mjs']));
    const script = readFileSync(join(WORKSPACE, 'tools/ci/actionlint.mjs'), 'utf8');
    expect(script).toMatch(/ACTIONLINT_VERSION = 'v\d+\.\d+\.\d+'/);
    expect(script).toMatch(/github\.com\/rhysd\/actionlint\/cmd\/actionlint/);
  });

  it('the README test command and .ci/run are the same command and include lint', () => {
    const readme = readFileSync(join(WORKSPACE, 'README.md'), 'utf8');
    const run = readFileSync(join(WORKSPACE, '.ci/run'), 'utf8');
    const cmd = /npm install --no-audit --no-fund && npx nx run-many -t [^\n]+/;
    const a = cmd.exec(run)![0];
    expect(readme).toContain(a);
    expect(a).toMatch(/-t lint typecheck test e2e /);
  });
});
