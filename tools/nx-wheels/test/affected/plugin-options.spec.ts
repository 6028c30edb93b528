/**
 * Plugin options in nx.json, as Nx reads them: a temporary copy of this workspace whose nx.json
 * gives @quiver/nx-wheels options, then a real `nx show project python --json`.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, nx } from '../helpers/workspace';

jest.setTimeout(120_000);

let ws: string;
beforeAll(() => {
  ws = copyWorkspace('quiver-plugin-options-');
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

/** nx.json's entry for our plugin replaced by `{ plugin, options }`. */
function setOptions(options: unknown): void {
  const file = join(ws, 'nx.json');
  const nxJson = JSON.parse(readFileSync(file, 'utf8'));
  const ours = (p: unknown) => (typeof p === 'string' ? p : (p as { plugin: string }).plugin).includes('nx-wheels');
  const index = nxJson.plugins.findIndex(ours);
  expect(index).toBeGreaterThanOrEqual(0);
  const plugin = typeof nxJson.plugins[index] === 'string' ? nxJson.plugins[index] : nxJson.plugins[index].plugin;
  nxJson.plugins[index] = { plugin, options };
  writeFileSync(file, JSON.stringify(nxJson, null, 2) + '\n');
}

it('nx show project honours renamed targets (dependsOn included) and the wheel directory', () => {
  setOptions({ testTargetName: 'wheel-test', buildWheelsUntestedTargetName: 'wheels-raw', wheelDir: 'dist-wheels' });
  const r = nx(ws, ['show', 'project', 'python', '--json']);
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.status).toBe(0);
  const targets = JSON.parse(r.stdout).targets;
  expect(targets['test']).toBeUndefined();
  expect(targets['build-wheels-untested']).toBeUndefined();
  expect(targets['wheel-test'].executor).toBe('@quiver/nx-wheels:test-wheels');
  expect(targets['wheel-test'].dependsOn).toEqual(['wheels-raw', 'python-toolchain']);
  expect(targets['wheels-raw'].options).toEqual({ test: false, outputDir: 'dist/bindings/python/dist-wheels' });
  expect(targets['build-wheels'].outputs).toEqual(['{projectRoot}/dist-wheels']);
  expect(targets['publish'].options).toEqual({ wheelDir: 'bindings/python/dist-wheels' });
});

it('an unknown option fails with one line naming nx.json and the option', () => {
  setOptions({ testTarget: 'x' });
  const r = nx(ws, ['show', 'project', 'python', '--json']);
  expect(r.status).not.toBe(0);
  expect(r.stdout + r.stderr).toContain('nx.json plugins["@quiver/nx-wheels"].options.testTarget is not an option of @quiver/nx-wheels; remove it');
  expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m); // no stack trace
});
