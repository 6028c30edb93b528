/**
 * SOURCE_DATE_EPOCH and the staged sources reach cibuildwheel's Linux container: the real,
 * pinned cibuildwheel runs a whole build through build-wheels (engine auto), up to the container
 * boundary. No docker daemon can run here, so a STAND-IN `docker` executable
 * (fixtures/standin-docker.py) is first on PATH: it answers cibuildwheel's docker calls and records
 * what crosses the boundary (the `docker create` call, every command sent to the container shell
 * with its environment, the tar stream of the project copied in). Nothing is compiled: the
 * "wheel" that comes back is a placeholder, so this proves the wiring, not the bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWheels } from '../../src/pipeline/build-wheels';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, edit, git } from '../helpers/workspace';

interface ContainerCommand {
  cwd: string | null;
  env: Record<string, string>;
  args: string[];
}
interface DockerCall {
  argv: string[];
  cwd: string;
  createEnv: Record<string, string | null>;
}

let ws: string;
let bin: string;
let headTime: string;
const projects = { python: { root: 'bindings/python' }, quiver: { root: 'libs/quiver' }, 'nx-wheels': { root: 'tools/nx-wheels' }, ci: { root: 'tools/ci' } };
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CIBW_') && k !== 'SOURCE_DATE_EPOCH'));

beforeAll(async () => {
  await ensureWorkspaceToolchain();
  ws = copyWorkspace('quiver-cibw-container-');
  // The project passes a variable of its own into the container; it must survive.
  edit(join(ws, 'bindings/python/pyproject.toml'), (t) => t.replace('[tool.cibuildwheel.linux]\n', '[tool.cibuildwheel.linux]\nenvironment-pass = ["QUIVER_PASS_ME"]\n'));
  git(ws, 'commit', '-q', '-am', 'pass a variable');
  headTime = git(ws, 'log', '-1', '--format=%ct').trim();
  // Untracked: must not reach the container.
  writeFileSync(join(ws, 'bindings/python/src/quiverdb/stray.py'), 'raise SystemExit("untracked")\n');
  bin = mkdtempSync(join(tmpdir(), 'quiver-standin-bin-'));
  symlinkSync(join(__dirname, 'fixtures', 'standin-docker.py'), join(bin, 'docker'));
}, 600_000);

afterAll(() => {
  for (const d of [ws, bin]) if (d) rmSync(d, { recursive: true, force: true });
});

async function build(extraEnv: Record<string, string>) {
  const log = mkdtempSync(join(tmpdir(), 'quiver-standin-log-'));
  const lines: string[] = [];
  const env = { ...baseEnv, PATH: `${bin}:${process.env['PATH']}`, STANDIN_DOCKER_LOG: log, STANDIN_WHEEL_PREFIX: 'quiverdb-0.1.0', QUIVER_PASS_ME: 'hello', ...extraEnv };
  const report = await buildWheels(
    { workspaceRoot: ws, projectRoot: 'bindings/python', projectName: 'python', platform: 'linux', engine: 'auto', test: false, outputDir: 'dist/standin', projects },
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    { env },
  );
  const jsonl = <T>(f: string): T[] => readFileSync(join(log, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);
  const tarList = execFileSync('tar', ['-tf', join(log, 'project.tar')], { encoding: 'utf8' }).split('\n').map((f) => f.replace(/^\.\//, '')).filter(Boolean);
  const result = { report, lines, calls: jsonl<DockerCall>('calls.jsonl'), commands: jsonl<ContainerCommand>('commands.jsonl'), tarList };
  rmSync(log, { recursive: true, force: true });
  return result;
}

describe('real cibuildwheel up to a stand-in docker', () => {
  let r: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    r = await build({});
  }, 600_000);

  it('engine auto picked cibuildwheel (a container started) and the plan prints SOURCE_DATE_EPOCH', () => {
    expect(r.lines.join('\n')).toMatch(/engine cibuildwheel \(auto: docker started a container from quay\.io\/pypa\/manylinux_2_28_x86_64@sha256:[0-9a-f]{64}\)/);
    expect(r.lines).toContainEqual(expect.stringContaining(`SOURCE_DATE_EPOCH: ${headTime} (HEAD's commit time`));
    expect(r.report.wheels.map((w) => [w.identifier, w.engine])).toEqual([['cp313-manylinux_x86_64', 'cibuildwheel']]);
  });

  it("the build and the repair commands in the container get SOURCE_DATE_EPOCH = HEAD's commit time (through environment-pass)", () => {
    const buildCmd = r.commands.find((c) => c.args.slice(0, 3).join(' ') === 'python -m build');
    const repairCmd = r.commands.find((c) => c.args[0] === 'sh' && /auditwheel repair/.test(c.args[2] ?? ''));
    expect(buildCmd).toBeDefined();
    expect(repairCmd).toBeDefined();
    expect(buildCmd!.args).toContain('/project/bindings/python');
    expect(buildCmd!.env['SOURCE_DATE_EPOCH']).toBe(headTime);
    expect(repairCmd!.env['SOURCE_DATE_EPOCH']).toBe(headTime);
    // What the project passes itself is not lost.
    expect(buildCmd!.env['QUIVER_PASS_ME']).toBe('hello');
    expect(repairCmd!.env['QUIVER_PASS_ME']).toBe('hello');
  });

  it('docker create is asked to copy SOURCE_DATE_EPOCH from a client environment that holds it', () => {
    const create = r.calls.find((c) => c.argv[0] === 'create')!;
    expect(create.argv).toContain('--env=SOURCE_DATE_EPOCH');
    expect(create.createEnv['SOURCE_DATE_EPOCH']).toBe(headTime);
  });

  it('the project copied into the container is the staging: tracked sources of python and quiver only', () => {
    const tarCall = r.calls.find((c) => c.argv[0] === 'exec' && c.argv.includes('tar'))!;
    expect(tarCall.cwd).toMatch(/\/\.nx-wheels\/staging\/python-[0-9a-f]{8}$/);
    const files = r.tarList.filter((f) => !f.endsWith('/'));
    expect(files).toEqual(expect.arrayContaining(['bindings/python/pyproject.toml', 'bindings/python/src/_core.cpp', 'bindings/python/tests/test_index.py', 'libs/quiver/CMakeLists.txt', 'libs/quiver/src/index.cpp']));
    expect(files.filter((f) => !f.startsWith('bindings/python/') && !f.startsWith('libs/quiver/'))).toEqual([]);
    expect(files).not.toContain('bindings/python/src/quiverdb/stray.py');
    expect(files.some((f) => /(^|\/)(node_modules|\.nx-wheels|\.git)\//.test(f))).toBe(false);
    const tracked = git(ws, 'ls-files', 'bindings/python', 'libs/quiver').trim().split('\n').sort();
    expect([...files].sort()).toEqual(tracked);
  });

  it('a SOURCE_DATE_EPOCH set by the user wins, in the plan and in the container', async () => {
    const own = await build({ SOURCE_DATE_EPOCH: '1700000000' });
    expect(own.lines).toContainEqual(expect.stringContaining('SOURCE_DATE_EPOCH: 1700000000 (set in the environment'));
    const buildCmd = own.commands.find((c) => c.args.slice(0, 3).join(' ') === 'python -m build')!;
    expect(buildCmd.env['SOURCE_DATE_EPOCH']).toBe('1700000000');
  }, 600_000);
});
