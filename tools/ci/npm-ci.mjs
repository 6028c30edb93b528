#!/usr/bin/env node
/**
 * `node tools/ci/npm-ci.mjs`: install node_modules as CI does (every workflow job that needs Nx
 * runs exactly this) and prove this host's platform-native packages came with it.
 *
 * 1. `npm ci --no-audit --no-fund` in the workspace root (the directory above tools/): exactly the
 *    reviewed package-lock.json, integrity-checked, nothing resolved anew. The lockfile lists every
 *    platform's native packages (win32, darwin, linux gnu/musl, ...), so npm ci alone installs the
 *    ones this host needs; nothing is installed after it.
 * 2. Check: every installed package whose optionalDependencies name platform-native packages (nx,
 *    @swc/core, unrs-resolver, ...: names such as `@nx/nx-win32-x64-msvc`, `@swc/core-linux-x64-gnu`,
 *    `@parcel/watcher-darwin-arm64`) must find the one(s) built for this host (process.platform,
 *    process.arch and, on Linux, glibc or musl) through Node's node_modules lookup from its own
 *    directory, at exactly the version the installed parent's package.json names. npm ci does not
 *    fail when an optional package is missing from the lockfile or cannot be fetched, and Nx or
 *    swc then fail later with a less clear message (@swc/core's postinstall even falls back to
 *    installing @swc/wasm); this check fails at once instead.
 * 3. When the workspace holds the Nx plugin's sources (tools/nx-wheels/build.js exists), the plugin
 *    is compiled to tools/nx-wheels/dist with `node tools/nx-wheels/build.js` (tsc plus the build
 *    stamp), so every Nx command after the install loads it as compiled JS
 *    (tools/nx-wheels/loader.js falls back to the TypeScript sources whenever they no longer match).
 *
 * `node tools/ci/npm-ci.mjs --check-only [--os=<os>] [--cpu=<cpu>] [--libc=glibc|musl]` runs step 2
 * alone on the node_modules already there, for this host or for the platform given with npm's own
 * option names (e.g. after `npm ci --os=win32 --cpu=x64` on Linux: `--check-only --os=win32
 * --cpu=x64`). --libc defaults to the host's on the host's OS, glibc on another Linux.
 *
 * Output: one line per native package checked (`npm-ci: <parent>@<v> -> <native>@<v>: present`, or
 * `missing` / `other version <v>`). Exit 0 when all are present; exit 1 with one
 * `npm-ci: error: ...` line (stderr) naming the package, its version and the fix when npm ci fails,
 * a native package is missing or at another version, the plugin build fails, or an argument is
 * wrong. Plain Node (>= 18, ESM), no dependencies: node_modules does not exist yet. Works on
 * Windows (npm is spawned through the shell there, as npm.cmd requires).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Operating systems (process.platform values) that appear in native package names. */
