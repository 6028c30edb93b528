/** The METADATA check family: valid core metadata whose Name and Version match the filename, and no local version. */
import { isValidProjectName, normalizeName } from '../names';
import { normalizeVersion } from '../pep440';
import { header, parseHeaders } from './formats';
import { finding, Finding } from './findings';
import { distInfoText } from './check-dist-info';
import { localVersionFinding } from './check-filename';
import { FamilyResult, WheelContext } from './types';

const METADATA_VERSIONS = new Set(['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4']);

/** @param distInfo the `.dist-info` directory judged */
export function checkMetadata(w: WheelContext, distInfo: string): FamilyResult {
  const { file, parsed } = w;
  const metaPath = `${distInfo}/METADATA`;
  const t = distInfoText(w, metaPath, 'METADATA', { missing: 'METADATA_MISSING', invalid: 'METADATA_INVALID' });
  if ('result' in t) return t.result;
  const findings: Finding[] = [];
  const { headers } = parseHeaders(t.text);
  const mv = header(headers, 'Metadata-Version');
  const mname = header(headers, 'Name');
  const mversion = header(headers, 'Version');
  if (!mv || !METADATA_VERSIONS.has(mv)) findings.push(finding('METADATA_INVALID', file, `${metaPath}: Metadata-Version is ${mv ? `"${mv}", not one of ${[...METADATA_VERSIONS].join(', ')}` : 'missing'}`, metaPath));
  if (!mname || !isValidProjectName(mname)) findings.push(finding('METADATA_INVALID', file, `${metaPath}: Name is ${mname ? `"${mname}", not a valid project name` : 'missing'}`, metaPath));
  const mnorm = mversion ? normalizeVersion(mversion) : null;
  if (!mversion || mnorm === null) findings.push(finding('METADATA_INVALID', file, `${metaPath}: Version is ${mversion ? `"${mversion}", not PEP 440` : 'missing'}`, metaPath));
  if (parsed && mname && isValidProjectName(mname) && normalizeName(mname) !== normalizeName(parsed.distribution)) {
    findings.push(finding('METADATA_NAME_MISMATCH', file, `METADATA Name "${mname}" != filename distribution "${parsed.distribution}"`, metaPath));
  }
  if (parsed && mnorm !== null && mnorm !== (normalizeVersion(parsed.version) ?? parsed.version)) {
    findings.push(finding('METADATA_VERSION_MISMATCH', file, `METADATA Version ${mversion} != filename version ${parsed.version}`, metaPath));
  }
  // The filename's local label is reported by the version family; report METADATA's only when the filename has none.
  if (mversion && mnorm !== null && !(parsed && parsed.version.includes('+'))) {
    const local = localVersionFinding(file, mversion, 'METADATA', metaPath);
    if (local) findings.push(local);
  }
  return { findings, notes: { METADATA: `Metadata-Version ${mv ?? '?'}, ${mname ?? '?'} ${mversion ?? '?'}` } };
}
