/**
 * Loads the plugin's modules as compiled JS from dist/ when dist/ was built from exactly the sources
 * on disk, and from the TypeScript sources in src/ otherwise, so the plugin never runs stale code.
 *
 * - Installed package (no src/index.ts): dist/ is all there is; it is used as is.
 * - In a workspace with the sources (this repository, its test copies, a developer editing src/):
 *   dist/.build-stamp.json, written by build.js after tsc, lists every compiled source file
 *   (src/**\/*.ts without *.spec.ts and __snapshots__) with its size, mtime and sha1. dist/ is used
 *   only when the same files exist now with the same sizes and, per file, the same mtime or else the
 *   same sha1 (so a checkout or a cache restore that only touched mtimes still counts as fresh). A
 *   file added, removed or edited, no dist/ or no stamp: src/ is loaded through Nx's own TypeScript
 *   registration (swc-node, as Nx does for a .ts plugin), once per process.
 * The choice is made once per process and applies to every module (plugin, executors, generators,
 * release modules), so a process never mixes the two. `NX_WHEELS_DEBUG=1` (or `QUIVER_DEBUG=1`)
 * prints which one was taken and why on stderr.
 */
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = __dirname;
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp.json');

/** Source files the build compiles, relative to src/ with `/`, sorted. */
function sourceFiles(dir = SRC, prefix = '') {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) {
      if (e.name !== '__snapshots__' && e.name !== 'node_modules') out.push(...sourceFiles(join(dir, e.name), `${rel}/`));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) {
      out.push(rel);
    }
  }
  return out.sort();
}

function sha1(path) {
  return createHash('sha1').update(readFileSync(path)).digest('hex');
}

/** The stamp of the sources as they are now: `{ files: { rel: [size, mtimeMs, sha1] } }`. */
function computeStamp() {
  const files = {};
  for (const rel of sourceFiles()) {
    const p = join(SRC, rel);
    const st = statSync(p);
    files[rel] = [st.size, st.mtimeMs, sha1(p)];
  }
  return { version: 1, files };
}

/**
 * Why dist/ cannot be used for the sources on disk, or null when it can.
 * @returns {string | null}
 */
function staleReason() {
  if (!existsSync(join(SRC, 'index.ts'))) return existsSync(join(DIST, 'index.js')) ? null : 'neither src/index.ts nor dist/index.js exists';
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return 'no dist/.build-stamp.json (not built)';
  }
  if (!stamp || stamp.version !== 1 || typeof stamp.files !== 'object') return 'dist/.build-stamp.json is not a build stamp';
  const now = sourceFiles();
  const recorded = Object.keys(stamp.files).sort();
  if (now.length !== recorded.length || now.some((f, i) => f !== recorded[i])) return 'source files were added or removed since the build';
  for (const rel of now) {
    const [size, mtimeMs, hash] = stamp.files[rel];
    const p = join(SRC, rel);
    const st = statSync(p);
    if (st.size !== size) return `src/${rel} changed since the build`;
    if (st.mtimeMs !== mtimeMs && sha1(p) !== hash) return `src/${rel} changed since the build`;
  }
  return null;
}

let mode = null;

function debug(msg) {
  if (process.env.NX_WHEELS_DEBUG || process.env.QUIVER_DEBUG) process.stderr.write(`nx-wheels: ${msg}\n`);
}

/** 'dist' or 'src', decided once per process. */
function loadMode() {
  if (mode) return mode;
  const reason = staleReason();
  mode = reason === null ? 'dist' : 'src';
  debug(reason === null ? 'loading compiled plugin from dist/' : `loading TypeScript sources from src/: ${reason}`);
  if (mode === 'src') registerTypeScript();
  return mode;
}

function registerTypeScript() {
  // Loaded by Jest's module system (it transforms .ts itself; `jest` is in scope there only) or
  // .ts already registered in this process (e.g. by Nx): nothing to do. Not JEST_WORKER_ID: Nx
  // processes spawned by a test inherit it and still need the registration.
  // eslint-disable-next-line no-undef
  if (typeof jest !== 'undefined' || require.extensions['.ts']) return;
  let register;
  try {
    register = require('nx/src/plugins/js/utils/register');
  } catch (e) {
    throw new Error(`@quiver/nx-wheels: ${ROOT} has TypeScript sources but no up-to-date dist/ and Nx's TypeScript loader cannot be loaded (${e.message}); build the plugin with 'node ${join(ROOT, 'build.js')}'`);
  }
  // Kept registered for the life of the process: executors require modules lazily.
  register.registerTsProject(join(ROOT, 'tsconfig.json'));
}

/**
 * The module `rel` of the plugin (path below src/ without extension, e.g. 'index',
 * 'executors/build-wheels/executor'), from dist/ or src/ as described above.
 */
function load(rel) {
  return loadMode() === 'dist' ? require(join(DIST, `${rel}.js`)) : require(join(SRC, `${rel}.ts`));
}

module.exports = { load, loadMode, staleReason, computeStamp, sourceFiles, STAMP };
