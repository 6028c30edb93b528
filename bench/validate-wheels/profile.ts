/**
 * Where validate-wheels' seconds go, phase by phase, in one process (not a test; prints ms):
 * module load, toolchain resolution, the (cached) cibuildwheel identifier query, reading and hashing
 * the wheels, twine check and auditwheel show as the pipeline runs them, and the whole pipeline.
 * usage: node -r @swc-node/register bench/validate-wheels/profile.ts <workspace> <projectRoot> <wheel-dir>
 */
const t0 = performance.now();
import { join, resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { validateWheels, inspectFile } from '../../tools/nx-wheels/src/pipeline/validate-wheels';
import { loadToolchain } from '../../tools/nx-wheels/src/pipeline/toolchain';
import { listIdentifiers } from '../../tools/nx-wheels/src/pipeline/identifiers';
import { twineCheck } from '../../tools/nx-wheels/src/runners/twine';
import { auditwheelShow } from '../../tools/nx-wheels/src/runners/auditwheel';

const loaded = performance.now() - t0;
const quiet = { out: () => undefined, err: () => undefined };
async function time<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const s = performance.now();
  const r = await fn();
  process.stdout.write(`${name.padEnd(44)} ${(performance.now() - s).toFixed(0).padStart(6)} ms\n`);
  return r;
}
(async () => {
  const [ws, projectRoot, dir] = process.argv.slice(2).map((a, i) => (i === 1 ? a : resolve(a)));
  process.stdout.write(`${'module load (swc)'.padEnd(44)} ${loaded.toFixed(0).padStart(6)} ms\n`);
  const tc = await time('loadToolchain', () => loadToolchain(ws, undefined, quiet));
  for (const p of ['linux', 'windows'] as const) await time(`listIdentifiers ${p} (cache)`, () => listIdentifiers(tc.bin('cibuildwheel'), ws, join(ws, projectRoot), p, process.env));
  const names = readdirSync(dir).filter((n) => n.endsWith('.whl'));
  await time('inspectFile (read, hash, RECORD) all', () => Promise.all(names.map((n) => inspectFile(dir, n))));
  for (const n of names) await time(`twine check --strict ${n.slice(0, 24)}`, () => twineCheck(tc.bin('twine'), join(dir, n)));
  for (const n of names.filter((x) => x.includes('linux'))) await time(`auditwheel show ${n.slice(0, 24)}`, () => auditwheelShow(tc.bin('auditwheel'), join(dir, n)));
  await time('validateWheels (whole pipeline)', () => validateWheels({ workspaceRoot: ws, projectRoot, projectName: 'p', wheelDir: dir, platforms: 'release', env: process.env }, quiet));
})();
