/**
 * The RECORD check family: `.dist-info/RECORD` lists every file of the archive with a sha256 (or
 * stronger) digest and size that match the content, as the recording-installed-packages spec
 * requires.
 */
import { ArchiveEntry, WheelArchive } from '../wheel-archive';
import { decodeUtf8, isCanonicalRecordDigest, parseRecord, RecordRow, splitRecordHash, STRONG_RECORD_ALGORITHMS } from './formats';
import { finding, Finding } from './findings';
import { distInfoText } from './check-dist-info';
import { FamilyResult, WheelContext } from './types';

/**
 * @param distInfo the `.dist-info` directory judged
 * @returns findings, and how many files had their digest and size verified
 */
export function checkRecordFile(w: WheelContext, distInfo: string): FamilyResult & { verified: number } {
  const { file, archive } = w;
  const recordPath = `${distInfo}/RECORD`;
  const exempt = new Set([recordPath, `${distInfo}/RECORD.jws`, `${distInfo}/RECORD.p7s`]);
  const t = distInfoText(w, recordPath, 'RECORD', { missing: 'RECORD_MISSING', invalid: 'RECORD_INVALID' });
  if ('result' in t) return { ...t.result, verified: 0 };
  const entryByName = new Map<string, ArchiveEntry>();
  for (const e of archive.entries) if (!entryByName.has(e.name)) entryByName.set(e.name, e);
  const findings: Finding[] = [];
  const verified = checkRecord(file, recordPath, t.text, archive, entryByName, exempt, findings);
  const hashed = archive.entries.filter((e) => !e.isDirectory && !exempt.has(e.name)).length;
  return { findings, verified, notes: { RECORD: `${verified}/${hashed} files: sha256 and size verified` } };
}

/** Every RECORD row against the archive, then every archive file against RECORD. @returns how many rows verified */
function checkRecord(
  name: string,
  recordPath: string,
  text: string,
  archive: WheelArchive,
  entryByName: Map<string, ArchiveEntry>,
  exempt: Set<string>,
  findings: Finding[],
): number {
  const { rows, badLines } = parseRecord(text);
  for (const line of badLines) findings.push(finding('RECORD_INVALID', name, `${recordPath} line ${line} is not path,hash,size`, `${recordPath}:${line}`));
  const listed = new Set<string>();
  let verified = 0;
  for (const row of rows) {
    if (listed.has(row.path)) {
      findings.push(finding('RECORD_INVALID', name, `${recordPath} line ${row.line}: ${row.path} is listed twice`, row.path));
      continue;
    }
    listed.add(row.path);
    const entry = entryByName.get(row.path);
    if (!entry) {
      findings.push(finding('RECORD_FILE_MISSING', name, `RECORD line ${row.line} lists ${row.path}, which is not in the archive`, row.path));
      continue;
    }
    if (exempt.has(row.path) || entry.isDirectory) continue;
    if (entry.error) continue; // already ZIP_CORRUPT
    const hashOk = checkRowHash(name, row, entry, findings);
    const sizeOk = checkRowSize(name, row, entry, findings);
    if (hashOk && sizeOk) verified++;
  }
  for (const e of archive.entries) {
    if (e.isDirectory || exempt.has(e.name) || listed.has(e.name)) continue;
    findings.push(finding('RECORD_FILE_UNLISTED', name, `${e.name} is in the archive but not in RECORD`, e.name));
    listed.add(e.name);
  }
  return verified;
}

/**
 * A RECORD row's hash: present, `algorithm=digest`, a strong algorithm, equal to the content's.
 * @returns true when verified (a non-canonical but equal digest is a finding yet still verified)
 */
function checkRowHash(name: string, row: RecordRow, entry: ArchiveEntry, findings: Finding[]): boolean {
  if (row.hash === '') {
    findings.push(finding('RECORD_HASH_MISSING', name, `RECORD line ${row.line}: ${row.path} has no hash`, row.path));
    return false;
  }
  const h = splitRecordHash(row.hash);
  if (!h) {
    findings.push(finding('RECORD_INVALID', name, `RECORD line ${row.line}: hash "${row.hash}" is not algorithm=digest`, row.path));
    return false;
  }
  const nodeAlg = STRONG_RECORD_ALGORITHMS[h.algorithm];
  if (!nodeAlg) {
    findings.push(finding('RECORD_HASH_WEAK', name, `RECORD line ${row.line}: ${row.path} uses ${h.algorithm}`, row.path));
    return false;
  }
  const actual = entry.hashes[nodeAlg];
  if (actual === undefined) return false; // not computed: the pipeline reads again with this algorithm
  if (Buffer.from(h.digest, 'base64url').toString('base64url') !== actual && Buffer.from(h.digest, 'base64').toString('base64url') !== actual) {
    findings.push(finding('RECORD_HASH_MISMATCH', name, `${row.path}: RECORD ${h.algorithm}=${h.digest}, content ${h.algorithm}=${actual}`, row.path));
    return false;
  }
  if (!isCanonicalRecordDigest(h.digest)) {
    findings.push(finding('RECORD_INVALID', name, `RECORD line ${row.line}: digest of ${row.path} is not urlsafe base64 without padding (${h.digest})`, row.path));
  }
  return true;
}

/** A RECORD row's size: empty, or a number equal to the content's size. @returns false on a finding */
function checkRowSize(name: string, row: RecordRow, entry: ArchiveEntry, findings: Finding[]): boolean {
  if (row.size === '') return true;
  if (!/^\d+$/.test(row.size)) {
    findings.push(finding('RECORD_INVALID', name, `RECORD line ${row.line}: size "${row.size}" is not a number`, row.path));
    return false;
  }
  if (Number(row.size) !== entry.size) {
    findings.push(finding('RECORD_SIZE_MISMATCH', name, `${row.path}: RECORD size ${row.size}, actual ${entry.size} bytes`, row.path));
    return false;
  }
  return true;
}

/** RECORD hash algorithms (Node names) other than sha256 that a read archive's RECORD uses. */
export function extraRecordAlgorithms(archive: WheelArchive): string[] {
  const out = new Set<string>();
  for (const [path, bytes] of archive.files) {
    if (!path.endsWith('.dist-info/RECORD')) continue;
    const t = decodeUtf8(bytes);
    if (t === null) continue;
    for (const row of parseRecord(t).rows) {
      const h = splitRecordHash(row.hash);
      const alg = h ? STRONG_RECORD_ALGORITHMS[h.algorithm] : undefined;
      if (alg && alg !== 'sha256') out.add(alg);
    }
  }
  return [...out];
}
