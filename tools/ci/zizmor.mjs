#!/usr/bin/env node
/**
 * `nx run ci:lint`, second half: zizmor (static security analysis of GitHub Actions) over the
 * workflows, offline: `zizmor --offline` makes no network request and reads no GitHub token (the
 * online audits, which ask the GitHub API about action refs, are off; the pins are checked by
 * tools/nx-wheels/test/workflows instead).
 *
 * zizmor is installed from PyPI as pinned, with hashes, in tools/ci/zizmor-requirements.txt
 * (`pip install --require-hashes --only-binary=:all: --no-deps`: one binary wheel, no build) into
 * a virtual environment at <workspace>/.nx-wheels/zizmor, made with `python3 -m venv` (any
 * CPython 3; set PYTHON to use another interpreter). The venv keeps a copy of the requirements it
 * was installed from, written last: when that copy differs from the pin file (or is missing after
 * an interrupted install) the venv is made again.
 *
 * Usage: node tools/ci/zizmor.mjs [inputs...]   (default: .github/workflows)
 * Exit: 0 when zizmor reports nothing; zizmor's own code (10-14 by severity, 1 for an error) or 1
 * otherwise, with one line on stderr naming the fix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requirementsFile = join(workspace, 'tools', 'ci', 'zizmor-requirements.txt');
const venv = join(workspace, '.nx-wheels', 'zizmor');
const marker = join(venv, 'installed-requirements.txt');
const win = process.platform === 'win32';
const venvPython = join(venv, win ? 'Scripts' : 'bin', win ? 'python.exe' : 'python');
const exe = join(venv, win ? 'Scripts' : 'bin', win ? 'zizmor.exe' : 'zizmor');

function fail(message, code = 1) {
  process.stderr.write(`ci:lint: ${message}\n`);
  process.exit(code);
}

const requirements = readFileSync(requirementsFile, 'utf8');
const pinned = /^zizmor==(\S+)/m.exec(requirements)?.[1];
if (!pinned) fail(`${requirementsFile} pins no zizmor version; it needs a line "zizmor==X.Y.Z \\" with --hash=sha256:... options.`);

/** The version the installed zizmor reports (`zizmor 1.32.0` -> `1.32.0`), or null. */
function installedVersion() {
  if (!existsSync(exe)) return null;
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split(/\s+/).pop() : null;
}

function ensureZizmor() {
  const current = existsSync(marker) && readFileSync(marker, 'utf8') === requirements;
  const found = installedVersion();
  if (current && found === pinned) return;
  const python = process.env.PYTHON || (win ? 'python' : 'python3');
  process.stdout.write(`ci:lint: installing zizmor ${pinned} (${found ? `found ${found}` : 'not installed'}) into ${venv} with ${python}\n`);
  rmSync(venv, { recursive: true, force: true });
  const mk = spawnSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  if (mk.error && mk.error.code === 'ENOENT') fail(`${python} is not on PATH; install CPython 3 (or set PYTHON to an interpreter) so that zizmor ${pinned} can be installed into ${venv}.`);
  if (mk.status !== 0) fail(`${python} -m venv ${venv} failed (exit ${mk.status}); on Debian/Ubuntu install python3-venv.`);
  const pip = spawnSync(
    venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar=off', '--require-hashes', '--only-binary=:all:', '--no-deps', '-r', requirementsFile],
    { stdio: 'inherit' },
  );
  if (pip.status !== 0) {
    rmSync(venv, { recursive: true, force: true });
    fail(`pip install -r ${requirementsFile} failed (exit ${pip.status}); check that PyPI is reachable and that the pinned hashes include a wheel for this platform.`);
  }
  const now = installedVersion();
  if (now !== pinned) fail(`${exe} reports ${now ?? 'nothing'} after installing zizmor ${pinned}.`);
  writeFileSync(marker, requirements);
}

const inputs = process.argv.slice(2);
if (inputs.length === 0) inputs.push(join('.github', 'workflows'));
for (const i of inputs) if (!existsSync(resolve(workspace, i))) fail(`${i} does not exist (zizmor inputs are paths relative to ${workspace}).`);

ensureZizmor();
// No token reaches zizmor: offline it needs none.
const env = { ...process.env, ZIZMOR_OFFLINE: 'true' };
for (const k of ['GH_TOKEN', 'GITHUB_TOKEN', 'ZIZMOR_GITHUB_TOKEN']) delete env[k];
process.stdout.write(`ci:lint: zizmor ${pinned} --offline over ${inputs.join(', ')}\n`);
const r = spawnSync(exe, ['--offline', '--no-progress', '--color=never', '--format=plain', ...inputs], { cwd: workspace, stdio: 'inherit', env });
if (r.status !== 0) {
  fail(`zizmor ${pinned} reported findings (above, exit ${r.status}); fix each one, or for a false positive add "# zizmor: ignore[<rule>]" with the reason on that line (https://docs.zizmor.sh/usage/#ignoring-results).`, r.status ?? 1);
}
process.stdout.write(`ci:lint: zizmor: no findings\n`);
