/**
 * `nx affected` on the real project graph, in a temporary git copy of the workspace: which
 * projects a change marks, and so which CI jobs run (ci.yml builds wheels only when a project
 * with build-wheels is affected). Graph only, nothing is built; the cache behaviour of the test
 * target is proven by test/e2e/affected-test-target.e2e.spec.ts.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, edit, git, nx } from '../helpers/workspace';

let ws: string;

beforeAll(() => {
  ws = copyWorkspace('quiver-affected-');
}, 120_000);

afterAll(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
});

/** Commit a change and list the projects affected between HEAD~1 and HEAD. */
function affectedBy(change: () => void, message: string): string[] {
  change();
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', message);
  const args = ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json'];
  const r = nx(ws, args);
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as string[]).sort();
}

/** Projects with build-wheels affected by the last commit (what ci.yml's affected job asks). */
function wheelProjects(): string[] {
  const r = nx(ws, ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--withTarget=build-wheels', '--json']);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as string[];
}

const append = (file: string, line: string) => edit(join(ws, file), (t) => `${t}\n${line}\n`);
// Docs-only changes must stay cheap: the first case runs before any of the pipeline cases below.

describe('nx affected between two commits', () => {
  it('a docs-only change affects nothing, so no wheel build', () => {
    const affected = affectedBy(() => {
      append('docs/validation-codes.md', 'A docs-only edit.');
      writeFileSync(join(ws, 'docs/new-page.md'), '# new\n');
      append('README.md', 'Another docs edit.');
    }, 'docs: edit');
    expect(affected).toEqual([]);
    expect(wheelProjects()).toEqual([]);
  });

  it('a change under libs/quiver affects quiver and python (through the CMake edge)', () => {
    const affected = affectedBy(() => append('libs/quiver/src/index.cpp', '// touched'), 'feat(quiver): touch');
    expect(affected).toEqual(['python', 'quiver']);
    expect(wheelProjects()).toEqual(['python']);
  });

  it("a change to the plugin's source affects python (the plugin builds its wheels)", () => {
    const affected = affectedBy(() => append('tools/nx-wheels/src/core/pep440.ts', '// touched'), 'fix(nx-wheels): touch');
    expect(affected).toEqual(['nx-wheels', 'python']);
    expect(wheelProjects()).toEqual(['python']);
  });

  it('a change to the binding tests affects python only', () => {
    const affected = affectedBy(() => append('bindings/python/tests/test_package.py', '# touched'), 'test(python): touch');
    expect(affected).toEqual(['python']);
  });

  it('a workflow-only change affects ci (actionlint), nx-wheels (its test and e2e inputs: the workflow tests) and python (the wheelPipeline named input), so the wheel legs run', () => {
    const affected = affectedBy(() => append('.github/workflows/ci.yml', '# touched'), 'ci: touch');
    expect(affected).toEqual(['ci', 'nx-wheels', 'python']);
    expect(wheelProjects()).toEqual(['python']);
  });

  it('a lockfile-only change affects python (with Nx default rule for lockfiles, every project)', () => {
    // Whitespace only: still valid JSON, no package changes.
    const affected = affectedBy(() => edit(join(ws, 'package-lock.json'), (t) => `${t.trimEnd()}\n\n`), 'chore: lockfile whitespace');
    expect(affected).toContain('python');
    expect(wheelProjects()).toEqual(['python']);
  });

  it('a root package.json-only change (no dependency change) affects exactly python', () => {
    const affected = affectedBy(
      () => edit(join(ws, 'package.json'), (t) => JSON.stringify({ ...JSON.parse(t), scripts: { ...JSON.parse(t).scripts, hello: 'echo hello' } }, null, 2) + '\n'),
      'chore: add a script',
    );
    expect(affected).toEqual(['python']);
    expect(wheelProjects()).toEqual(['python']);
  });

  it("with Nx's lockfile rule narrowed to changed packages ('auto'), a lockfile-only change still affects python: the named input does it", () => {
    affectedBy(
      () => edit(join(ws, 'nx.json'), (t) => JSON.stringify({ ...JSON.parse(t), pluginsConfig: { '@nx/js': { projectsAffectedByDependencyUpdates: 'auto' } } }, null, 2) + '\n'),
      'chore: auto lockfile rule',
    );
    const affected = affectedBy(() => edit(join(ws, 'package-lock.json'), (t) => `${t.trimEnd()}\n`), 'chore: lockfile whitespace again');
    expect(affected).toEqual(['python']);
    expect(wheelProjects()).toEqual(['python']);
  });

  it('only python has build-wheels, so `nx affected -t build-wheels --engine=...` reaches exactly one project', () => {
    const r = nx(ws, ['show', 'projects', '--withTarget=build-wheels', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual(['python']);
  });
});
