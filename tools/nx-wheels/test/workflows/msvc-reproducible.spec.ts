/**
 * Reproducible Windows wheels: MSVC writes the link time into the .pyd, so a rebuild of a released
 * commit ("Re-run all jobs" of the release after PyPI took the Windows wheel) would differ from the
 * published file and stop at INDEX_FILE_CONFLICT. The committed bindings/python/CMakeLists.txt and
 * the binding generator's CMakeLists.txt (nanobind and pybind11) turn on /Brepro for every compile
 * and link under MSVC, before the library and the module are added.
 *
 * Real CMake configures each of them on this Linux host with MSVC=ON (cmake only reads that
 * variable; nothing is compiled), and the generated build files must carry /Brepro on the
 * library's and the module's compiles and on the module's link. Stand-ins: nanobind's and
 * pybind11's CMake packages are replaced by a small package whose *_add_module is a plain
 * add_library(MODULE), because only the flags matter here. Without MSVC no /Brepro appears
 * (the Linux and zig builds are unchanged).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { addProjectConfiguration } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import bindingGenerator from '../../src/generators/binding/generator';
import { MSVC_REPRODUCIBLE } from '../../src/generators/binding/files';
import { WORKSPACE } from '../helpers/workspace';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** Stand-in CMake packages for nanobind and pybind11: `<x>_add_module(name [NB_STATIC] sources...)` as add_library(MODULE). */
function standInPackages(): Record<string, string> {
  const root = tmp('quiver-cmake-standins-');
  const out: Record<string, string> = {};
  for (const pkg of ['nanobind', 'pybind11']) {
    const dir = join(root, pkg);
    mkdirSync(dir);
    writeFileSync(
      join(dir, `${pkg}Config.cmake`),
      `# Stand-in for ${pkg}'s CMake package (test only): the module is a plain MODULE library.\n` +
        `function(${pkg}_add_module name)\n  set(srcs \${ARGN})\n  list(REMOVE_ITEM srcs NB_STATIC)\n  add_library(\${name} MODULE \${srcs})\nendfunction()\n`,
    );
    out[`${pkg}_DIR`] = dir;
  }
  return out;
}

/** Configure `source` (real CMake, Unix Makefiles, Python found on this host) and return the build dir. */
function configure(source: string, msvc: boolean): string {
  const build = tmp('quiver-cmake-build-');
  const defs = { ...standInPackages(), SKBUILD_PROJECT_NAME: 'standin', SKBUILD_PROJECT_VERSION: '0.1.0', CMAKE_EXPORT_COMPILE_COMMANDS: 'ON', ...(msvc ? { MSVC: 'ON' } : {}) };
  const r = spawnSync('cmake', ['-S', source, '-B', build, '-G', 'Unix Makefiles', ...Object.entries(defs).map(([k, v]) => `-D${k}=${v}`)], { encoding: 'utf8' });
  expect({ status: r.status, err: r.status === 0 ? '' : r.stdout + r.stderr }).toEqual({ status: 0, err: '' });
  return build;
}

/** Per compiled file (basename), whether its compile command has /Brepro; and whether the module's link does. */
function flags(build: string): { compiles: Record<string, boolean>; link: boolean } {
  const db = JSON.parse(readFileSync(join(build, 'compile_commands.json'), 'utf8')) as Array<{ file: string; command: string }>;
  const compiles = Object.fromEntries(db.map((e) => [e.file.split('/').slice(-3).join('/'), /(^|\s)\/Brepro(\s|$)/.test(e.command)]));
  const link = readFileSync(join(build, 'CMakeFiles', '_core.dir', 'link.txt'), 'utf8');
  return { compiles, link: /(^|\s)\/Brepro(\s|$)/.test(link) };
}

const every = (o: Record<string, boolean>, v: boolean) => Object.fromEntries(Object.keys(o).map((k) => [k, v]));

describe('/Brepro for MSVC builds of the binding', () => {
  it('bindings/python/CMakeLists.txt: on every compile (libs/quiver and the module) and on the link of _core', () => {
    const on = flags(configure(join(WORKSPACE, 'bindings/python'), true));
    const quiverSources = readdirSync(join(WORKSPACE, 'libs/quiver/src')).filter((f) => f.endsWith('.cpp'));
    expect(Object.keys(on.compiles).sort()).toEqual([...quiverSources.map((f) => `quiver/src/${f}`), 'python/src/_core.cpp'].sort());
    expect(on.compiles).toEqual(every(on.compiles, true));
    expect(on.link).toBe(true);
    const off = flags(configure(join(WORKSPACE, 'bindings/python'), false));
    expect(off).toEqual({ compiles: every(off.compiles, false), link: false });
  });

  it.each(['nanobind', 'pybind11'] as const)('the binding generator\'s CMakeLists.txt (%s) carries the same block, and it reaches the library', (binding) => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'mylib', { root: 'libs/mylib' });
    tree.write('libs/mylib/CMakeLists.txt', 'add_library(mylib STATIC a.cpp)\nadd_library(mylib::mylib ALIAS mylib)\n');
    tree.write('libs/mylib/a.cpp', 'int mylib_answer() { return 42; }\n');
    bindingGenerator(tree, { name: 'mylib-py', library: 'mylib', binding });
    const cmake = tree.read('bindings/mylib-py/CMakeLists.txt', 'utf-8')!;
    expect(cmake).toContain(MSVC_REPRODUCIBLE.join('\n'));
    expect(cmake.indexOf('if(MSVC)')).toBeLessThan(cmake.indexOf('add_subdirectory('));
    // The committed binding carries the same flags (its comment is longer).
    const committed = readFileSync(join(WORKSPACE, 'bindings/python/CMakeLists.txt'), 'utf8');
    const block = (t: string) => /^if\(MSVC\)\n[\s\S]*?^endif\(\)$/m.exec(t)?.[0];
    expect(block(committed)).toBe(block(cmake));

    const ws = tmp('quiver-cmake-gen-');
    for (const f of ['libs/mylib/CMakeLists.txt', 'libs/mylib/a.cpp', ...['CMakeLists.txt', 'src/_core.cpp'].map((x) => `bindings/mylib-py/${x}`)]) {
      mkdirSync(dirname(join(ws, f)), { recursive: true });
      writeFileSync(join(ws, f), tree.read(f)!);
    }
    const on = flags(configure(join(ws, 'bindings/mylib-py'), true));
    expect(on).toEqual({ compiles: { 'libs/mylib/a.cpp': true, 'mylib-py/src/_core.cpp': true }, link: true });
  });
});
