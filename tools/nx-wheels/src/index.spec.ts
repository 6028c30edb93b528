import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDependencies, createNodes, createNodesV2, pluginLocation } from './index';

let ws: string;
beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'quiver-infer-'));
  const write = (f: string, t: string) => {
    mkdirSync(join(ws, f, '..'), { recursive: true });
    writeFileSync(join(ws, f), t);
  };
  write('bindings/python/pyproject.toml', '[project]\nname = "quiverdb"\nversion = "0.1.0"\n[tool.cibuildwheel]\nbuild = ["cp313-manylinux_x86_64"]\ntest-command = "pytest {project}/bindings/python/tests"\n');
  write('bindings/python/CMakeLists.txt', 'add_subdirectory("${CMAKE_CURRENT_SOURCE_DIR}/../../libs/quiver" q)\n');
  write('bindings/other/pyproject.toml', '[project]\nname = "other"\n[tool.cibuildwheel]\n[tool.nx-wheels]\nproject-name = "other-wheels"\ndepends-on = ["quiver", "missing"]\n');
  write('bindings/broken/pyproject.toml', '[project\nname = "x"\n[tool.cibuildwheel]\n');
  write('pure/pyproject.toml', '[project]\nname = "pure"\n');
  // Wheel projects without [tool.cibuildwheel]: a hatchling package (pure), a setuptools C extension, an opted-out one.
  write('libs/hatch/pyproject.toml', '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n[project]\nname = "hatch-pkg"\nversion = "1.0.0"\n');
  write('libs/cext/pyproject.toml', '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "cext"\nversion = "2.0"\n');
  write('libs/cext/setup.py', 'from setuptools import Extension, setup\nsetup(ext_modules=[Extension("cext._speedups", ["src/cext/_speedups.c"])])\n');
  write('libs/optout/pyproject.toml', '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n[project]\nname = "optout"\nversion = "1"\n[tool.nx-wheels]\nskip = true\n');
  write('node_modules/pkg/pyproject.toml', '[project]\nname = "dep"\n[tool.cibuildwheel]\n');
  write('package-lock.json', '{}\n');
  write('yarn.lock', '');
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

async function infer(files: string[]) {
  const ctx = { workspaceRoot: ws, nxJsonConfiguration: { namedInputs: { production: ['default'] } }, configFiles: files } as never;
  const results = await createNodesV2[1](files, {} as never, ctx);
  return Object.fromEntries(results.flatMap(([, r]) => Object.entries(r.projects ?? {})));
}

/**
 * `value` with the plugin's path as seen from the temporary workspace (`../../work/…/tools/nx-wheels`,
 * machine-dependent) written `<plugin root>`, so the snapshots hold on every checkout.
 */
function portable<T>(value: T): T {
  const root = pluginLocation(ws).root;
  return JSON.parse(JSON.stringify(value).split(root).join('<plugin root>')) as T;
}

describe('createNodes', () => {
  it('is exported under both names', () => {
    expect(createNodes).toBe(createNodesV2);
    expect(createNodesV2[0]).toBe('**/pyproject.toml');
  });

  it('infers a project per pyproject.toml with [tool.cibuildwheel]: name from the directory or [tool.nx-wheels]', async () => {
    const projects = await infer(['bindings/python/pyproject.toml', 'bindings/other/pyproject.toml', 'pure/pyproject.toml', 'node_modules/pkg/pyproject.toml']);
    expect(Object.keys(projects).sort()).toEqual(['bindings/other', 'bindings/python']);
    expect(projects['bindings/python'].name).toBe('python');
    expect(projects['bindings/other'].name).toBe('other-wheels');
    expect(Object.keys(projects['bindings/python'].targets!)).toEqual(expect.arrayContaining(['build-wheels', 'test']));
  });

  it('every pyproject.toml with a [build-system] is a wheel project, pure or compiled by its back-end; skip = true opts out', async () => {
    const projects = await infer(['libs/hatch/pyproject.toml', 'libs/cext/pyproject.toml', 'libs/optout/pyproject.toml', 'pure/pyproject.toml']);
    expect(Object.keys(projects).sort()).toEqual(['libs/cext', 'libs/hatch']);
    expect(projects['libs/hatch'].metadata?.description).toBe('Python distribution hatch-pkg (pure-Python: back-end hatchling, no compiling build hook)');
    expect(projects['libs/cext'].metadata?.description).toBe('Python distribution cext (compiled: setuptools.build_meta; setup.py declares extension modules)');
    // Snapshot of a pure project's targets: same names, inputs and outputs, pure descriptions.
    expect(portable(projects['libs/hatch'].targets)).toMatchSnapshot();
  });

  it('the build selection in the plugin options reaches every target that builds or expects wheels as projectConfig', async () => {
    const ctx = { workspaceRoot: ws, nxJsonConfiguration: {}, configFiles: [] } as never;
    const options = { engine: 'native', build: ['cp313-*'], skip: '*-musllinux_*', releasePlatforms: ['linux'] };
    const [[, r]] = await createNodesV2[1](['libs/cext/pyproject.toml'], options as never, ctx);
    const t = r.projects!['libs/cext'].targets!;
    const projectConfig = { engine: 'native', build: 'cp313-*', skip: '*-musllinux_*', releasePlatforms: ['linux'] };
    for (const name of ['build-wheels', 'build-wheels-untested', 'validate-wheels', 'publish', 'nx-release-publish']) expect(t[name].options.projectConfig).toEqual(projectConfig);
    expect(t['test'].options.projectConfig).toBeUndefined();
    expect(() => createNodesV2[1](['libs/cext/pyproject.toml'], { releasePlatforms: ['macos'] } as never, ctx)).toThrow('nx.json plugins["@quiver/nx-wheels"].options.releasePlatforms is ["macos"]; give a non-empty list of "linux" / "windows", e.g. ["linux"].');
  });

  it('a pyproject.toml that does not parse but has [tool.cibuildwheel] still becomes a project (the target reports the error)', async () => {
    const projects = await infer(['bindings/broken/pyproject.toml']);
    expect(projects['bindings/broken'].name).toBe('broken');
  });
});

