/**
 * The Windows runner's install, simulated on Linux with real npm against the registry.
 *
 * A Windows runner checks out a package-lock.json made on Linux machines whose registry lacks the
 * win32 natives of nx 24 / @swc/core 1.16: the lockfile has neither an entry for
 * @nx/nx-win32-x64-msvc / @swc/core-win32-x64-msvc nor nx's / @swc/core's edge to it. Here the
 * copy's lockfile loses this host's natives of nx and @swc/core the same way (entries and edges),
 * then:
 *  (a) plain `npm ci` installs without them and Nx cannot load (the runner's failure: this is
 *      what makes the test able to fail);
 *  (b) the install step exactly as release.yml's build job writes it (its `run` text, run with the
 *      bash options GitHub uses for `shell: bash`) gives an Nx that lists the projects and loads
 *      our plugin (compiled to dist/ by that install step; swc is still what Nx and the loader
 *      need when sources are newer), with the natives at exactly the versions the installed
 *      nx / @swc/core name.
 * The npm used is this machine's npm 11, the npm major of the workflow's Node 24 (see below).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE, workspaceFiles } from '../helpers/workspace';

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Workflow = { env?: Record<string, string>; jobs: Record<string, { env?: Record<string, string>; steps: Step[] }> };

/**
 * npm major bundled with Node 24 (Node 24.0.0 shipped npm 11.3; every 24.x ships npm 11). The
 * workflow runs the npm of actions/setup-node's Node 24, so npm 11's `npm ci` is the behaviour
 * that matters on the runner; npm 10 (Node 20/22) differs in how it treats missing optional
 * platform packages.
 */
const NODE_24_NPM_MAJOR = 11;

const PARENTS = ['nx', '@swc/core'];
/** This host's natives among the parents' optionalDependencies: both libcs of this os/cpu. */
const hostNative = (name: string) => name.includes(`-${process.platform}-${process.arch}`);

/** Child environment: this process's minus npm's per-run variables (jest runs under npx). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', ...extra };
}

function run(cwd: string, cmd: string, args: string[], env = cleanEnv()) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`, stdout: r.stdout, seconds: (Date.now() - started) / 1000 };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('Windows runner install, simulated: lockfile without the host natives of nx and @swc/core', () => {
  const workflow = parse(readFileSync(join(WORKSPACE, '.github', 'workflows', 'release.yml'), 'utf8')) as Workflow;
  const build = workflow.jobs.build;
  let dest: string;
  let removed: string[];

  beforeAll(() => {
    dest = mkdtempSync(join(tmpdir(), 'quiver-wininstall-'));
    for (const f of workspaceFiles()) {
      mkdirSync(dirname(join(dest, f)), { recursive: true });
      cpSync(join(WORKSPACE, f), join(dest, f));
    }
    expect(existsSync(join(dest, 'node_modules'))).toBe(false);
    const lockFile = join(dest, 'package-lock.json');
    const lock = readJson(lockFile);
    removed = [];
    for (const parent of PARENTS) {
      const entry = lock.packages[`node_modules/${parent}`];
      for (const name of Object.keys(entry.optionalDependencies ?? {}).filter(hostNative)) {
        delete entry.optionalDependencies[name];
        delete lock.packages[`node_modules/${name}`];
        removed.push(name);
      }
    }
    writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
  });

  afterAll(() => {
    if (dest) rmSync(dest, { recursive: true, force: true });
  });

  it('runs on Node 24 in the workflow, whose npm major is the one used here', () => {
    const setupNode = build.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(String(setupNode?.with?.['node-version'])).toMatch(/^24(\.|$)/);
    const npmVersion = run(dest, 'npm', ['--version']).stdout.trim();
    expect(Number(npmVersion.split('.')[0])).toBe(NODE_24_NPM_MAJOR);
  });

  it('(a) plain npm ci leaves Nx unable to load', () => {
    expect(removed.some((n) => n.startsWith('@nx/'))).toBe(true);
    expect(removed.some((n) => n.startsWith('@swc/'))).toBe(true);
    const ci = run(dest, 'npm', ['ci', '--no-audit', '--no-fund']);
    console.log(`plain npm ci: ${ci.seconds.toFixed(1)} s`);
    expect(ci.status).toBe(0);
    for (const name of removed) expect(existsSync(join(dest, 'node_modules', name))).toBe(false);
    const show = run(dest, join(dest, 'node_modules', '.bin', 'nx'), ['show', 'projects']);
    expect(show.status !== 0 || !/^python$/m.test(show.stdout)).toBe(true);
  });

  it("(b) release.yml build job's install step gives an Nx that loads the plugin, natives at the parents' versions", () => {
    const step = build.steps.find((s) => s.run?.includes('npm-ci.mjs'));
    expect(step?.run).toBeDefined();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...workflow.env, ...build.env })) if (!String(v).includes('${{')) env[k] = String(v);
    const script = join(dest, '.install-step.sh');
    writeFileSync(script, step!.run!);
    // GitHub's `shell: bash`: bash --noprofile --norc -eo pipefail {0}
    const install = run(dest, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], cleanEnv(env));
    console.log(`install step (${step!.run!.trim()}): ${install.seconds.toFixed(1)} s\n${install.out.split('\n').filter((l) => l.startsWith('npm-ci:')).join('\n')}`);
    expect(install.status).toBe(0);

    for (const parent of PARENTS) {
      const wanted = readJson(join(dest, 'node_modules', parent, 'package.json')).optionalDependencies as Record<string, string>;
      const natives = removed.filter((n) => n in wanted);
      const installed = natives.filter((n) => existsSync(join(dest, 'node_modules', n, 'package.json')));
      expect(installed.length).toBeGreaterThan(0);
      for (const n of installed) {
        expect(`${n}@${readJson(join(dest, 'node_modules', n, 'package.json')).version}`).toBe(`${n}@${wanted[n]}`);
        expect(install.out).toContain(`${n}@${wanted[n]}: installed`);
      }
    }

    const nxBin = join(dest, 'node_modules', '.bin', 'nx');
    const projects = run(dest, nxBin, ['show', 'projects']);
    expect(projects.status).toBe(0);
    expect(projects.stdout.split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining(['python', 'nx-wheels', 'ci', 'quiver']));
    const python = run(dest, nxBin, ['show', 'project', 'python', '--json']);
    expect(python.status).toBe(0);
    expect(Object.keys(JSON.parse(python.stdout).targets)).toContain('build-wheels');
  });
});