const OSES = ['win32', 'linux', 'darwin', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
/** CPU names (process.arch values) that appear right after the OS in native package names. */
const CPUS = ['x64', 'arm64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'x86'];

/**
 * The host as native package names describe it.
 * @returns {{ os: string, cpu: string, libc: 'glibc' | 'musl' | null }} libc only on Linux:
 *   glibc when Node's diagnostic report names a glibc runtime, musl otherwise.
 */
export function hostPlatform() {
  let libc = null;
  if (process.platform === 'linux') {
    if (process.report) process.report.excludeNetwork = true;
    const header = process.report?.getReport?.().header;
    libc = header?.glibcVersionRuntime ? 'glibc' : 'musl';
  }
  return { os: process.platform, cpu: process.arch, libc };
}

/**
 * The platform a native package is built for, read from its name: the `<os>-<cpu>[-<abi>]` tail,
 * e.g. `@swc/core-linux-x64-musl` -> { os: 'linux', cpu: 'x64', abi: 'musl' },
 * `@parcel/watcher-win32-x64` -> { os: 'win32', cpu: 'x64', abi: '' }.
 * @param {string} name npm package name
 * @returns {{ os: string, cpu: string, abi: string } | null} null when the name names no platform
 *   (e.g. `@oxc-resolver/binding-wasm32-wasi`, `@pkgjs/parseargs`).
 */
export function nativeTarget(name) {
  const parts = name.slice(name.lastIndexOf('/') + 1).split('-');
  for (let i = parts.length - 2; i >= 0; i--) {
    if (OSES.includes(parts[i]) && CPUS.includes(parts[i + 1])) {
      return { os: parts[i], cpu: parts[i + 1], abi: parts.slice(i + 2).join('-') };
    }
  }
  return null;
}

/**
 * Whether a native package built for `target` is the one this host loads.
 * Linux: the ABI must name the host's libc (gnu/glibc or musl; none named: either).
 * Windows: MSVC builds (or no ABI named), not MinGW (`gnu`) ones.
 * @param {{ os: string, cpu: string, abi: string }} target from {@link nativeTarget}
 * @param {{ os: string, cpu: string, libc: string | null }} host from {@link hostPlatform}
 */
export function matchesHost(target, host) {
  if (target.os !== host.os || target.cpu !== host.cpu) return false;
  const abi = target.abi;
  if (host.os === 'linux') {
    if (/musl/.test(abi)) return host.libc === 'musl';
    if (/gnu|glibc/.test(abi)) return host.libc === 'glibc';
    return true;
  }
  if (host.os === 'win32') return abi === '' || abi === 'msvc';
  return true;
}

/** Whether `path` is `root` or below it (another drive on Windows: no). */
function inside(root, path) {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Every installed package: node_modules of the root and, recursively, nested node_modules, plus
 * the node_modules of the workspace packages npm links into node_modules (links not followed
 * otherwise).
 * @param {string} root workspace root
 * @returns {Map<string, { dir: string, name: string, version: string, optionalDependencies: Record<string, string> }>}
 *   keyed by the location relative to root, with `/` separators (e.g. `node_modules/@nx/devkit`).
 */
export function installedPackages(root) {
  const found = new Map();
  const seenWorkspaces = new Set();
  const readPkg = (dir) => {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      return null;
    }
  };
  const scan = (nodeModules) => {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules)) {
      if (entry.startsWith('.')) continue;
      const path = join(nodeModules, entry);
      if (entry.startsWith('@')) {
        if (!lstatSync(path).isDirectory()) continue;
        for (const sub of readdirSync(path)) visit(join(path, sub));
      } else {
        visit(path);
      }
    }
  };
  const visit = (location) => {
    const stat = lstatSync(location);
    let dir = location;
    if (stat.isSymbolicLink()) {
      // npm workspaces and file: links: node_modules/@quiver/nx-wheels -> tools/nx-wheels. The
      // package counts (its natives resolve from its real directory); its node_modules is
      // scanned once, and only inside the workspace.
      try {
        dir = realpathSync(location);
      } catch {
        return;
      }
      if (!inside(root, dir) || seenWorkspaces.has(dir)) return;
      seenWorkspaces.add(dir);
    } else if (!stat.isDirectory()) {
      return;
    }
    const pkg = readPkg(dir);
    if (pkg && typeof pkg.name === 'string' && typeof pkg.version === 'string') {
      found.set(relative(root, location).split(sep).join('/'), {
        dir,
        name: pkg.name,
        version: pkg.version,
        optionalDependencies: pkg.optionalDependencies ?? {},
      });
    }
    scan(join(dir, 'node_modules'));
  };
  scan(join(root, 'node_modules'));
  return found;
}

/**
 * The directories Node looks in for `name` when the package in `fromDir` requires it, in order:
 * fromDir's own node_modules, then each parent directory's node_modules up to `root`.
 * @returns {string[]} candidate package directories (absolute), whether or not they exist.
 */
function lookupDirs(root, fromDir, name) {
  const dirs = [];
  let dir = fromDir;
  for (;;) {
    if (!dir.endsWith(`${sep}node_modules`)) dirs.push(join(dir, 'node_modules', ...name.split('/')));
    if (dir === root) return dirs;
    const up = dirname(dir);
    if (up === dir || !inside(root, up)) return dirs;
    dir = up;
  }
}

/** `path` relative to `root` with `/` separators: a key of package-lock.json's `packages`. */
function lockKey(root, path) {
  return relative(root, path).split(sep).join('/');
}

/**
 * Where Node would load `name` from when required by the package in `fromDir`.
 * @returns {string | null} the package directory, or null when it does not resolve.
 */
export function resolvePackageDir(root, fromDir, name) {
  return lookupDirs(root, fromDir, name).find((d) => existsSync(join(d, 'package.json'))) ?? null;
}

/**
 * The `packages` map of the workspace's package-lock.json (lockfileVersion 2 or 3).
 * @returns {Record<string, { version?: string }> | null} null when the file is absent or unreadable.
 */
