/**
 * matchesSelector against cibuildwheel's own selector semantics: the pinned toolchain's bracex
 * (brace expansion) + Python's fnmatch, which is how cibuildwheel 4.x evaluates `build`, `skip`,
 * `test-skip` and `overrides.select`. Every row is asked of both; they must agree.
 */
import { spawnSync } from 'node:child_process';
import { matchesSelector } from '../src/core/identifiers';
import { ensureWorkspaceToolchain } from './helpers/toolchain';

const IDS = ['cp313-manylinux_x86_64', 'cp313t-manylinux_x86_64', 'cp312-musllinux_aarch64', 'cp313-win_amd64', 'cp310-win32', 'pp310-manylinux_x86_64', 'cp39-macosx_arm64'];
const SELECTORS = [
  'cp313-*', '*-win_amd64', 'cp31{2,3}-*', 'cp3{10,1{2,3}}-*', 'cp31[!3]-*', 'cp31[0-2]-*', 'cp31?-*', 'cp31?t-*',
  '*-manylinux_*', '*linux_{x86_64,aarch64}', 'pp*', '*t-*', '*', '?p3*', 'cp313-manylinux_x86_64', 'cp313', '*-win*',
];

it('agrees with bracex + fnmatch (cibuildwheel 4.x) on every identifier x selector', async () => {
  const tc = await ensureWorkspaceToolchain();
  const py = `import bracex, fnmatch, json, sys
ids, sels = json.load(sys.stdin)
print(json.dumps([[any(fnmatch.fnmatch(i, p) for s in sel.split() for p in bracex.expand(s)) for sel in sels] for i in ids]))`;
  const r = spawnSync(tc.bin('python'), ['-c', py], { input: JSON.stringify([IDS, SELECTORS]), encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const python = JSON.parse(r.stdout) as boolean[][];
  const ours = IDS.map((id) => SELECTORS.map((sel) => matchesSelector(id, sel)));
  expect(ours).toEqual(python);
  // The table is not trivial: both outcomes occur for every identifier.
  for (const row of python) expect(new Set(row).size).toBe(2);
});
