/**
 * The twine and auditwheel families on what the real pinned tools report (one process of the
 * toolchain, runners/wheel-checks) about wheels built in the test and the real markupsafe 3.0.3
 * manylinux wheel from PyPI: one valid and one broken case per rule. Skipped without the toolchain.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExternalChecks, sharedPython } from '../../runners/wheel-checks';
import { parseWheelFilename } from '../wheel-filename';
import { context, replaceText, rewriteRecord, validEntries, wheelName, writeZip } from '../../../test/validate-wheels/synthetic';
import { readZip, WORKSPACE } from '../../../test/validate-wheels/fixtures';
import { thirdPartyWheels } from '../../../test/publish/fixtures';
import { checkAuditwheel, checkTwine } from './check-external';
import { InspectedFile } from './types';

const BIN = join(WORKSPACE, '.nx-wheels', 'toolchain', 'bin');
const tools = { twine: join(BIN, 'twine'), auditwheel: join(BIN, 'auditwheel') };
const maybe = existsSync(tools.twine) && existsSync(tools.auditwheel) && process.platform === 'linux' ? describe : describe.skip;
const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code).sort();
const META = 'demo-1.0.dist-info/METADATA';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-check-external-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write the wheel, run the real tool on it, and give the family what the pipeline would. */
async function inspected(tool: 'twine' | 'auditwheel', bytes: Buffer, name: string): Promise<InspectedFile> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const [r] = await runExternalChecks(sharedPython(tools), tools, [{ tool, file: path }]);
  const ctx = await context(bytes, name);
  return { name, kind: 'file', size: bytes.length, sha256: null, readError: null, archive: ctx.archive, [tool]: { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr } };
}
const withDescription = (headers: string, body: string) => writeZip(rewriteRecord(replaceText(validEntries(), META, (t) => t.replace(/\n\n$/, `\n${headers}\n${body}`))));

maybe('check-external: twine (real twine check --strict)', () => {
  it('a Markdown description that renders passes', async () => {
    const r = checkTwine(await inspected('twine', withDescription('Description-Content-Type: text/markdown\n', '# Demo\n\nIt works.\n'), wheelName()));
    expect(codes(r)).toEqual([]);
    expect(r.notes?.twine).toBe('twine check --strict passed');
  });

  it('TWINE_STRICT_WARNING: no Description-Content-Type (PyPI renders reStructuredText); fatal as TWINE_CHECK_FAILED with twineStrict', async () => {
    const f = await inspected('twine', withDescription('', 'Demo\n====\n\nIt works.\n'), wheelName());
    expect(codes(checkTwine(f))).toEqual(['TWINE_STRICT_WARNING']);
    expect(codes(checkTwine(f, true))).toEqual(['TWINE_CHECK_FAILED']);
  });

  it('TWINE_CHECK_FAILED: a reStructuredText description PyPI would not render', async () => {
    const r = checkTwine(await inspected('twine', withDescription('Description-Content-Type: text/x-rst\n', 'A long title here\n===\n\n.. unknown-directive:: x\n'), wheelName()));
    expect(codes(r)).toEqual(['TWINE_CHECK_FAILED']);
  });
});

maybe('check-external: auditwheel (real auditwheel show)', () => {
  let linux: Buffer;
  let linuxName: string;
  beforeAll(async () => {
    const [path] = thirdPartyWheels();
    linuxName = path.split('/').pop()!;
    linux = writeZip(await readZip(path));
  }, 10 * 60_000);

  it('the real markupsafe manylinux wheel is consistent with the policy it claims', async () => {
    const r = checkAuditwheel(await inspected('auditwheel', linux, linuxName), parseWheelFilename(linuxName));
    expect(codes(r)).toEqual([]);
    expect(r.consistentTag).toMatch(/^manylinux_2_\d+_x86_64$/);
  });

  it('AUDITWHEEL_POLICY_MISMATCH: the same wheel claiming manylinux1 (glibc 2.5), older than its symbols allow', async () => {
    const name = linuxName.replace(/cp313-cp313-.*\.whl$/, 'cp313-cp313-manylinux1_x86_64.whl');
    const bytes = writeZip(rewriteRecord((await readZip(linux)).map((e) => (e.name.endsWith('/WHEEL') ? { ...e, data: Buffer.from(e.data.toString().replace(/Tag: .*\n/g, '').replace(/\n*$/, '\nTag: cp313-cp313-manylinux1_x86_64\n\n')) } : e))));
    const r = checkAuditwheel(await inspected('auditwheel', bytes, name), parseWheelFilename(name));
    expect(codes(r)).toEqual(['AUDITWHEEL_POLICY_MISMATCH']);
  });

  it('AUDITWHEEL_FAILED: a manylinux wheel whose only "extension module" is no ELF file', async () => {
    const bytes = writeZip(rewriteRecord(validEntries().map((e) => (e.name.endsWith('.so') ? { ...e, data: Buffer.from('not an ELF file at all') } : e))));
    const r = checkAuditwheel(await inspected('auditwheel', bytes, wheelName()), parseWheelFilename(wheelName()));
    expect(codes(r)).toEqual(['AUDITWHEEL_FAILED']);
  });
});
