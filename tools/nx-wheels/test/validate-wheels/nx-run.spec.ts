/**
 * validate-wheels as users run it: real `nx run python:validate-wheels` in a temporary copy of the
 * workspace, on a wheel directory given with --wheelDir. Nx must never answer with a verdict
 * about other files: after a wheel in the directory is swapped for a broken one, the same command
 * reads the new bytes and fails.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, nx } from '../helpers/workspace';
import { copyReal, mutate, tempDir } from './fixtures';

let ws: string;
let dir: string;
beforeAll(() => {
  ws = copyWorkspace('quiver-vw-nx-');
  dir = tempDir('quiver-vw-dir-');
}, 10 * 60_000);
afterAll(() => {
  for (const d of [ws, dir]) if (d) rmSync(d, { recursive: true, force: true });
});

test('swapping a wheel in --wheelDir gives the new verdict on the same command (no cached PASS replayed)', async () => {
  const args = ['run', 'python:validate-wheels', `--wheelDir=${dir}`, '--exclude-task-dependencies', '--externalChecks=false', '--outputStyle=stream'];
  copyReal(dir);
  const first = nx(ws, args);
  expect({ status: first.status, passed: /validate-wheels: PASSED/.test(first.stdout) }).toEqual({ status: 0, passed: true });
  expect(existsSync(join(dir, 'SHA256SUMS'))).toBe(true);

  // Same file name, different bytes: one module edited after RECORD was written.
  const [name] = readdirSync(dir).filter((f) => f.endsWith('.whl'));
  rmSync(join(dir, name));
  await mutate(dir, (es) => es.map((e) => (e.name.endsWith('.py') && !e.name.includes('/tests/') ? { ...e, data: Buffer.concat([e.data, Buffer.from('\n# tampered\n')]) } : e)));
  expect(readdirSync(dir).filter((f) => f.endsWith('.whl'))).toEqual([name]);

  const second = nx(ws, args);
  const out = second.stdout + second.stderr;
  expect(second.status).not.toBe(0);
  expect(out).toContain('RECORD_HASH_MISMATCH');
  expect(out).not.toMatch(/existing outputs match the cache|\[local cache\]|read the output from the cache/);
  expect(existsSync(join(dir, 'SHA256SUMS'))).toBe(false);
}, 10 * 60_000);

test.each([
  // schema.json's bounds: Nx refuses the value in one line before the executor starts.
  [['--maxSize=-5'], "Property 'maxSize' does not match the schema. -5 should be at least 1"],
  [['--platforms=bogus'], 'BAD_OPTION_PLATFORMS: option platforms: "bogus" is not one of linux, windows, host, release'],
  [['--platforms=linux,macos'], 'BAD_OPTION_PLATFORMS: option platforms: "macos" is not one of linux, windows, host, release'],
  [['--wheelDir=does/not/exist'], 'WHEELHOUSE_NOT_FOUND: does/not/exist is not a directory'],
])('option error %j is one line with its code, no schema dump', (extra, line) => {
  const r = nx(ws, ['run', 'python:validate-wheels', '--exclude-task-dependencies', '--externalChecks=false', '--outputStyle=stream', ...extra]);
  const out = r.stdout + r.stderr;
  expect(r.status).not.toBe(0);
  expect(out).toContain(line.startsWith('Property') ? line : `validate-wheels: ${line}`);
  expect(out).not.toMatch(/Schema|must be one of|oneOf/);
}, 120_000);

test('a failed run names how many files failed and how many findings are about the directory', async () => {
  const d = tempDir('quiver-vw-dir2-');
  try {
    copyReal(d);
    await mutate(d, (es) => es, { name: (n) => n.replace('cp313-cp313', 'cp312-cp312') }); // an identifier that is not selected
    const r = nx(ws, ['run', 'python:validate-wheels', `--wheelDir=${d}`, '--exclude-task-dependencies', '--externalChecks=false', '--outputStyle=stream']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/VALIDATION_FAILED: \d+ finding\(s\) failed in .* \(1 file\(s\)\)/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}, 120_000);
