/** The binaries family on wheels built in the test (one valid and one broken case per rule). */
import { binaryHeader, context, validEntries, wheelName, ZEntry } from '../../../test/validate-wheels/synthetic';
import { checkBinaries, readBinaryKind, describeBinary } from './check-binaries';

const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code);
const add = (platform: string, e: ZEntry) => validEntries(platform).concat(e);
const file = (name: string, data: Buffer): ZEntry => ({ name, data, mode: 0o100644, method: 8 });

describe('check-binaries', () => {
  it.each([['manylinux_2_17_x86_64'], ['win_amd64'], ['macosx_11_0_arm64']])('a %s wheel whose extension module is of its platform passes', async (p) => {
    const r = checkBinaries(await context(validEntries(p), wheelName(p)));
    expect(codes(r)).toEqual([]);
    expect(r.notes?.binaries).toMatch(/^1 binary, all /);
  });

  it('BINARY_SUFFIX_MISMATCH: a .pyd (even a valid ELF one) in a manylinux wheel', async () => {
    const r = checkBinaries(await context(add('manylinux_2_17_x86_64', file('demo/_other.pyd', binaryHeader('ELF', 62)))));
    expect(codes(r)).toEqual(['BINARY_SUFFIX_MISMATCH']);
    expect(r.findings[0].subject).toBe('demo/_other.pyd');
  });

  it('BINARY_SUFFIX_MISMATCH: a .so in a win_amd64 wheel', async () => {
    const r = checkBinaries(await context(add('win_amd64', file('demo/_other.so', binaryHeader('PE', 0x8664))), wheelName('win_amd64')));
    expect(codes(r)).toEqual(['BINARY_SUFFIX_MISMATCH']);
  });

  it('BINARY_FORMAT_MISMATCH: a .pyd that is an ELF file in a win_amd64 wheel, and a .so that is no executable', async () => {
    const pyd = checkBinaries(await context(add('win_amd64', file('demo/_elf.pyd', binaryHeader('ELF', 62))), wheelName('win_amd64')));
    expect(codes(pyd)).toEqual(['BINARY_FORMAT_MISMATCH']);
    expect(pyd.findings[0].message).toBe('demo/_elf.pyd is ELF 64-bit x86-64; win_amd64 needs PE32+ AMD64');
    const text = checkBinaries(await context(add('manylinux_2_17_x86_64', file('demo/_text.so', Buffer.from('not a binary, just text that is long enough')))));
    expect(codes(text)).toEqual(['BINARY_FORMAT_MISMATCH']);
  });

  it('BINARY_FORMAT_MISMATCH by content: a PE file named .dat in a manylinux wheel', async () => {
    const r = checkBinaries(await context(add('manylinux_2_17_x86_64', file('demo/data.dat', binaryHeader('PE', 0x8664)))));
    expect(codes(r)).toEqual(['BINARY_FORMAT_MISMATCH']);
  });

  it('BINARY_ARCH_MISMATCH: ELF AArch64 in a manylinux x86_64 wheel, PE i386 in win_amd64, Mach-O x86_64 in macosx arm64', async () => {
    expect(codes(checkBinaries(await context(add('manylinux_2_17_x86_64', file('demo/_arm.so', binaryHeader('ELF', 183))))))).toEqual(['BINARY_ARCH_MISMATCH']);
    expect(codes(checkBinaries(await context(add('win_amd64', file('demo/_x86.dll', binaryHeader('PE', 0x14c, { pe32plus: false }))), wheelName('win_amd64'))))).toEqual(['BINARY_ARCH_MISMATCH']);
    expect(codes(checkBinaries(await context(add('macosx_11_0_arm64', file('demo/_intel.so', binaryHeader('Mach-O', 0x01000007))), wheelName('macosx_11_0_arm64'))))).toEqual(['BINARY_ARCH_MISMATCH']);
  });

  it('foreign-binaries globs skip what they match and say which globs were used', async () => {
    const ctx = await context(add('win_amd64', file('demo/helpers/attach_x86.dll', binaryHeader('PE', 0x14c, { pe32plus: false }))), wheelName('win_amd64'));
    expect(codes(checkBinaries(ctx))).toEqual(['BINARY_ARCH_MISMATCH']);
    const r = checkBinaries(ctx, ['demo/helpers/*_x86.dll', 'demo/nothing/**']);
    expect(codes(r)).toEqual([]);
    expect(r.used).toEqual(['demo/helpers/*_x86.dll']);
    expect(r.notes?.binaries).toBe('1 binary, all PE32+ AMD64; 1 foreign by [tool.nx-wheels] foreign-binaries, not judged');
  });

  it('a pure wheel has no binary platform tag to check against', async () => {
    const r = checkBinaries(await context(validEntries(), 'demo-1.0-py3-none-any.whl'));
    expect(codes(r)).toEqual([]);
    expect(r.notes?.binaries).toBe('no binary platform tag (any)');
  });

  it('reads the headers it writes: ELF, PE32+, fat-less Mach-O; a Java class file is no Mach-O', () => {
    expect(describeBinary(readBinaryKind(binaryHeader('ELF', 62))!)).toBe('ELF 64-bit x86-64');
    expect(describeBinary(readBinaryKind(binaryHeader('PE', 0xaa64))!)).toBe('PE32+ ARM64');
    expect(describeBinary(readBinaryKind(binaryHeader('Mach-O', 0x0100000c))!)).toBe('Mach-O arm64');
    const java = Buffer.alloc(64);
    java.writeUInt32BE(0xcafebabe, 0);
    java.writeUInt32BE(52, 4); // class file major version, not an architecture count
    expect(readBinaryKind(java)).toBeNull();
  });
});
