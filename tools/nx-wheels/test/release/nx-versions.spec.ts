/**
 * The release integration on every Nx version it claims to support (TESTED_NX_VERSIONS, the ends of
 * TESTED_NX_RANGE in src/release/nx-internals.ts): for each, a scratch workspace whose own
 * node_modules hold exactly that nx (installed with npm from the registry or its cache when it is
 * not the workspace's pinned one) and a copy of the plugin that resolves it, and a real
 * `nx release` through the guard and the hooks: a version bump from conventional commits with notes,
 * a stray `v` tag ignored (getLatestGitTagForPattern), a docs-only `feat:` neither listed nor bumping
 * (createChangesFromCommits), a final after a release candidate listing everything since the
 * previous final (resolveChangelogFromSHA).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findChangelogSection } from '../../src/core/changelog';
import { TESTED_NX_VERSIONS } from '../../src/compat/nx-internals';
import { commitAll, git, GIT_ENV, PYPROJECT, write } from './git-fixture';

const MAIN = resolve(__dirname, '../../../..');
const PLUGIN = join(MAIN, 'tools/nx-wheels');
const PY = 'bindings/python/pyproject.toml';
const CL = 'bindings/python/CHANGELOG.md';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PINNED: string = require(join(MAIN, 'node_modules/nx/package.json')).version;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DEVKIT: string = require(join(MAIN, 'node_modules/@nx/devkit/package.json')).version;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Link every package of the workspace's node_modules that `dest` does not have (scopes member by member). */
function linkMissing(src: string, dest: string): void {
  for (const entry of readdirSync(src)) {
    if (entry === '.bin' || entry === '@quiver' || entry.startsWith('.')) continue;
    const target = join(dest, entry);
    if (entry.startsWith('@') && existsSync(target)) linkMissing(join(src, entry), target);
    else if (!existsSync(target)) symlinkSync(join(src, entry), target, 'dir');
  }
}

/**
 * A workspace (git repository) whose node_modules has nx@`version`: the workspace's own when it is
 * the pinned one, else installed there with npm; the plugin is copied in so that its
 * `require('nx/...')` resolves that nx, as in a user's workspace.
 */
function workspaceWithNx(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), `quiver-nx-${version}-`));
  dirs.push(dir);
  write(dir, 'package.json', JSON.stringify({ name: 'ws', private: true }));
  if (version !== PINNED) {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--no-save', `nx@${version}`, `@nx/devkit@${DEVKIT}`], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
  } else {
    mkdirSync(join(dir, 'node_modules'));
  }
  linkMissing(join(MAIN, 'node_modules'), join(dir, 'node_modules'));
  cpSync(PLUGIN, join(dir, 'tools/nx-wheels'), { recursive: true, filter: (p) => !p.startsWith(join(PLUGIN, 'node_modules')) });
  if (existsSync(join(PLUGIN, 'node_modules'))) symlinkSync(join(PLUGIN, 'node_modules'), join(dir, 'tools/nx-wheels/node_modules'), 'dir');
  mkdirSync(join(dir, 'node_modules/@quiver'), { recursive: true });
  symlinkSync(join('..', '..', 'tools', 'nx-wheels'), join(dir, 'node_modules/@quiver/nx-wheels'), 'dir');
  const nxJson = JSON.parse(readFileSync(join(MAIN, 'nx.json'), 'utf8'));
  write(dir, 'nx.json', JSON.stringify({ release: nxJson.release, plugins: nxJson.plugins }, null, 2));
  write(dir, '.gitignore', 'node_modules\n.nx\ndist\n');
  write(dir, PY, PYPROJECT('1.2.3'));
  write(dir, CL, '## 1.2.3\n\n- first\n');
  write(dir, 'docs/guide.md', '# Guide\n');
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'chore: initial');
  return dir;
}

function nx(dir: string, ...args: string[]) {
  return nxWith({}, dir, ...args);
}

