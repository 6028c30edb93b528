'use strict';
/**
 * The host facts the wheel targets' cache key hashes: Nx runs `node <this file>` as a `runtime`
 * input (cwd: the workspace root) and pipeline/host-python.ts calls hostFacts() in-process.
 *
 * Prints the platform, the architecture, whether a docker / podman socket is reachable, the host
 * interpreter (the first `python3` / `python` on PATH, resolved through symlinks, with its size and
 * mtime so an in-place upgrade shows), and when that is a pyenv shim the pyenv version that shim
 * would pick (PYENV_VERSION, else the nearest `.python-version`, else `$PYENV_ROOT/version`) without
 * running the shim; then every CIBW_* variable (Nx has no wildcard `env` input), the docker / podman
 * executables on PATH and the variables that configure them (CONTAINERS_CONF with its size and
 * mtime, CONTAINER_HOST, DOCKER_HOST, DOCKER_CONTEXT): whether a container starts decides the
 * engine of `--engine=auto`. No process is started (a pyenv shim costs ~0.3 s).
 * Strings only: console.log colours numbers when FORCE_COLOR is set, which would make the hash
 * depend on the terminal.
 */
const fs = require('fs');
const P = require('path');
const os = require('os');

const isFile = (f) => {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
};
const onPath = (env, name) => (env.PATH || '').split(P.delimiter).find((d) => d && isFile(P.join(d, name)));

/** The pyenv version a shim would pick, without running it. */
function pyenvVersion(env) {
  let v = env.PYENV_VERSION;
  for (let c = process.cwd(); !v; c = P.dirname(c)) {
    const t = P.join(c, '.python-version');
    if (isFile(t)) v = fs.readFileSync(t, 'utf8').trim();
    if (P.dirname(c) === c) break;
  }
  if (!v) {
    const g = P.join(env.PYENV_ROOT || P.join(os.homedir(), '.pyenv'), 'version');
    v = isFile(g) ? fs.readFileSync(g, 'utf8').trim() : 'system';
  }
  return v;
}

/** The first python3 / python on PATH (resolved, size, mtime) and, for a pyenv shim, its version. */
function interpreterFacts(env) {
  for (const n of ['python3', 'python']) {
    const d = onPath(env, n);
    if (!d) continue;
    const f = fs.realpathSync(P.join(d, n));
    const s = fs.statSync(f);
    const out = [[n, f, s.size, s.mtimeMs].join(' ')];
    if (P.basename(d) === 'shims') out.push(`pyenv ${pyenvVersion(env)}`);
    return out;
  }
  return [];
}

/** The container engine's executables and configuration. */
function containerFacts(env) {
  const out = [];
  for (const n of ['docker', 'podman']) {
    const d = onPath(env, n);
    if (d) out.push(`${n} ${P.join(d, n)}`);
  }
  for (const k of ['CONTAINERS_CONF', 'CONTAINER_HOST', 'DOCKER_HOST', 'DOCKER_CONTEXT']) {
    if (!env[k]) continue;
    let s = '';
    try {
      const t = fs.statSync(env[k]);
      s = ` ${t.size} ${t.mtimeMs}`;
    } catch {
      // not a file: the value alone counts
    }
    out.push(`${k}=${env[k]}${s}`);
  }
  return out;
}

/**
 * The fingerprint's lines, in order.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string[]}
 */
function hostFacts(env = process.env) {
  const sockets = [
    !!env.DOCKER_HOST || fs.existsSync('/var/run/docker.sock'),
    !!env.CONTAINER_HOST || fs.existsSync('/run/podman/podman.sock'),
  ];
  return [
    [process.platform, process.arch, ...sockets].join(' '),
    ...interpreterFacts(env),
    ...Object.keys(env)
      .sort()
      .filter((k) => k.startsWith('CIBW_'))
      .map((k) => `${k}=${env[k]}`),
    ...containerFacts(env),
  ];
}

module.exports = { hostFacts };
if (require.main === module) for (const line of hostFacts()) console.log(line);
