/**
 * The binding generator for real: generate a second binding of libs/quiver into a temporary copy
 * of this workspace (Nx's file-system tree, as `nx g` writes it), then real Nx infers the
 * project's targets and its edge to the library, and `nx run <name>:build-wheels` builds and tests
 * one real wheel with the project's own test suite (native engine, no edits to the output), which
 * validate-wheels then passes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import bindingGenerator from '../../src/generators/binding/generator';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, git, nx } from '../helpers/workspace';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FsTree, flushChanges } = require('nx/src/generators/tree') as typeof import('nx/src/generators/tree');

const NAME = 'quiver-extra';

describe('binding generator in a copy of this workspace (real Nx, real wheel build)', () => {
  let ws: string;

  beforeAll(async () => {
    await ensureWorkspaceToolchain();
    ws = copyWorkspace('quiver-binding-');
    const tree = new FsTree(ws, false);
    const done = bindingGenerator(tree, { name: NAME, library: 'quiver' });
    flushChanges(ws, tree.listChanges());
    if (typeof done === 'function') await done();
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'feat: quiver-extra binding');
  }, 900_000);

  afterAll(() => {
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('is in nx.json release.projects beside python', () => {
    const nxJson = JSON.parse(readFileSync(join(ws, 'nx.json'), 'utf8'));
    expect(nxJson.release.projects).toEqual(['python', NAME]);
  });

  it('nx infers its wheel targets, with the test target on its own tests, and the edge to the quiver library', () => {
    const shown = nx(ws, ['show', 'project', NAME, '--json']);
    expect(shown.status).toBe(0);
    const project = JSON.parse(shown.stdout);
    expect(project.root).toBe('bindings/quiver-extra');
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['build-wheels', 'validate-wheels', 'publish', 'nx-release-publish', 'validate-release']));
    const testInputs = JSON.stringify(project.targets.test.inputs);
    expect(testInputs).toContain('"{projectRoot}/tests/**/*"');
    expect(testInputs).not.toContain('bindings/python/tests');
    const graphFile = join(ws, 'graph.json');
    const g = nx(ws, ['graph', `--file=${graphFile}`]);
    expect(g.status).toBe(0);
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')).graph;
    expect(graph.dependencies[NAME].map((d: { target: string }) => d.target)).toContain('quiver');
    // The edge the generator adds is this project's own, not a copy of python's.
    expect(graph.dependencies['python'].map((d: { target: string }) => d.target)).not.toContain(NAME);
  });

  it('nx run quiver-extra:build-wheels builds and tests one wheel with the generated test suite', () => {
    const r = nx(ws, ['run', `${NAME}:build-wheels`]);
    if (r.status !== 0) console.log(r.stdout.slice(-4000), r.stderr.slice(-4000));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('- cp313-manylinux_x86_64');
    expect(r.stdout).toMatch(/\[test cp313-manylinux_x86_64\] .*passed/);
    const wheels = readdirSync(join(ws, 'bindings/quiver-extra/wheelhouse')).filter((f) => f.endsWith('.whl'));
    expect(wheels).toHaveLength(1);
    expect(wheels[0]).toMatch(/^quiver_extra-0\.1\.0-cp313-cp313-manylinux_2_\d+_x86_64\.whl$/);
    const report = JSON.parse(readFileSync(join(ws, 'bindings/quiver-extra/wheelhouse/build-report.json'), 'utf8'));
    expect(report.wheels).toEqual([expect.objectContaining({ file: wheels[0], identifier: 'cp313-manylinux_x86_64', tests: 'passed' })]);
    // Only the package and its extension module (install component "python"), none of the library's install rules.
    const listing = execFileSync('python3', ['-m', 'zipfile', '-l', join(ws, 'bindings/quiver-extra/wheelhouse', wheels[0])], { encoding: 'utf8' });
    const names = listing.split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter((n) => n && !n.endsWith('/'));
    expect(names.filter((n) => !n.startsWith('quiver_extra-0.1.0.dist-info/')).sort()).toEqual([
      'quiver_extra/__init__.py',
      expect.stringMatching(/^quiver_extra\/_core\.cpython-313-x86_64-linux-gnu\.so$/),
    ]);
    const pyproject = parse(readFileSync(join(ws, 'bindings/quiver-extra/pyproject.toml'), 'utf8')) as { tool: { cibuildwheel: { 'test-command': string } } };
    expect(pyproject.tool.cibuildwheel['test-command']).toContain('{project}/bindings/quiver-extra/tests');
  });

  it('nx run quiver-extra:validate-wheels --platforms=linux passes on that wheel (no rebuild)', () => {
    const r = nx(ws, ['run', `${NAME}:validate-wheels`, '--platforms=linux', '--exclude-task-dependencies']);
    if (r.status !== 0) console.log(r.stdout.slice(-4000), r.stderr.slice(-4000));
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(ws, 'bindings/quiver-extra/wheelhouse/validation-report.json'), 'utf8'));
    expect(JSON.stringify(report)).toContain('quiver_extra-0.1.0-cp313-cp313-manylinux_');
  });
});
