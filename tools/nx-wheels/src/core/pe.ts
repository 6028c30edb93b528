/**
 * The DLLs a PE (Windows) module imports, read from its bytes: the import directory (data
 * directory 1) and the delay-load import directory (data directory 13) of the optional header,
 * per Microsoft's "PE Format" specification (sections "Optional Header Data Directories",
 * ".idata Section", "Delay-Load Import Tables"). Pure: no processes, no files.
 */

/** A section header's mapping from RVA to file offset. */
interface Section {
  va: number;
  size: number;
  raw: number;
  rawSize: number;
}

function sections(buf: Buffer, pe: number): Section[] {
  const count = buf.readUInt16LE(pe + 6);
  const optSize = buf.readUInt16LE(pe + 20);
  const first = pe + 24 + optSize;
  const out: Section[] = [];
  for (let i = 0; i < count; i++) {
    const s = first + i * 40;
    if (s + 40 > buf.length) break;
    out.push({ size: buf.readUInt32LE(s + 8), va: buf.readUInt32LE(s + 12), rawSize: buf.readUInt32LE(s + 16), raw: buf.readUInt32LE(s + 20) });
  }
  return out;
}

function offsetOf(rva: number, secs: Section[]): number | null {
  for (const s of secs) {
    const span = Math.max(s.size, s.rawSize);
    if (rva >= s.va && rva < s.va + span) {
      const off = s.raw + (rva - s.va);
      return rva - s.va < s.rawSize ? off : null;
    }
  }
  return null;
}

function cString(buf: Buffer, off: number | null): string | null {
  if (off === null || off < 0 || off >= buf.length) return null;
  const end = buf.indexOf(0, off);
  if (end < 0 || end - off > 512) return null;
  return buf.toString('latin1', off, end);
}

/**
 * The names of the DLLs a PE file imports (normal and delay-load imports), in table order,
 * without duplicates and with their original spelling (e.g. `KERNEL32.dll`).
 * @param buf the whole file
 * @returns the names, or null when `buf` is not a PE file whose import tables can be read
 */
export function readPeImports(buf: Buffer): string[] | null {
  if (buf.length < 0x40 || buf.readUInt16BE(0) !== 0x4d5a) return null;
  const pe = buf.readUInt32LE(0x3c);
  if (pe + 24 > buf.length || buf.readUInt32BE(pe) !== 0x50450000) return null;
  const opt = pe + 24;
  const magic = buf.readUInt16LE(opt);
  // Data directories start at 96 (PE32) or 112 (PE32+) bytes into the optional header.
  const dirs = opt + (magic === 0x20b ? 112 : magic === 0x10b ? 96 : -1);
  if (dirs < opt) return null;
  const nDirs = buf.readUInt32LE(dirs - 4);
  const secs = sections(buf, pe);
  const names: string[] = [];
  const add = (n: string | null) => {
    if (n && !names.includes(n)) names.push(n);
  };
  const table = (index: number, entrySize: number, nameField: number) => {
    if (index >= nDirs || dirs + index * 8 + 8 > buf.length) return;
    const rva = buf.readUInt32LE(dirs + index * 8);
    if (!rva) return;
    let off = offsetOf(rva, secs);
    if (off === null) return;
    for (; off + entrySize <= buf.length; off += entrySize) {
      const nameRva = buf.readUInt32LE(off + nameField);
      if (nameRva === 0 && buf.subarray(off, off + entrySize).every((b) => b === 0)) break;
      if (nameRva === 0) continue;
      add(cString(buf, offsetOf(nameRva, secs)));
    }
  };
  table(1, 20, 12); // IMAGE_IMPORT_DESCRIPTOR: Name at +12
  table(13, 32, 4); // delay-load descriptor: Name at +4
  return names;
}