describe('the wheelPipeline named input', () => {
  it('holds the workflows, the lockfiles that exist, package.json and the toolchain pins; the wheel targets use it', async () => {
    const p = (await infer(['bindings/python/pyproject.toml']))['bindings/python'];
    expect(p.namedInputs).toEqual({
      wheelPipeline: [
        '{workspaceRoot}/.github/workflows/**/*',
        '{workspaceRoot}/package-lock.json',
        '{workspaceRoot}/yarn.lock',
        '{workspaceRoot}/package.json',
        // The plugin lives outside this temporary workspace, so it counts as an installed package.
        { externalDependencies: ['@quiver/nx-wheels'] },
      ],
    });
    for (const t of ['build-wheels', 'build-wheels-untested', 'validate-wheels']) expect(p.targets![t].inputs).toContain('wheelPipeline');
    // Snapshot of everything inferred for the project: an inference change shows in review.
    expect(portable({ namedInputs: p.namedInputs, targets: p.targets })).toMatchSnapshot();
  });
});

describe('createDependencies', () => {
  it('adds python -> quiver from the CMake reference and depends-on edges to existing projects only', async () => {
    const projects = {
      python: { name: 'python', root: 'bindings/python' },
      'other-wheels': { name: 'other-wheels', root: 'bindings/other' },
      quiver: { name: 'quiver', root: 'libs/quiver' },
    };
    const deps = await createDependencies({} as never, { workspaceRoot: ws, projects } as never);
    expect(deps).toEqual(
      expect.arrayContaining([
        { source: 'python', target: 'quiver', type: 'static', sourceFile: 'bindings/python/CMakeLists.txt' },
        { source: 'other-wheels', target: 'quiver', type: 'static', sourceFile: 'bindings/other/pyproject.toml' },
      ]),
    );
    expect(deps.find((d) => d.target === 'missing')).toBeUndefined();
  });
});

describe('one read and parse of each pyproject.toml per graph computation', () => {
  // Counts real reads of the real files (fs.readFileSync is what readForInference reads with).
  const fs = require('node:fs') as typeof import('node:fs');
  const files = ['bindings/python/pyproject.toml', 'bindings/other/pyproject.toml', 'bindings/broken/pyproject.toml', 'pure/pyproject.toml'];
  const projects = {
    python: { name: 'python', root: 'bindings/python' },
    'other-wheels': { name: 'other-wheels', root: 'bindings/other' },
    quiver: { name: 'quiver', root: 'libs/quiver' },
  };

  it('createNodes then createDependencies read each pyproject.toml once; a rewrite is read again', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'quiver-memo-'));
    // A fresh copy so no earlier test has memoized these paths.
    const copy = (f: string) => {
      mkdirSync(join(fresh, f, '..'), { recursive: true });
      fs.copyFileSync(join(ws, f), join(fresh, f));
    };
    files.forEach(copy);
    copy('bindings/python/CMakeLists.txt');
    const spy = jest.spyOn(fs, 'readFileSync');
    try {
      const ctx = { workspaceRoot: fresh, nxJsonConfiguration: {}, configFiles: files } as never;
      await createNodesV2[1](files, {} as never, ctx);
      await createDependencies({} as never, { workspaceRoot: fresh, projects } as never);
      const count = (f: string) => spy.mock.calls.filter(([p]) => String(p) === join(fresh, f)).length;
      for (const f of files) expect([f, count(f)]).toEqual([f, 1]);
      // Another graph computation after an edit: the edited file is read again, once.
      const edited = join(fresh, 'bindings/python/pyproject.toml');
      fs.writeFileSync(edited, fs.readFileSync(join(ws, 'bindings/python/pyproject.toml'), 'utf8').replace('quiverdb', 'quiverdb2'));
      const before = count('bindings/python/pyproject.toml');
      const again = await createNodesV2[1](files, {} as never, ctx);
      await createDependencies({} as never, { workspaceRoot: fresh, projects } as never);
      expect(count('bindings/python/pyproject.toml') - before).toBe(1);
      const python = again.flatMap(([, r]) => Object.values(r.projects ?? {})).find((p) => p.root === 'bindings/python');
      expect(python?.metadata?.description).toMatch(/^Python distribution quiverdb2 \(compiled: /);
    } finally {
      spy.mockRestore();
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
