/**
 * `nx run python:publish` as a user runs it (real Nx, real validate-wheels with cibuildwheel's
 * identifiers and twine/auditwheel checks, real twine) against a real pypiserver; and
 * `nx-release-publish` with --dryRun, which `nx release publish --dry-run` calls.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nx, WORKSPACE } from '../helpers/workspace';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { realWheel } from '../validate-wheels/fixtures';
import { CANARY, indexContents, localContents } from './fixtures';
import { PypiServer, startPypiServer } from './servers';

jest.setTimeout(600_000);

let server: PypiServer;
beforeAll(async () => {
  await ensureWorkspaceToolchain();
  server = await startPypiServer({ password: CANARY });
});
afterAll(async () => server?.stop());

test('nx run python:publish puts the built wheel on the index; nx-release-publish --dryRun leaves it alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-nx-publish-'));
  const wheelDir = join(dir, 'wheels');
  require('node:fs').mkdirSync(wheelDir);
  const wheel = realWheel();
  copyFileSync(wheel, join(wheelDir, wheel.split('/').pop()!));
  const reportFile = join(dir, 'publish-report.json');
  const env = { PYPI_API_TOKEN: CANARY, GITHUB_ACTIONS: '', ACTIONS_ID_TOKEN_REQUEST_URL: '' };

  const dry = nx(WORKSPACE, ['run', 'python:nx-release-publish', `--repositoryUrl=${server.url}`, `--wheelDir=${wheelDir}`, `--reportFile=${reportFile}`, '--dryRun', '--skip-nx-cache'], env);
  expect(dry.status).toBe(0);
  expect(indexContents(server.packagesDir)).toEqual({});
  expect(JSON.parse(readFileSync(reportFile, 'utf8')).files.map((f: { status: string }) => f.status)).toEqual(['would-upload']);

  const r = nx(WORKSPACE, ['run', 'python:publish', `--repositoryUrl=${server.url}`, `--wheelDir=${wheelDir}`, `--reportFile=${reportFile}`, '--skip-nx-cache'], env);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/1 uploaded, 0 skipped/);
  expect(indexContents(server.packagesDir)).toEqual(localContents(wheelDir));
  expect(r.stdout + r.stderr).not.toContain(CANARY);
  expect(readFileSync(reportFile, 'utf8')).not.toContain(CANARY);
});