function readLockPackages(root) {
  try {
    return JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? null;
  } catch {
    return null;
  }
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * The host's native packages that installed packages ask for, and whether each is in place.
 * @param {string} root workspace root (a real path)
 * @param {{ os: string, cpu: string, libc: string | null }} host from {@link hostPlatform} or {@link parseArgs}
 * @returns {{ parent: string, parentKey: string, name: string, spec: string, installed: string | null,
 *   locked: string | null | undefined, ok: boolean }[]}
 *   parent: `name@version` of the asking package; parentKey: its package-lock.json key (e.g.
 *   `node_modules/nx`); spec: the version it names; installed: the version that resolves from the
 *   parent (null: none); locked: the version package-lock.json records where Node would find it
 *   (null: no entry; undefined: no lockfile); ok: installed and, when spec is an exact version,
 *   equal to it.
 */
export function checkNatives(root, host) {
  const packages = installedPackages(root);
  const lock = readLockPackages(root);
  const checks = [];
  const seen = new Set();
  for (const pkg of packages.values()) {
    for (const [name, spec] of Object.entries(pkg.optionalDependencies)) {
      const target = nativeTarget(name);
      if (!target || !matchesHost(target, host)) continue;
      const key = `${pkg.name}@${pkg.version} ${name}@${spec}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const candidates = lookupDirs(root, pkg.dir, name);
      const resolved = candidates.find((d) => existsSync(join(d, 'package.json')));
      let installed = null;
      if (resolved) {
        try {
          installed = JSON.parse(readFileSync(join(resolved, 'package.json'), 'utf8')).version ?? null;
        } catch {
          installed = null;
        }
      }
      const lockEntry = lock ? candidates.map((d) => lock[lockKey(root, d)]).find(Boolean) : undefined;
      const locked = lock ? (lockEntry?.version ?? null) : undefined;
      const ok = installed !== null && (!EXACT_VERSION.test(spec) || installed === spec);
      checks.push({ parent: `${pkg.name}@${pkg.version}`, parentKey: lockKey(root, pkg.dir), name, spec, installed, locked, ok });
    }
  }
  return checks;
}

/** The command that rewrites package-lock.json with every platform's natives of the package at `parentKey`. */
function relockFix(parentKey) {
  return `regenerate the lockfile: delete "${parentKey}" from package-lock.json's "packages", run 'npm install --package-lock-only --ignore-scripts' (npm then records every platform's optional packages of it; check with git diff that only entries were added), commit package-lock.json`;
}

/**
 * The one error line for the failed checks `bad` (from {@link checkNatives}, ok false): the first
 * one in full (package, version, parent, why, fix), the others by name.
 */
export function nativeFailure(bad, host) {
  const c = bad[0];
  const what = `${c.name}@${c.spec} (native package of ${c.parent} for ${describeHost(host)})`;
  let why;
  if (c.locked === null) {
    why = `is not installed: package-lock.json has no entry for it, so npm ci skips it; ${relockFix(c.parentKey)}`;
  } else if (c.locked !== undefined && EXACT_VERSION.test(c.spec) && c.locked !== c.spec) {
    why = `${c.installed ? `is installed at ${c.installed}` : 'is not installed'}: package-lock.json records ${c.locked}; ${relockFix(c.parentKey)}`;
  } else if (c.installed) {
    why = `is installed at ${c.installed}, not the version package-lock.json records; run 'node tools/ci/npm-ci.mjs' (npm ci reinstalls node_modules from the lockfile)`;
  } else {
    why = `is in package-lock.json but npm ci did not install it (npm skips an optional package it cannot fetch or whose os/cpu/libc do not match; see npm's warnings above); check that the registry serves it ('npm view ${c.name}@${c.spec}') and run 'node tools/ci/npm-ci.mjs' again`;
  }
  const more = bad.length > 1 ? ` (also wrong: ${bad.slice(1).map((b) => `${b.name}@${b.spec}`).join(', ')})` : '';
  return `${what} ${why}${more}`;
}

/**
 * Step 2: check the host's natives under `root`, print one line per package, fail on any missing.
 * @throws {NpmCiError} one line from {@link nativeFailure}
 */
export function verifyNatives(root, host) {
  const checks = checkNatives(root, host);
  console.log(`npm-ci: host ${describeHost(host)}: ${checks.length} native package(s) of installed packages to check`);
  for (const c of checks) {
    const state = c.ok ? 'present' : c.installed ? `other version ${c.installed}` : 'missing';
    console.log(`npm-ci: ${c.parent} -> ${c.name}@${c.spec}: ${state}`);
  }
  const bad = checks.filter((c) => !c.ok);
  if (bad.length > 0) fail(nativeFailure(bad, host));
  return checks;
}

/**
 * Run npm with `args` in `cwd`, output passed through. On Windows npm is npm.cmd, which Node
 * only starts through a shell: one command line, each argument double-quoted (cmd.exe treats
 * ^ < > | & specially; our arguments hold no `"`), not an args array (deprecated with
 * shell: true since Node 24, DEP0190).
 */
function npm(cwd, args) {
  const r =
    process.platform === 'win32'
      ? spawnSync(`npm ${args.map((a) => `"${a}"`).join(' ')}`, { cwd, stdio: 'inherit', shell: true })
      : spawnSync('npm', args, { cwd, stdio: 'inherit' });
  if (r.error) return { status: null, error: r.error.message };
  return { status: r.status, error: null };
}

/** A failure reported as one `npm-ci: error: ...` line and exit code 1. */
export class NpmCiError extends Error {}

function fail(message) {
  throw new NpmCiError(message);
}

function describeHost(host) {
  return `${host.os}-${host.cpu}${host.libc ? ` (${host.libc})` : ''}`;
}

/**
 * The command line: `[]` (install) or `--check-only` with optional `--os=`, `--cpu=`, `--libc=`
 * (npm's option names and values: process.platform / process.arch names, glibc or musl).
 * @param {string[]} argv arguments after the script
 * @returns {{ checkOnly: boolean, host: { os: string, cpu: string, libc: string | null } }}
 * @throws {NpmCiError} on an unknown option, a platform option without --check-only, or an unknown value
 */
export function parseArgs(argv) {
  const usage = "usage: node tools/ci/npm-ci.mjs [--check-only [--os=<os>] [--cpu=<cpu>] [--libc=glibc|musl]]";
  const opts = {};
  let checkOnly = false;
  for (const arg of argv) {
    const m = /^--(os|cpu|libc)=(.+)$/.exec(arg);
    if (arg === '--check-only') checkOnly = true;
    else if (m) opts[m[1]] = m[2];
    else fail(`unknown argument '${arg}'; ${usage}`);
  }
  if (!checkOnly && Object.keys(opts).length > 0) fail(`--os, --cpu and --libc apply to --check-only only (the install is for this host); ${usage}`);
  const here = hostPlatform();
  const os = opts.os ?? here.os;
  const cpu = opts.cpu ?? here.cpu;
  if (!OSES.includes(os)) fail(`--os=${os}: not one of ${OSES.join(', ')}`);
  if (!CPUS.includes(cpu)) fail(`--cpu=${cpu}: not one of ${CPUS.join(', ')}`);
  if (opts.libc !== undefined && !['glibc', 'musl'].includes(opts.libc)) fail(`--libc=${opts.libc}: not glibc or musl`);
  if (opts.libc !== undefined && os !== 'linux') fail(`--libc applies to --os=linux only (got --os=${os})`);
  const libc = os !== 'linux' ? null : (opts.libc ?? (os === here.os ? here.libc : 'glibc'));
  return { checkOnly, host: { os, cpu, libc } };
}

/**
 * Steps 1-3 of the module comment in the workspace root `workspaceRoot`, or step 2 alone.
 * @param {string} workspaceRoot the directory holding package.json and package-lock.json
 * @param {string[]} [argv] command-line arguments, see {@link parseArgs}
 * @throws {NpmCiError} one line naming what failed and the fix
 */
export function main(workspaceRoot, argv = []) {
  const { checkOnly, host } = parseArgs(argv);
  // Real path: workspace links resolve to real paths, compared with this root.
  const root = realpathSync(workspaceRoot);
  if (checkOnly) {
    verifyNatives(root, host);
    return;
  }
  const ci = npm(root, ['ci', '--no-audit', '--no-fund']);
  if (ci.status !== 0) {
    fail(`'npm ci --no-audit --no-fund' in ${root} failed (${ci.error ?? `exit ${ci.status}`}); see npm's message above (a lockfile out of sync with package.json: run 'npm install' and commit package-lock.json)`);
  }
  verifyNatives(root, host);
  buildPlugin(root);
}

/** Step 3: compile the workspace's Nx plugin when its sources are here. */
export function buildPlugin(root) {
  const script = join(root, 'tools', 'nx-wheels', 'build.js');
  if (!existsSync(script)) return;
  const r = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    fail(`'node tools/nx-wheels/build.js' failed (${r.error ? r.error.message : `exit ${r.status}`}); see tsc's messages above (Nx would still load the plugin from its TypeScript sources)`);
  }
}

/** Whether this file is the script node was started with (not imported, e.g. by a test). */
function isEntryPoint() {
  if (!process.argv[1]) return false;
  const norm = (p) => {
    const real = realpathSync(p);
    return process.platform === 'win32' ? real.toLowerCase() : real;
  };
  try {
    return norm(resolve(process.argv[1])) === norm(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  try {
    main(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof NpmCiError)) throw e;
    console.error(`npm-ci: error: ${e.message}`);
    process.exitCode = 1;
  }
}
