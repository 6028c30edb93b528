/**
 * `nx affected -t test` after a change to the binding's tests, as CI runs it: the test target
 * runs again against the cached wheel (build-wheels-untested is a cache hit), nothing else is
 * rebuilt, and libs/quiver's CTest suite is not affected. Native engine, real build (slow: e2e).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyWorkspace, edit, git, nx } from '../helpers/workspace';

describe('nx affected -t test after editing a binding test (native engine)', () => {
  let ws: string;

  beforeAll(async () => {
    await ensureWorkspaceToolchain();
    ws = copyWorkspace('quiver-affected-e2e-');
  }, 900_000);

  afterAll(() => {
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('re-runs test without rebuilding the wheel', () => {
    const first = nx(ws, ['run', 'python:test']);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/\[test cp313-manylinux_x86_64\] .*passed/);

    edit(join(ws, 'bindings/python/tests/test_package.py'), (t) => `${t}\n\ndef test_added_by_affected_e2e():\n    assert 2 * 2 == 4\n`);
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'test(python): one more test');

    const second = nx(ws, ['affected', '-t', 'test', '--base=HEAD~1', '--head=HEAD', '--outputStyle=stream']);
    const out = `${second.stdout}\n${second.stderr}`;
    expect(second.status).toBe(0);
    // the wheel comes from the cache; the tests run (one more than before)
    expect(out).toMatch(/nx run python:build-wheels-untested\s+\[(local cache|existing outputs match the cache)/);
    expect(out).not.toMatch(/nx run python:test\s+\[(local cache|existing outputs)/);
    const passed = (s: string) => Number(/\[test cp313-manylinux_x86_64\] =+ (\d+) passed/.exec(s)?.[1]);
    expect(passed(out)).toBe(passed(first.stdout) + 1);
    // nothing else: no tested build, libs/quiver not affected
    expect(out).not.toMatch(/nx run python:build-wheels(\s|$)/m);
    expect(out).not.toMatch(/nx run quiver:/);
  });
});
