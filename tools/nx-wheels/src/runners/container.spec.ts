/**
 * The container probe's decisions, with STAND-IN engine CLIs (small shell scripts on PATH that log
 * their calls): which engines are tried, what counts as "a container starts", what is cached and
 * when the cache is re-checked. Real podman starting a real container is tested in
 * test/build-wheels/podman-engine.spec.ts.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ContainerPlan, findStartingEngine } from './container';

describe('findStartingEngine (stand-in engine CLIs)', () => {
  let bin: string;
  let ws: string;
  let log: string;
  const env = () => ({ PATH: `${bin}${delimiter}${process.env['PATH']}`, STANDIN_LOG: log });
  const plan = (over: Partial<ContainerPlan> = {}): ContainerPlan => ({ engine: 'docker', createArgs: [], configured: false, images: { 'cp313-manylinux_x86_64': 'example/manylinux:1' }, ...over });
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'quiver-engines-'));
    ws = mkdtempSync(join(tmpdir(), 'quiver-probe-ws-'));
    log = join(ws, 'calls.log');
  });
  afterEach(() => {
    rmSync(bin, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  });

  /** A stand-in engine: `image inspect`, `pull` and `run` exit with the given codes (stderr says why). */
  function standIn(name: string, codes: { inspect: number; pull?: number; run: number; inspectErr?: string; runErr?: string }) {
    writeFileSync(
      join(bin, name),
      `#!/bin/sh
echo "${name} $*" >> "$STANDIN_LOG"
case "$1" in
  image) [ ${codes.inspect} = 0 ] || echo "${codes.inspectErr ?? 'Error: example/manylinux:1: image not known'}" >&2; exit ${codes.inspect} ;;
  pull) exit ${codes.pull ?? 1} ;;
  run) [ ${codes.run} = 0 ] || echo "${codes.runErr ?? 'Error: OCI runtime error: crun: cgroups in hybrid mode not supported'}" >&2; exit ${codes.run} ;;
esac
exit 2
`,
    );
    chmodSync(join(bin, name), 0o755);
  }

  it('a docker without a daemon and a podman that cannot start a container: none, with one reason each', async () => {
    standIn('docker', { inspect: 1, run: 1, inspectErr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' });
    standIn('podman', { inspect: 0, run: 126 });
    const r = await findStartingEngine(ws, plan(), env());
    expect(r.started).toBeNull();
    expect(r.failures.map((f) => f.engine)).toEqual(['docker', 'podman']);
    expect(r.failures[0].reason).toMatch(/^docker cannot reach its daemon \(Cannot connect to the Docker daemon/);
    expect(r.failures[1].reason).toBe('podman could not start a container from example/manylinux:1 (OCI runtime error: crun: cgroups in hybrid mode not supported)');
    expect(calls()).toContain('podman run --rm --pull=never example/manylinux:1 true');
  });

  it('podman that starts a container is chosen; the success is cached and only re-checked with image inspect', async () => {
    standIn('docker', { inspect: 1, run: 1, inspectErr: 'Cannot connect to the Docker daemon' });
    standIn('podman', { inspect: 0, run: 0 });
    const first = await findStartingEngine(ws, plan(), env());
    expect(first.started).toEqual({ ok: true, engine: 'podman', image: 'example/manylinux:1', cached: false });
    writeFileSync(log, '');
    const second = await findStartingEngine(ws, plan(), env());
    expect(second.started).toEqual({ ok: true, engine: 'podman', image: 'example/manylinux:1', cached: true });
    expect(calls().filter((c) => c.startsWith('podman'))).toEqual(['podman image inspect --format {{.Id}} example/manylinux:1']);
  });

  it("a different CONTAINERS_CONF (path or bytes) is a different engine configuration: probed again", async () => {
    standIn('podman', { inspect: 0, run: 0 });
    const conf = join(ws, 'containers.conf');
    writeFileSync(conf, '[engine]\nruntime = "runc"\n');
    const e = { ...env(), CONTAINERS_CONF: conf };
    expect((await findStartingEngine(ws, plan({ engine: 'podman', configured: true }), e)).started?.cached).toBe(false);
    expect((await findStartingEngine(ws, plan({ engine: 'podman', configured: true }), e)).started?.cached).toBe(true);
    writeFileSync(conf, '[engine]\nruntime = "crun"\n');
    expect((await findStartingEngine(ws, plan({ engine: 'podman', configured: true }), e)).started?.cached).toBe(false);
  });

  it('an engine chosen by the project is the only one tried, with its create args', async () => {
    standIn('docker', { inspect: 0, run: 0 });
    standIn('podman', { inspect: 0, run: 1 });
    const r = await findStartingEngine(ws, plan({ engine: 'podman', configured: true, createArgs: ['--security-opt', 'label=disable'] }), env());
    expect(r.started).toBeNull();
    expect(calls().some((c) => c.startsWith('docker'))).toBe(false);
    expect(calls()).toContain('podman run --rm --pull=never --security-opt label=disable example/manylinux:1 true');
  });

  it('an engine that fails image inspect for another reason than a missing image is not asked to pull', async () => {
    standIn('podman', { inspect: 125, run: 0, inspectErr: "Error: default OCI runtime 'nx' not found: invalid argument" });
    const r = await findStartingEngine(ws, plan({ engine: 'podman', configured: true }), env());
    expect(r.failures.map((f) => f.reason)).toEqual(["podman could not start a container from example/manylinux:1 (default OCI runtime 'nx' not found: invalid argument)"]);
    expect(calls()).toEqual(['podman image inspect --format {{.Id}} example/manylinux:1']);
  });

  it('an image the engine lacks is pulled first; a failed pull is the reason', async () => {
    standIn('docker', { inspect: 1, pull: 1, run: 0 });
    // PATH holds only the stand-ins: the machine's own podman (if any) is out of sight.
    const r = await findStartingEngine(ws, plan(), { ...env(), PATH: bin });
    expect(calls()).toEqual(['docker image inspect --format {{.Id}} example/manylinux:1', 'docker pull example/manylinux:1']);
    expect(r.failures.map((f) => f.reason)).toEqual(['docker has no image example/manylinux:1 and could not pull it (no output)', 'podman is not installed']);
  });
});
