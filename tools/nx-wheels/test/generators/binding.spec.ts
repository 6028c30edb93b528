/**
 * The binding generator on Nx's in-memory tree: the files it writes, what the plugin's own
 * parsers read from them, nx.json's release.projects, and each bad option as one line that
 * writes nothing.
 */
import { addProjectConfiguration, readNxJson, type Tree, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'smol-toml';
import bindingGenerator, { BindingGeneratorError, libraryCmakeTarget } from '../../src/generators/binding/generator';
import { cmakeReferencedPaths } from '../../src/core/cmake';
import { testPaths } from '../../src/core/test-paths';

const LIB_CMAKE = [
  'cmake_minimum_required(VERSION 3.15)',
  'project(mylib LANGUAGES CXX)',
  '# add_library(commented_out STATIC x.cpp)',
  'add_library(mylib STATIC src/mylib.cpp)',
  'add_library(mylib::mylib ALIAS mylib)',
  '',
].join('\n');

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  addProjectConfiguration(tree, 'mylib', { root: 'libs/mylib', projectType: 'library' });
  tree.write('libs/mylib/CMakeLists.txt', LIB_CMAKE);
  addProjectConfiguration(tree, 'docs', { root: 'docs' });
  tree.write('docs/README.md', '# docs\n');
  return tree;
}

const toml = (tree: Tree, f: string) => parse(tree.read(f, 'utf-8')!) as Record<string, any>;

