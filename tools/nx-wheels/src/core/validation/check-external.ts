/** The twine and auditwheel check families: what the external tools reported about the wheel. */
import { WheelFilename } from '../wheel-filename';
import { auditwheelFindings, twineFindings } from './external';
import { FamilyResult, InspectedFile } from './types';

/** `twine check --strict` (when it ran). */
export function checkTwine(file: InspectedFile, strict = false): FamilyResult {
  if (!file.twine) return { findings: [], skipped: ['twine'] };
  const findings = twineFindings(file.name, file.twine, strict);
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return { findings, notes: { twine: findings.some((f) => f.severity === 'error') ? '' : warnings ? `renders; ${warnings} --strict warning(s)` : 'twine check --strict passed' } };
}

/** `auditwheel show` (when it ran, on Linux wheels). */
export function checkAuditwheel(file: InspectedFile, parsed: WheelFilename | null): FamilyResult & { consistentTag: string | null } {
  if (!file.auditwheel || !parsed) return { findings: [], skipped: ['auditwheel'], consistentTag: null };
  const r = auditwheelFindings(file.name, parsed.platformTags, file.auditwheel);
  return { findings: r.findings, consistentTag: r.consistentTag, notes: r.consistentTag ? { auditwheel: `consistent with ${r.consistentTag}` } : {} };
}
