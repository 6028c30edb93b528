/**
 * Check families that need only the wheel's filename and size: filename grammar and name,
 * version (PEP 440, normalized, no local segment, equal to [project] and the tag), platform tags
 * PyPI accepts, and the size limit.
 */
import { normalizeName, wheelFilenameName } from '../names';
import { normalizeVersion } from '../pep440';
import { WheelFilename } from '../wheel-filename';
import { formatSize } from '../build-report';
import { finding, Finding } from './findings';
import { claimedPolicy, describePolicy, isPypiPlatformTag, rejectedTagReason } from './platform-tags';
import { Expectation, FamilyResult } from './types';

/** The local version label of a PEP 440 version (`1.2.3+cu121` -> `cu121`), or null. */
function localLabel(version: string): string | null {
  const i = version.indexOf('+');
  return i >= 0 ? version.slice(i + 1) : null;
}

/**
 * VERSION_LOCAL for a version that carries a local label: PyPI refuses uploads of local versions
 * (PEP 440 "Local version identifiers": public index servers must not allow them).
 * @param where what the version is, for the message (`filename`, `METADATA`, `pyproject.toml [project].version`)
 */
export function localVersionFinding(file: string | null, version: string, where: string, subject: string | null = null): Finding | null {
  const label = localLabel(version);
  if (label === null) return null;
  return finding('VERSION_LOCAL', file, `${where} version "${version}" has the local label "+${label}", which PyPI refuses`, subject);
}

/** FILENAME_INVALID when the name does not parse; NAME_* when the distribution part is not [project].name. */
export function checkFilename(file: string, parsed: WheelFilename | null, exp: Expectation): FamilyResult {
  if (!parsed) return { findings: [finding('FILENAME_INVALID', file, `"${file}" is not {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`)], skipped: ['version', 'tags'] };
  const findings: Finding[] = [];
  const expectedDist = wheelFilenameName(exp.name);
  if (parsed.distribution !== expectedDist) {
    if (normalizeName(parsed.distribution) === normalizeName(exp.name)) {
      findings.push(finding('NAME_NOT_NORMALIZED', file, `distribution "${parsed.distribution}" should be written "${expectedDist}"`));
    } else {
      findings.push(finding('NAME_MISMATCH', file, `distribution "${parsed.distribution}" is not [project].name "${exp.name}" (normalized ${normalizeName(exp.name)})`));
    }
  }
  return { findings, notes: { filename: `${parsed.distribution} ${parsed.version}${parsed.buildTag ? ` build ${parsed.buildTag}` : ''}` } };
}

/** The version in the filename: PEP 440, normalized, not local, equal to [project].version and the tag's. */
export function checkVersion(file: string, parsed: WheelFilename, exp: Expectation, versions: { projectVersion: string | null; tagVersion: string | null }): FamilyResult {
  const findings: Finding[] = [];
  const v = normalizeVersion(parsed.version);
  if (v === null) return { findings: [finding('VERSION_INVALID', file, `version "${parsed.version}" is not PEP 440`)] };
  if (v !== parsed.version) findings.push(finding('VERSION_NOT_NORMALIZED', file, `version "${parsed.version}" should be written "${v}"`));
  const local = localVersionFinding(file, parsed.version, 'filename');
  if (local) findings.push(local);
  if (versions.projectVersion !== null && v !== versions.projectVersion) {
    findings.push(finding('VERSION_MISMATCH_PYPROJECT', file, `wheel version ${v} != ${exp.pyprojectFile} [project].version ${versions.projectVersion}`));
  }
  if (versions.tagVersion !== null && v !== versions.tagVersion) {
    findings.push(finding('VERSION_MISMATCH_TAG', file, `wheel version ${v} != ${exp.tag!.source} ${exp.tag!.value} (${versions.tagVersion})`));
  }
  const compared = [versions.projectVersion !== null ? 'pyproject' : null, versions.tagVersion !== null ? `tag ${exp.tag!.value}` : null].filter(Boolean);
  return { findings, notes: { version: compared.length ? `${v} = ${compared.join(' = ')}` : v } };
}

/** Platform tags PyPI accepts; the table's detail names the claimed Linux policy. */
export function checkTags(file: string, parsed: WheelFilename): FamilyResult & { policy: string } {
  const findings: Finding[] = [];
  for (const t of parsed.platformTags) {
    if (!isPypiPlatformTag(t)) findings.push(finding('PLATFORM_TAG_REJECTED', file, rejectedTagReason(t), t));
  }
  const policy = describePolicy(claimedPolicy(parsed.platformTags));
  return { findings, policy, notes: { tags: [parsed.tags.length === 1 ? parsed.tags[0] : `${parsed.tags.length} tags`, policy].filter(Boolean).join(', ') } };
}

/** WHEEL_TOO_LARGE above the limit; both sizes are shown in bytes so the comparison is exact. */
export function checkSize(file: string, size: number, maxSize: number): FamilyResult {
  if (size > maxSize) {
    return { findings: [finding('WHEEL_TOO_LARGE', file, `${size} bytes (${formatSize(size)}) is ${size - maxSize} bytes over the limit of ${maxSize} bytes (${formatSize(maxSize)})`)] };
  }
  return { findings: [], notes: { size: `${formatSize(size)} <= ${formatSize(maxSize)}` } };
}
