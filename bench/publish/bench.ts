/**
 * The publish benchmark: `nx run python:publish` against plain `twine upload` of the same files,
 * each to its own fresh pypiserver (real, pinned, password auth), paired in the same run with the
 * order alternating, for 2 and 50 wheels. As in CI, validate-wheels runs once on the files first
 * (not timed), so publish finds a passed validation-report.json for the same bytes and reuses it;
 * with --revalidate the report is removed before every publish, so publish validates (the old
 * path). Prints milliseconds, the ratio with its goal, and which validation path publish took.
 * usage: node -r @swc-node/register bench/publish/bench.ts [counts=2,50] [runs=3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { realWheel } from '../../tools/nx-wheels/test/validate-wheels/fixtures';
import { startPypiServer } from '../../tools/nx-wheels/test/publish/servers';

const WS = resolve(__dirname, '..', '..');
const TWINE = join(WS, '.nx-wheels', 'toolchain', 'bin', 'twine');
const TOKEN = 'pypi-bench-token-0123456789abcdef';
const counts = (process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : '2,50').split(',').map(Number);
const runs = Number(process.argv[3] ?? 3);
const revalidate = process.argv.includes('--revalidate');
const GOALS: Record<number, number> = { 2: 2.5, 50: 1.3 };

function identifiers(): string[] {
  const r = spawnSync(join(WS, '.nx-wheels', 'toolchain', 'bin', 'cibuildwheel'), ['--print-build-identifiers', '--platform', 'linux', '.'], {
    cwd: join(WS, 'bindings', 'python'),
    env: { ...process.env, CIBW_BUILD: 'cp3*', CIBW_ARCHS_LINUX: 'all' },
    encoding: 'utf8',
  });
  return r.stdout.split('\n').filter((l) => l && !/t-/.test(l));
}

function timed(cmd: string, args: string[], env: Record<string, string>, cwd = WS): { ms: number; status: number | null; out: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status, out: r.stdout + r.stderr };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

(async () => {
  const all = identifiers();
  const real = realWheel();
  console.log(`[bench] host: ${require('node:os').cpus().length} cores; median of ${runs} run(s); each run uploads to fresh pypiserver instances`);
  for (const n of counts) {
    const ids = all.slice(0, n);
    const dir = mkdtempSync(join(tmpdir(), `quiver-bench-publish-${n}-`));
    spawnSync('python3', [join(__dirname, 'make-wheels.py'), real, dir, ids.join(',')], { stdio: 'ignore' });
    const wheels = readdirSync(dir).filter((f) => f.endsWith('.whl')).sort();
    const ours: number[] = [];
    const theirs: number[] = [];
    const nxEnv = { CIBW_BUILD: ids.join(' '), CIBW_ARCHS_LINUX: 'all', NX_DAEMON: 'false', NX_TUI: 'false' };
    const v = timed(join(WS, 'node_modules', '.bin', 'nx'), ['run', 'python:validate-wheels', `--wheelDir=${dir}`, '--externalChecks=false', '--platforms=linux', '--exclude-task-dependencies', '--skip-nx-cache'], nxEnv);
    if (v.status !== 0) throw new Error(`nx run python:validate-wheels failed:\n${v.out.slice(-3000)}`);
    const paths = new Set<string>();
    for (let i = 0; i < runs; i++) {
      if (revalidate) rmSync(join(dir, 'validation-report.json'), { force: true });
      const a = await startPypiServer({ password: TOKEN });
      const b = await startPypiServer({ password: TOKEN });
      try {
        const report = join(dir, `..`, `publish-report-${n}.json`);
        const ourRun = () =>
          timed(join(WS, 'node_modules', '.bin', 'nx'), ['run', 'python:publish', `--repositoryUrl=${a.url}`, `--wheelDir=${dir}`, `--reportFile=${report}`, '--externalChecks=false', '--platforms=linux', '--allowPartial', '--skip-nx-cache'], {
            PYPI_API_TOKEN: TOKEN,
            ...nxEnv,
          });
        const twineRun = () => timed(TWINE, ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', b.url, ...wheels.map((w) => join(dir, w))], { TWINE_USERNAME: '__token__', TWINE_PASSWORD: TOKEN });
        // Alternate which goes first, so neither always gets the warmer caches.
        let q: ReturnType<typeof timed>, t: ReturnType<typeof timed>;
        if (i % 2 === 0) {
          q = ourRun();
          t = twineRun();
        } else {
          t = twineRun();
          q = ourRun();
        }
        if (q.status !== 0) throw new Error(`nx run python:publish failed:\n${q.out.slice(-3000)}`);
        const rep = JSON.parse(readFileSync(report, 'utf8')) as { files: Array<{ status: string }>; validation: string };
        if (rep.files.filter((f) => f.status === 'uploaded').length !== n) throw new Error('not every wheel was uploaded');
        paths.add(rep.validation.startsWith('reused') ? 'reused the passed validation report' : 'validated');
        if (t.status !== 0) throw new Error(`twine upload failed:\n${t.out.slice(-2000)}`);
        if (readdirSync(a.packagesDir).length !== n || readdirSync(b.packagesDir).length !== n) throw new Error('an index does not hold every wheel');
        ours.push(q.ms);
        theirs.push(t.ms);
      } finally {
        await a.stop();
        await b.stop();
      }
    }
    const o = median(ours);
    const t = median(theirs);
    console.log(`\n== ${n} wheel(s) (${wheels.length} files, real quiverdb bytes re-tagged per identifier)`);
    console.log(`   nx run python:publish (${[...paths].join(' / ')}; index check, twine upload): ${o.toFixed(0).padStart(7)} ms   [runs: ${ours.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`   plain twine upload of the same files:                               ${t.toFixed(0).padStart(7)} ms   [runs: ${theirs.map((x) => x.toFixed(0)).join(', ')}]`);
    const goal = GOALS[n];
    console.log(`   ratio: ${(o / t).toFixed(2)}x   [goal ${goal ? `<= ${goal}x: ${o / t <= goal ? 'met' : 'MISSED'}` : 'none set for this count'}]`);
  }
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
