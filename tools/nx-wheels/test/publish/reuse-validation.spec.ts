/**
 * publish takes an existing passed validation-report.json for the very same bytes instead of
 * validating again, and validates when anything differs. Real pypiserver, real pinned twine, real
 * validate-wheels (twine check and auditwheel show included), real quiverdb wheel bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isQuiverError } from '../../src/core/errors';
import { publish, PublishOptions } from '../../src/pipeline/publish';
import { validateWheels } from '../../src/pipeline/validate-wheels';
import { CANARY, cleanEnv, IDENTIFIERS, indexContents, localContents, publishWorkspace, recordingSink } from './fixtures';
import { proxiedIndexes } from './servers';

jest.setTimeout(300_000);

const indexes = proxiedIndexes(CANARY);

async function run(w: { ws: string; projectRoot: string; wheelDir: string }, extra: Partial<PublishOptions> = {}) {
  const sink = recordingSink();
  try {
    const report = await publish(
      { workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'python', wheelDir: w.wheelDir, repositoryUrl: indexes.proxy.url, identifiers: IDENTIFIERS, backoffMs: 200, retries: 2, reportFile: join(w.ws, 'out', 'publish-report.json'), env: cleanEnv({ PYPI_API_TOKEN: CANARY }), ...extra },
      sink,
    );
    return { report, error: null, sink };
  } catch (e) {
    if (!isQuiverError(e)) throw e;
    return { report: null, error: e, sink };
  }
}

const validated = (text: string) => text.split('\n').filter((l) => l.startsWith('[validate] ') && !/skipped|not reused/.test(l));

test('a passed report for these bytes is reused (and says so); the upload is byte-identical', async () => {
  const w = await publishWorkspace();
  const v = await validateWheels({ workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'python', wheelDir: w.wheelDir }, recordingSink(), { identifiers: IDENTIFIERS, env: cleanEnv() });
  expect(v.ok).toBe(true);
  const s = await indexes.fresh();
  const r = await run(w);
  expect(r.error).toBeNull();
  expect(r.sink.text()).toMatch(/\[validate\] skipped: .*validation-report\.json passed .*\(the sha256 of all 2 file\(s\) match/);
  expect(validated(r.sink.text())).toEqual([]); // no validation output at all
  expect(r.report!.validation).toMatch(/^reused /);
  expect(r.report!.files.map((f) => f.status)).toEqual(['uploaded', 'uploaded']);
  expect(indexContents(s.packagesDir)).toEqual(localContents(w.wheelDir));
});

test('changed bytes: validated again (and the broken wheel is refused before any upload)', async () => {
  const w = await publishWorkspace();
  expect((await validateWheels({ workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'python', wheelDir: w.wheelDir }, recordingSink(), { identifiers: IDENTIFIERS, env: cleanEnv() })).ok).toBe(true);
  // Same name, other bytes: one byte appended to the first wheel (a zip with trailing junk).
  const victim = join(w.wheelDir, w.files[0]);
  writeFileSync(victim, Buffer.concat([readFileSync(victim), Buffer.from('x')]));
  const s = await indexes.fresh();
  const r = await run(w);
  expect(r.sink.text()).toContain(`not reused: ${w.files[0]} has changed since the report`);
  expect(validated(r.sink.text()).length).toBeGreaterThan(0);
  // Whatever the verdict on the altered file, it came from validating it, and the report now is this run's.
  const after = JSON.parse(readFileSync(join(w.wheelDir, 'validation-report.json'), 'utf8'));
  expect(after.wheels.find((x: { file: string }) => x.file === w.files[0]).sha256).not.toBeNull();
  if (r.error) expect(indexContents(s.packagesDir)).toEqual({});
});

test('another expectation (a tag to check) or a failed report: validated again', async () => {
  const w = await publishWorkspace();
  expect((await validateWheels({ workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'python', wheelDir: w.wheelDir }, recordingSink(), { identifiers: IDENTIFIERS, env: cleanEnv() })).ok).toBe(true);
  await indexes.fresh();
  const tagged = await run(w, { tag: 'v0.1.0' });
  expect(tagged.sink.text()).toContain('not reused: the report checked tag none, this run checks v0.1.0; validating');
  expect(validated(tagged.sink.text()).length).toBeGreaterThan(0);
  expect(tagged.error).toBeNull();

  // The run above rewrote the report (tag v0.1.0); mark it failed: the next run validates.
  const file = join(w.wheelDir, 'validation-report.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ok: false }));
  await indexes.fresh();
  const again = await run(w, { tag: 'v0.1.0' });
  expect(again.sink.text()).toContain('not reused: the report records a failed validation; validating');
  expect(again.error).toBeNull();
  expect(again.report!.validation).toMatch(/^validate-wheels passed/);
});
