/**
 * rehearseRelease up to its first step, in a real git repository: the refusals before anything
 * runs, and a rehearsal whose prepare step fails (the repository has no node_modules/.bin/nx) still
 * removes its scratch clone and writes its report where schema.json's default says. The whole
 * rehearsal (builds, pypiserver, installs) is test/e2e/rehearse-release.e2e.spec.ts.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { rehearseRelease } from '../../src/pipeline/rehearse-release';
import { commitAll, git, PYPROJECT, tempRepo, write } from './git-fixture';

const ROOT = 'bindings/python';
const lines: string[] = [];
const sink = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
let ws: string;

beforeAll(() => {
  ws = tempRepo('quiver-rehearse-');
  write(ws, `${ROOT}/pyproject.toml`, `${PYPROJECT('1.0.0')}\n[tool.nx-wheels]\nrelease-platforms = ["linux"]\n`);
  commitAll(ws, 'feat: first');
  git(ws, 'tag', 'v1.0.0');
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

const run = (o: Record<string, unknown>) =>
  rehearseRelease({ workspaceRoot: ws, projectRoot: ROOT, projectName: 'python', env: { PATH: process.env['PATH'] }, ...o }, sink);

test.each([
  [{ platforms: 'linux,macos' }, 'BAD_OPTION_PLATFORMS'],
  [{ specifier: 'bogus' }, 'BAD_OPTION_VERSION'],
  [{ specifier: '0.9.0' }, 'REHEARSAL_VERSION_NOT_NEWER'],
])('%j is refused before anything runs: %s', async (o, code) => {
  await expect(run(o)).rejects.toMatchObject({ code });
  expect(existsSync(join(ws, '.nx-wheels'))).toBe(false);
});

test('a failed prepare step: the report goes to the schema default path, the scratch clone is removed', async () => {
  const report = await run({ specifier: 'patch' });
  expect(report.ok).toBe(false);
  expect(report.steps.map((s) => [s.step, s.verdict])).toEqual([['prepare', 'failed']]);
  const file = join(ws, '.nx-wheels', 'reports', 'rehearsal', ROOT, 'rehearsal-report.json');
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
    project: 'python',
    ok: false,
    platforms: ['linux'],
    commit: git(ws, 'rev-parse', 'HEAD').trim(),
  });
  expect(readdirSync(join(ws, '.nx-wheels', 'rehearsal'))).toEqual([]);
  expect(lines.at(-1)).toMatch(/prepare/);
});

test('keep: the scratch clone stays and the report names it', async () => {
  const report = await run({ specifier: 'patch', keep: true, reportFile: 'out/r.json' });
  expect(report.scratch).not.toBeNull();
  expect(existsSync(join(report.scratch!, ROOT, 'pyproject.toml'))).toBe(true);
  expect(JSON.parse(readFileSync(join(ws, 'out', 'r.json'), 'utf8')).scratch).toBe(report.scratch);
});
