/**
 * `nx run python:publish` as a user runs it (real Nx, real validate-wheels with cibuildwheel's
 * identifiers and twine/auditwheel checks, real twine) against a real pypiserver; and
 * `nx-release-publish` with --dryRun, which `nx release publish --dry-run` calls. Only quiverdb's
 * Linux wheel can be built here, so the default (the whole release: linux and windows) must refuse
 * it, and --allowPartial publishes it as a partial release; the preflight as release.yml runs it.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nx, WORKSPACE } from '../helpers/workspace';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { realWheel } from '../validate-wheels/fixtures';
import { CANARY, indexContents, localContents } from './fixtures';
import { PypiServer, startPypiServer } from './servers';

jest.setTimeout(600_000);

let server: PypiServer;
let publicServer: PypiServer;
beforeAll(async () => {
  await ensureWorkspaceToolchain();
  server = await startPypiServer({ password: CANARY });
  publicServer = await startPypiServer({ password: CANARY, publicRead: true });
});
afterAll(async () => {
  await server?.stop();
  await publicServer?.stop();
});

/** A directory with only the real Linux quiverdb wheel. */
function linuxWheelDir(): { dir: string; wheelDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-nx-publish-'));
  const wheelDir = join(dir, 'wheels');
  require('node:fs').mkdirSync(wheelDir);
  const wheel = realWheel();
  copyFileSync(wheel, join(wheelDir, wheel.split('/').pop()!));
  return { dir, wheelDir };
}
const env = { PYPI_API_TOKEN: CANARY, GITHUB_ACTIONS: '', ACTIONS_ID_TOKEN_REQUEST_URL: '' };

test('nx run python:publish with only the Linux wheel and default options: nothing uploaded, one line naming cp313-win_amd64 and the fix', () => {
  const { dir, wheelDir } = linuxWheelDir();
  const reportFile = join(dir, 'publish-report.json');
  const r = nx(WORKSPACE, ['run', 'python:publish', `--repositoryUrl=${server.url}`, `--wheelDir=${wheelDir}`, `--reportFile=${reportFile}`, '--skip-nx-cache'], env);
  expect(r.status).not.toBe(0);
  const out = r.stdout + r.stderr;
  const lines = out.split('\n').filter((l) => l.includes('RELEASE_INCOMPLETE'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^publish: RELEASE_INCOMPLETE: release quiverdb 0\.1\.0 is incomplete in .*: no wheel for cp313-win_amd64; .*nothing was uploaded: build the missing wheels on their hosts .*or pass --allowPartial/);
  expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  expect(indexContents(server.packagesDir)).toEqual({});
  expect(existsSync(reportFile)).toBe(false);
  expect(out).not.toContain(CANARY);
});

test('nx run python:publish --preflight --uploadDir (as release.yml runs it): no credentials, the plan and dist/ with SHA256SUMS', () => {
  const { dir, wheelDir } = linuxWheelDir();
  const uploadDir = join(dir, 'pypi-upload');
  const r = nx(WORKSPACE, ['run', 'python:publish', '--preflight', `--repositoryUrl=${publicServer.url}`, `--wheelDir=${wheelDir}`, `--uploadDir=${uploadDir}`, '--allowPartial', '--exclude-task-dependencies', '--skip-nx-cache'], { ...env, GITHUB_OUTPUT: join(dir, 'gh-output') });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/PARTIAL RELEASE \(--allowPartial\): no wheel for cp313-win_amd64/);
  expect(r.stdout).toMatch(/1 to upload, 0 skipped/);
  expect(readdirSync(join(uploadDir, 'dist'))).toEqual(readdirSync(wheelDir).filter((f) => f.endsWith('.whl')));
  expect(readFileSync(join(dir, 'gh-output'), 'utf8')).toBe('uploads=1\n');
  expect(JSON.parse(readFileSync(join(uploadDir, 'publish-plan.json'), 'utf8'))).toMatchObject({ preflight: true, ok: true, release: { partial: true, missing: ['cp313-win_amd64'] } });
  expect(indexContents(publicServer.packagesDir)).toEqual({});
  expect(r.stdout + r.stderr).not.toContain(CANARY);
});

test('nx run python:publish --allowPartial puts the built wheel on the index; nx-release-publish --dryRun leaves it alone', () => {
  const { dir, wheelDir } = linuxWheelDir();
  const reportFile = join(dir, 'publish-report.json');

  const dry = nx(WORKSPACE, ['run', 'python:nx-release-publish', `--repositoryUrl=${server.url}`, `--wheelDir=${wheelDir}`, `--reportFile=${reportFile}`, '--dryRun', '--allowPartial', '--skip-nx-cache'], env);
  expect(dry.status).toBe(0);
  expect(dry.stdout).toContain('PARTIAL RELEASE');
  expect(indexContents(server.packagesDir)).toEqual({});
  // A dry run writes its own report beside the real one, never over it.
  expect(JSON.parse(readFileSync(join(dir, 'publish-report.dry-run.json'), 'utf8')).files.map((f: { status: string }) => f.status)).toEqual(['would-upload']);
  expect(existsSync(reportFile)).toBe(false);

  const r = nx(WORKSPACE, ['run', 'python:publish', `--repositoryUrl=${server.url}`, `--wheelDir=${wheelDir}`, `--reportFile=${reportFile}`, '--allowPartial', '--skip-nx-cache'], env);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/1 uploaded, 0 skipped/);
  expect(indexContents(server.packagesDir)).toEqual(localContents(wheelDir));
  expect(r.stdout + r.stderr).not.toContain(CANARY);
  expect(readFileSync(reportFile, 'utf8')).not.toContain(CANARY);
});
