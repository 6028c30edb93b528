/**
 * Staging with real git in temporary repositories: exactly the git-tracked files (as they are in
 * the working tree) of the project and the projects its sources depend on reach the staging.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { QuiverError } from '../../src/core/errors';
import { stageSources } from '../../src/pipeline/staging';
import { git } from '../helpers/workspace';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

const projects = {
  python: { root: 'bindings/python' },
  core: { root: 'libs/core' },
  extra: { root: 'libs/extra' },
  unrelated: { root: 'libs/unrelated' },
};

function repo(): string {
  const ws = mkdtempSync(join(tmpdir(), 'quiver-stage-'));
  temps.push(ws);
  write(ws, '.gitignore', 'build/\n*.log\n');
  write(ws, 'bindings/python/pyproject.toml', '[project]\nname = "p"\nversion = "1"\n[tool.cibuildwheel]\n[tool.nx-wheels]\ndepends-on = ["extra"]\n');
  write(ws, 'bindings/python/CMakeLists.txt', 'add_subdirectory("${CMAKE_CURRENT_SOURCE_DIR}/../../libs/core" core)\n');
  write(ws, 'bindings/python/src/p/__init__.py', 'VERSION = 1\n');
  write(ws, 'bindings/python/src/p/gone.py', 'x = 1\n');
  write(ws, 'bindings/python/tools/run.sh', '#!/bin/sh\necho hi\n');
  chmodSync(join(ws, 'bindings/python/tools/run.sh'), 0o755);
  write(ws, 'bindings/python/node_modules/left/index.js', 'tracked by mistake\n');
  write(ws, 'libs/core/CMakeLists.txt', 'add_library(core src/core.cpp)\n');
  write(ws, 'libs/core/src/core.cpp', 'int core() { return 1; }\n');
  write(ws, 'libs/extra/x.txt', 'extra\n');
  write(ws, 'libs/unrelated/u.txt', 'not a dependency\n');
  write(ws, 'README.md', '# root\n');
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, 'add', '-A');
  git(ws, 'add', '-f', 'bindings/python/node_modules/left/index.js');
  git(ws, 'commit', '-q', '-m', 'init');
  // Working-tree state after the commit:
  write(ws, 'bindings/python/src/p/__init__.py', 'VERSION = 2  # edited, not committed\n');
  write(ws, 'bindings/python/src/p/stray.py', 'untracked\n');
  write(ws, 'bindings/python/build/cache.txt', 'ignored\n');
  write(ws, 'bindings/python/debug.log', 'ignored\n');
  write(ws, 'bindings/python/.venv/pyvenv.cfg', 'home = /usr\n');
  write(ws, 'libs/core/node_modules/x/package.json', '{}\n');
  unlinkSync(join(ws, 'bindings/python/src/p/gone.py'));
  return ws;
}

describe('stageSources (real git)', () => {
  it('stages the tracked files of the project and its dependencies (CMake path, depends-on), as in the working tree', async () => {
    const ws = repo();
    const s = await stageSources({ workspaceRoot: ws, projectRoot: 'bindings/python', projectName: 'python', outputDir: 'bindings/python/wheelhouse', projects });
    expect(s.roots).toEqual(['bindings/python', 'libs/core', 'libs/extra']);
    expect(listFiles(s.dir)).toEqual([
      'bindings/python/CMakeLists.txt',
      'bindings/python/pyproject.toml',
      'bindings/python/src/p/__init__.py',
      'bindings/python/tools/run.sh',
      'libs/core/CMakeLists.txt',
      'libs/core/src/core.cpp',
      'libs/extra/x.txt',
    ]);
    // Untracked (stray.py), ignored (build/, *.log), deleted (gone.py), node_modules (even tracked), venvs,
    // and projects that are no dependency (libs/unrelated, the root README) are not there.
    expect(readFileSync(join(s.dir, 'bindings/python/src/p/__init__.py'), 'utf8')).toContain('VERSION = 2');
    expect(statSync(join(s.dir, 'bindings/python/tools/run.sh')).mode & 0o111).not.toBe(0);
    expect(s.files).toBe(7);
    expect(s.bytes).toBe(listFiles(s.dir).reduce((n, f) => n + statSync(join(s.dir, f)).size, 0));
    expect(s.dir.startsWith(join(ws, '.nx-wheels', 'staging') + '/')).toBe(true);
  });

  it('is replaced on each run at the same path: a file deleted since the last run is gone', async () => {
    const ws = repo();
    const o = { workspaceRoot: ws, projectRoot: 'bindings/python', projectName: 'python', outputDir: 'bindings/python/wheelhouse', projects };
    const first = await stageSources(o);
    unlinkSync(join(ws, 'libs/extra/x.txt'));
    const second = await stageSources(o);
    expect(second.dir).toBe(first.dir);
    expect(existsSync(join(second.dir, 'libs/extra/x.txt'))).toBe(false);
    expect(existsSync(join(second.dir, 'libs/core/src/core.cpp'))).toBe(true);
    const other = await stageSources({ ...o, outputDir: 'dist/bindings/python/wheelhouse' });
    expect(other.dir).not.toBe(first.dir);
  });

  it('test-command paths outside the project are staged too', async () => {
    const ws = repo();
    const s = await stageSources({ workspaceRoot: ws, projectRoot: 'bindings/python', projectName: 'python', outputDir: 'w', projects, testPaths: ['README.md'] });
    expect(existsSync(join(s.dir, 'README.md'))).toBe(true);
    expect(existsSync(join(s.dir, 'libs/unrelated/u.txt'))).toBe(false);
  });

  it('the files of a checked-out git submodule (a vendored pybind11 / nanobind) are staged too', async () => {
    // The submodule's own repository, added from a local path as a real `git submodule add` does.
    const lib = mkdtempSync(join(tmpdir(), 'quiver-submodule-'));
    temps.push(lib);
    write(lib, 'include/vendored.h', '#pragma once\n');
    write(lib, 'CMakeLists.txt', 'add_library(vendored INTERFACE)\n');
    git(lib, 'init', '-q', '-b', 'main');
    git(lib, 'add', '-A');
    git(lib, 'commit', '-q', '-m', 'vendored');
    const ws = repo();
    git(ws, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'bindings/python/extern/vendored');
    git(ws, 'commit', '-q', '-m', 'vendor a library as a submodule');
    const s = await stageSources({ workspaceRoot: ws, projectRoot: 'bindings/python', projectName: 'python', outputDir: 'w', projects });
    expect(readFileSync(join(s.dir, 'bindings/python/extern/vendored/include/vendored.h'), 'utf8')).toBe('#pragma once\n');
    expect(existsSync(join(s.dir, 'bindings/python/extern/vendored/CMakeLists.txt'))).toBe(true);
    expect(existsSync(join(s.dir, 'bindings/python/extern/vendored/.git'))).toBe(false);
  });

  it('outside a git repository: one line, STAGING_NEEDS_GIT, nothing staged', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'quiver-nogit-'));
    temps.push(ws);
    write(ws, 'bindings/python/pyproject.toml', '[project]\nname = "p"\n[tool.cibuildwheel]\n');
    const err = await stageSources({ workspaceRoot: ws, projectRoot: 'bindings/python', projectName: 'python', outputDir: 'w', projects: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(QuiverError);
    expect((err as QuiverError).code).toBe('STAGING_NEEDS_GIT');
    expect((err as QuiverError).message).not.toContain('\n');
    expect((err as QuiverError).message).toContain('git init');
    expect(existsSync(join(ws, '.nx-wheels'))).toBe(false);
  });
});
