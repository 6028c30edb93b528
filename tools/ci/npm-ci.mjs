#!/usr/bin/env node
/**
 * `node tools/ci/npm-ci.mjs`: install node_modules as CI does (every workflow job that needs Nx
 * runs exactly this), then make sure this host's platform-native packages are there.
 *
 * 1. `npm ci --no-audit --no-fund` in the workspace root (the directory above tools/): exactly the
 *    reviewed package-lock.json, nothing resolved anew.
 * 2. Every installed package whose optionalDependencies name platform-native packages (nx,
 *    @swc/core, unrs-resolver, ...: names such as `@nx/nx-win32-x64-msvc`, `@swc/core-linux-x64-gnu`,
 *    `@parcel/watcher-darwin-arm64`) is checked for the one(s) built for this host (process.platform,
 *    process.arch and, on Linux, glibc or musl). Such a package must resolve from its parent (Node's
 *    node_modules lookup) at exactly the version the installed parent's package.json names.
 *    The lockfile made on our machines cannot hold the win32 natives of nx 24 / @swc/core 1.16
 *    (the registry reachable there lacks those versions) and npm does not add a missing platform
 *    package to an existing lockfile, so on a Windows runner they are absent after step 1.
 * 3. Each missing (or other-version) one is installed with
 *    `npm install --no-save --no-audit --no-fund <name>@<version>` (npm fetches it from the
 *    registry and checks it against the registry's integrity; package.json and package-lock.json
 *    are not written), and afterwards every package installed before must still be at the same
 *    place and version and the only new ones must be the requested natives, else it fails.
 *    (npm install rather than unpacking `npm pack` output by hand: npm places the package, links
 *    bins, runs its scripts and records it in node_modules/.package-lock.json as for any install.)
 *
 * 4. When the workspace holds the Nx plugin's sources (tools/nx-wheels/build.js exists), the plugin
 *    is compiled to tools/nx-wheels/dist with `node tools/nx-wheels/build.js` (tsc plus the build
 *    stamp), so every Nx command after the install loads it as compiled JS
 *    (tools/nx-wheels/loader.js falls back to the TypeScript sources whenever they no longer match).
 *
 * Output: one line per native package checked (`npm-ci: <parent>@<v> -> <native>@<v>: present |
 * installed`). Exit 0 when all are present; exit 1 with one `npm-ci: error: ...` line naming the
 * package and the fix when npm ci fails, a native package cannot be installed, or the repair
 * changed anything else. Plain Node (>= 18, ESM), no dependencies: node_modules does not exist yet.
 * Works on Windows (npm is spawned through the shell there, as npm.cmd requires).
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
 * Where Node would load `name` from when required by the package in `fromDir`: fromDir's own
 * node_modules, then each parent directory's node_modules up to `root`.
 * @returns {string | null} the package directory, or null when it does not resolve.
 */
