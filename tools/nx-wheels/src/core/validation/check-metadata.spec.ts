/** The METADATA family on wheels built in the test (one valid and one broken case per rule). */
import { context, replaceText, validEntries, wheelName } from '../../../test/validate-wheels/synthetic';
import { checkMetadata } from './check-metadata';

const DI = 'demo-1.0.dist-info';
const META = `${DI}/METADATA`;
const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code).sort();
const run = async (edit: (t: string) => string = (t) => t, file = wheelName()) => checkMetadata(await context(replaceText(validEntries(), META, edit), file), DI);

describe('check-metadata', () => {
  it('Metadata-Version 2.1, Name and Version as in the filename (compared normalized)', async () => {
    const r = await run();
    expect(codes(r)).toEqual([]);
    expect(r.notes?.METADATA).toBe('Metadata-Version 2.1, demo 1.0');
    expect(codes(await run((t) => t.replace('Name: demo', 'Name: Demo').replace('Version: 1.0', 'Version: 01.0')))).toEqual([]);
  });

  it('METADATA_MISSING: no METADATA', async () => {
    expect(codes(checkMetadata(await context(validEntries().filter((e) => e.name !== META)), DI))).toEqual(['METADATA_MISSING']);
  });

  it('METADATA_INVALID: Metadata-Version 3.0; Name not a project name; Version not PEP 440', async () => {
    expect(codes(await run((t) => t.replace('Metadata-Version: 2.1', 'Metadata-Version: 3.0')))).toEqual(['METADATA_INVALID']);
    expect(codes(await run((t) => t.replace('Name: demo', 'Name: -demo-')))).toEqual(['METADATA_INVALID']);
    expect(codes(await run((t) => t.replace('Version: 1.0', 'Version: one')))).toEqual(['METADATA_INVALID']);
  });

  it('METADATA_NAME_MISMATCH and METADATA_VERSION_MISMATCH', async () => {
    expect(codes(await run((t) => t.replace('Name: demo', 'Name: other')))).toEqual(['METADATA_NAME_MISMATCH']);
    expect(codes(await run((t) => t.replace('Version: 1.0', 'Version: 1.1')))).toEqual(['METADATA_VERSION_MISMATCH']);
  });

  it('VERSION_LOCAL: a local version in METADATA when the filename has none', async () => {
    const r = await run((t) => t.replace('Version: 1.0', 'Version: 1.0+dev'));
    expect(codes(r)).toEqual(['METADATA_VERSION_MISMATCH', 'VERSION_LOCAL']);
  });
});