function nxWith(env: Record<string, string>, dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'node_modules/nx/dist/bin/nx.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...GIT_ENV, ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NX_SKIP_NX_CACHE: 'true' },
  });
  return { code: r.status, out: (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '') };
}

function change(dir: string, message: string, where: string) {
  write(dir, `${where}/m${Date.now()}${Math.random()}.txt`, 'x\n');
  commitAll(dir, message);
}

describe.each(TESTED_NX_VERSIONS.map((v) => [v]))('nx release on Nx %s', (version) => {
  it(
    'bumps with notes through the version guard and the four hooks',
    () => {
      const dir = workspaceWithNx(version);
      // The plugin in the scratch workspace loads this Nx, not the workspace's pinned one.
      const seen = execFileSync(process.execPath, ['-p', "require('nx/package.json').version"], { cwd: join(dir, 'tools/nx-wheels/src'), encoding: 'utf8' }).trim();
      expect(seen).toBe(version);
      git(dir, 'tag', 'v1.2.3');
      git(dir, 'tag', 'vendor-import');
      change(dir, 'feat: documented search mode', 'docs');
      change(dir, 'fix(python): off by one', 'bindings/python/src');
      const r = nx(dir, 'release', '--skip-publish');
      expect([r.code, r.out.includes('NX_RELEASE_UNSUPPORTED')]).toEqual([0, false]);
      expect(r.out).toContain('Resolved the current version as 1.2.3 from git tag "v1.2.3"');
      expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('v1.2.4');
      let section = findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.2.4')!;
      expect(section.body).toContain('off by one');
      expect(section.body).not.toContain('documented search mode');

      change(dir, 'feat(python): search mode', 'bindings/python/src');
      expect(nx(dir, 'release', 'preminor', '--preid', 'rc', '--skip-publish').code).toBe(0);
      expect(nx(dir, 'release', '1.3.0', '--skip-publish').code).toBe(0);
      section = findChangelogSection(readFileSync(join(dir, CL), 'utf8'), '1.3.0')!;
      expect(section.body).toContain('search mode');
      expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('v1.3.0');
    },
    300_000,
  );
});

describe('nx release on an Nx outside the tested range', () => {
  it(
    'stops with one NX_RELEASE_UNSUPPORTED line before anything is written, and runs with NX_WHEELS_UNTESTED_NX=1',
    () => {
      const below = '24.0.5'; // the Nx 24 release before the range
      const dir = workspaceWithNx(below);
      git(dir, 'tag', 'v1.2.3');
      change(dir, 'fix(python): off by one', 'bindings/python/src');
      const before = [git(dir, 'rev-parse', 'HEAD'), git(dir, 'tag'), git(dir, 'status', '--porcelain')];
      const r = nx(dir, 'release', '--skip-publish');
      expect(r.code).not.toBe(0);
      expect(r.out.split('\n').filter((l) => l.includes('NX_RELEASE_UNSUPPORTED'))).toEqual([
        expect.stringContaining(`NX_RELEASE_UNSUPPORTED: @quiver/nx-wheels' PEP 440 release integration cannot run on this Nx (version ${below} is outside the tested range >=24.0.6 <=24.0.7); install an Nx in >=24.0.6 <=24.0.7`),
      ]);
      expect([git(dir, 'rev-parse', 'HEAD'), git(dir, 'tag'), git(dir, 'status', '--porcelain')]).toEqual(before);
      // Every export still checks out on 24.0.5, so the escape hatch runs it, and says so.
      const untested = nxWith({ NX_WHEELS_UNTESTED_NX: '1' }, dir, 'release', '--skip-publish');
      expect(untested.code).toBe(0);
      expect(untested.out).toContain(`nx-wheels: NX_WHEELS_UNTESTED_NX=1: running the release integration on Nx ${below}, outside the tested range >=24.0.6 <=24.0.7.`);
      expect(git(dir, 'tag', '--points-at', 'HEAD').trim()).toBe('v1.2.4');
    },
    300_000,
  );
});
