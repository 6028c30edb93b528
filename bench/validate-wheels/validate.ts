/**
 * The benchmark's validate-wheels run: the same pipeline the executor runs (every RECORD hash
 * verified), with the expected identifiers given and external checks off.
 * usage: node -r @swc-node/register validate.ts <wheel-dir> <identifier,...>
 */
import { resolve } from 'node:path';
import { validateWheels } from '../../tools/nx-wheels/src/pipeline/validate-wheels';

(async () => {
  const [dir, ids] = process.argv.slice(2);
  const t0 = process.hrtime.bigint();
  const report = await validateWheels(
    { workspaceRoot: resolve(__dirname, '..', '..'), projectRoot: 'bindings/python', projectName: 'python', wheelDir: dir, identifiers: ids.split(','), externalChecks: false, env: {}, ...(process.env['BENCH_CONCURRENCY'] ? { concurrency: Number(process.env['BENCH_CONCURRENCY']) } : {}) },
    { out: () => undefined, err: (l) => process.stderr.write(l + '\n') },
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const hashed = report.wheels.reduce((n, w) => n + w.recordVerified, 0);
  process.stdout.write(JSON.stringify({ ok: report.ok, ms, wheels: report.wheels.length, recordVerified: hashed, codes: [...new Set(report.findings.map((f) => f.code))] }) + '\n');
  process.exit(report.ok ? 0 : 1);
})();
