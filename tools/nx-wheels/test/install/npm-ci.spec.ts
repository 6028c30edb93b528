/**
 * tools/ci/npm-ci.mjs (the workflows' install step) and the lockfile it installs, against real npm
 * and the registry:
 * - its reading of native package names against a host (table; the module is ESM and imported by a
 *   child node, as the workflow runs it) and its command line;
 * - the workspace's package-lock.json records every platform's natives of every installed package
 *   that has them (compared with the installed package.json files);
 * - in a small temporary project whose package `fakeparent` names this host's @node-rs/xxhash
 *   native (a small real package) in optionalDependencies: plain `npm ci` installs it and the
 *   check passes; a lockfile without it (what made Windows runners fail) -> exit 1 with one line
 *   naming the package, its version and the regenerate fix, and nothing installed after npm ci;
 *   following that fix makes it pass; a native deleted from (or changed in) node_modules ->
 *   `--check-only` fails in one line; an out-of-sync lockfile -> one line.
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

describe('npm-ci.mjs command line', () => {
  it.each([
    [['--os=win32'], '--os, --cpu and --libc apply to --check-only only'],
    [['--check-only', '--os=windows'], '--os=windows: not one of win32, linux'],
    [['--check-only', '--cpu=amd64'], '--cpu=amd64: not one of x64'],
    [['--check-only', '--os=win32', '--libc=musl'], '--libc applies to --os=linux only'],
    [['--check-only', '--libc=uclibc'], '--libc=uclibc: not glibc or musl'],
    [['--install'], "unknown argument '--install'"],
  ])('%j: exit 1, one error line, nothing run', (args, message) => {
    const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env: env() });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`npm-ci: error: ${message}`)]);
  });

  it('the host of --check-only: the given os/cpu, libc only on Linux (glibc unless given)', () => {
    expect(evalModule(`[['--check-only', '--os=win32', '--cpu=x64'], ['--check-only', '--os=linux', '--cpu=arm64', '--libc=musl'], ['--check-only', '--os=darwin', '--cpu=arm64']].map((a) => m.parseArgs(a))`)).toEqual([
      { checkOnly: true, host: { os: 'win32', cpu: 'x64', libc: null } },
      { checkOnly: true, host: { os: 'linux', cpu: 'arm64', libc: 'musl' } },
      { checkOnly: true, host: { os: 'darwin', cpu: 'arm64', libc: null } },
    ]);
    expect(evalModule(`m.parseArgs([])`)).toEqual({ checkOnly: false, host: evalModule('m.hostPlatform()') });
  });
});

describe("the workspace's package-lock.json lists every platform's natives", () => {
  const lock = readJson(join(WORKSPACE, 'package-lock.json')).packages as Record<string, { version?: string; optionalDependencies?: Record<string, string> }>;
  /** Installed packages (top level of node_modules) whose package.json names platform natives. */
  const installed = Object.keys(lock)
    .filter((k) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(k) && existsSync(join(WORKSPACE, k, 'package.json')))
    .map((k) => ({ key: k, pkg: readJson(join(WORKSPACE, k, 'package.json')) as { name: string; version: string; optionalDependencies?: Record<string, string> } }));
  const optionalNames = [...new Set(installed.flatMap(({ pkg }) => Object.keys(pkg.optionalDependencies ?? {})))];
  const natives = new Set(evalModule(`${JSON.stringify(optionalNames)}.filter((n) => m.nativeTarget(n))`) as string[]);
  const parents = installed.filter(({ pkg }) => Object.keys(pkg.optionalDependencies ?? {}).some((n) => natives.has(n)));

  it('nx, @swc/core, unrs-resolver and oxc-resolver are among the parents checked', () => {
    expect(parents.map((p) => p.pkg.name)).toEqual(expect.arrayContaining(['nx', '@swc/core', 'unrs-resolver', 'oxc-resolver']));
  });

  it.each(['@nx/nx-win32-x64-msvc', '@swc/core-win32-x64-msvc', '@nx/nx-linux-x64-gnu', '@swc/core-linux-x64-gnu', '@nx/nx-darwin-arm64', '@swc/core-linux-x64-musl'])('%s has an entry', (name) => {
    expect(lock[`node_modules/${name}`]).toEqual(expect.objectContaining({ optional: true }));
  });

  it("each parent's entry names the optionalDependencies its package.json names, and each has an entry at that version", () => {
    const problems: string[] = [];
    for (const { key, pkg } of parents) {
      const wanted = pkg.optionalDependencies ?? {};
      if (JSON.stringify(Object.entries(lock[key].optionalDependencies ?? {}).sort()) !== JSON.stringify(Object.entries(wanted).sort())) {
        problems.push(`${key}: lockfile optionalDependencies differ from ${pkg.name}@${pkg.version}'s package.json`);
      }
      for (const [name, spec] of Object.entries(wanted)) {
        const entry = lock[`${key}/node_modules/${name}`] ?? lock[`node_modules/${name}`];
        if (entry?.version !== spec) problems.push(`${name}@${spec} (of ${pkg.name}): ${entry ? `lockfile has ${entry.version}` : 'no entry'}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('npm-ci.mjs in a project whose fakeparent names this host\'s native', () => {
  const host = evalModule('m.hostPlatform()') as { os: string; cpu: string; libc: string | null };
  const abi = host.os === 'win32' ? '-msvc' : host.os === 'linux' ? (host.libc === 'musl' ? '-musl' : '-gnu') : '';
  const NATIVE = `@node-rs/xxhash-${host.os}-${host.cpu}${abi}`;
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  /** A project with fakeparent (a packed tarball naming NATIVE@1.7.8) and the lockfile npm makes for it. */
  function project(): string {
    const root = mkdtempSync(join(tmpdir(), 'quiver-npmci-'));
    roots.push(root);
    const fake = join(root, 'fakeparent-src');
    mkdirSync(fake);
    writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: 'fakeparent', version: '1.0.0', optionalDependencies: { [NATIVE]: '1.7.8' } }));
    const pack = spawnSync('npm', ['pack', '--pack-destination', root], { cwd: fake, encoding: 'utf8', env: env() });
    expect(pack.status).toBe(0);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'proj', version: '0.0.0', private: true, dependencies: { fakeparent: 'file:fakeparent-1.0.0.tgz' } }));
    relock(root);
    expect(readJson(join(root, 'package-lock.json')).packages[`node_modules/${NATIVE}`].version).toBe('1.7.8');
    mkdirSync(join(root, 'tools', 'ci'), { recursive: true });
    cpSync(SCRIPT, join(root, 'tools', 'ci', 'npm-ci.mjs'));
    return root;
  }
  const relock = (root: string) => {
    const r = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8', env: env() });
    expect(r.status).toBe(0);
  };
  /** The lockfile as 0174d5d left nx's: neither fakeparent's edge to NATIVE nor NATIVE's entry. */
  const stripNative = (root: string) => {
    const lockFile = join(root, 'package-lock.json');
    const json = readJson(lockFile);
    delete json.packages['node_modules/fakeparent'].optionalDependencies;
    delete json.packages[`node_modules/${NATIVE}`];
    writeFileSync(lockFile, `${JSON.stringify(json, null, 2)}\n`);
  };
  const runScript = (root: string, ...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'tools', 'ci', 'npm-ci.mjs'), ...args], { cwd: root, encoding: 'utf8', env: env() });
  const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('npm-ci: error:'));
  const nativeVersion = (root: string) => readJson(join(root, 'node_modules', NATIVE, 'package.json')).version;

  it('plain npm ci installs the native at the version its parent names; the check says present; the lockfile stays as reviewed', () => {
    const root = project();
    const lockBefore = readFileSync(join(root, 'package-lock.json'), 'utf8');
    const r = runScript(root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`npm-ci: fakeparent@1.0.0 -> ${NATIVE}@1.7.8: present`);
    expect(nativeVersion(root)).toBe('1.7.8');
    expect(readFileSync(join(root, 'package-lock.json'), 'utf8')).toBe(lockBefore);
    expect(errorLines(r.stderr)).toEqual([]);
  });

  it('a lockfile without the native: exit 1, one line with package, version and the regenerate fix; nothing installed after npm ci; the fix works', () => {
    const root = project();
    stripNative(root);
    const r = runScript(root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`npm-ci: fakeparent@1.0.0 -> ${NATIVE}@1.7.8: missing`);
    const errors = errorLines(r.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`npm-ci: error: ${NATIVE}@1.7.8 (native package of fakeparent@1.0.0 for `);
    expect(errors[0]).toContain('package-lock.json has no entry for it');
    expect(errors[0]).toContain(`delete "node_modules/fakeparent" from package-lock.json's "packages", run 'npm install --package-lock-only --ignore-scripts'`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // No npm install after npm ci: the tree is exactly what npm ci made from the stripped lockfile.
    expect(existsSync(join(root, 'node_modules', NATIVE))).toBe(false);
    expect(existsSync(join(root, 'node_modules', 'fakeparent', 'package.json'))).toBe(true);

    // The fix, as the message words it.
    const lockFile = join(root, 'package-lock.json');
    const json = readJson(lockFile);
    delete json.packages['node_modules/fakeparent'];
    writeFileSync(lockFile, `${JSON.stringify(json, null, 2)}\n`);
    relock(root);
    const again = runScript(root);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`${NATIVE}@1.7.8: present`);
    expect(nativeVersion(root)).toBe('1.7.8');
  });

  it('--check-only: a native deleted from node_modules, or at another version, fails in one line; restored, it passes', () => {
    const root = project();
    expect(runScript(root).status).toBe(0);
    const nativeDir = join(root, 'node_modules', NATIVE);
    const saved = `${nativeDir}.saved`;
    cpSync(nativeDir, saved, { recursive: true });

    rmSync(nativeDir, { recursive: true });
    const missing = runScript(root, '--check-only');
    expect(missing.status).toBe(1);
    expect(missing.stdout).not.toContain('added'); // no npm ran
    expect(errorLines(missing.stderr)).toEqual([
      expect.stringContaining(`${NATIVE}@1.7.8 (native package of fakeparent@1.0.0 for ${host.os}-${host.cpu}`),
    ]);
    expect(missing.stderr).toContain('is in package-lock.json but npm ci did not install it');
    expect(existsSync(nativeDir)).toBe(false);

    cpSync(saved, nativeDir, { recursive: true });
    const pkgFile = join(nativeDir, 'package.json');
    writeFileSync(pkgFile, JSON.stringify({ ...readJson(pkgFile), version: '1.7.7' }));
    const other = runScript(root, '--check-only');
    expect(other.status).toBe(1);
    expect(other.stdout).toContain(`npm-ci: fakeparent@1.0.0 -> ${NATIVE}@1.7.8: other version 1.7.7`);
    expect(errorLines(other.stderr)).toEqual([expect.stringContaining(`${NATIVE}@1.7.8 (native package of fakeparent@1.0.0`)]);
    expect(other.stderr).toContain('is installed at 1.7.7');

    rmSync(nativeDir, { recursive: true });
    cpSync(saved, nativeDir, { recursive: true });
    const ok = runScript(root, '--check-only');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`${NATIVE}@1.7.8: present`);
  });

  it('fails with one line when npm ci refuses the lockfile', () => {
    const root = project();
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

describe('npm-ci.mjs step 3: compiles the workspace plugin after npm ci', () => {
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
