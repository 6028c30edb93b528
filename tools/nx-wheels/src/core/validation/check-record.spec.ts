/** The RECORD family on wheels built in the test (one valid and one broken case per rule). */
import { context, replaceText, validEntries, ZEntry } from '../../../test/validate-wheels/synthetic';
import { checkRecordFile } from './check-record';

const DI = 'demo-1.0.dist-info';
const RECORD = `${DI}/RECORD`;
const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code).sort();
const run = async (es: ZEntry[]) => checkRecordFile(await context(es), DI);
/** Edit RECORD's rows (the last row, RECORD's own, stays last). */
const rows = (fn: (rows: string[]) => string[]) => replaceText(validEntries(), RECORD, (t) => fn(t.trim().split('\n')).join('\n') + '\n');

describe('check-record', () => {
  it('a RECORD listing every file with its sha256 and size verifies them all', async () => {
    const r = await run(validEntries());
    expect(codes(r)).toEqual([]);
    expect(r.verified).toBe(4);
    expect(r.notes?.RECORD).toBe('4/4 files: sha256 and size verified');
  });

  it('RECORD_MISSING: no RECORD', async () => {
    expect(codes(await run(validEntries().filter((e) => e.name !== RECORD)))).toEqual(['RECORD_MISSING']);
  });

  it('RECORD_INVALID: a line that is not path,hash,size; a path listed twice; a digest with padding', async () => {
    expect(codes(await run(rows((r) => ['just-a-path', ...r])))).toEqual(['RECORD_INVALID']);
    expect(codes(await run(rows((r) => [r[0], ...r])))).toEqual(['RECORD_INVALID']);
    const padded = await run(rows((r) => r.map((l, i) => (i === 0 ? l.replace(/^([^,]+,sha256=[^,]+)/, '$1=') : l))));
    expect(codes(padded)).toEqual(['RECORD_INVALID']);
  });

  it('RECORD_FILE_MISSING: a row for a file not in the archive', async () => {
    const r = await run(rows((r) => ['demo/gone.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0', ...r]));
    expect(codes(r)).toEqual(['RECORD_FILE_MISSING']);
    expect(r.findings[0].subject).toBe('demo/gone.py');
  });

  it('RECORD_FILE_UNLISTED: a file RECORD does not list', async () => {
    const r = await run([{ name: 'demo/extra.py', data: Buffer.from('x\n'), mode: 0o100644, method: 8 }, ...validEntries()]);
    expect(codes(r)).toEqual(['RECORD_FILE_UNLISTED']);
  });

  it('RECORD_HASH_MISSING: a file listed without a hash (RECORD itself may have none)', async () => {
    expect(codes(await run(rows((r) => r.map((l, i) => (i === 0 ? l.replace(/,sha256=[^,]+,/, ',,') : l)))))).toEqual(['RECORD_HASH_MISSING']);
  });

  it('RECORD_HASH_WEAK: md5 instead of sha256', async () => {
    expect(codes(await run(rows((r) => r.map((l, i) => (i === 0 ? l.replace(/,sha256=[^,]+,/, ',md5=1B2M2Y8AsgTpgAmY7PhCfg,') : l)))))).toEqual(['RECORD_HASH_WEAK']);
  });

  it('RECORD_HASH_MISMATCH and RECORD_SIZE_MISMATCH: a file changed after RECORD was written', async () => {
    const es = replaceText(validEntries(), 'demo/__init__.py', (t) => t + '#');
    const r = await run(es);
    expect(codes(r)).toEqual(['RECORD_HASH_MISMATCH', 'RECORD_SIZE_MISMATCH']);
    expect(r.verified).toBe(3);
  });

  it('RECORD_SIZE_MISMATCH alone: the right hash, a wrong size', async () => {
    expect(codes(await run(rows((r) => r.map((l, i) => (i === 0 ? l.replace(/,\d+$/, ',999') : l)))))).toEqual(['RECORD_SIZE_MISMATCH']);
  });
});
