/**
 * validate-wheels against a real quiverdb wheel and broken copies of it: each case asserts the
 * exact set of codes it produces. External checks are off here (see external.spec.ts) and the
 * expected identifiers are given, so these run without processes.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { Code } from '../../src/core/validation/codes';
import { reportCodes, ValidationReport } from '../../src/core/validation/report';
import { validateWheels, ValidateWheelsDeps, ValidateWheelsOptions } from '../../src/pipeline/validate-wheels';
import { copyReal, edit, mutate, realWheel, retag, tagsOf, tempWorkspace, withTags, ZEntry } from './fixtures';

const LINUX_ID = 'cp313-manylinux_x86_64';
const workspaces: string[] = [];
let REAL: string;
let TAGS: string;

beforeAll(() => {
  REAL = basename(realWheel()); // builds it once if no real wheel exists yet
  TAGS = tagsOf(REAL);
}, 30 * 60_000);

afterAll(() => {
  for (const ws of workspaces) rmSync(ws, { recursive: true, force: true });
});

async function run(
  setup: (wheelDir: string) => unknown,
  opts: Partial<ValidateWheelsOptions> & ValidateWheelsDeps = {},
  editPyproject?: (t: string) => string,
): Promise<{ report: ValidationReport; codes: Code[]; wheelDir: string; ws: string; lines: string[] }> {
  const { ws, projectRoot, wheelDir } = tempWorkspace(editPyproject);
  workspaces.push(ws);
  await setup(wheelDir);
  const lines: string[] = [];
  // The cases give options and the validation's dependencies (env, identifiers) in one table.
  const { env = {}, identifiers = [LINUX_ID], ...options } = opts;
  const report = await validateWheels(
    { workspaceRoot: ws, projectRoot, projectName: 'python', externalChecks: false, ...options },
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    { env, identifiers },
  );
  return { report, codes: reportCodes(report), wheelDir, ws, lines };
}

const drop = (suffix: string) => (es: ZEntry[]) => es.filter((e) => !e.name.endsWith(suffix));

describe('a valid wheelhouse', () => {
  it('passes with no findings, writes the JSON report and SHA256SUMS', async () => {
    const { report, wheelDir, lines } = await run((d) => copyReal(d), { tag: 'v0.1.0' });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts).toEqual({ wheels: 1, errors: 0, warnings: 0 });
    const w = report.wheels[0];
    expect(w.identifier).toBe(LINUX_ID);
    expect(w.recordVerified).toBeGreaterThan(3);
    expect(w.checks.filter((c) => c.status === 'failed')).toEqual([]);
    const bytes = readFileSync(join(wheelDir, REAL));
    const hex = createHash('sha256').update(bytes).digest('hex');
    expect(w.sha256).toBe(hex);
    expect(readFileSync(join(wheelDir, 'SHA256SUMS'), 'utf8')).toBe(`${hex}  ${REAL}\n`);
    const json = JSON.parse(readFileSync(join(wheelDir, 'validation-report.json'), 'utf8'));
    expect(json).toMatchObject({ reportVersion: 1, ok: true, identifiers: [LINUX_ID], version: '0.1.0', tag: { value: 'v0.1.0', version: '0.1.0' } });
    expect(lines.join('\n')).toMatch(/PASSED: 1 wheel/);
  });

  it('ignores its own reports and build-report.json, and compares versions after PEP 440 normalization', async () => {
    const { report } = await run(
      (d) => {
        copyReal(d);
        writeFileSync(join(d, 'build-report.json'), '{}');
        writeFileSync(join(d, 'SHA256SUMS'), 'stale');
      },
      { env: { GITHUB_REF: 'refs/tags/V0.1.0', GITHUB_REF_NAME: 'V0.1.0', GITHUB_REF_TYPE: 'tag' } },
      (t) => t.replace('version = "0.1.0"', 'version = "v0.1.0"'),
    );
    expect(report.findings).toEqual([]);
    expect(report.tag).toMatchObject({ source: 'GITHUB_REF', version: '0.1.0' });
  });

  it('appends a Markdown summary to GITHUB_STEP_SUMMARY', async () => {
    const { ws } = tempWorkspace();
    workspaces.push(ws);
    const summary = join(ws, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    await run((d) => copyReal(d), { env: { GITHUB_STEP_SUMMARY: summary } });
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^# earlier step\n/);
    expect(md).toMatch(/## validate-wheels: ✅ passed/);
    expect(md).toContain(`\`${REAL}\``);
  });

  it('does not treat a branch or pull-request ref as a tag', async () => {
    const { report } = await run((d) => copyReal(d), { env: { GITHUB_REF: 'refs/pull/7/merge', GITHUB_REF_NAME: '7/merge', GITHUB_REF_TYPE: 'branch' } });
    expect(report.ok).toBe(true);
    expect(report.tag).toBeNull();
  });
});

// [name, setup, expected codes, options, pyproject edit]
type Case = [string, (dir: string) => unknown, Code[], (Partial<ValidateWheelsOptions> & ValidateWheelsDeps)?, ((t: string) => string)?];

const cases: Case[] = [
  // RECORD
  // The tampered file keeps its size, so only the hash can catch it.
  ['tampered file (RECORD hash)', (d) => mutate(d, (es) => edit(es, 'quiverdb/__init__.py', (t) => t.replace('"""', "'''"))), ['RECORD_HASH_MISMATCH']],
  ['RECORD missing a file', (d) => mutate(d, (es) => edit(es, '*.dist-info/RECORD', (t) => t.split('\n').filter((l) => !l.startsWith('quiverdb/_core.pyi')).join('\n'))), ['RECORD_FILE_UNLISTED']],
  ['RECORD size wrong', (d) => mutate(d, (es) => edit(es, '*.dist-info/RECORD', (t) => t.replace(/^(quiverdb\/__init__\.py,[^,]+,)(\d+)/m, (_m, a, n) => `${a}${Number(n) + 1}`))), ['RECORD_SIZE_MISMATCH']],
  ['RECORD missing', (d) => mutate(d, drop('.dist-info/RECORD')), ['RECORD_MISSING']],
  ['RECORD lists a file not in the archive', (d) => mutate(d, (es) => edit(es, '*.dist-info/RECORD', (t) => t + 'quiverdb/gone.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n')), ['RECORD_FILE_MISSING']],
  ['RECORD uses md5', (d) => mutate(d, (es) => edit(es, '*.dist-info/RECORD', (t) => t.replace(/^(quiverdb\/__init__\.py,)sha256=[^,]+/m, '$1md5=1B2M2Y8AsgTpgAmY7PhCfg'))), ['RECORD_HASH_WEAK']],
  ['RECORD digest with padding', (d) => mutate(d, (es) => edit(es, '*.dist-info/RECORD', (t) => t.replace(/^(quiverdb\/__init__\.py,sha256=[^,]+)/m, '$1='))), ['RECORD_INVALID']],
  ['RECORD row without hash', (d) => mutate(d, (es) => edit(es, '*.dist-info/RECORD', (t) => t.replace(/^(quiverdb\/__init__\.py,)sha256=[^,]+/m, '$1'))), ['RECORD_HASH_MISSING']],
  // dist-info files
  ['missing WHEEL', (d) => mutate(d, drop('.dist-info/WHEEL'), { fixRecord: true }), ['WHEEL_FILE_MISSING']],
  ['missing METADATA', (d) => mutate(d, drop('.dist-info/METADATA'), { fixRecord: true }), ['METADATA_MISSING']],
  ['METADATA version differs from the filename', (d) => mutate(d, (es) => edit(es, '*.dist-info/METADATA', (t) => t.replace(/^Version: .*$/m, 'Version: 0.1.1')), { fixRecord: true }), ['METADATA_VERSION_MISMATCH']],
  ['METADATA name differs from the filename', (d) => mutate(d, (es) => edit(es, '*.dist-info/METADATA', (t) => t.replace(/^Name: .*$/m, 'Name: quiver-db2')), { fixRecord: true }), ['METADATA_NAME_MISMATCH']],
  ['METADATA without Metadata-Version', (d) => mutate(d, (es) => edit(es, '*.dist-info/METADATA', (t) => t.replace(/^Metadata-Version: .*\n/m, '')), { fixRecord: true }), ['METADATA_INVALID']],
  ['WHEEL tags differ from the filename', (d) => mutate(d, (es) => retag(es, 'cp313-cp313-manylinux_2_28_x86_64'), { fixRecord: true }), ['WHEEL_TAGS_MISMATCH']],
  ['WHEEL says Root-Is-Purelib: true', (d) => mutate(d, (es) => edit(es, '*.dist-info/WHEEL', (t) => t.replace('Root-Is-Purelib: false', 'Root-Is-Purelib: true')), { fixRecord: true }), ['WHEEL_ROOT_IS_PURELIB']],
  ['WHEEL without Wheel-Version', (d) => mutate(d, (es) => edit(es, '*.dist-info/WHEEL', (t) => t.replace(/^Wheel-Version: .*\n/m, '')), { fixRecord: true }), ['WHEEL_FILE_INVALID']],
  ['.dist-info named for another version', (d) => mutate(d, (es) => es.map((e) => ({ ...e, name: e.name.replace('quiverdb-0.1.0.dist-info', 'quiverdb-0.0.9.dist-info') })), { fixRecord: true }), ['DIST_INFO_MISMATCH']],
  // names, versions, tags
  ['name not normalized', (d) => mutate(d, (es) => es, { name: (n) => n.replace(/^quiverdb/, 'QuiverDB') }), ['NAME_NOT_NORMALIZED']],
  ['linux_x86_64 platform tag', (d) => mutate(d, (es) => retag(es, 'cp313-cp313-linux_x86_64'), { fixRecord: true, name: (n) => withTags(n, 'cp313-cp313-linux_x86_64') }), ['PLATFORM_TAG_REJECTED']],
  ['musllinux wheel instead of the manylinux one: another identifier, so WHEEL_EXTRA + WHEEL_MISSING', (d) => mutate(d, (es) => retag(es, 'cp313-cp313-musllinux_1_2_x86_64'), { fixRecord: true, name: (n) => withTags(n, 'cp313-cp313-musllinux_1_2_x86_64') }), ['WHEEL_EXTRA', 'WHEEL_MISSING']],
  ['abi3 wheel for a cp313 identifier, no stable ABI declared', (d) => mutate(d, (es) => retag(es, `cp313-abi3-${TAGS.split('-')[2]}`), { fixRecord: true, name: (n) => withTags(n, `cp313-abi3-${TAGS.split('-')[2]}`) }), ['ABI3_UNDECLARED']],
  ['cp312-abi3 wheel where [tool.nx-wheels] abi3 = "cp313"', (d) => mutate(d, (es) => retag(es, `cp312-abi3-${TAGS.split('-')[2]}`), { fixRecord: true, name: (n) => withTags(n, `cp312-abi3-${TAGS.split('-')[2]}`) }), ['TAGS_IDENTIFIER_MISMATCH'], {}, (t: string) => `${t}\n[tool.nx-wheels]\nabi3 = "cp313"\n`],
  ['a musllinux wheel beside the manylinux one (identifier not selected): WHEEL_EXTRA on it only', async (d) => {
    copyReal(d);
    const musl = `cp313-cp313-musllinux_1_2_x86_64`;
    await mutate(d, (es) => retag(es, musl), { fixRecord: true, name: (n) => withTags(n, musl) });
  }, ['WHEEL_EXTRA']],
  ['wheel too large', (d) => copyReal(d), ['WHEEL_TOO_LARGE'], { maxSize: 1000 }],
  ['tag differs from pyproject', (d) => copyReal(d), ['VERSION_MISMATCH_TAG'], { tag: 'v0.2.0' }],
  ['tag v0.1.0-rc1 means 0.1.0rc1, not 0.1.0', (d) => copyReal(d), ['VERSION_MISMATCH_TAG'], { env: { GITHUB_REF_NAME: 'v0.1.0-rc1', GITHUB_REF_TYPE: 'tag' } }],
  ['tag is not a version', (d) => copyReal(d), ['TAG_INVALID'], { tag: 'release-banana' }],
  ['pyproject version not PEP 440', (d) => copyReal(d), ['PYPROJECT_VERSION_INVALID'], {}, (t) => t.replace('version = "0.1.0"', 'version = "0.1.0-banana"')],
  ['pyproject version differs from the wheels', (d) => copyReal(d), ['VERSION_MISMATCH_PYPROJECT'], {}, (t) => t.replace('version = "0.1.0"', 'version = "0.2.0"')],
  // archive
  ['truncated zip', (d) => writeFileSync(join(d, REAL), readFileSync(realWheel()).subarray(0, 40_000)), ['ZIP_TRUNCATED']],
  ['not a zip', (d) => writeFileSync(join(d, REAL), '<!DOCTYPE html><html><body>Not Found</body></html>\n'), ['ZIP_INVALID']],
  ['corrupted compressed bytes', async (d) => {
    const p = await mutate(d, (es) => es);
    const b = readFileSync(p);
    const at = b.indexOf(Buffer.from('quiverdb/_core.cpython')) + 200;
    for (let i = at; i < at + 64; i++) b[i] ^= 0xff;
    writeFileSync(p, b);
  }, ['ZIP_CORRUPT']],
  ['zip-slip entry', (d) => mutate(d, (es) => [...es, { name: '../../evil.py', data: Buffer.from('print(1)\n'), mode: 0o100644, method: 8 }], { fixRecord: true }), ['ZIP_PATH_UNSAFE']],
  ['absolute path entry', (d) => mutate(d, (es) => [...es, { name: '/etc/evil.pth', data: Buffer.from('import os\n'), mode: 0o100644, method: 8 }], { fixRecord: true }), ['ZIP_PATH_UNSAFE']],
  ['symlink entry', (d) => mutate(d, (es) => [...es, { name: 'quiverdb/link.py', data: Buffer.from('__init__.py'), mode: 0o120777, method: 0 }], { fixRecord: true }), ['ZIP_SYMLINK']],
  ['duplicate entry', (d) => mutate(d, (es) => [...es, { ...es.find((e) => e.name === 'quiverdb/__init__.py')! }]), ['ZIP_DUPLICATE_ENTRY']],
  ['file added after building', (d) => mutate(d, (es) => [...es, { name: 'quiverdb/extra.py', data: Buffer.from('x = 1\n'), mode: 0o100644, method: 8 }]), ['RECORD_FILE_UNLISTED']],
  // the set
  ['extra wheel (cp312 not selected)', async (d) => {
    copyReal(d);
    await mutate(d, (es) => retag(es, `cp312-cp312-${TAGS.split('-')[2]}`), { fixRecord: true, name: (n) => withTags(n, `cp312-cp312-${TAGS.split('-')[2]}`) });
  }, ['WHEEL_EXTRA']],
  ['missing platform (windows wheel absent)', (d) => copyReal(d), ['WHEEL_MISSING'], { identifiers: [LINUX_ID, 'cp313-win_amd64'] }],
  ['duplicate identifier (two builds of one identifier)', async (d) => {
    copyReal(d);
    await mutate(d, (es) => retag(es, 'cp313-cp313-manylinux_2_28_x86_64'), { fixRecord: true, name: (n) => withTags(n, 'cp313-cp313-manylinux_2_28_x86_64') });
  }, ['WHEEL_DUPLICATE']],
  ['pure wheel when binary is expected', async (d) => {
    copyReal(d);
    await mutate(d, (es) => retag(es, 'py3-none-any'), { fixRecord: true, name: (n) => withTags(n, 'py3-none-any') });
  }, ['WHEEL_PURE_UNEXPECTED']],
  ['sdist in the wheel directory', (d) => {
    copyReal(d);
    writeFileSync(join(d, 'quiverdb-0.1.0.tar.gz'), 'sdist');
  }, ['SDIST_UNEXPECTED']],
  ['stray file in the wheel directory', (d) => {
    copyReal(d);
    writeFileSync(join(d, 'notes.txt'), 'x');
  }, ['FILE_UNEXPECTED']],
  ['empty directory', () => undefined, ['WHEELHOUSE_EMPTY']],
  ['unreadable file (dangling link named .whl)', (d) => {
    copyReal(d);
    symlinkSync(join(d, 'nowhere.whl'), join(d, withTags(REAL, 'cp313-cp313-manylinux_2_28_x86_64')));
  }, ['FILE_UNREADABLE', 'WHEEL_DUPLICATE']],
  ['unreadable file (a directory named .whl)', (d) => mkdirSync(join(d, REAL)), ['FILE_UNREADABLE']],
  ['filename not in the wheel grammar', (d) => mutate(d, (es) => es, { name: 'quiverdb.whl' }), ['FILENAME_INVALID', 'WHEEL_MISSING']],
];


describe('broken wheelhouses: each reports its own code', () => {
  // Rest parameters: jest would take a fifth declared parameter for a done callback.
  it.each(cases)('%s', async (...row) => {
    const [, setup, expected, opts, pyproject] = row as Case;
    const { report, codes, lines } = await run(setup, opts ?? {}, pyproject);
    expect(codes).toEqual([...expected].sort());
    expect(report.ok).toBe(false);
    // Every finding carries a fix, and the terminal output names each code.
    for (const f of report.findings) expect(f.fix.length).toBeGreaterThan(10);
    for (const c of expected) expect(lines.join('\n')).toContain(c);
  });

  it('covers at least 20 distinct codes', () => {
    expect(new Set(cases.flatMap((c) => c[2])).size).toBeGreaterThanOrEqual(20);
  });

  it('reports every failing check, not just the first', async () => {
    const { codes, report, wheelDir } = await run(async (d) => {
      await mutate(
        d,
        (es) => edit(edit(es, 'quiverdb/__init__.py', (t) => t + '# changed\n'), '*.dist-info/METADATA', (t) => t.replace(/^Version: .*$/m, 'Version: 0.1.1')),
        { name: (n) => n.replace(/^quiverdb/, 'QuiverDB') },
      );
    }, { identifiers: [LINUX_ID, 'cp313-win_amd64'], tag: 'v0.3.0' });
    expect(codes).toEqual(['METADATA_VERSION_MISMATCH', 'NAME_NOT_NORMALIZED', 'RECORD_HASH_MISMATCH', 'RECORD_SIZE_MISMATCH', 'VERSION_MISMATCH_TAG', 'WHEEL_MISSING']);
    expect(report.findings.find((f) => f.code === 'RECORD_HASH_MISMATCH')).toMatchObject({ subject: 'quiverdb/__init__.py', file: expect.stringMatching(/^QuiverDB-/) });
    // A failed release leaves no SHA256SUMS behind.
    expect(existsSync(join(wheelDir, 'SHA256SUMS'))).toBe(false);
  });

  it('unreadable file (permissions), when not running as root', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const { codes } = await run((d) => {
      const p = copyReal(d);
      chmodSync(p, 0o000);
    });
    expect(codes).toEqual(['FILE_UNREADABLE']);
  });
});
