/**
 * The dist-info check family: exactly one `{name}-{version}.dist-info` directory, matching the
 * filename. Also the helper the WHEEL, METADATA and RECORD families use to read its text files.
 */
import { normalizeName } from '../names';
import { normalizeVersion } from '../pep440';
import { WheelArchive } from '../wheel-archive';
import { decodeUtf8 } from './formats';
import { finding, Finding } from './findings';
import { CheckName, Code } from './codes';
import { FamilyResult, WheelContext } from './types';

/** A metadata file of the archive: absent, present but not kept (too large), binary (not UTF-8), or its text. */
interface EntryText {
  present: boolean;
  text: string | null;
  binary: boolean;
}

/** Read an archive entry kept by the archive reader as UTF-8 text. */
function entryText(archive: WheelArchive, path: string): EntryText {
  if (!archive.entries.some((e) => e.name === path)) return { present: false, text: null, binary: false };
  const bytes = archive.files.get(path);
  if (!bytes) return { present: true, text: null, binary: false };
  const t = decodeUtf8(bytes);
  return { present: true, text: t, binary: t === null };
}

/**
 * A dist-info text file for its check family: the text, or the family's whole result when the file
 * cannot be judged (absent: the `missing` code; not UTF-8: the `invalid` code; present but not kept
 * by the archive reader: the check is skipped).
 */
export function distInfoText(w: WheelContext, path: string, check: CheckName, codes: { missing: Code; invalid: Code }): { text: string } | { result: FamilyResult } {
  const t = entryText(w.archive, path);
  if (!t.present) return { result: { findings: [finding(codes.missing, w.file, `${path} is missing`, path)] } };
  if (t.binary) return { result: { findings: [finding(codes.invalid, w.file, `${path} is not UTF-8 text`, path)] } };
  if (t.text === null) return { result: { findings: [], skipped: [check] } };
  return { text: t.text };
}

/**
 * Find the `.dist-info` directory.
 * @returns the family's findings and the directory judged (the one matching the filename, else the first), or null when there is none
 */
export function checkDistInfo(w: WheelContext): FamilyResult & { distInfo: string | null } {
  const { file, parsed, archive } = w;
  const findings: Finding[] = [];
  const distInfos = [...new Set(archive.entries.map((e) => e.name.split('/')[0]).filter((top) => top.endsWith('.dist-info')))];
  if (distInfos.length === 0) {
    return { findings: [finding('DIST_INFO_MISSING', file, 'no {name}-{version}.dist-info directory in the archive')], skipped: ['WHEEL', 'METADATA', 'RECORD'], distInfo: null };
  }
  const matchesFilename = (d: string) => {
    if (!parsed) return false;
    const stem = d.slice(0, -'.dist-info'.length);
    const dash = stem.lastIndexOf('-');
    const dname = dash > 0 ? stem.slice(0, dash) : stem;
    const dversion = dash > 0 ? stem.slice(dash + 1) : '';
    return normalizeName(dname) === normalizeName(parsed.distribution) && (normalizeVersion(dversion) ?? dversion) === (normalizeVersion(parsed.version) ?? parsed.version);
  };
  if (distInfos.length > 1) findings.push(finding('DIST_INFO_MULTIPLE', file, `${distInfos.length} .dist-info directories: ${distInfos.join(', ')}`));
  const di = distInfos.find(matchesFilename) ?? distInfos[0];
  if (parsed && !matchesFilename(di)) findings.push(finding('DIST_INFO_MISMATCH', file, `${di} does not match the filename's ${parsed.distribution}-${parsed.version}`, di));
  return { findings, notes: { 'dist-info': di }, distInfo: di };
}
