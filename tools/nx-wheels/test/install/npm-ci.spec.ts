/**
 * tools/ci/npm-ci.mjs (the workflows' install step), against real npm and the registry:
 * - its reading of native package names against a host (table; the module is ESM and imported by a
 *   child node, as the workflow runs it);
 * - in a small temporary project whose installed package `fakeparent` names this host's
 *   @node-rs/xxhash native (a small real package) in optionalDependencies while the lockfile has
 *   neither the edge nor the entry (the Windows runner's situation for nx / @swc/core):
 *   missing -> installed at exactly the named version, package-lock.json untouched; a version the
 *   registry does not have -> exit 1 with one error line naming the package; an out-of-sync
 *   lockfile -> exit 1 with one error line.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKSPACE } from '../helpers/workspace';

const SCRIPT = join(WORKSPACE, 'tools', 'ci', 'npm-ci.mjs');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Child environment without npm's per-run variables (jest may run under npx). */
function env(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) out[k] = v;
  return out;
}

/** Evaluate `expr` in a child node that imported the script as `m`; returns the JSON of the result. */
function evalModule(expr: string): unknown {
  const code = `import * as m from ${JSON.stringify(pathToFileURL(SCRIPT).href)}; console.log(JSON.stringify(${expr}));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('npm-ci.mjs: native package names against the host', () => {
  const names = [
    '@nx/nx-win32-x64-msvc', '@swc/core-win32-x64-msvc', '@swc/core-win32-ia32-msvc', '@nx/nx-linux-x64-gnu', '@swc/core-linux-x64-musl',
    '@parcel/watcher-linux-x64-glibc', '@parcel/watcher-win32-x64', '@oxc-resolver/binding-linux-arm-musleabihf', '@nx/nx-darwin-arm64',
    '@oxc-resolver/binding-wasm32-wasi', '@pkgjs/parseargs', '@unrs/resolver-binding-win32-arm64-msvc', 'some-win32-x64-gnu',
  ];
  const hosts = {
    winX64: { os: 'win32', cpu: 'x64', libc: null },
    linuxGlibc: { os: 'linux', cpu: 'x64', libc: 'glibc' },
    linuxMusl: { os: 'linux', cpu: 'x64', libc: 'musl' },
    macArm: { os: 'darwin', cpu: 'arm64', libc: null },
  };
  const result = evalModule(
    `Object.fromEntries(Object.entries(${JSON.stringify(hosts)}).map(([h, host]) => [h, ${JSON.stringify(names)}.filter((n) => { const t = m.nativeTarget(n); return t && m.matchesHost(t, host); })]))`,
  ) as Record<string, string[]>;

  it.each([
    ['winX64', ['@nx/nx-win32-x64-msvc', '@swc/core-win32-x64-msvc', '@parcel/watcher-win32-x64']],
    ['linuxGlibc', ['@nx/nx-linux-x64-gnu', '@parcel/watcher-linux-x64-glibc']],
    ['linuxMusl', ['@swc/core-linux-x64-musl']],
    ['macArm', ['@nx/nx-darwin-arm64']],
  ])('%s loads exactly %j', (host, expected) => {
    expect(result[host]).toEqual(expected);
  });

  it('reads os, cpu and abi from the name; none for non-platform names', () => {
    expect(evalModule(`['@swc/core-linux-arm-gnueabihf', '@oxc-resolver/binding-wasm32-wasi', '@pkgjs/parseargs'].map(m.nativeTarget)`)).toEqual([
      { os: 'linux', cpu: 'arm', abi: 'gnueabihf' },
      null,
      null,
    ]);
  });

  it("describes this host as Node reports it (glibc here: Node's report names a glibc runtime)", () => {
    const host = evalModule('m.hostPlatform()') as { os: string; cpu: string; libc: string | null };
    expect(host.os).toBe(process.platform);
    expect(host.cpu).toBe(process.arch);
    const report = (process.report as unknown as { getReport(): { header: { glibcVersionRuntime?: string } } }).getReport();
    expect(host.libc).toBe(process.platform !== 'linux' ? null : report.header.glibcVersionRuntime ? 'glibc' : 'musl');
  });
});

describe('npm-ci.mjs in a project whose lockfile lacks the host native of an installed package', () => {
  const host = evalModule('m.hostPlatform()') as { os: string; cpu: string; libc: string | null };
  const abi = host.os === 'win32' ? '-msvc' : host.os === 'linux' ? (host.libc === 'musl' ? '-musl' : '-gnu') : '';
  const NATIVE = `@node-rs/xxhash-${host.os}-${host.cpu}${abi}`;
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  /** A project with fakeparent (a packed tarball naming NATIVE@version), its lockfile made by npm, then stripped of NATIVE. */
  function project(version: string): string {
    const root = mkdtempSync(join(tmpdir(), 'quiver-npmci-'));
    roots.push(root);
    const fake = join(root, 'fakeparent-src');
    mkdirSync(fake);
    writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: 'fakeparent', version: '1.0.0', optionalDependencies: { [NATIVE]: version } }));
    const pack = spawnSync('npm', ['pack', '--pack-destination', root], { cwd: fake, encoding: 'utf8', env: env() });
    expect(pack.status).toBe(0);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'proj', version: '0.0.0', private: true, dependencies: { fakeparent: 'file:fakeparent-1.0.0.tgz' } }));
    const lock = spawnSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8', env: env() });
    expect(lock.status).toBe(0);
    const lockFile = join(root, 'package-lock.json');
    const json = readJson(lockFile);
    delete json.packages['node_modules/fakeparent'].optionalDependencies;
    delete json.packages[`node_modules/${NATIVE}`];
    writeFileSync(lockFile, `${JSON.stringify(json, null, 2)}\n`);
    mkdirSync(join(root, 'tools', 'ci'), { recursive: true });
    cpSync(SCRIPT, join(root, 'tools', 'ci', 'npm-ci.mjs'));
    return root;
  }

  const runScript = (root: string) => spawnSync(process.execPath, [join(root, 'tools', 'ci', 'npm-ci.mjs')], { cwd: root, encoding: 'utf8', env: env() });
  const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('npm-ci: error:'));

  it('installs the missing native at exactly the version its parent names; the lockfile stays as reviewed', () => {
    const root = project('1.7.8');
    const lockBefore = readFileSync(join(root, 'package-lock.json'), 'utf8');
    const r = runScript(root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`npm-ci: fakeparent@1.0.0 -> ${NATIVE}@1.7.8: missing, installing`);
    expect(r.stdout).toContain(`npm-ci: fakeparent@1.0.0 -> ${NATIVE}@1.7.8: installed`);
    expect(readJson(join(root, 'node_modules', NATIVE, 'package.json')).version).toBe('1.7.8');
    expect(readJson(join(root, 'node_modules', 'fakeparent', 'package.json')).version).toBe('1.0.0');
    expect(readFileSync(join(root, 'package-lock.json'), 'utf8')).toBe(lockBefore);
    expect(readFileSync(join(root, 'package.json'), 'utf8')).not.toContain('xxhash');

    // A second run (npm ci starts from scratch) finds it missing again and repairs again: nothing is cached in the tree.
    const again = runScript(root);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`${NATIVE}@1.7.8: installed`);
  });

  it('fails with one line naming the native and its parent when the registry lacks that version', () => {
    const root = project('0.0.0-quiver-not-published');
    const r = runScript(root);
    expect(r.status).toBe(1);
    const errors = errorLines(r.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`cannot install ${NATIVE}@0.0.0-quiver-not-published`);
    expect(errors[0]).toContain('fakeparent@1.0.0');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(root, 'node_modules', 'fakeparent', 'package.json'))).toBe(true);
  });

  it('fails with one line when npm ci refuses the lockfile', () => {
    const root = project('1.7.8');
    const pkg = readJson(join(root, 'package.json'));
    pkg.dependencies['left-pad'] = '1.3.0'; // not in the lockfile
    writeFileSync(join(root, 'package.json'), JSON.stringify(pkg));
    const r = runScript(root);
    expect(r.status).toBe(1);
    const errors = errorLines(r.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("'npm ci --no-audit --no-fund'");
    expect(errors[0]).toContain('package-lock.json');
  });
});

describe('npm-ci.mjs step 4: compiles the workspace plugin after npm ci', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  /** A project with no dependencies and a stand-in tools/nx-wheels/build.js (the real one is tested in loader.spec.ts) running `body`. */
  function project(body: string | null): string {
    const root = mkdtempSync(join(tmpdir(), 'quiver-npmci-build-'));
    roots.push(root);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'proj', version: '0.0.0', private: true }));
    const lock = spawnSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8', env: env() });
    expect(lock.status).toBe(0);
    mkdirSync(join(root, 'tools', 'ci'), { recursive: true });
    cpSync(SCRIPT, join(root, 'tools', 'ci', 'npm-ci.mjs'));
    if (body !== null) {
      mkdirSync(join(root, 'tools', 'nx-wheels'), { recursive: true });
      writeFileSync(join(root, 'tools', 'nx-wheels', 'build.js'), body);
    }
    return root;
  }
  const run = (root: string) => spawnSync(process.execPath, [join(root, 'tools', 'ci', 'npm-ci.mjs')], { cwd: root, encoding: 'utf8', env: env() });

  it('runs tools/nx-wheels/build.js from the workspace root when it exists', () => {
    const root = project("require('node:fs').writeFileSync('built-in-' + require('node:path').basename(process.cwd()), 'x');");
    const r = run(root);
    expect(r.status).toBe(0);
    expect(existsSync(join(root, `built-in-${require('node:path').basename(root)}`))).toBe(true);
  });

  it('skips the step in a workspace without the plugin sources', () => {
    const r = run(project(null));
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('npm-ci: error');
  });

  it('a failing build is one error line naming the command; exit 1', () => {
    const r = run(project('process.exit(2);'));
    expect(r.status).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('npm-ci: error:'));
    expect(errors).toEqual([expect.stringContaining("'node tools/nx-wheels/build.js' failed (exit 2)")]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
