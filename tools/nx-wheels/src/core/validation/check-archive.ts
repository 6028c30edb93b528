/**
 * The archive check family: the zip is sound. Entry paths are safe to extract, no symlinks or
 * duplicate paths, every entry reads cleanly; each local file header agrees with its central
 * directory entry (name, compression, CRC-32, sizes: pip reads one, some unzip tools the other);
 * entries do not overlap and no bytes before the central directory belong to no entry.
 */
import { ArchiveEntry, LocalHeader } from '../wheel-archive';
import { finding, Finding } from './findings';
import { FamilyResult, WheelContext } from './types';

/** The ways an entry's local file header can disagree with its central directory entry, as text; empty when they agree. */
function localHeaderDifferences(e: ArchiveEntry): string[] {
  const l = e.local;
  if (!l || 'error' in l) return [];
  const c = e.central;
  const out: string[] = [];
  if (!l.rawName.equals(c.rawName)) out.push(`local header names ${JSON.stringify(l.rawName.toString('utf8'))}, central directory ${JSON.stringify(c.rawName.toString('utf8'))}`);
  if (l.method !== c.method) out.push(`compression method ${l.method} in the local header, ${c.method} in the central directory`);
  if (l.crc32 !== null && l.crc32 !== c.crc32) out.push(`CRC-32 ${l.crc32.toString(16)} in the local header, ${c.crc32.toString(16)} in the central directory`);
  if (l.compressedSize !== null && l.compressedSize !== c.compressedSize) out.push(`compressed size ${l.compressedSize} in the local header, ${c.compressedSize} in the central directory`);
  if (l.uncompressedSize !== null && l.uncompressedSize !== c.uncompressedSize) out.push(`size ${l.uncompressedSize} in the local header, ${c.uncompressedSize} in the central directory`);
  return out;
}

/**
 * Byte ranges before the central directory that no entry claims, and pairs of entries whose
 * ranges overlap. Offsets are bytes from the start of the file.
 */
function layoutProblems(entries: readonly ArchiveEntry[], centralDirectoryOffset: number): { unclaimed: Array<[number, number]>; overlaps: Array<[string, string]> } {
  const spans = entries
    .filter((e): e is ArchiveEntry & { local: LocalHeader } => !!e.local && !('error' in e.local))
    .map((e) => ({ name: e.name, start: e.local.start, end: e.local.end }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const unclaimed: Array<[number, number]> = [];
  const overlaps: Array<[string, string]> = [];
  let pos = 0;
  let last: { name: string; end: number } | null = null;
  for (const s of spans) {
    if (s.start > pos) unclaimed.push([pos, s.start]);
    if (last && s.start < last.end) overlaps.push([last.name, s.name]);
    if (!last || s.end > last.end) last = { name: s.name, end: s.end };
    pos = Math.max(pos, s.end);
  }
  if (pos < centralDirectoryOffset) unclaimed.push([pos, centralDirectoryOffset]);
  if (pos > centralDirectoryOffset && last) overlaps.push([last.name, 'the central directory']);
  return { unclaimed, overlaps };
}

/** The archive family for a readable zip. */
export function checkArchive(w: WheelContext): FamilyResult {
  const { file, archive } = w;
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const e of archive.entries) seen.set(e.name, (seen.get(e.name) ?? 0) + 1);
  for (const [entryName, n] of seen) if (n > 1) findings.push(finding('ZIP_DUPLICATE_ENTRY', file, `${entryName} appears ${n} times`, entryName));
  for (const e of archive.entries) {
    if (e.unsafeReason) findings.push(finding('ZIP_PATH_UNSAFE', file, `${JSON.stringify(e.name)}: ${e.unsafeReason}`, e.name));
    if (e.isSymlink) findings.push(finding('ZIP_SYMLINK', file, `${e.name} is a symbolic link`, e.name));
    if (e.error) findings.push(finding('ZIP_CORRUPT', file, `${e.name}: ${e.error}`, e.name));
    if (e.local && 'error' in e.local && !e.error) findings.push(finding('ZIP_CORRUPT', file, `${e.name}: ${e.local.error}`, e.name));
    const diffs = localHeaderDifferences(e);
    if (diffs.length) findings.push(finding('ZIP_LOCAL_HEADER_MISMATCH', file, `${e.name}: ${diffs.join('; ')}`, e.name));
  }
  const layout = layoutProblems(archive.entries, archive.centralDirectoryOffset);
  for (const [a, b] of layout.overlaps) findings.push(finding('ZIP_ENTRIES_OVERLAP', file, `${a} and ${b} share bytes of the file`, a));
  for (const [start, end] of layout.unclaimed) {
    findings.push(finding('ZIP_UNCLAIMED_DATA', file, `bytes ${start} to ${end - 1} (${end - start} bytes) before the central directory belong to no entry`, `${start}-${end - 1}`));
  }
  return { findings, notes: { archive: `${archive.entries.length} entries, local headers = central directory` } };
}
