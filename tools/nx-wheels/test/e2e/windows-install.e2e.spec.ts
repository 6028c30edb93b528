/**
 * The Windows runner's install, simulated on Linux with real npm against the registry.
 *
 * package-lock.json lists every platform's native packages of nx, @swc/core and the rest, so a
 * runner of any platform installs with plain `npm ci` and tools/ci/npm-ci.mjs only checks the
 * result. In a temporary copy of the workspace (never its node_modules):
 *  - `npm ci --os=win32 --cpu=x64 --ignore-scripts` (npm's own platform override: what npm ci
 *    selects on a Windows x64 runner) installs @nx/nx-win32-x64-msvc and @swc/core-win32-x64-msvc
 *    at exactly the versions the installed nx / @swc/core name, and no other platform's build of
 *    them; `node tools/ci/npm-ci.mjs --check-only --os=win32 --cpu=x64` agrees. With the lockfile
 *    of before (natives of Linux only) this installed neither: the test fails on such a lockfile.
 *  - the same for `--os=linux --cpu=x64` (this host's libc: the -gnu builds);
 *  - the install step exactly as release.yml's build job writes it (its `run` text, with the bash
 *    options GitHub uses for `shell: bash`) on this host: plain npm ci, every native present, the
 *    plugin compiled, and an Nx that lists the projects and loads our plugin.
 * The npm used is this machine's npm 11, the npm major of the workflow's Node 24 (see below).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE, workspaceFiles } from '../helpers/workspace';

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Workflow = { env?: Record<string, string>; jobs: Record<string, { env?: Record<string, string>; steps: Step[] }> };

/**
 * npm major bundled with Node 24 (Node 24.0.0 shipped npm 11.3; every 24.x ships npm 11). The
 * workflow runs the npm of actions/setup-node's Node 24, so npm 11's `npm ci` is the behaviour
 * that matters on the runner; npm 10 (Node 20/22) differs in how it treats optional platform
 * packages.
 */
const NODE_24_NPM_MAJOR = 11;

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

/** Installed builds of nx and @swc/core for any platform: `@nx/nx-<platform>` and `@swc/core-<platform>` directories. */
function installedNatives(root: string): string[] {
  const list = (scope: string, prefix: string) =>
    existsSync(join(root, 'node_modules', scope))
      ? readdirSync(join(root, 'node_modules', scope)).filter((d) => d.startsWith(prefix)).map((d) => `${scope}/${d}`)
      : [];
  return [...list('@nx', 'nx-'), ...list('@swc', 'core-')].sort();
}

/** `name@version` of the installed native `name`, and the same for the version its parent's package.json names. */
function versusParent(root: string, parent: string, name: string): { installed: string; wanted: string } {
  const parentPkg = readJson(join(root, 'node_modules', parent, 'package.json'));
  const file = join(root, 'node_modules', name, 'package.json');
  return {
    installed: `${name}@${existsSync(file) ? readJson(file).version : 'none'}`,
    wanted: `${name}@${parentPkg.optionalDependencies?.[name] ?? `not named by ${parent}`}`,
  };
}

describe("every runner installs with plain npm ci: package-lock.json holds every platform's natives", () => {
  const workflow = parse(readFileSync(join(WORKSPACE, '.github', 'workflows', 'release.yml'), 'utf8')) as Workflow;
  const build = workflow.jobs.build;
  let dest: string;

  beforeAll(() => {
    dest = mkdtempSync(join(tmpdir(), 'quiver-wininstall-'));
    for (const f of workspaceFiles()) {
      mkdirSync(dirname(join(dest, f)), { recursive: true });
      cpSync(join(WORKSPACE, f), join(dest, f));
    }
    expect(existsSync(join(dest, 'node_modules'))).toBe(false);
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

  it.each([
    ['win32', 'x64', ['@nx/nx-win32-x64-msvc', '@swc/core-win32-x64-msvc']],
    ['linux', 'x64', ['@nx/nx-linux-x64-gnu', '@swc/core-linux-x64-gnu']],
  ])("npm ci --os=%s --cpu=%s --ignore-scripts installs %j at their parents' exact versions, and the check agrees", (os, cpu, natives) => {
    const ci = run(dest, 'npm', ['ci', `--os=${os}`, `--cpu=${cpu}`, '--ignore-scripts', '--no-audit', '--no-fund']);
    console.log(`npm ci --os=${os} --cpu=${cpu}: ${ci.seconds.toFixed(1)} s`);
    expect(ci.status).toBe(0);
    // Exactly this platform's builds of nx and @swc/core, none of another platform's.
    expect(installedNatives(dest)).toEqual([...natives].sort());
    for (const name of natives) {
      const parent = name.startsWith('@nx/') ? 'nx' : '@swc/core';
      const { installed, wanted } = versusParent(dest, parent, name);
      expect(installed).toBe(wanted);
      // nx and @swc/core pin their natives to their own version.
      expect(wanted).toBe(`${name}@${readJson(join(dest, 'node_modules', parent, 'package.json')).version}`);
    }

    const check = run(dest, process.execPath, [join(dest, 'tools', 'ci', 'npm-ci.mjs'), '--check-only', `--os=${os}`, `--cpu=${cpu}`]);
    expect(check.out).not.toContain('npm-ci: error');
    expect(check.status).toBe(0);
    for (const name of natives) expect(check.stdout).toMatch(new RegExp(`-> ${name.replace(/[/.]/g, '\\$&')}@[^:]+: present`));
    expect(check.stdout).not.toMatch(/: (missing|other version)/);
  });

  it("release.yml build job's install step on this host: plain npm ci, every native present, an Nx that loads the plugin", () => {
    const step = build.steps.find((s) => s.run?.includes('npm-ci.mjs'));
    expect(step?.run).toBeDefined();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...workflow.env, ...build.env })) if (!String(v).includes('${{')) env[k] = String(v);
    const script = join(dest, '.install-step.sh');
    writeFileSync(script, step!.run!);
    // GitHub's `shell: bash`: bash --noprofile --norc -eo pipefail {0}
    const install = run(dest, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], cleanEnv(env));
    const lines = install.out.split('\n').filter((l) => l.startsWith('npm-ci:'));
    console.log(`install step (${step!.run!.trim()}): ${install.seconds.toFixed(1)} s\n${lines.join('\n')}`);
    expect(install.status).toBe(0);
    expect(lines.filter((l) => l.includes(' -> ')).every((l) => l.endsWith(': present'))).toBe(true);
    for (const parent of ['nx', '@swc/core']) {
      expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^npm-ci: ${parent.replace('/', '\\/')}@[^ ]+ -> .+: present$`))]));
    }
    expect(existsSync(join(dest, 'tools', 'nx-wheels', 'dist'))).toBe(true);

    const nxBin = join(dest, 'node_modules', '.bin', 'nx');
    const projects = run(dest, nxBin, ['show', 'projects']);
    expect(projects.status).toBe(0);
    expect(projects.stdout.split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining(['python', 'nx-wheels', 'ci', 'quiver']));
    const python = run(dest, nxBin, ['show', 'project', 'python', '--json']);
    expect(python.status).toBe(0);
    expect(Object.keys(JSON.parse(python.stdout).targets)).toContain('build-wheels');
  });
});
