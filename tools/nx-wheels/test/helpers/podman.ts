/**
 * Real podman for tests: installs the Debian packages when missing (root + apt, as on our machines
 * and in CI), writes the containers.conf that lets podman start containers here (runc, cgroupfs,
 * ulimits the host allows; see shared/platforms-here.md), and builds the manylinux-shaped test image
 * from Debian packages (fixtures/manylinux-image/build-image.sh, cached by content hash in podman's
 * own storage, so a second run on the machine reuses it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findCPython } from '../../src/runners/python';
import { ensureWorkspaceToolchain } from './toolchain';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * Make sure each command exists, installing its Debian package with apt-get when it does not.
 * @param packages command -> Debian package
 * @throws Error naming the packages when they are missing and cannot be installed (not root, no apt-get)
 */
export function ensureDebianPackages(packages: Record<string, string>): void {
  const missing = Object.entries(packages).filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new Error(`these tests need ${missing.join(', ')}: install them (apt-get install -y ${missing.join(' ')}) and run again`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { env, stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, stdio: 'ignore' });
}

/** containers.conf with which podman starts containers on our machines (crun fails here: cgroups in hybrid mode). */
export const WORKING_CONTAINERS_CONF = `[containers]
cgroups = "enabled"
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;

/** A configuration with which podman is installed and answers, but cannot start any container (no such OCI runtime). */
export const BROKEN_CONTAINERS_CONF = WORKING_CONTAINERS_CONF.replace('runtime = "runc"', 'runtime = "nx-wheels-no-such-runtime"');

/** Write a containers.conf into `dir` and return its path. */
export function writeContainersConf(dir: string, text: string, name = 'containers.conf'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/**
 * Install podman (+ runc, debootstrap) when missing and build (or reuse) the manylinux-shaped test
 * image with `containersConf`.
 * @returns the image tag, `localhost/nx-wheels-test-manylinux:<hash>`
 */
export async function ensureManylinuxTestImage(containersConf: string): Promise<string> {
  ensureDebianPackages({ podman: 'podman', runc: 'runc', debootstrap: 'debootstrap' });
  const toolchain = await ensureWorkspaceToolchain();
  const cp313 = await findCPython('3.13', toolchain.host);
  if (!cp313) throw new Error('the podman tests need a CPython 3.13 on the host (python3.13 on PATH or pyenv) to put into the test image');
  const prefix = dirname(dirname(realpathSync(cp313.executable)));
  const resources = execFileSync(toolchain.bin('python'), ['-c', 'import cibuildwheel, os; print(os.path.join(os.path.dirname(cibuildwheel.__file__), "resources"))'], { encoding: 'utf8' }).trim();
  const script = join(__dirname, '..', 'build-wheels', 'fixtures', 'manylinux-image', 'build-image.sh');
  const r = spawnSync('bash', [script, prefix, join(resources, 'constraints-python313.txt')], { encoding: 'utf8', env: { ...process.env, CONTAINERS_CONF: containersConf }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`building the manylinux test image failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  return r.stdout.trim().split('\n').pop()!;
}