describe('binding generator (in-memory tree)', () => {
  it('nanobind defaults: pyproject with pins, [project], scikit-build-core and [tool.cibuildwheel] for linux and windows', () => {
    const tree = workspace();
    bindingGenerator(tree, { name: 'mylib-py', library: 'mylib' });
    const py = toml(tree, 'bindings/mylib-py/pyproject.toml');
    expect(py['build-system']).toEqual({ requires: ['scikit-build-core==1.1.2', 'nanobind==3.1.0'], 'build-backend': 'scikit_build_core.build' });
    expect(py['project']).toMatchObject({ name: 'mylib-py', version: '0.1.0', 'requires-python': '>=3.10' });
    expect(py['tool']['scikit-build']).toMatchObject({ 'minimum-version': 'build-system.requires', wheel: { packages: ['src/mylib_py'] }, install: { components: ['python'] } });
    const cibw = py['tool']['cibuildwheel'];
    expect(cibw.build).toEqual(['cp313-manylinux_x86_64', 'cp313-win_amd64']);
    expect(cibw['test-command']).toBe('pytest {project}/bindings/mylib-py/tests -p no:cacheprovider --import-mode=importlib');
    expect(cibw.linux).toEqual({ archs: ['x86_64'] });
    expect(cibw.windows).toEqual({ archs: ['AMD64'] });
    // The directory's name is the project's name: no [tool.nx-wheels] override needed.
    expect(py['tool']['nx-wheels']).toBeUndefined();
    // What the plugin's inference reads from it: this project's tests, not bindings/python's.
    expect(testPaths('bindings/mylib-py', cibw)).toEqual(['bindings/mylib-py/tests']);
  });

  it('CMakeLists.txt add_subdirectory()s the library by the relative path the plugin reads as the dependency edge, and links its ALIAS target', () => {
    const tree = workspace();
    bindingGenerator(tree, { name: 'mylib-py', library: 'mylib' });
    const cmake = tree.read('bindings/mylib-py/CMakeLists.txt', 'utf-8')!;
    expect(cmake).toContain('add_subdirectory("${CMAKE_CURRENT_SOURCE_DIR}/../../libs/mylib" "${CMAKE_CURRENT_BINARY_DIR}/mylib" EXCLUDE_FROM_ALL)');
    expect(cmakeReferencedPaths(cmake, 'bindings/mylib-py').filter((p) => p === 'libs/mylib' || p.startsWith('libs/mylib/')).length).toBeGreaterThan(0);
    expect(cmakeReferencedPaths(cmake, 'bindings/mylib-py').every((p) => p.startsWith('libs/mylib'))).toBe(true);
    expect(cmake).toContain('find_package(nanobind CONFIG REQUIRED)');
    expect(cmake).toContain('nanobind_add_module(_core NB_STATIC src/_core.cpp)');
    expect(cmake).toContain('target_link_libraries(_core PRIVATE mylib::mylib)');
    expect(cmake).toContain('install(TARGETS _core LIBRARY DESTINATION mylib_py COMPONENT python)');
    expect(tree.read('bindings/mylib-py/src/_core.cpp', 'utf-8')).toContain('NB_MODULE(_core, m)');
    expect(tree.read('bindings/mylib-py/src/mylib_py/__init__.py', 'utf-8')).toContain('from ._core import add, library');
    expect(tree.read('bindings/mylib-py/tests/test_package.py', 'utf-8')).toContain('assert mylib_py.add(2, 3) == 5');
    expect(tree.read('bindings/mylib-py/CHANGELOG.md', 'utf-8')).toMatch(/^## 0\.1\.0\n/);
  });

  it('pybind11, --directory, --importName and --platforms=linux: a project-name override, linux only', () => {
    const tree = workspace();
    bindingGenerator(tree, { name: 'fast', library: 'mylib', binding: 'pybind11', directory: 'py/fast-binding', importName: 'fastlib', platforms: 'linux' });
    const py = toml(tree, 'py/fast-binding/pyproject.toml');
    expect(py['build-system'].requires).toEqual(['scikit-build-core==1.1.2', 'pybind11==3.1.0']);
    // A Linux-only binding says so, so validate-wheels --platforms=release, publish and rehearse-release expect no Windows wheel.
    expect(py['tool']['nx-wheels']).toEqual({ 'project-name': 'fast', 'release-platforms': ['linux'] });
    expect(py['tool']['cibuildwheel'].build).toEqual(['cp313-manylinux_x86_64']);
    expect(py['tool']['cibuildwheel'].windows).toBeUndefined();
    expect(py['tool']['cibuildwheel']['test-command']).toContain('{project}/py/fast-binding/tests');
    const cmake = tree.read('py/fast-binding/CMakeLists.txt', 'utf-8')!;
    expect(cmake).toContain('find_package(pybind11 CONFIG REQUIRED)');
    expect(cmake).toContain('pybind11_add_module(_core src/_core.cpp)');
    expect(cmake).toContain('"${CMAKE_CURRENT_SOURCE_DIR}/../../libs/mylib"');
    expect(tree.read('py/fast-binding/src/_core.cpp', 'utf-8')).toContain('PYBIND11_MODULE(_core, m)');
    expect(tree.exists('py/fast-binding/src/fastlib/__init__.py')).toBe(true);
  });

  it('adds the project to nx.json release.projects when there is a release config; leaves nx.json alone when there is none', () => {
    const tree = workspace();
    const nxJson = readNxJson(tree)!;
    updateNxJson(tree, { ...nxJson, release: { projects: ['python'], projectsRelationship: 'fixed' } });
    bindingGenerator(tree, { name: 'mylib-py', library: 'mylib' });
    expect(readNxJson(tree)!.release!.projects).toEqual(['python', 'mylib-py']);

    const bare = workspace();
    const before = bare.read('nx.json', 'utf-8');
    bindingGenerator(bare, { name: 'mylib-py', library: 'mylib' });
    expect(bare.read('nx.json', 'utf-8')).toBe(before);
  });

  it('libraryCmakeTarget: the ALIAS target, else the first add_library, ignoring comments', () => {
    expect(libraryCmakeTarget(LIB_CMAKE)).toBe('mylib::mylib');
    expect(libraryCmakeTarget('# add_library(x)\nadd_library(core INTERFACE)\n')).toBe('core');
    expect(libraryCmakeTarget('project(x)\n')).toBeUndefined();
  });

  describe('bad input: one line naming the option and the fix, nothing written', () => {
    const cases: Array<[string, Record<string, unknown>, RegExp, ((t: Tree) => void)?]> = [
      ['unknown library', { name: 'x', library: 'nope' }, /^binding: BINDING_LIBRARY_NOT_CMAKE: --library: no Nx project named "nope" in this workspace; give an existing CMake library project \(docs, mylib\)\.$/],
      ['library without CMakeLists.txt', { name: 'x', library: 'docs' }, /^binding: BINDING_LIBRARY_NOT_CMAKE: --library: project "docs" has no docs\/CMakeLists\.txt; .*bind a CMake project\.$/],
      ['no add_library target', { name: 'x', library: 'mylib' }, /^binding: BINDING_LIBRARY_NOT_CMAKE: --cmakeTarget: libs\/mylib\/CMakeLists\.txt has no add_library\(\) target to link; pass/, (t) => t.write('libs/mylib/CMakeLists.txt', 'project(x)\n')],
      ['unknown platform', { name: 'x', library: 'mylib', platforms: 'linux,macos' }, /^binding: BINDING_BAD_OPTION: --platforms: "macos" is not a platform this generator builds; give linux and\/or windows/],
      ['unknown binding', { name: 'x', library: 'mylib', binding: 'cython' }, /^binding: BINDING_BAD_OPTION: --binding "cython" is not supported; use --binding=nanobind or --binding=pybind11\.$/],
      ['bad import name', { name: 'x', library: 'mylib', importName: '1x' }, /^binding: BINDING_BAD_OPTION: --importName "1x" is not a Python identifier/],
      ['existing project', { name: 'mylib', library: 'mylib' }, /^binding: BINDING_NAME_TAKEN: --name: a project named "mylib" already exists \(libs\/mylib\); choose another --name\.$/],
      ['existing inferred wheel project', { name: 'python', library: 'mylib', directory: 'py/other' }, /^binding: BINDING_NAME_TAKEN: --name: a project named "python" already exists \(bindings\/python\); choose another --name\.$/, (t) => t.write('bindings/python/pyproject.toml', '[project]\nname = "quiverdb"\nversion = "0.1.0"\n\n[tool.cibuildwheel]\nbuild = ["cp313-manylinux_x86_64"]\n')],
      ['directory outside the workspace', { name: 'x', library: 'mylib', directory: '../x' }, /^binding: BINDING_BAD_OPTION: --directory "\.\.\/x" must be a relative directory inside the workspace/],
      ['non-empty directory', { name: 'x', library: 'mylib' }, /^binding: BINDING_DIRECTORY_NOT_EMPTY: --directory: bindings\/x already exists and is not empty/, (t) => t.write('bindings/x/keep.txt', 'x')],
    ];
    it.each(cases.map(([label, options, message, prepare]) => ({ label, options, message, prepare })))('$label', ({ options, message, prepare }) => {
      const tree = workspace();
      prepare?.(tree);
      const before = tree.listChanges().map((c) => c.path).sort();
      let error: unknown;
      try {
        bindingGenerator(tree, options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BindingGeneratorError);
      const msg = (error as Error).message;
      expect(msg.split('\n')).toHaveLength(1);
      expect(msg).toMatch(message);
      expect((error as Error).stack).toBe(`BindingGeneratorError: ${msg}`);
      expect(tree.listChanges().map((c) => c.path).sort()).toEqual(before);
    });
  });
});
