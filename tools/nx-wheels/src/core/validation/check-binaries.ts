/**
 * The binaries check family: every extension module and shared library in the wheel is built for
 * the wheel's platform tag. By suffix (`.pyd`/`.dll` only in Windows wheels, `.so` not in Windows
 * wheels, `.dylib` only in macOS wheels) and by content: the executable format and machine in the
 * file's header (ELF e_machine, PE COFF Machine, Mach-O cputype, per the ELF gABI, the Microsoft PE
 * format and Apple's mach-o/loader.h). No npm library of those that are kept up reads all three
 * from a few header bytes, so the few fields needed are read here.
 */
import picomatch from 'picomatch';
import { ArchiveEntry, BINARY_SUFFIX } from '../wheel-archive';
import { readPeImports } from '../pe';
import { disallowedImports, pythonDllOfTag } from '../windows-cross';
import { finding, Finding } from './findings';
import { FamilyResult, WheelContext } from './types';

/** Executable format and machine read from the first bytes of a file. */
export type BinaryKind =
  | { format: 'ELF'; bits: 32 | 64; littleEndian: boolean; machine: number }
  | { format: 'PE'; machine: number; pe32plus: boolean }
  | { format: 'Mach-O'; cpus: number[]; fat: boolean };

const ELF_MACHINES: Record<number, string> = { 3: 'i386', 20: 'PowerPC', 21: 'PowerPC64', 22: 's390', 40: 'ARM', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V', 258: 'LoongArch' };
const PE_MACHINES: Record<number, string> = { 0x14c: 'i386', 0x8664: 'AMD64', 0xaa64: 'ARM64', 0x1c4: 'ARMNT' };
const MACHO_CPUS: Record<number, string> = { 7: 'i386', 0x01000007: 'x86_64', 12: 'arm', 0x0100000c: 'arm64', 18: 'ppc', 0x01000012: 'ppc64' };

/**
 * Read the executable format and machine from a file's first bytes (a few KiB suffice).
 * @returns null when the bytes are not an ELF, PE or Mach-O header
 */
export function readBinaryKind(head: Buffer): BinaryKind | null {
  if (head.length < 20) return null;
  if (head.readUInt32BE(0) === 0x7f454c46) {
    const littleEndian = head[5] !== 2;
    return { format: 'ELF', bits: head[4] === 2 ? 64 : 32, littleEndian, machine: littleEndian ? head.readUInt16LE(18) : head.readUInt16BE(18) };
  }
  if (head.readUInt16BE(0) === 0x4d5a && head.length >= 0x40) {
    const pe = head.readUInt32LE(0x3c);
    if (pe + 26 > head.length || head.readUInt32BE(pe) !== 0x50450000) return null;
    return { format: 'PE', machine: head.readUInt16LE(pe + 4), pe32plus: head.readUInt16LE(pe + 24) === 0x20b };
  }
  const magic = head.readUInt32BE(0);
  if (magic === 0xfeedface || magic === 0xfeedfacf) return { format: 'Mach-O', cpus: [head.readInt32BE(4) >>> 0], fat: false };
  if (magic === 0xcefaedfe || magic === 0xcffaedfe) return { format: 'Mach-O', cpus: [head.readInt32LE(4) >>> 0], fat: false };
  if (magic === 0xcafebabe || magic === 0xcafebabf) {
    // Java class files share the magic; a fat Mach-O has few architectures (as file(1) decides).
    const n = head.readUInt32BE(4);
    if (n === 0 || n >= 20) return null;
    const size = magic === 0xcafebabe ? 20 : 32;
    const cpus: number[] = [];
    for (let i = 0; i < n && 8 + i * size + 4 <= head.length; i++) cpus.push(head.readUInt32BE(8 + i * size));
    return { format: 'Mach-O', cpus, fat: true };
  }
  return null;
}

/** Human description: `ELF 64-bit x86-64`, `PE32+ AMD64`, `Mach-O arm64`. */
export function describeBinary(k: BinaryKind): string {
  if (k.format === 'ELF') return `ELF ${k.bits}-bit ${ELF_MACHINES[k.machine] ?? `machine ${k.machine}`}${k.littleEndian ? '' : ' (big-endian)'}`;
  if (k.format === 'PE') return `${k.pe32plus ? 'PE32+' : 'PE32'} ${PE_MACHINES[k.machine] ?? `machine 0x${k.machine.toString(16)}`}`;
  return `Mach-O ${k.fat ? 'universal ' : ''}${k.cpus.map((c) => MACHO_CPUS[c] ?? `cpu 0x${c.toString(16)}`).join('+')}`;
}

/** What binaries of a platform tag must be. */
interface BinaryExpectation {
  format: BinaryKind['format'];
  /** Acceptable machines (ELF e_machine / PE Machine / Mach-O cputype); every cpu of a fat file must be one. */
  machines: number[];
  /** For ELF: the byte order; undefined when either. */
  littleEndian?: boolean;
  /** Description for messages: `ELF x86-64`. */
  label: string;
  /** Suffixes of binaries this platform uses. */
  suffixes: RegExp;
}

const LINUX_SUFFIX = /\.so(\.\d+)*$/i;
const WINDOWS_SUFFIX = /\.(pyd|dll)$/i;
const MACOS_SUFFIX = /\.(so|dylib)$/i;

/** The binaries a platform tag calls for, or null when the tag names no platform this check knows (e.g. `any`). */
function expectedBinary(platformTag: string): BinaryExpectation | null {
  const lin = /^(?:manylinux(?:_\d+_\d+|1|2010|2014)|musllinux_\d+_\d+|linux)_(.+)$/.exec(platformTag);
  if (lin) {
    const elf: Record<string, [number, boolean | undefined]> = {
      x86_64: [62, true],
      i686: [3, true],
      aarch64: [183, true],
      armv7l: [40, true],
      armv6l: [40, true],
      ppc64le: [21, true],
      ppc64: [21, false],
      s390x: [22, false],
      riscv64: [243, true],
      loongarch64: [258, true],
    };
    const m = elf[lin[1]];
    if (!m) return null;
    return { format: 'ELF', machines: [m[0]], littleEndian: m[1], label: `ELF ${ELF_MACHINES[m[0]]}`, suffixes: LINUX_SUFFIX };
  }
  const win: Record<string, number> = { win_amd64: 0x8664, win32: 0x14c, win_arm64: 0xaa64 };
  if (win[platformTag] !== undefined) {
    const m = win[platformTag];
    return { format: 'PE', machines: [m], label: `${m === 0x14c ? 'PE32' : 'PE32+'} ${PE_MACHINES[m]}`, suffixes: WINDOWS_SUFFIX };
  }
  const mac = /^macosx_\d+_\d+_(.+)$/.exec(platformTag);
  if (mac) {
    const cpus: Record<string, number[]> = { x86_64: [0x01000007], arm64: [0x0100000c], universal2: [0x01000007, 0x0100000c], intel: [0x01000007, 7], i386: [7] };
    const c = cpus[mac[1]];
    if (!c) return null;
    return { format: 'Mach-O', machines: c, label: `Mach-O ${c.map((x) => MACHO_CPUS[x]).join(' or ')}`, suffixes: MACOS_SUFFIX };
  }
  return null;
}

/** One binary against one platform tag's expectation: its suffix, format, then CPU and byte order. */
function judgeBinary(file: string, e: ArchiveEntry, bySuffix: boolean, kind: BinaryKind | null, tag: string, exp: BinaryExpectation): Finding | null {
  if (bySuffix && !exp.suffixes.test(e.name)) {
    return finding('BINARY_SUFFIX_MISMATCH', file, `${e.name}: a ${e.name.replace(/^.*\.(\w+)(\.\d+)*$/, '.$1')} file does not belong in a ${tag} wheel`, e.name);
  }
  if (kind === null) {
    return bySuffix ? finding('BINARY_FORMAT_MISMATCH', file, `${e.name} is not an executable file (no ELF, PE or Mach-O header); ${tag} needs ${exp.label}`, e.name) : null;
  }
  if (kind.format !== exp.format) {
    return finding('BINARY_FORMAT_MISMATCH', file, `${e.name} is ${describeBinary(kind)}; ${tag} needs ${exp.label}`, e.name);
  }
  const cpus = kind.format === 'Mach-O' ? kind.cpus : [kind.machine];
  const endianOk = kind.format !== 'ELF' || exp.littleEndian === undefined || kind.littleEndian === exp.littleEndian;
  if (!endianOk || cpus.length === 0 || !cpus.every((c) => exp.machines.includes(c))) {
    return finding('BINARY_ARCH_MISMATCH', file, `${e.name} is ${describeBinary(kind)}; ${tag} needs ${exp.label}`, e.name);
  }
  return null;
}

/**
 * A Windows module's DLL imports: only the wheel's CPython DLL, Windows system and UCRT DLLs and
 * the DLLs the wheel ships itself exist on a user's machine.
 */
function dllImportFinding(file: string, name: string, data: Buffer | undefined, pythonDll: string, shipped: string[]): Finding | null {
  const imports = data ? readPeImports(data) : null;
  const bad = imports ? disallowedImports(imports, pythonDll, shipped) : [];
  if (!bad.length) return null;
  return finding('BINARY_DLL_IMPORT', file, `${name} imports ${bad.map((b) => `${b.dll}${b.origin === 'mingw' ? ' (MinGW runtime)' : ''}`).join(', ')}, which a user's Windows does not have`, name);
}

/**
 * The binaries family: suffix and content of every binary against each of the wheel's platform tags.
 * @param foreignBinaries `[tool.nx-wheels] foreign-binaries`: picomatch globs (POSIX, dot files
 *   included) of archive paths shipped for another platform on purpose; matching binaries are not judged
 * @returns the findings, and in `used` the globs that matched a binary of this wheel
 */
export function checkBinaries(w: WheelContext, foreignBinaries: readonly string[] = []): FamilyResult & { used: string[] } {
  const { file, parsed, archive } = w;
  if (!parsed) return { findings: [], skipped: ['binaries'], used: [] };
  const globs = foreignBinaries.map((g) => ({ glob: g, test: picomatch(g, { posix: true, dot: true }) }));
  const used = new Set<string>();
  let foreign = 0;
  const expectations = parsed.platformTags.map((t) => ({ tag: t, exp: expectedBinary(t) })).filter((x): x is { tag: string; exp: BinaryExpectation } => x.exp !== null);
  if (expectations.length === 0) return { findings: [], notes: { binaries: `no binary platform tag (${parsed.platformTags.join('.')})` }, used: [] };
  const findings: Finding[] = [];
  let binaries = 0;
  // DLLs the wheel ships itself (e.g. delvewheel's <pkg>.libs/) may be imported by its modules.
  const shipped = archive.entries.filter((e) => /\.dll$/i.test(e.name)).map((e) => e.name.split('/').pop()!);
  const pythonDll = parsed.pythonTags.map(pythonDllOfTag).find((d): d is string => d !== null) ?? 'python3.dll';
  for (const e of archive.entries) {
    if (e.isDirectory || e.error) continue;
    const bySuffix = BINARY_SUFFIX.test(e.name);
    if (!bySuffix && !e.head) continue;
    const allowed = globs.filter((g) => g.test(e.name));
    if (allowed.length) {
      allowed.forEach((g) => used.add(g.glob));
      foreign++;
      continue;
    }
    binaries++;
    const kind = e.head ? readBinaryKind(e.head) : null;
    const reported = new Set<string>();
    for (const { tag, exp } of expectations) {
      let f = judgeBinary(file, e, bySuffix, kind, tag, exp);
      if (!f && kind?.format === 'PE' && exp.format === 'PE') f = dllImportFinding(file, e.name, archive.files.get(e.name), pythonDll, shipped);
      if (f && !reported.has(f.code)) {
        reported.add(f.code);
        findings.push(f);
      }
    }
  }
  const labels = [...new Set(expectations.map((x) => x.exp.label))].join(' / ');
  const skippedText = foreign ? `; ${foreign} foreign by [tool.nx-wheels] foreign-binaries, not judged` : '';
  return { findings, notes: { binaries: `${binaries} binar${binaries === 1 ? 'y' : 'ies'}, all ${labels}${skippedText}` }, used: [...used] };
}
