/**
 * Small wheels built in the test, for the check-family specs beside src/core/validation/check-*.ts:
 * a minimal valid wheel (WHEEL, METADATA, RECORD, one extension module with a real ELF / PE / Mach-O
 * header for its platform), written with the in-test zip writer of ./fixtures and read back by the
 * real archive reader (yauzl), so each spec breaks exactly one thing of a known-good wheel.
 */
import { parseWheelFilename } from '../../src/core/wheel-filename';
import { readWheelArchive } from '../../src/core/wheel-archive';
import { WheelContext } from '../../src/core/validation/types';
import { rewriteRecord, writeZip, ZEntry } from './fixtures';

/** The first bytes of an executable: ELF (64-bit little-endian, e_machine), PE32(+) (COFF Machine) or thin Mach-O (cputype). */
export function binaryHeader(kind: 'ELF' | 'PE' | 'Mach-O', machine: number, opts: { pe32plus?: boolean } = {}): Buffer {
  const b = Buffer.alloc(512);
  if (kind === 'ELF') {
    b.writeUInt32BE(0x7f454c46, 0);
    b[4] = 2; // ELFCLASS64
    b[5] = 1; // little-endian
    b.writeUInt16LE(machine, 18);
  } else if (kind === 'PE') {
    b.write('MZ', 0, 'latin1');
    b.writeUInt32LE(0x80, 0x3c);
    b.writeUInt32BE(0x50450000, 0x80);
    b.writeUInt16LE(machine, 0x84);
    b.writeUInt16LE(opts.pe32plus === false ? 0x10b : 0x20b, 0x80 + 24);
  } else {
    b.writeUInt32LE(0xfeedfacf, 0);
    b.writeUInt32LE(machine, 4);
  }
  return b;
}

const text = (name: string, s: string): ZEntry => ({ name, data: Buffer.from(s, 'utf8'), mode: 0o100644, method: 8 });

/** ELF x86-64 / PE32+ AMD64 / Mach-O arm64 by platform tag. */
function extensionFor(platform: string): ZEntry {
  if (platform.startsWith('win')) return { name: 'demo/_ext.cp313-win_amd64.pyd', data: binaryHeader('PE', 0x8664), mode: 0o100644, method: 8 };
  if (platform.startsWith('macosx')) return { name: 'demo/_ext.cpython-313-darwin.so', data: binaryHeader('Mach-O', 0x0100000c), mode: 0o100755, method: 8 };
  return { name: 'demo/_ext.cpython-313-x86_64-linux-gnu.so', data: binaryHeader('ELF', 62), mode: 0o100755, method: 8 };
}

/**
 * The entries of a valid wheel `demo-1.0-cp313-cp313-<platform>.whl` (RECORD last, with every hash).
 * @param platform platform tag, default `manylinux_2_17_x86_64`
 */
export function validEntries(platform = 'manylinux_2_17_x86_64'): ZEntry[] {
  const di = 'demo-1.0.dist-info';
  return rewriteRecord([
    text('demo/__init__.py', 'from ._ext import *\n'),
    extensionFor(platform),
    text(`${di}/METADATA`, 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n'),
    text(`${di}/WHEEL`, `Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: cp313-cp313-${platform}\n\n`),
    text(`${di}/RECORD`, ''),
  ]);
}

/** The filename of {@link validEntries}' wheel. */
export function wheelName(platform = 'manylinux_2_17_x86_64'): string {
  return `demo-1.0-cp313-cp313-${platform}.whl`;
}

/** What the families see: the zip of `entries` (or raw bytes) read by the real archive reader, under `file`. */
export async function context(entries: ZEntry[] | Buffer, file = wheelName()): Promise<WheelContext> {
  const bytes = Buffer.isBuffer(entries) ? entries : writeZip(entries);
  return { file, parsed: parseWheelFilename(file), archive: await readWheelArchive(bytes) };
}

/** Replace one entry's text (RECORD is not rewritten: call rewriteRecord for a consistent wheel). */
export function replaceText(entries: ZEntry[], name: string, fn: (t: string) => string): ZEntry[] {
  return entries.map((e) => (e.name === name ? { ...e, data: Buffer.from(fn(e.data.toString('utf8')), 'utf8') } : e));
}

export { rewriteRecord, writeZip };
export type { ZEntry };
