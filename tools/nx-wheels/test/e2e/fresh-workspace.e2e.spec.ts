/**
 * @quiver/nx-wheels as another workspace uses it: the packed tarball (`npm pack` of the built
 * package, nothing else copied from this repository) installed with `nx add` into a new, empty Nx
 * workspace at our nx version; a small CMake library project; `nx g @quiver/nx-wheels:binding`;
 * then a tested wheel from `nx run <binding>:build-wheels`, `validate-wheels` passing and
 * `nx release --dry-run` printing a PEP 440 version. Nx loads the plugin as compiled JS: the
 * workspace has no TypeScript loader (no @swc-node/register, no ts-node) to load anything else.
 * npm installs from the registry with the user's npm cache; the pinned Python toolchain venv of this
 * repository is linked into the new workspace's .nx-wheels/ (as copyWorkspace does) rather than
 * installed again. Real npm, Nx, git, CMake, scikit-build-core, pip and pytest (slow: e2e).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gt as pep440Gt, valid as pep440Valid } from '@renovatebot/pep440';
import { emptyNxWorkspace, nx, packPlugin, PKG, readJson, write } from '../helpers/packed-workspace';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { git } from '../helpers/workspace';

describe('@quiver/nx-wheels from its tarball in a fresh Nx workspace', () => {
  let tmp: string;
  let ws: string;
  let tarball: string;
  let packed: string[];

  beforeAll(async () => {
    await ensureWorkspaceToolchain();
    tmp = mkdtempSync(join(tmpdir(), 'nxw-fresh-'));
    // The package as published: built (only when dist/ does not match the sources), then packed.
    ({ tarball, files: packed } = packPlugin(tmp));
    ws = join(tmp, 'ws');
    emptyNxWorkspace(ws);
  }, 900_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the tarball holds compiled JS, declarations, schemas, the toolchain requirements and the README; no TypeScript source or test', () => {
    expect(packed).toEqual(expect.arrayContaining(['index.js', 'loader.js', 'dist/index.js', 'dist/index.d.ts', 'dist/release/version-actions.js', 'executors.json', 'generators.json', 'toolchain/requirements.txt', 'toolchain/external_checks.py', 'toolchain/zig-requirements.txt', 'toolchain/windows-cpython.json', 'README.md', 'src/executors/build-wheels/schema.json', 'src/generators/init/schema.json']));
    expect(packed.filter((p) => /\.ts$/.test(p) && !/\.d\.ts$/.test(p))).toEqual([]);
    expect(packed.filter((p) => /(^|\/)(test|__snapshots__)\/|\.spec\.|jest\.|tsconfig|^build\.js$/.test(p))).toEqual([]);
    const pkg = readJson(join(PKG, 'package.json'));
    expect(pkg.private).toBeUndefined();
    expect(Object.keys(pkg.peerDependencies)).toEqual(expect.arrayContaining(['nx', '@nx/devkit']));
  });

  it('nx add installs the tarball and runs init: plugin registered, .gitignore and release config written', () => {
    const add = nx(ws, ['add', `@quiver/nx-wheels@file:${tarball}`]);
    expect(`${add.stdout}\n${add.stderr}`).toContain('Package @quiver/nx-wheels added successfully');
    expect(add.status).toBe(0);
    const nxJson = readJson(join(ws, 'nx.json'));
    expect(nxJson.plugins).toEqual(['@quiver/nx-wheels']);
    expect(nxJson.release.version.versionActions).toBe('@quiver/nx-wheels/release/version-actions');
    expect(nxJson.release.changelog.projectChangelogs.renderer).toBe('@quiver/nx-wheels/release/changelog-renderer');
    expect(readFileSync(join(ws, '.gitignore'), 'utf8')).toMatch(/^\*\*\/wheelhouse\/$/m);
    expect(readFileSync(join(ws, '.gitignore'), 'utf8')).toMatch(/^\.nx-wheels\/$/m);
    // Installed as a user installs it: a real copy in node_modules, and nothing that loads TypeScript.
    expect(existsSync(join(ws, 'node_modules', '@quiver', 'nx-wheels', 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(ws, 'node_modules', '@quiver', 'nx-wheels', 'src', 'index.ts'))).toBe(false);
    for (const loader of ['@swc-node/register', 'ts-node', 'tsx']) expect(existsSync(join(ws, 'node_modules', loader))).toBe(false);
    // A second init changes nothing.
    const before = readFileSync(join(ws, 'nx.json'), 'utf8') + readFileSync(join(ws, '.gitignore'), 'utf8');
    expect(nx(ws, ['g', '@quiver/nx-wheels:init']).status).toBe(0);
    expect(readFileSync(join(ws, 'nx.json'), 'utf8') + readFileSync(join(ws, '.gitignore'), 'utf8')).toBe(before);
  });

  it('a C++ library plus `nx g @quiver/nx-wheels:binding` is inferred as a wheel project with the edge to the library, loaded from compiled JS', () => {
    write(ws, 'libs/mathlib/project.json', `${JSON.stringify({ name: 'mathlib', projectType: 'library' }, null, 2)}\n`);
    write(ws, 'libs/mathlib/CMakeLists.txt', 'cmake_minimum_required(VERSION 3.15)\nproject(mathlib LANGUAGES CXX)\nadd_library(mathlib STATIC src/mathlib.cpp)\ntarget_include_directories(mathlib PUBLIC include)\nset_target_properties(mathlib PROPERTIES POSITION_INDEPENDENT_CODE ON)\n');
    write(ws, 'libs/mathlib/include/mathlib.h', '#pragma once\nnamespace mathlib {\nint add(int a, int b);\n}\n');
    write(ws, 'libs/mathlib/src/mathlib.cpp', '#include "mathlib.h"\nnamespace mathlib {\nint add(int a, int b) { return a + b; }\n}\n');
    const g = nx(ws, ['g', '@quiver/nx-wheels:binding', '--name=mathlib-py', '--library=mathlib', '--platforms=linux']);
    expect(g.status).toBe(0);
    expect(existsSync(join(ws, 'bindings', 'mathlib-py', 'pyproject.toml'))).toBe(true);

    const show = nx(ws, ['show', 'project', 'mathlib-py', '--json'], { NX_WHEELS_DEBUG: '1' });
    expect(show.status).toBe(0);
    expect(show.stderr).toContain('nx-wheels: loading compiled plugin from dist/');
    expect(show.stderr).not.toContain('loading TypeScript sources');
    expect(Object.keys(JSON.parse(show.stdout).targets)).toEqual(expect.arrayContaining(['build-wheels', 'validate-wheels', 'test']));
    const graphFile = join(tmp, 'graph.json');
    expect(nx(ws, ['graph', `--file=${graphFile}`]).status).toBe(0);
    expect(readJson(graphFile).graph.dependencies['mathlib-py'].map((d: { target: string }) => d.target)).toContain('mathlib');

    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'feat(mathlib-py): python binding for mathlib');
  });

  it('nx run <binding>:build-wheels gives a tested wheel and validate-wheels passes', () => {
    const build = nx(ws, ['run', 'mathlib-py:build-wheels', '--outputStyle=stream']);
    const out = `${build.stdout}\n${build.stderr}`;
    expect(build.status).toBe(0);
    expect(out).toMatch(/passed/);
    const wheels = readdirSync(join(ws, 'bindings', 'mathlib-py', 'wheelhouse')).filter((f) => f.endsWith('.whl'));
    expect(wheels).toHaveLength(1);
    expect(wheels[0]).toMatch(/^mathlib_py-0\.1\.0-cp\d+-cp\d+-manylinux.*x86_64\.whl$/);

    const validate = nx(ws, ['run', 'mathlib-py:validate-wheels', '--outputStyle=stream']);
    expect(validate.status).toBe(0);
  });

  it('nx release --dry-run computes a PEP 440 version through the package\'s VersionActions and renders the changelog', () => {
    const rel = nx(ws, ['release', '--dry-run', '--skip-publish']);
    const out = `${rel.stdout}\n${rel.stderr}`;
    expect(rel.status).toBe(0);
    const version = /New version (\S+) written to manifest: bindings\/mathlib-py\/pyproject\.toml/.exec(out)?.[1];
    // feat on 0.1.0: a minor bump, or a patch where Nx's default lowers bumps on 0.x
    expect(pep440Valid(version!)).toBe(version);
    expect(pep440Gt(version!, '0.1.0')).toBe(true);
    // the package's changelog renderer: "## <version> (<date>)"
    expect(out).toMatch(new RegExp(`Previewing an entry in bindings/mathlib-py/CHANGELOG\\.md[\\s\\S]*\\+ ## ${version!.replace(/\./g, '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)`));

    const pre = nx(ws, ['release', 'preminor', '--preid=rc', '--dry-run', '--skip-publish']);
    const preOut = `${pre.stdout}\n${pre.stderr}`;
    expect(pre.status).toBe(0);
    // PEP 440 pre-release spelling, not semver's 0.2.0-rc.0
    expect(preOut).toMatch(/New version 0\.2\.0rc0 written to manifest: bindings\/mathlib-py\/pyproject\.toml/);
  });

  it('nx run <binding>:rehearse-release rehearses its next release (its release platform linux, the package\'s own per-project tag) and leaves the workspace as it was', () => {
    const state = () => git(ws, 'status', '--porcelain') + git(ws, 'tag', '--list') + git(ws, 'rev-parse', 'HEAD');
    const before = state();
    const r = nx(ws, ['run', 'mathlib-py:rehearse-release', '--specifier=0.2.0', '--outputStyle=stream']);
    if (r.status !== 0) throw new Error(`${r.stdout}\n${r.stderr}`.slice(-6000));
    expect(r.stdout).toMatch(/REHEARSAL PASSED: 0\.2\.0 built, validated, published, installed and tested on linux in \d+ s\./);
    const report = JSON.parse(readFileSync(join(ws, '.nx-wheels/reports/rehearsal/bindings/mathlib-py/rehearsal-report.json'), 'utf8'));
    expect(report).toMatchObject({ ok: true, version: '0.2.0', tag: 'mathlib-py-v0.2.0', platforms: ['linux'], partial: false });
    expect(state()).toBe(before);
  });
});
