/**
 * `--engine=auto` with a REAL podman (installed with apt when missing) and the real, pinned
 * cibuildwheel: with podman configured so containers start, plain `nx run python:build-wheels`
 * builds, repairs and tests in cibuildwheel's container; with podman installed but unable to start
 * a container (an OCI runtime that does not exist) the same command builds natively and says why.
 * No image registry is reachable here, so cibuildwheel's image is a manylinux-shaped one made from
 * Debian packages (fixtures/manylinux-image), named with CIBW_MANYLINUX_X86_64_IMAGE as a project
 * would name its own image.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROKEN_CONTAINERS_CONF, ensureManylinuxTestImage, WORKING_CONTAINERS_CONF, writeContainersConf } from '../helpers/podman';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, edit, git, nx, Ran } from '../helpers/workspace';

let ws: string;
let confDir: string;
let image: string;
let good: string;
let broken: string;

beforeAll(async () => {
  await ensureWorkspaceToolchain();
  confDir = mkdtempSync(join(tmpdir(), 'quiver-podman-conf-'));
  good = writeContainersConf(confDir, WORKING_CONTAINERS_CONF);
  broken = writeContainersConf(confDir, BROKEN_CONTAINERS_CONF, 'broken.conf');
  image = await ensureManylinuxTestImage(good);
  ws = copyWorkspace('quiver-podman-');
}, 900_000);

afterAll(() => {
  for (const d of [ws, confDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const output = (r: Ran) => `${r.stdout}\n${r.stderr}`;
/** A failed command fails the test with the end of its output. */
function expectSuccess(r: Ran): void {
  if (r.status !== 0) throw new Error(`exit ${r.status}:\n${output(r).slice(-5000)}`);
}
const report = () => JSON.parse(readFileSync(join(ws, 'bindings/python/wheelhouse/build-report.json'), 'utf8')) as { wheels: Array<{ file: string; engine: string; tests: string; sha256: string }> };
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const build = (conf: string, args: string[] = []) =>
  nx(ws, ['run', 'python:build-wheels', '--skip-nx-cache', '--outputStyle=static', ...args], { CONTAINERS_CONF: conf, CIBW_MANYLINUX_X86_64_IMAGE: image });

describe('engine auto with real podman', () => {
  let containerWheel: { file: string; sha256: string };

  it('podman configured so containers start: build-wheels builds, repairs and tests in cibuildwheel\'s container', () => {
    const r = build(good);
    expectSuccess(r);
    expect(r.stdout).toContain(`platform linux: engine cibuildwheel (auto: podman started a container from ${image}`);
    // cibuildwheel was told to use podman (its default is docker) and ran the build in the image.
    expect(r.stdout).toContain(`[cibuildwheel] `);
    expect(r.stdout).toMatch(new RegExp(`Starting container image ${image.replace(/[.]/g, '\\.')}`));
    const [w] = report().wheels;
    expect(w).toMatchObject({ engine: 'cibuildwheel', tests: 'passed', file: expect.stringMatching(/^quiverdb-0\.1\.0-cp313-cp313-manylinux_2_\d+_x86_64\.whl$/) });
    expect(sha256(join(ws, 'bindings/python/wheelhouse', w.file))).toBe(w.sha256);
    containerWheel = w;
  });

  it('podman installed but unable to start a container: the same command builds natively and the plan says why', () => {
    const r = build(broken);
    expectSuccess(r);
    expect(r.stdout).toMatch(/platform linux: engine native \(auto: no container starts here \(docker [^;]+; podman could not start a container from \S+ \([^)]*nx-wheels-no-such-runtime/);
    const [w] = report().wheels;
    expect(w).toMatchObject({ engine: 'native', tests: 'passed' });
    // Same commit, same compiler and SOURCE_DATE_EPOCH: the container and the host build the same bytes.
    expect(w.file).toBe(containerWheel.file);
    expect(w.sha256).toBe(containerWheel.sha256);
  });

  it('--engine=cibuildwheel where no container starts: one line naming what failed and both ways out, nothing built', () => {
    rmSync(join(ws, 'bindings/python/wheelhouse'), { recursive: true, force: true });
    const r = build(broken, ['--engine=cibuildwheel']);
    expect(r.status).not.toBe(0);
    const lines = output(r).split('\n').filter((l) => l.startsWith('build-wheels: '));
    expect(lines).toEqual([expect.stringMatching(/^build-wheels: NO_CONTAINER_ENGINE: engine cibuildwheel: Linux wheels are built in a container and none starts here \(.*podman could not start a container.*\); start docker or podman .*--engine=native/)]);
    expect(output(r)).not.toMatch(/\n\s+at /);
  });

  it('[tool.nx-wheels] engine = "native" is read by the build that validate-wheels triggers through dependsOn', () => {
    edit(join(ws, 'bindings/python/pyproject.toml'), (t) => t.replace('[tool.cibuildwheel]\n', '[tool.nx-wheels]\nengine = "native"\n\n[tool.cibuildwheel]\n'));
    git(ws, 'commit', '-q', '-am', 'build: native engine');
    const r = nx(ws, ['run', 'python:validate-wheels', '--skip-nx-cache', '--outputStyle=static'], { CONTAINERS_CONF: good, CIBW_MANYLINUX_X86_64_IMAGE: image });
    expectSuccess(r);
    expect(r.stdout).toContain('platform linux: engine native (requested by bindings/python/pyproject.toml [tool.nx-wheels] engine)');
    expect(report().wheels[0]).toMatchObject({ engine: 'native', tests: 'passed' });
  });
});