export function resolvePackageDir(root, fromDir, name) {
  let dir = fromDir;
  for (;;) {
    if (!dir.endsWith(`${sep}node_modules`)) {
      const candidate = join(dir, 'node_modules', ...name.split('/'));
      if (existsSync(join(candidate, 'package.json'))) return candidate;
    }
    if (dir === root) return null;
    const up = dirname(dir);
    if (up === dir || !inside(root, up)) return null;
    dir = up;
  }
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * The host's native packages that installed packages ask for, and whether each is in place.
 * @returns {{ parent: string, name: string, spec: string, installed: string | null, ok: boolean }[]}
 *   parent: `name@version` of the asking package; spec: the version it names; installed: the
 *   version that resolves from the parent (null: none); ok: installed and, when spec is an exact
 *   version, equal to it.
 */
export function checkNatives(root, host) {
  const packages = installedPackages(root);
  const checks = [];
  const seen = new Set();
  for (const pkg of packages.values()) {
    for (const [name, spec] of Object.entries(pkg.optionalDependencies)) {
      const target = nativeTarget(name);
      if (!target || !matchesHost(target, host)) continue;
      const resolved = resolvePackageDir(root, pkg.dir, name);
      let installed = null;
      if (resolved) {
        try {
          installed = JSON.parse(readFileSync(join(resolved, 'package.json'), 'utf8')).version ?? null;
        } catch {
          installed = null;
        }
      }
      const ok = installed !== null && (!EXACT_VERSION.test(spec) || installed === spec);
      const key = `${pkg.name}@${pkg.version} ${name}@${spec}`;
      if (seen.has(key)) continue;
      seen.add(key);
      checks.push({ parent: `${pkg.name}@${pkg.version}`, name, spec, installed, ok });
    }
  }
  return checks;
}

/**
 * Run npm with `args` in `cwd`, output passed through. On Windows npm is npm.cmd, which Node
 * only starts through a shell: one command line, each argument double-quoted (cmd.exe treats
 * ^ < > | & specially; package names and versions hold no `"`), not an args array (deprecated
 * with shell: true since Node 24, DEP0190).
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

/** Steps 1-4 of the module comment, in the workspace root `root`. */
export function main(workspaceRoot) {
  // Real path: workspace links resolve to real paths, compared with this root.
  const root = realpathSync(workspaceRoot);
  const host = hostPlatform();
  const ci = npm(root, ['ci', '--no-audit', '--no-fund']);
  if (ci.status !== 0) {
    fail(`'npm ci --no-audit --no-fund' in ${root} failed (${ci.error ?? `exit ${ci.status}`}); see npm's message above (a lockfile out of sync with package.json: run 'npm install' and commit package-lock.json)`);
  }
  const checks = checkNatives(root, host);
  console.log(`npm-ci: host ${describeHost(host)}: ${checks.length} native package(s) of installed packages to check`);
  const missing = checks.filter((c) => !c.ok);
  for (const c of checks.filter((c) => c.ok)) console.log(`npm-ci: ${c.parent} -> ${c.name}@${c.spec}: present`);
  if (missing.length > 0) repairNatives(root, host, missing);
  buildPlugin(root);
}

/** Step 4: compile the workspace's Nx plugin when its sources are here. */
export function buildPlugin(root) {
  const script = join(root, 'tools', 'nx-wheels', 'build.js');
  if (!existsSync(script)) return;
  const r = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    fail(`'node tools/nx-wheels/build.js' failed (${r.error ? r.error.message : `exit ${r.status}`}); see tsc's messages above (Nx would still load the plugin from its TypeScript sources)`);
  }
}

/** Step 3 for the natives `missing` (from {@link checkNatives}). */
function repairNatives(root, host, missing) {
  // One request per native package, at the exact version its parent names.
  const wanted = [...new Map(missing.map((c) => [c.name, c])).values()];
  for (const c of missing) {
    console.log(`npm-ci: ${c.parent} -> ${c.name}@${c.spec}: ${c.installed ? `other version ${c.installed}` : 'missing'}, installing`);
  }
  const before = installedPackages(root);
  const specs = wanted.map((c) => `${c.name}@${c.spec}`);
  const r = npm(root, ['install', '--no-save', '--no-audit', '--no-fund', ...specs]);
  if (r.status !== 0) {
    fail(`cannot install ${specs.join(', ')} (native package(s) for ${describeHost(host)} of ${[...new Set(wanted.map((c) => c.parent))].join(', ')}): 'npm install --no-save' ${r.error ?? `exited ${r.status}`}; the registry must serve exactly these versions (npm view ${specs[0]})`);
  }
  const after = installedPackages(root);
  const names = new Set(wanted.map((c) => c.name));
  const changed = [];
  for (const [loc, p] of before) {
    if (names.has(p.name)) continue; // an other-version native being replaced
    const now = after.get(loc);
    if (!now) changed.push(`${loc} removed`);
    else if (now.version !== p.version) changed.push(`${loc} ${p.version} -> ${now.version}`);
  }
  for (const [loc, p] of after) if (!before.has(loc) && !names.has(p.name)) changed.push(`${loc} added`);
  if (changed.length > 0) {
    fail(`'npm install --no-save ${specs.join(' ')}' changed other installed packages (${changed.slice(0, 5).join('; ')}${changed.length > 5 ? `; ${changed.length - 5} more` : ''}); node_modules no longer matches package-lock.json`);
  }
  const still = checkNatives(root, host).filter((c) => !c.ok);
  if (still.length > 0) {
    const c = still[0];
    fail(`${c.name}@${c.spec} (native package of ${c.parent} for ${describeHost(host)}) does not resolve from ${c.parent} after installing it (found ${c.installed ?? 'none'})`);
  }
  for (const c of missing) console.log(`npm-ci: ${c.parent} -> ${c.name}@${c.spec}: installed`);
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
    main(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  } catch (e) {
    if (!(e instanceof NpmCiError)) throw e;
    console.error(`npm-ci: error: ${e.message}`);
    process.exitCode = 1;
  }
}
