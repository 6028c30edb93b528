/**
 * validate-wheels with the real pinned tools: identifiers from `cibuildwheel
 * --print-build-identifiers`, `twine check --strict` and `auditwheel show`. Skipped when the
 * workspace toolchain (.nx-wheels/toolchain, `nx run python:python-toolchain`) is not installed.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { reportCodes } from '../../src/core/validation/report';
import { validateWheels } from '../../src/pipeline/validate-wheels';
import { copyReal, edit, mutate, realWheel, retag, tagsOf, tempWorkspace, WORKSPACE, withTags } from './fixtures';

const bin = (n: string) => join(WORKSPACE, '.nx-wheels', 'toolchain', 'bin', n);
const haveToolchain = ['cibuildwheel', 'twine', 'auditwheel'].every((n) => existsSync(bin(n)));
const d = haveToolchain && process.platform === 'linux' ? describe : describe.skip;
const tools = { twine: bin('twine'), auditwheel: bin('auditwheel') };
const workspaces: string[] = [];
const lines: string[] = [];
const sink = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };

afterAll(() => workspaces.forEach((ws) => rmSync(ws, { recursive: true, force: true })));

async function run(setup: (dir: string) => unknown, opts: Record<string, unknown> = {}) {
  const { ws, projectRoot, wheelDir } = tempWorkspace();
  workspaces.push(ws);
  await setup(wheelDir);
  // The toolchain of the real workspace: copying it would take minutes.
  const report = await validateWheels({ workspaceRoot: ws, projectRoot, projectName: 'python', ...opts }, sink, { env: {}, identifiers: ['cp313-manylinux_x86_64'], tools });
  return { report, codes: reportCodes(report) };
}

d('external checks (twine check --strict, auditwheel show)', () => {
  beforeAll(() => realWheel(), 30 * 60_000);

  it('pass on the real wheel, and report the policy auditwheel finds', async () => {
    const { report } = await run((dir) => copyReal(dir));
    expect(report.findings).toEqual([]);
    expect(report.externalChecks).toEqual({ twine: 'ran', auditwheel: 'ran' });
    expect(report.wheels[0].auditwheelTag).toMatch(/^manylinux_\d+_\d+_x86_64$/);
    expect(report.wheels[0].checks.find((c) => c.check === 'twine')?.status).toBe('ok');
  });

  it('AUDITWHEEL_POLICY_MISMATCH when the tag claims an older glibc than the symbols need', async () => {
    const claim = 'cp313-cp313-manylinux_2_5_x86_64';
    const { codes } = await run((dir) => mutate(dir, (es) => retag(es, claim), { fixRecord: true, name: (n) => withTags(n, claim) }));
    expect(codes).toEqual(['AUDITWHEEL_POLICY_MISMATCH']);
  });

  it('TWINE_CHECK_FAILED when the long description cannot be rendered', async () => {
    const { codes, report } = await run((dir) =>
      mutate(dir, (es) => edit(es, '*.dist-info/METADATA', (t) => t.replace(/^Description-Content-Type: .*$/m, 'Description-Content-Type: text/x-rst') + '\n\n.. broken:: directive\n   :bad\n\n`unterminated\n'), { fixRecord: true }),
    );
    expect(codes).toEqual(['TWINE_CHECK_FAILED']);
    expect(report.findings[0].message).toMatch(/twine check --strict/);
  });

  it('expects one wheel per identifier cibuildwheel prints: host = linux passes, linux+windows misses cp313-win_amd64', async () => {
    // The real workspace (its toolchain and pyproject.toml) with a temporary wheel directory.
    const { ws, wheelDir } = tempWorkspace();
    workspaces.push(ws);
    copyReal(wheelDir);
    const base = { workspaceRoot: WORKSPACE, projectRoot: 'bindings/python', projectName: 'python', wheelDir, externalChecks: false };
    const host = await validateWheels(base, sink, { env: {} });
    const libc = tagsOf(realWheel()).includes('musllinux') ? 'musllinux' : 'manylinux';
    expect(host.identifiers).toEqual([`cp313-${libc}_x86_64`]);
    expect(host.ok).toBe(true);
    const release = await validateWheels({ ...base, platforms: ['linux', 'windows'] }, sink, { env: {} });
    expect(release.identifiers).toEqual(expect.arrayContaining(['cp313-win_amd64']));
    expect(reportCodes(release)).toEqual(['WHEEL_MISSING']);
    expect(release.findings[0].subject).toBe('cp313-win_amd64');
  });
});
