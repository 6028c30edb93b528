/**
 * The ci generator: this repository's workflows are its output (byte for byte, read from the real
 * workspace through Nx's file-system tree); two wheel projects each get artifacts, validation and a
 * publish job, and the result passes actionlint and zizmor (the pinned tools of `nx run ci:lint`);
 * the multi-project step that combines SHA256SUMS runs with real bash; bad input is one line.
 */
import { addProjectConfiguration, readNxJson, type Tree, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import bindingGenerator from '../../src/generators/binding/generator';
import ciGenerator, { CiGeneratorError, ciWorkflows, planCi, WORKFLOW_FILES } from '../../src/generators/ci/generator';
import { envName, evaluate, type GithubContext, globMatches, type Job, needs, runStepScript, type Step, steps, uses, type Workflow } from '../workflows/load';
import { WORKSPACE } from '../helpers/workspace';
import { commitAll, git as fixtureGit, PYPROJECT, write as fixtureWrite } from '../release/git-fixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FsTree } = require('nx/src/generators/tree') as typeof import('nx/src/generators/tree');

describe('wheel projects as the plugin infers them (real third-party layouts, no [tool.cibuildwheel])', () => {
  /** Three packages as their sdists ship them: a setuptools C extension, a flit pure package, a tool-only pyproject. */
  function thirdParty(plugins: unknown[]): Tree {
    const tree = createTreeWithEmptyWorkspace();
    updateNxJson(tree, { ...readNxJson(tree)!, plugins: plugins as never, release: { projectsRelationship: 'independent', releaseTag: { pattern: '{projectName}-v{version}' } } });
    tree.write('packages/markupsafe/pyproject.toml', '[build-system]\nrequires = ["setuptools>=70.1"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "MarkupSafe"\nversion = "3.0.2"\n');
    tree.write('packages/tomli/pyproject.toml', '[build-system]\nrequires = ["flit_core>=3.2.0,<4"]\nbuild-backend = "flit_core.buildapi"\n\n[project]\nname = "tomli"\nversion = "2.0.1"\n');
    tree.write('packages/skipped/pyproject.toml', '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "skipped"\nversion = "1.0.0"\n\n[tool.nx-wheels]\nskip = true\n');
    tree.write('tools/lint/pyproject.toml', '[tool.ruff]\nline-length = 100\n');
    return tree;
  }
  const platforms = (tree: Tree) => Object.fromEntries(planCi(tree, { defaultBranch: 'master' }).projects.map((q) => [q.name, q.platforms]));

  it('every pyproject.toml with a [build-system] is a project (skip = true and tool-only files are not); release platforms default to both', () => {
    expect(platforms(thirdParty(['@quiver/nx-wheels']))).toEqual({ markupsafe: ['linux', 'windows'], tomli: ['linux', 'windows'] });
  });

  it("each nx.json entry's include/exclude select its projects and its releasePlatforms apply to them alone", () => {
    const tree = thirdParty([
      { plugin: '@quiver/nx-wheels', include: ['packages/markupsafe/**'], options: { releasePlatforms: ['linux'] } },
      { plugin: '@quiver/nx-wheels', exclude: ['packages/markupsafe/**'] },
    ]);
    expect(platforms(tree)).toEqual({ markupsafe: ['linux'], tomli: ['linux', 'windows'] });
    // The generated release workflow builds markupsafe on Linux only.
    const release = ciWorkflows(tree)[WORKFLOW_FILES.release];
    expect(release).toContain('markupsafe');
    expect(planCi(tree, { defaultBranch: 'master' }).defaultBranch).toBe('master');
  });

  it('a file no entry selects is not a project', () => {
    expect(platforms(thirdParty([{ plugin: '@quiver/nx-wheels', include: ['packages/tomli/**'] }]))).toEqual({ tomli: ['linux', 'windows'] });
  });
});

describe('ci generator on this workspace', () => {
  it('reproduces .github/workflows/ci.yml, release.yml and release-readiness.yml byte for byte', () => {
    const tree = new FsTree(WORKSPACE, false);
    const files = ciWorkflows(tree);
    expect(Object.keys(files).sort()).toEqual([WORKFLOW_FILES.ci, WORKFLOW_FILES.releaseReadiness, WORKFLOW_FILES.release]);
    for (const [f, text] of Object.entries(files)) expect({ f, text }).toEqual({ f, text: readFileSync(join(WORKSPACE, f), 'utf8') });
    // Running it changes nothing, and --check passes.
    ciGenerator(tree);
    expect(tree.listChanges()).toEqual([]);
    expect(() => ciGenerator(tree, { check: true })).not.toThrow();
  });
});

/** A workspace with the real bindings/python pyproject and a second binding made by the binding generator. */
function twoProjects(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  const nxJson = readNxJson(tree)!;
  updateNxJson(tree, { ...nxJson, plugins: ['@quiver/nx-wheels'], release: { projects: ['python'], projectsRelationship: 'fixed', releaseTag: { pattern: 'v{version}' } } });
  tree.write('bindings/python/pyproject.toml', readFileSync(join(WORKSPACE, 'bindings/python/pyproject.toml'), 'utf8'));
  addProjectConfiguration(tree, 'mylib', { root: 'libs/mylib' });
  tree.write('libs/mylib/CMakeLists.txt', 'add_library(mylib STATIC a.cpp)\nadd_library(mylib::mylib ALIAS mylib)\n');
  bindingGenerator(tree, { name: 'mylib-py', library: 'mylib' });
  // A pyproject.toml without [tool.cibuildwheel] is not a wheel project.
  tree.write('tools/lint/pyproject.toml', '[tool.ruff]\nline-length = 100\n');
  return tree;
}

const yaml = (tree: Tree, f: string) => parse(tree.read(f, 'utf-8')!) as Workflow;
/** download-artifact by run id: a job re-run alone reads the artifact of an earlier attempt. */
const BY_RUN = { 'github-token': '${{ github.token }}', 'run-id': '${{ github.run_id }}' };
const PROJECTS = [
  { name: 'mylib-py', dist: 'mylib-py', wheelhouse: 'bindings/mylib-py/wheelhouse' },
  { name: 'python', dist: 'quiverdb', wheelhouse: 'bindings/python/wheelhouse' },
];

/**
 * actionlint and zizmor (the pinned tools of `nx run ci:lint`) over the tree's generated workflows,
 * written to a temporary .github/workflows: both must find nothing.
 */
function expectLintClean(tree: Tree): void {
  const dir = mkdtempSync(join(tmpdir(), 'ci-gen-'));
  try {
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    for (const f of Object.values(WORKFLOW_FILES)) writeFileSync(join(dir, f), tree.read(f, 'utf-8')!);
    const files = Object.values(WORKFLOW_FILES).map((f) => join(dir, f));
    const lint = spawnSync('node', ['tools/ci/actionlint.mjs', ...files], { cwd: WORKSPACE, encoding: 'utf8' });
    expect({ status: lint.status, out: lint.stdout + lint.stderr }).toEqual({ status: 0, out: expect.stringContaining('no findings') });
    const z = spawnSync('node', ['tools/ci/zizmor.mjs', join(dir, '.github/workflows')], { cwd: WORKSPACE, encoding: 'utf8' });
    expect({ status: z.status, out: z.stdout + z.stderr }).toEqual({ status: 0, out: expect.any(String) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ci generator with two wheel projects (python + a generated binding)', () => {
  let tree: Tree;
  let ci: Workflow;
  let rel: Workflow;
  beforeAll(() => {
    tree = twoProjects();
    ciGenerator(tree);
    ci = yaml(tree, WORKFLOW_FILES.ci);
    rel = yaml(tree, WORKFLOW_FILES.release);
  });

  it('ci.yml: build-wheels via nx affected uploads the wheels of both projects', () => {
    const up = uses(ci.jobs['build-wheels'], 'actions/upload-artifact')[0];
    expect(String(up.with!['path']).trim().split('\n')).toEqual(PROJECTS.flatMap((p) => [`${p.wheelhouse}/*.whl`, `${p.wheelhouse}/*.tar.gz`]));
    expect(steps(ci.jobs['build-wheels']).map((s) => s.run).filter(Boolean)).toContain('npx nx affected -t build-wheels --engine=cibuildwheel --platform="$PLATFORM"');
    // Not this repository: plain npm ci, no ci:lint comment.
    expect(tree.read(WORKFLOW_FILES.ci, 'utf-8')).not.toContain('tools/ci');
    expect(steps(ci.jobs['checks']).map((s) => s.run)).toContain('npm ci');
  });

  it('release.yml: each project is built fresh per platform and uploaded as its own artifact, merged into <project>-wheels', () => {
    const build = rel.jobs['build'];
    const runsOf = steps(build).map((s) => s.run).filter(Boolean);
    for (const p of PROJECTS) {
      expect(runsOf).toContain(`npx nx run ${p.name}:build-wheels --engine=cibuildwheel --platform="$PLATFORM" --skip-nx-cache`);
      const up = uses(build, 'actions/upload-artifact').find((s) => s.with!['name'] === `${p.name}-wheels-\${{ matrix.platform }}`)!;
      expect(String(up.with!['path']).trim().split('\n')).toEqual([`${p.wheelhouse}/*.whl`, `${p.wheelhouse}/*.tar.gz`]);
      expect(up.with!['if-no-files-found']).toBe('error');
      const merged = uses(rel.jobs['merge'], 'actions/upload-artifact/merge').find((s) => s.with!['name'] === `${p.name}-wheels`)!;
      expect(merged.with).toEqual({ name: `${p.name}-wheels`, pattern: `${p.name}-wheels-*`, 'retention-days': 14, 'delete-merged': true });
    }
    // `python-wheels-*` cannot take `mylib-py`'s artifacts and the other way round.
    expect(build.strategy!.matrix!.include).toEqual([{ platform: 'linux', os: 'ubuntu-latest' }, { platform: 'windows', os: 'windows-latest' }]);
  });

  it('validate: each project downloads its wheels into its own wheelhouse, validate-release, validate-wheels, the preflight, its own pypi-upload artifact', () => {
    const v = rel.jobs['validate'];
    const runsOf = steps(v).map((s) => s.run ?? '');
    for (const p of PROJECTS) {
      expect(uses(v, 'actions/download-artifact').map((s) => s.with)).toContainEqual({ name: `${p.name}-wheels`, path: p.wheelhouse, ...BY_RUN });
      expect(runsOf).toContain(`npx nx run ${p.name}:validate-release --mode=tag --notesFile=dist/release/${p.name}/release-notes.md`);
      expect(runsOf.find((r) => r.startsWith(`npx nx run ${p.name}:validate-wheels --platforms=linux,windows --exclude-task-dependencies`))).toContain(`--sha256sums=dist/release/${p.name}/SHA256SUMS`);
      const preflight = steps(v).find((s) => s.id === `preflight-${p.name}`)!;
      expect(preflight.run).toBe(`npx nx run ${p.name}:publish --preflight --wheelDir=${p.wheelhouse} --uploadDir=dist/pypi-upload/${p.name} --exclude-task-dependencies`);
      const upload = uses(v, 'actions/upload-artifact').find((s) => s.with!['name'] === `${p.name}-pypi-upload`)!;
      expect(upload.if).toBe(`steps.preflight-${p.name}.outcome == 'success'`);
      expect(upload.with!['path']).toBe(`dist/pypi-upload/${p.name}/`);
      expect(v.outputs![`upload-sums-${p.name}`]).toBe(`\${{ steps.fingerprint-${p.name}.outputs.sha256 }}`);
    }
    const meta = uses(v, 'actions/upload-artifact').find((s) => s.with!['name'] === 'release-metadata')!;
    expect(String(meta.with!['path']).trim().split('\n')).toEqual(['dist/release/release-notes.md', 'dist/release/SHA256SUMS', 'dist/release/mylib-py/validation-report.json', 'dist/release/python/validation-report.json']);
  });

  it('the step that combines both projects\' SHA256SUMS and release notes works (real bash)', () => {
    const step = steps(rel.jobs['validate']).find((s) => s.name === 'SHA256SUMS and release notes of every project')!;
    const dir = mkdtempSync(join(tmpdir(), 'ci-combine-'));
    try {
      for (const [p, sum, notes] of [['python', 'a'.repeat(64) + '  quiverdb-1.0.0.whl\n', '## 1.0.0\n- q\n'], ['mylib-py', 'b'.repeat(64) + '  mylib_py-1.0.0.whl\n', null]] as const) {
        mkdirSync(join(dir, 'dist/release', p), { recursive: true });
        writeFileSync(join(dir, 'dist/release', p, 'SHA256SUMS'), sum);
        if (notes) writeFileSync(join(dir, 'dist/release', p, 'release-notes.md'), notes);
      }
      const r = runStepScript(step, dir, {});
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, 'dist/release/SHA256SUMS'), 'utf8')).toBe(`${'b'.repeat(64)}  mylib_py-1.0.0.whl\n${'a'.repeat(64)}  quiverdb-1.0.0.whl\n`);
      expect(readFileSync(join(dir, 'dist/release/release-notes.md'), 'utf8')).toBe('## 1.0.0\n- q\n\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('one publish job per project: its artifact, its SHA256SUMS fingerprint, its PyPI page; only they get id-token, only release writes contents', () => {
    const ids = Object.keys(rel.jobs).sort();
    expect(ids).toEqual(['build', 'merge', 'publish-mylib-py', 'publish-python', 'release', 'validate']);
    for (const p of PROJECTS) {
      const job = rel.jobs[`publish-${p.name}`];
      expect(needs(job)).toEqual(['validate']);
      expect(job.permissions).toEqual({ 'id-token': 'write', actions: 'read' });
      expect(job.environment).toEqual({ name: 'pypi', url: `https://pypi.org/project/${p.dist}/\${{ needs.validate.outputs.version }}/` });
      expect(uses(job, 'actions/download-artifact').map((s) => s.with)).toEqual([{ name: `${p.name}-pypi-upload`, path: 'pypi-upload', ...BY_RUN }]);
      expect(steps(job).find((s) => s.id === 'verify')!.env).toEqual({ EXPECTED_SUMS: `\${{ needs.validate.outputs.upload-sums-${p.name} }}` });
      expect(uses(job, 'pypa/gh-action-pypi-publish')).toHaveLength(1);
    }
    for (const [id, job] of Object.entries(rel.jobs) as Array<[string, Job]>) {
      const writes = Object.entries((job.permissions ?? {}) as Record<string, string>).filter(([, x]) => x === 'write').map(([k]) => k);
      expect({ id, writes }).toEqual({ id, writes: id === 'release' ? ['contents'] : id.startsWith('publish-') ? ['id-token'] : [] });
      if (!id.startsWith('publish-')) expect(envName(job)).toBeUndefined();
    }
    expect(uses(rel.jobs['release'], 'actions/download-artifact').map((s) => s.with!['name']).sort()).toEqual(['mylib-py-wheels', 'python-wheels', 'release-metadata']);
    expect(tree.read(WORKFLOW_FILES.release, 'utf-8')).toContain('--title "mylib-py + quiverdb $VERSION"');
  });

  it('release-readiness.yml: validate-release in branch mode, one job per project, each naming its distribution', () => {
    const w = yaml(tree, WORKFLOW_FILES.releaseReadiness);
    expect(Object.keys(w.jobs).sort()).toEqual(['rehearse-release-mylib-py', 'rehearse-release-python', 'release-readiness-mylib-py', 'release-readiness-python']);
    for (const p of PROJECTS) expect(steps(w.jobs[`rehearse-release-${p.name}`]).at(-2)!.run).toBe(`npx nx run ${p.name}:rehearse-release --specifier=patch`);
    for (const p of PROJECTS) {
      const job = w.jobs[`release-readiness-${p.name}`];
      expect(job.permissions).toEqual({ contents: 'read' });
      const rel = steps(job).find((s) => s.id === 'release')!;
      expect(rel.run).toBe(`npx nx run ${p.name}:validate-release --mode=branch`);
      expect(rel['continue-on-error']).toBe(true);
      expect(steps(job).find((s) => s.name === 'Verdict')!.run).toContain(`Ready: ${p.dist} $VERSION can be released`);
    }
  });

  it('every action is pinned to a full commit SHA', () => {
    for (const f of Object.values(WORKFLOW_FILES)) {
      const lines = tree.read(f, 'utf-8')!.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(l).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d/);
    }
  });

  it('actionlint and zizmor (pinned, as nx run ci:lint runs them) find nothing in the generated workflows', () => {
    expectLintClean(tree);
  });

  it('a wheel project missing from nx.json release.projects is built by ci.yml but neither validated against the tag nor published', () => {
    const t = twoProjects();
    expect(readNxJson(t)!.release!.projects).toEqual(['python', 'mylib-py']);
    updateNxJson(t, { ...readNxJson(t)!, release: { ...readNxJson(t)!.release, projects: ['python'] } });
    ciGenerator(t);
    expect(t.read(WORKFLOW_FILES.release, 'utf-8')).not.toContain('mylib-py');
    expect(t.read(WORKFLOW_FILES.releaseReadiness, 'utf-8')).not.toContain('mylib-py');
    expect(t.read(WORKFLOW_FILES.ci, 'utf-8')).toContain('bindings/mylib-py/wheelhouse/*.whl');
    // globs and exclusions as nx release reads them
    updateNxJson(t, { ...readNxJson(t)!, release: { ...readNxJson(t)!.release, projects: ['*', '!python'] } });
    ciGenerator(t);
    expect(Object.keys(yaml(t, WORKFLOW_FILES.release).jobs)).toContain('publish');
    expect(t.read(WORKFLOW_FILES.release, 'utf-8')).not.toContain('python:');
    // the tag init writes (every inferred wheel project carries it) selects both; another tag none
    updateNxJson(t, { ...readNxJson(t)!, release: { ...readNxJson(t)!.release, projects: ['tag:type:python-wheels'] } });
    ciGenerator(t);
    expect(Object.keys(yaml(t, WORKFLOW_FILES.release).jobs)).toEqual(expect.arrayContaining(['publish-python', 'publish-mylib-py']));
    updateNxJson(t, { ...readNxJson(t)!, release: { ...readNxJson(t)!.release, projects: ['tag:scope:docs'] } });
    expect(() => ciGenerator(t)).toThrow(/names none of the wheel projects/);
  });

  it('a project that releases only linux builds only in the linux leg of the matrix', () => {
    const t = twoProjects();
    t.write('bindings/mylib-py/pyproject.toml', t.read('bindings/mylib-py/pyproject.toml', 'utf-8')!.replace('[tool.cibuildwheel]', '[tool.nx-wheels]\nrelease-platforms = ["linux"]\n\n[tool.cibuildwheel]'));
    ciGenerator(t);
    const w = yaml(t, WORKFLOW_FILES.release);
    const mine = steps(w.jobs['build']).filter((s) => s.run?.includes('mylib-py:') || s.with?.['name'] === 'mylib-py-wheels-${{ matrix.platform }}');
    expect(mine).toHaveLength(2);
    for (const s of mine) expect(s.if).toBe("matrix.platform == 'linux'");
    expect(steps(w.jobs['validate']).map((s) => s.run ?? '')).toContainEqual(expect.stringMatching(/^npx nx run mylib-py:validate-wheels --platforms=linux /));
  });
});

/**
 * A workspace in a real git repository (`git init -b master`, one commit: nx.json without
 * defaultBase and one wheel project), cloned from a bare "origin" whose HEAD is master, as a user's
 * clone of their repository is.
 */
function masterClone(): { seed: string; origin: string; ws: string } {
  const top = mkdtempSync(join(tmpdir(), 'ci-branch-'));
  const seed = join(top, 'seed');
  mkdirSync(seed);
  fixtureGit(seed, 'init', '-q', '-b', 'master');
  fixtureWrite(seed, 'nx.json', `${JSON.stringify({ plugins: ['@quiver/nx-wheels'] }, null, 2)}\n`);
  fixtureWrite(seed, 'packages/fast/pyproject.toml', PYPROJECT('1.0.0'));
  commitAll(seed, 'chore: workspace');
  fixtureGit(top, 'clone', '-q', '--bare', seed, 'origin.git');
  fixtureGit(top, 'clone', '-q', join(top, 'origin.git'), 'ws');
  return { seed, origin: join(top, 'origin.git'), ws: join(top, 'ws') };
}

describe('ci generator: the default branch comes from the repository, never a literal main', () => {
  const made: string[] = [];
  const savedGlobal = process.env['GIT_CONFIG_GLOBAL'];
  beforeAll(() => {
    // The machine's ~/.gitconfig must not decide these tests: an empty global config.
    const empty = mkdtempSync(join(tmpdir(), 'ci-gitconfig-'));
    made.push(empty);
    writeFileSync(join(empty, 'gitconfig'), '');
    process.env['GIT_CONFIG_GLOBAL'] = join(empty, 'gitconfig');
  });
  afterAll(() => {
    if (savedGlobal === undefined) delete process.env['GIT_CONFIG_GLOBAL'];
    else process.env['GIT_CONFIG_GLOBAL'] = savedGlobal;
    made.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  const fresh = () => {
    const r = masterClone();
    made.push(join(r.ws, '..'));
    return r;
  };
  /** ci.yml as the generator writes it into the workspace at `ws`, read back from the tree. */
  const ciOf = (ws: string, options = {}) => {
    const tree = new FsTree(ws, false);
    ciGenerator(tree, options);
    return tree.read(WORKFLOW_FILES.ci, 'utf-8')!;
  };
  const branchesOf = (text: string) => {
    const w = parse(text) as Workflow;
    const shas = uses(w.jobs['affected'], 'nrwl/nx-set-shas')[0];
    return { push: (w.on['push'] as { branches: string[] }).branches, nxSetShas: shas.with!['main-branch-name'] };
  };

  it('a clone whose origin HEAD is master gets master in the push trigger and in nx-set-shas, and no other branch name', () => {
    const { ws } = fresh();
    const text = ciOf(ws);
    expect(branchesOf(text)).toEqual({ push: ['master'], nxSetShas: 'master' });
    expect(text.split('\n')[0]).toBe('# CI for pushes to master and pull requests. Every step is an Nx target; `nx affected` (base/head');
    // "main" is left only in the docs anchor #protect-main and nx-set-shas' input name.
    expect(text.split('\n').filter((l) => /\bmain\b/.test(l.replace('#protect-main', '').replace('main-branch-name:', '')))).toEqual([]);
  });

  it('follows origin\'s HEAD when it moves (git remote set-head), and it wins over nx.json defaultBase', () => {
    const { ws } = fresh();
    fixtureGit(ws, 'branch', '-q', 'trunk');
    fixtureGit(ws, 'push', '-q', 'origin', 'trunk');
    fixtureGit(ws, 'remote', 'set-head', 'origin', 'trunk');
    fixtureWrite(ws, 'nx.json', `${JSON.stringify({ defaultBase: 'develop', plugins: ['@quiver/nx-wheels'] })}\n`);
    expect(branchesOf(ciOf(ws))).toEqual({ push: ['trunk'], nxSetShas: 'trunk' });
  });

  it('without origin/HEAD: nx.json defaultBase (or affected.defaultBase), else git config init.defaultBranch', () => {
    const { ws } = fresh();
    fixtureGit(ws, 'remote', 'remove', 'origin');
    fixtureWrite(ws, 'nx.json', `${JSON.stringify({ defaultBase: 'develop', plugins: ['@quiver/nx-wheels'] })}\n`);
    expect(branchesOf(ciOf(ws)).push).toEqual(['develop']);
    fixtureWrite(ws, 'nx.json', `${JSON.stringify({ affected: { defaultBase: 'stable' }, plugins: ['@quiver/nx-wheels'] })}\n`);
    expect(branchesOf(ciOf(ws)).push).toEqual(['stable']);
    fixtureWrite(ws, 'nx.json', `${JSON.stringify({ plugins: ['@quiver/nx-wheels'] })}\n`);
    fixtureGit(ws, 'config', 'init.defaultBranch', 'master');
    expect(branchesOf(ciOf(ws)).push).toEqual(['master']);
  });

  it('--defaultBranch wins over what the repository says', () => {
    const { ws } = fresh();
    expect(branchesOf(ciOf(ws, { defaultBranch: 'release/1.x' }))).toEqual({ push: ['release/1.x'], nxSetShas: 'release/1.x' });
  });

  it('nothing names a branch, or the option is not a branch name: one line, nothing written', () => {
    const { ws } = fresh();
    fixtureGit(ws, 'remote', 'remove', 'origin');
    const tree = new FsTree(ws, false);
    expect(() => ciGenerator(tree)).toThrow(new CiGeneratorError("ci: CI_DEFAULT_BRANCH_UNKNOWN: cannot tell the repository's default branch (no refs/remotes/origin/HEAD, no defaultBase in nx.json, no git config init.defaultBranch); pass --defaultBranch=<branch>, or run git remote set-head origin --auto.", 'CI_DEFAULT_BRANCH_UNKNOWN'));
    expect(() => ciGenerator(tree, { defaultBranch: 'a b' })).toThrow(/^ci: CI_DEFAULT_BRANCH_UNKNOWN: --defaultBranch is "a b", which is not a branch name the workflows can use .*; pass --defaultBranch=<branch>\.$/);
    expect(tree.listChanges()).toEqual([]);
  });
});

/** twoProjects() with mylib-py releasing only Linux wheels ([tool.nx-wheels] release-platforms). */
function linuxOnlyMylib(): Tree {
  const t = twoProjects();
  t.write('bindings/mylib-py/pyproject.toml', t.read('bindings/mylib-py/pyproject.toml', 'utf-8')!.replace('[tool.cibuildwheel]', '[tool.nx-wheels]\nrelease-platforms = ["linux"]\n\n[tool.cibuildwheel]'));
  return t;
}

describe('ci.yml honours each project\'s release platforms', () => {
  let tree: Tree;
  let ci: Workflow;
  beforeAll(() => {
    tree = linuxOnlyMylib();
    ciGenerator(tree);
    ci = yaml(tree, WORKFLOW_FILES.ci);
  });
  /** The affected job's build-legs step run with real bash for these affected projects: its matrix, summary and errors. */
  const legsFor = (projects: string) => {
    const step = steps(ci.jobs['affected']).find((s) => s.id === 'legs')!;
    const dir = mkdtempSync(join(tmpdir(), 'ci-legs-'));
    try {
      const r = runStepScript(step, dir, { PROJECTS: projects });
      const out = /^matrix=(.*)$/m.exec(r.output);
      return { status: r.status, matrix: out ? JSON.parse(out[1]) : null, errors: r.stdout.split('\n').filter((l) => l.startsWith('::error')), summary: r.summary };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('build-wheels runs the legs the affected job computes: each platform with the affected projects that release on it, through nx run-many', () => {
    expect(ci.jobs['build-wheels'].strategy!.matrix).toBe('${{ fromJSON(needs.affected.outputs.matrix) }}');
    expect(ci.jobs['affected'].outputs!['matrix']).toBe('${{ steps.legs.outputs.matrix }}');
    expect(ci.jobs['build-wheels'].env!['PROJECTS']).toBe('${{ matrix.projects }}');
    expect(steps(ci.jobs['build-wheels']).map((s) => s.run).filter(Boolean)).toContain('npx nx run-many -t build-wheels --projects="$PROJECTS" --engine=cibuildwheel --platform="$PLATFORM"');
    expect(steps(ci.jobs['affected']).find((s) => s.id === 'wheels')!.run).toContain('echo "projects=$projects" >> "$GITHUB_OUTPUT"');
  });

  it.each([
    ['only the Linux-only project is affected: a Linux leg and no Windows leg', 'mylib-py', [{ platform: 'linux', os: 'ubuntu-latest', projects: 'mylib-py' }]],
    ['only the two-platform project', 'python', [{ platform: 'linux', os: 'ubuntu-latest', projects: 'python' }, { platform: 'windows', os: 'windows-latest', projects: 'python' }]],
    ['both: the Windows leg builds only python', 'mylib-py python', [{ platform: 'linux', os: 'ubuntu-latest', projects: 'mylib-py,python' }, { platform: 'windows', os: 'windows-latest', projects: 'python' }]],
    ['none (build-wheels is skipped then)', '', []],
  ])('the build legs (real bash): %s', (_, projects, include) => {
    const r = legsFor(projects);
    expect({ status: r.status, matrix: r.matrix, errors: r.errors }).toEqual({ status: 0, matrix: { include }, errors: [] });
    for (const leg of include) expect(r.summary).toContain(`build-wheels (${leg.platform}): ${leg.projects}`);
  });

  it('a wheel project the workflow does not know (added since it was generated) stops the legs with one ::error line', () => {
    const r = legsFor('python newcomer');
    expect({ status: r.status, matrix: r.matrix }).toEqual({ status: 1, matrix: null });
    expect(r.errors).toEqual(['::error title=build legs::newcomer has a build-wheels target but this workflow does not know its release platforms; run nx g @quiver/nx-wheels:ci and commit the result.']);
  });

  it('when every project releases on every platform of the matrix, ci.yml keeps its fixed matrix and nx affected (this repository\'s shape)', () => {
    const t = twoProjects();
    ciGenerator(t);
    const w = yaml(t, WORKFLOW_FILES.ci);
    expect(steps(w.jobs['affected']).map((s) => s.id)).not.toContain('legs');
    expect(w.jobs['build-wheels'].strategy!.matrix!.include).toEqual([{ platform: 'linux', os: 'ubuntu-latest' }, { platform: 'windows', os: 'windows-latest' }]);
    // Only Linux-only projects: a Linux leg and nothing else.
    for (const f of ['bindings/mylib-py/pyproject.toml', 'bindings/python/pyproject.toml']) {
      t.write(f, t.read(f, 'utf-8')!.replace(/release-platforms = \[[^\]]*\]\n/, '').replace('[tool.cibuildwheel]', '[tool.nx-wheels]\nrelease-platforms = ["linux"]\n\n[tool.cibuildwheel]'));
    }
    ciGenerator(t);
    expect(yaml(t, WORKFLOW_FILES.ci).jobs['build-wheels'].strategy!.matrix!.include).toEqual([{ platform: 'linux', os: 'ubuntu-latest' }]);
    expect(steps(yaml(t, WORKFLOW_FILES.ci).jobs['build-wheels']).map((s) => s.run).filter(Boolean)).toContain('npx nx affected -t build-wheels --engine=cibuildwheel --platform="$PLATFORM"');
  });

  it('actionlint and zizmor find nothing in these workflows', () => {
    expectLintClean(tree);
  });
});

/**
 * Three wheel projects with independent releases, as init writes them for several packages
 * (`projectsRelationship: independent`, tag `{projectName}-v{version}`): python (linux and
 * windows), mylib-py (linux only) and other-py (a second generated binding).
 */
function independentThree(): Tree {
  const t = linuxOnlyMylib();
  addProjectConfiguration(t, 'otherlib', { root: 'libs/otherlib' });
  t.write('libs/otherlib/CMakeLists.txt', 'add_library(otherlib STATIC a.cpp)\nadd_library(otherlib::otherlib ALIAS otherlib)\n');
  bindingGenerator(t, { name: 'other-py', library: 'otherlib' });
  updateNxJson(t, { ...readNxJson(t)!, release: { projects: ['tag:type:python-wheels'], projectsRelationship: 'independent', releaseTag: { pattern: '{projectName}-v{version}' } } });
  return t;
}

describe('release.yml with independent releases: a tag releases the one project it names', () => {
  let tree: Tree;
  let rel: Workflow;
  const NAMES = ['mylib-py', 'other-py', 'python'];
  beforeAll(() => {
    tree = independentThree();
    ciGenerator(tree);
    rel = yaml(tree, WORKFLOW_FILES.release);
  });

  /** The resolve step run with real bash for an event and ref: its outputs, errors and summary. */
  const resolve = (event: string, ref: string) => {
    const step = steps(rel.jobs['resolve']).find((s) => s.id === 'resolve')!;
    const dir = mkdtempSync(join(tmpdir(), 'ci-resolve-'));
    try {
      const r = runStepScript(step, dir, { EVENT: event, REF: ref });
      const outputs = Object.fromEntries(r.output.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      return { status: r.status, outputs, errors: r.stdout.split('\n').filter((l) => l.startsWith('::error')), summary: r.summary };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const LINUX = { platform: 'linux', os: 'ubuntu-latest' };
  const WINDOWS = { platform: 'windows', os: 'windows-latest' };

  it('triggers on every project\'s tags; resolve runs first with no permissions and no checkout, and every later job needs it', () => {
    expect((rel.on['push'] as { tags: string[] }).tags).toEqual(NAMES.map((n) => `${n}-v*.*.*`));
    const r = rel.jobs['resolve'];
    expect({ permissions: r.permissions, needs: needs(r), uses: steps(r).filter((s) => s.uses) }).toEqual({ permissions: {}, needs: [], uses: [] });
    expect(Object.keys(rel.jobs).sort()).toEqual(['build', 'merge', 'publish-mylib-py', 'publish-other-py', 'publish-python', 'release', 'resolve', 'validate']);
    for (const [id, job] of Object.entries(rel.jobs)) if (id !== 'resolve') expect({ id, resolve: needs(job).includes('resolve') }).toEqual({ id, resolve: true });
    expect(rel.jobs['build'].strategy!.matrix).toBe('${{ fromJSON(needs.resolve.outputs.matrix) }}');
  });

  it.each([
    ['push', 'refs/tags/python-v1.2.3', 'python', 'quiverdb', [LINUX, WINDOWS]],
    ['push', 'refs/tags/mylib-py-v0.3.0rc1', 'mylib-py', 'mylib-py', [LINUX]],
    ['push', 'refs/tags/other-py-v2.0.0.post1', 'other-py', 'other-py', [LINUX, WINDOWS]],
    ['push', 'refs/tags/python-v1.2.3-rc.1', 'python', 'quiverdb', [LINUX, WINDOWS]],
    ['workflow_dispatch', 'refs/tags/mylib-py-v1.0.0.dev4', 'mylib-py', 'mylib-py', [LINUX]],
  ])('%s %s releases %s (%s) on its platforms only (real bash)', (event, ref, project, distribution, include) => {
    const r = resolve(event, ref);
    expect(r.errors).toEqual([]);
    expect({ status: r.status, outputs: r.outputs }).toEqual({ status: 0, outputs: { project, distribution, projects: JSON.stringify([project]), matrix: JSON.stringify({ include }) } });
    expect(r.summary).toContain(`tag ${ref.slice('refs/tags/'.length)} releases ${project} (${distribution} `);
    // GitHub starts the workflow for the tag: one of the push filters matches it.
    expect((rel.on['push'] as { tags: string[] }).tags.some((g) => globMatches(g, ref.slice('refs/tags/'.length)))).toBe(true);
  });

  it.each([
    ['pull_request', 'refs/pull/7/merge'],
    ['workflow_dispatch', 'refs/heads/master'],
  ])('%s on %s is a dry run of every project on every platform (real bash)', (event, ref) => {
    const r = resolve(event, ref);
    expect({ status: r.status, outputs: r.outputs }).toEqual({ status: 0, outputs: { project: '', distribution: '', projects: JSON.stringify(NAMES), matrix: JSON.stringify({ include: [LINUX, WINDOWS] }) } });
  });

  it.each([
    ['refs/tags/v1.2.3', 'v1.2.3'],
    ['refs/tags/python-vnext', 'python-vnext'],
    ['refs/tags/python-v1.2.3+local', 'python-v1.2.3+local'],
    ['refs/tags/PYTHON-v1.2.3', 'PYTHON-v1.2.3'],
    ['refs/tags/quiverdb-v1.2.3', 'quiverdb-v1.2.3'],
  ])('a tag that names no project stops the run with one ::error line: %s (real bash)', (ref, tag) => {
    const r = resolve('push', ref);
    expect(r.status).toBe(1);
    expect(r.errors).toEqual([`::error title=Release tag::tag ${tag} names no wheel project; a release tag is a project's prefix and its PEP 440 version (mylib-py-v<version>, other-py-v<version>, python-v<version>); push one of those, or run nx g @quiver/nx-wheels:ci if a project is missing here.`]);
  });

  /** Which jobs and steps run for these resolve outputs (on `platform` for the build job), by the workflow's own conditions. */
  const plan = (github: GithubContext, outputs: Record<string, string>, platform: string) => {
    const more = { needs: { resolve: outputs, validate: {} }, matrix: { platform } };
    const on = (x: { if?: string }) => x.if === undefined || evaluate(x.if, github, more);
    const named = (s: Step) => s.id ?? s.name ?? `${s.uses!.split('@')[0]}:${String(s.with?.['name'] ?? '')}`;
    const out: Record<string, string[]> = {};
    for (const [id, job] of Object.entries(rel.jobs)) {
      if (id === 'resolve' || !on(job)) continue;
      out[id] = steps(job).filter((s) => !s.if?.includes('steps.') && on(s)).map(named).filter((n) => !n.startsWith('actions/setup-') && /python|mylib|other|release|preflight|merge|on-default/.test(n));
    }
    return out;
  };

  it('the tag python-v1.2.3: only python is built, validated, released and published (its conditions, fed the real resolve outputs)', () => {
    const github = { event_name: 'push', ref: 'refs/tags/python-v1.2.3' };
    const r = resolve(github.event_name, github.ref);
    const onWindows = plan(github, r.outputs, 'windows');
    expect(Object.keys(onWindows).sort()).toEqual(['build', 'merge', 'publish-python', 'release', 'validate']);
    expect(onWindows['build']).toEqual(['nx run python:build-wheels (cibuildwheel, fresh)', 'actions/upload-artifact:python-wheels-${{ matrix.platform }}']);
    expect(onWindows['merge']).toEqual(['actions/upload-artifact/merge:python-wheels']);
    expect(onWindows['validate']).toEqual(['on-default-branch', 'release-python', 'actions/download-artifact:python-wheels', 'nx run python:validate-wheels --platforms=linux,windows', 'preflight-python', 'SHA256SUMS and release notes of every project', 'actions/upload-artifact:release-metadata']);
    expect(onWindows['release']).toEqual(['actions/download-artifact:python-wheels', 'actions/download-artifact:release-metadata', 'gh release create']);
  });

  it('the tag mylib-py-v0.3.0 (a Linux-only project): one Linux leg builds it; mylib-py is published, nothing else', () => {
    const github = { event_name: 'push', ref: 'refs/tags/mylib-py-v0.3.0' };
    const r = resolve(github.event_name, github.ref);
    expect(JSON.parse(r.outputs['matrix']).include).toEqual([LINUX]);
    const onLinux = plan(github, r.outputs, 'linux');
    expect(Object.keys(onLinux).sort()).toEqual(['build', 'merge', 'publish-mylib-py', 'release', 'validate']);
    expect(onLinux['build']).toEqual(['nx run mylib-py:build-wheels (cibuildwheel, fresh)', 'actions/upload-artifact:mylib-py-wheels-${{ matrix.platform }}']);
    expect(onLinux['validate']).toContain('release-mylib-py');
    expect(onLinux['validate']).not.toContain('release-python');
  });

  it('a pull request (dry run): every project is built on its platforms and validated; no release step, no GitHub Release, no publish', () => {
    const github = { event_name: 'pull_request', ref: 'refs/pull/7/merge' };
    const r = resolve(github.event_name, github.ref);
    const onWindows = plan(github, r.outputs, 'windows');
    expect(Object.keys(onWindows).sort()).toEqual(['build', 'merge', 'validate']);
    expect(onWindows['build'].filter((n) => n.startsWith('nx run'))).toEqual(['nx run other-py:build-wheels (cibuildwheel, fresh)', 'nx run python:build-wheels (cibuildwheel, fresh)']);
    expect(plan(github, r.outputs, 'linux')['build'].filter((n) => n.startsWith('nx run'))).toEqual(NAMES.map((n) => `nx run ${n}:build-wheels (cibuildwheel, fresh)`));
    expect(onWindows['validate'].filter((n) => n.startsWith('release') || n === 'on-default-branch')).toEqual([]);
    expect(onWindows['validate'].filter((n) => n.startsWith('preflight-'))).toEqual(NAMES.map((n) => `preflight-${n}`));
  });

  it('validate\'s version is the released project\'s; the GitHub Release is titled with its distribution; each publish job publishes its own project', () => {
    expect(rel.jobs['validate'].outputs!['version']).toBe(`\${{ ${NAMES.map((n) => `steps.release-${n}.outputs.version`).join(' || ')} }}`);
    const gh = steps(rel.jobs['release']).find((s) => s.name === 'gh release create')!;
    expect(gh.env!['DISTRIBUTION']).toBe('${{ needs.resolve.outputs.distribution }}');
    expect(gh.run).toContain('--title "$DISTRIBUTION $VERSION"');
    for (const n of NAMES) {
      const job = rel.jobs[`publish-${n}`];
      expect({ needs: needs(job), if: job.if, permissions: job.permissions }).toEqual({ needs: ['validate', 'resolve'], if: `needs.resolve.outputs.project == '${n}'`, permissions: { 'id-token': 'write', actions: 'read' } });
    }
  });

  it('the step that combines SHA256SUMS and release notes takes only the projects this run built (real bash)', () => {
    const step = steps(rel.jobs['validate']).find((s) => s.name === 'SHA256SUMS and release notes of every project')!;
    const dir = mkdtempSync(join(tmpdir(), 'ci-combine-'));
    try {
      mkdirSync(join(dir, 'dist/release/python'), { recursive: true });
      writeFileSync(join(dir, 'dist/release/python/SHA256SUMS'), `${'a'.repeat(64)}  quiverdb-1.2.3.whl\n`);
      writeFileSync(join(dir, 'dist/release/python/release-notes.md'), '## 1.2.3\n- fix\n');
      expect(runStepScript(step, dir, {}).status).toBe(0);
      expect(readFileSync(join(dir, 'dist/release/SHA256SUMS'), 'utf8')).toBe(`${'a'.repeat(64)}  quiverdb-1.2.3.whl\n`);
      expect(readFileSync(join(dir, 'dist/release/release-notes.md'), 'utf8')).toBe('## 1.2.3\n- fix\n\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('release-readiness.yml names each project\'s own tags', () => {
    const text = tree.read(WORKFLOW_FILES.releaseReadiness, 'utf-8')!;
    for (const n of NAMES) expect(text).toContain(`"the tag \${TAG:-${n}-v<version>} does not exist yet"`);
  });

  it('actionlint and zizmor find nothing in the independent workflows', () => {
    expectLintClean(tree);
  });

  it('one wheel project with its own tag pattern: release.yml triggers on its tags, resolves them, and needs no per-project conditions', () => {
    const t = createTreeWithEmptyWorkspace();
    updateNxJson(t, { ...readNxJson(t)!, plugins: ['@quiver/nx-wheels'], release: { projectsRelationship: 'independent', releaseTag: { pattern: '{projectName}@{version}' } } });
    t.write('bindings/python/pyproject.toml', readFileSync(join(WORKSPACE, 'bindings/python/pyproject.toml'), 'utf8'));
    ciGenerator(t);
    const w = yaml(t, WORKFLOW_FILES.release);
    expect((w.on['push'] as { tags: string[] }).tags).toEqual(['python@*.*.*']);
    expect(steps(w.jobs['build']).filter((s) => s.run?.startsWith('npx nx run python:build-wheels')).map((s) => s.if)).toEqual([undefined]);
    expect(w.jobs['publish'].if).toBe("needs.resolve.outputs.project == 'python'");
    expectLintClean(t);
  });
});

describe('ci generator: bad input is one line, nothing written', () => {
  const expectFailure = (tree: Tree, message: RegExp, options = {}) => {
    const before = tree.listChanges().map((c) => c.path);
    let error: unknown;
    try {
      ciGenerator(tree, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CiGeneratorError);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect((error as Error).message).toMatch(message);
    expect(tree.listChanges().map((c) => c.path)).toEqual(before);
  };

  it('no wheel project', () => {
    expectFailure(createTreeWithEmptyWorkspace(), /^ci: CI_NO_WHEEL_PROJECT: no wheel project in this workspace \(no pyproject\.toml with a \[build-system\] or \[tool\.cibuildwheel\] table that this plugin's nx\.json entries select\); add one with nx g @quiver\/nx-wheels:binding/);
  });

  it('a tag pattern the workflows cannot read (text after {version}, another placeholder)', () => {
    const tree = twoProjects();
    updateNxJson(tree, { ...readNxJson(tree)!, release: { releaseTag: { pattern: 'release-{version}-final' } } });
    expectFailure(tree, /^ci: CI_BAD_RELEASE_CONFIG: nx\.json release\.releaseTag\.pattern is "release-\{version\}-final"; the release workflow reads tags <text>\{version\}, .* so use such a pattern\.$/);
    updateNxJson(tree, { ...readNxJson(tree)!, release: { releaseTag: { pattern: '{projectName}-{releaseTag}-{version}' } } });
    expectFailure(tree, /^ci: CI_BAD_RELEASE_CONFIG: nx\.json release\.releaseTag\.pattern is "\{projectName\}-\{releaseTag\}-\{version\}"; /);
  });

  it('independent releases of several projects with one tag for all (no {projectName})', () => {
    const tree = twoProjects();
    updateNxJson(tree, { ...readNxJson(tree)!, release: { projectsRelationship: 'independent', releaseTag: { pattern: 'v{version}' } } });
    expectFailure(tree, /^ci: CI_BAD_RELEASE_CONFIG: nx\.json release\.projectsRelationship is "independent" but release\.releaseTag\.pattern "v\{version\}" has no \{projectName\}, so 2 projects would share one tag per version; use "\{projectName\}-v\{version\}"\.$/);
  });

  it('a project name the workflows cannot carry', () => {
    const tree = twoProjects();
    // Named after its directory: no [tool.nx-wheels].project-name to check it.
    tree.write('bindings/c++/pyproject.toml', tree.read('bindings/mylib-py/pyproject.toml', 'utf-8')!);
    expectFailure(tree, /^ci: CI_BAD_PROJECT: bindings\/c\+\+\/pyproject\.toml: the project name "c\+\+" has characters the workflows cannot carry; set \[tool\.nx-wheels\]\.project-name to /);
  });

  it('a bad plugin option (the plugin\'s own check, as one line)', () => {
    const tree = twoProjects();
    updateNxJson(tree, { ...readNxJson(tree)!, plugins: [{ plugin: '@quiver/nx-wheels', options: { buildWheelsTargetName: 'a:b' } }] });
    expectFailure(tree, /^ci: PLUGIN_OPTION_INVALID: .*buildWheelsTargetName/);
  });

  it('release.projects that names no wheel project', () => {
    const tree = twoProjects();
    updateNxJson(tree, { ...readNxJson(tree)!, release: { projects: ['docs'] } });
    expectFailure(tree, /^ci: CI_BAD_RELEASE_CONFIG: nx\.json release\.projects \(\["docs"\]\) names none of the wheel projects \(mylib-py, python\); add them so that a release tag publishes them\.$/);
  });

  it('--check on stale workflows names them', () => {
    const tree = twoProjects();
    tree.write(WORKFLOW_FILES.ci, 'name: CI\n');
    expectFailure(tree, /^ci: CI_WORKFLOWS_STALE: \.github\/workflows\/ci\.yml, \.github\/workflows\/release\.yml and \.github\/workflows\/release-readiness\.yml differ from the generator's output; run nx g @quiver\/nx-wheels:ci and commit the result\.$/, { check: true });
  });
});
