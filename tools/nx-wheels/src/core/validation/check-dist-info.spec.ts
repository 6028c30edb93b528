/** The dist-info family on wheels built in the test (one valid and one broken case per rule). */
import { context, validEntries, ZEntry } from '../../../test/validate-wheels/synthetic';
import { checkDistInfo } from './check-dist-info';

const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code).sort();
const rename = (es: ZEntry[], from: string, to: string) => es.map((e) => ({ ...e, name: e.name.replace(from, to) }));

describe('check-dist-info', () => {
  it('one {name}-{version}.dist-info matching the filename (after normalization)', async () => {
    const r = checkDistInfo(await context(validEntries()));
    expect(codes(r)).toEqual([]);
    expect(r.distInfo).toBe('demo-1.0.dist-info');
    expect(codes(checkDistInfo(await context(rename(validEntries(), 'demo-1.0.dist-info', 'Demo-01.0.dist-info'))))).toEqual([]);
  });

  it('DIST_INFO_MISSING: no .dist-info directory; WHEEL, METADATA and RECORD are then skipped', async () => {
    const r = checkDistInfo(await context(validEntries().filter((e) => !e.name.includes('.dist-info/'))));
    expect(codes(r)).toEqual(['DIST_INFO_MISSING']);
    expect(r.skipped).toEqual(['WHEEL', 'METADATA', 'RECORD']);
  });

  it('DIST_INFO_MULTIPLE: a second .dist-info directory; the matching one is judged', async () => {
    const es = validEntries();
    const r = checkDistInfo(await context([...es, { ...es.find((e) => e.name.endsWith('/METADATA'))!, name: 'other-2.0.dist-info/METADATA' }]));
    expect(codes(r)).toEqual(['DIST_INFO_MULTIPLE']);
    expect(r.distInfo).toBe('demo-1.0.dist-info');
  });

  it('DIST_INFO_MISMATCH: the directory names another version than the filename', async () => {
    const r = checkDistInfo(await context(rename(validEntries(), 'demo-1.0.dist-info', 'demo-1.1.dist-info')));
    expect(codes(r)).toEqual(['DIST_INFO_MISMATCH']);
  });
});
