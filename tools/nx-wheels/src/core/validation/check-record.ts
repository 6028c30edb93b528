/**
 * The RECORD check family: `.dist-info/RECORD` lists every file of the archive with a sha256 (or
 * stronger) digest and size that match the content, as the recording-installed-packages spec
 * requires.
 */
import { ArchiveEntry, WheelArchive } from '../wheel-archive';
import { decodeUtf8, isCanonicalRecordDigest, parseRecord, splitRecordHash, STRONG_RECORD_ALGORITHMS } from './formats';
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
    let ok = true;
    if (row.hash === '') {
      findings.push(finding('RECORD_HASH_MISSING', name, `RECORD line ${row.line}: ${row.path} has no hash`, row.path));
      ok = false;
    } else {
      const h = splitRecordHash(row.hash);
      const nodeAlg = h ? STRONG_RECORD_ALGORITHMS[h.algorithm] : undefined;
      if (!h) {
        findings.push(finding('RECORD_INVALID', name, `RECORD line ${row.line}: hash "${row.hash}" is not algorithm=digest`, row.path));
        ok = false;
      } else if (!nodeAlg) {
        findings.push(finding('RECORD_HASH_WEAK', name, `RECORD line ${row.line}: ${row.path} uses ${h.algorithm}`, row.path));
        ok = false;
      } else {
        const actual = entry.hashes[nodeAlg];
        if (actual === undefined) {
          ok = false; // not computed: the pipeline reads again with this algorithm
        } else if (Buffer.from(h.digest, 'base64url').toString('base64url') !== actual && Buffer.from(h.digest, 'base64').toString('base64url') !== actual) {
          findings.push(finding('RECORD_HASH_MISMATCH', name, `${row.path}: RECORD ${h.algorithm}=${h.digest}, content ${h.algorithm}=${actual}`, row.path));
          ok = false;
        } else if (!isCanonicalRecordDigest(h.digest)) {
          findings.push(finding('RECORD_INVALID', name, `RECORD line ${row.line}: digest of ${row.path} is not urlsafe base64 without padding (${h.digest})`, row.path));
        }
      }
    }
    if (row.size !== '') {
      if (!/^\d+$/.test(row.size)) {
        findings.push(finding('RECORD_INVALID', name, `RECORD line ${row.line}: size "${row.size}" is not a number`, row.path));
        ok = false;
      } else if (Number(row.size) !== entry.size) {
        findings.push(finding('RECORD_SIZE_MISMATCH', name, `${row.path}: RECORD size ${row.size}, actual ${entry.size} bytes`, row.path));
        ok = false;
      }
    }
    if (ok) verified++;
  }
  for (const e of archive.entries) {
    if (e.isDirectory || exempt.has(e.name) || listed.has(e.name)) continue;
    findings.push(finding('RECORD_FILE_UNLISTED', name, `${e.name} is in the archive but not in RECORD`, e.name));
    listed.add(e.name);
  }
  return verified;
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
