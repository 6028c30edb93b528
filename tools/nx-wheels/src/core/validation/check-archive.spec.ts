/** The archive family on zips built in the test (one valid and one broken case per rule). */
import { context, validEntries, writeZip, ZEntry } from '../../../test/validate-wheels/synthetic';
import { checkArchive } from './check-archive';

const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code).sort();
const file = (name: string, data: string, mode = 0o100644, method = 8): ZEntry => ({ name, data: Buffer.from(data), mode, method });

/** Offsets of the local headers by entry name (walks the central directory). */
function localHeaders(zip: Buffer): Map<string, { header: number; central: number }> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const out = new Map<string, { header: number; central: number }>();
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    const n = zip.readUInt16LE(p + 28);
    out.set(zip.subarray(p + 46, p + 46 + n).toString('utf8'), { header: zip.readUInt32LE(p + 42), central: p });
    p += 46 + n + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

describe('check-archive', () => {
  it('a valid wheel has no archive finding', async () => {
    const r = checkArchive(await context(validEntries()));
    expect(codes(r)).toEqual([]);
    expect(r.notes?.archive).toBe('5 entries, local headers = central directory');
  });

  it('ZIP_DUPLICATE_ENTRY: one path twice', async () => {
    const es = validEntries();
    const r = checkArchive(await context([...es, es[0]]));
    expect(codes(r)).toEqual(['ZIP_DUPLICATE_ENTRY']);
    expect(r.findings[0].message).toBe('demo/__init__.py appears 2 times');
  });

  it.each([['../../evil.py'], ['/etc/evil.pth']])('ZIP_PATH_UNSAFE: %s', async (name) => {
    expect(codes(checkArchive(await context([...validEntries(), file(name, 'x')])))).toEqual(['ZIP_PATH_UNSAFE']);
  });

  it('ZIP_SYMLINK: an entry with a symbolic link mode; a regular file of the same name is fine', async () => {
    expect(codes(checkArchive(await context([...validEntries(), file('demo/link.py', '__init__.py', 0o120777, 0)])))).toEqual(['ZIP_SYMLINK']);
    expect(codes(checkArchive(await context([...validEntries(), file('demo/link.py', '__init__.py', 0o100644, 0)])))).toEqual([]);
  });

  it('ZIP_CORRUPT: compressed bytes that do not inflate to the CRC-32', async () => {
    const es = validEntries();
    const zip = writeZip([file('demo/big.py', 'x = 1\n'.repeat(2000) + 'y = 2\n'.repeat(2000)), ...es]);
    for (let i = 60; i < 90; i++) zip[i] ^= 0xff;
    expect(codes(checkArchive(await context(zip)))).toEqual(['ZIP_CORRUPT']);
  });

  it('ZIP_LOCAL_HEADER_MISMATCH: the local header names another path of the same length', async () => {
    const zip = writeZip(validEntries());
    zip.write('demo/__inix__.py', localHeaders(zip).get('demo/__init__.py')!.header + 30);
    const r = checkArchive(await context(zip));
    expect(codes(r)).toEqual(['ZIP_LOCAL_HEADER_MISMATCH']);
    expect(r.findings[0].message).toBe('demo/__init__.py: local header names "demo/__inix__.py", central directory "demo/__init__.py"');
  });

  it('ZIP_UNCLAIMED_DATA: bytes between the last entry and the central directory', async () => {
    const zip = writeZip(validEntries());
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cd = zip.readUInt32LE(eocd + 16);
    const hidden = Buffer.from('hidden payload');
    const out = Buffer.concat([zip.subarray(0, cd), hidden, zip.subarray(cd)]);
    out.writeUInt32LE(cd + hidden.length, eocd + hidden.length + 16);
    const r = checkArchive(await context(out));
    expect(codes(r)).toEqual(['ZIP_UNCLAIMED_DATA']);
    expect(r.findings[0].message).toBe(`bytes ${cd} to ${cd + hidden.length - 1} (${hidden.length} bytes) before the central directory belong to no entry`);
  });

  it('ZIP_ENTRIES_OVERLAP: two central directory entries pointing at one local header', async () => {
    // Two entries of the same name and bytes: the second's central entry is pointed at the first's header.
    const same = file('demo/same.py', 'same\n');
    const zip = writeZip([same, { ...same, name: 'demo/sam2.py' }, ...validEntries()]);
    const at = localHeaders(zip);
    zip.writeUInt32LE(at.get('demo/same.py')!.header, at.get('demo/sam2.py')!.central + 42);
    const r = checkArchive(await context(zip));
    // The moved entry reads the other's header (another name) and its own header's bytes are claimed by nothing.
    expect(codes(r)).toEqual(['ZIP_ENTRIES_OVERLAP', 'ZIP_LOCAL_HEADER_MISMATCH', 'ZIP_UNCLAIMED_DATA']);
  });
});
