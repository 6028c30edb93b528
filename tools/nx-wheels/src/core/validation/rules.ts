/**
 * The rules of validate-wheels: given what was read from a wheel directory and what is expected
 * (identifiers from cibuildwheel, [project].name/version, the git tag, the size limit), list every
 * finding. Pure: no file system, no processes. The pipeline reads the files and runs the tools.
 *
 * Each check family lives in its own module and returns its findings (check-filename,
 * check-archive, check-dist-info, check-wheel-file, check-metadata, check-record, check-binaries,
 * check-external, check-sdist, wheelhouse); {@link checkWheel} only composes them.
 */
import { normalizeVersion, versionFromTag } from '../pep440';
import { versionOfTag } from '../release-tag';
import { parseWheelFilename } from '../wheel-filename';
import { CheckName } from './codes';
import { Finding, finding } from './findings';
import { checkFilename, checkSize, checkTags, checkVersion, localVersionFinding } from './check-filename';
import { checkArchive } from './check-archive';
import { checkDistInfo } from './check-dist-info';
import { checkWheelFile } from './check-wheel-file';
import { checkMetadata } from './check-metadata';
import { checkRecordFile } from './check-record';
import { checkBinaries } from './check-binaries';
import { checkAuditwheel, checkTwine } from './check-external';
import { checkSdists } from './check-sdist';
import { matchIdentifiers } from './wheelhouse';
import { Expectation, FamilyResult, InspectedFile, ValidationOutcome, WheelResult } from './types';

export type { Expectation, InspectedFile, ValidationOutcome, WheelResult } from './types';
export { matchIdentifiers } from './wheelhouse';
import { dryRunReportFile, PUBLISH_REPORT_FILE } from '../publish/report';
export { checkSdists } from './check-sdist';
export { extraRecordAlgorithms } from './check-record';

const PER_WHEEL_CHECKS: CheckName[] = ['wheelhouse', 'filename', 'version', 'tags', 'size', 'archive', 'dist-info', 'WHEEL', 'METADATA', 'RECORD', 'binaries', 'twine', 'auditwheel'];

/**
 * Files in the wheel directory that quiver writes itself and validation ignores (exactly these
 * names; anything else that is not a release file is FILE_UNEXPECTED): the build, validation and
 * publish reports, the dry-run publish report, and SHA256SUMS.
 */
export const OWN_FILES = ['build-report.json', 'validation-report.json', 'SHA256SUMS', PUBLISH_REPORT_FILE, dryRunReportFile(PUBLISH_REPORT_FILE)];

/** Configuration findings and the normalized versions to compare against. */
function checkConfig(exp: Expectation): { findings: Finding[]; projectVersion: string | null; tagVersion: string | null } {
  const findings: Finding[] = [];
  let projectVersion: string | null = null;
  if (!exp.dynamicVersion) {
    if (exp.version === null) {
      findings.push(finding('PYPROJECT_VERSION_INVALID', null, `${exp.pyprojectFile}: [project].version is missing`, exp.pyprojectFile));
    } else {
      projectVersion = normalizeVersion(exp.version);
      if (projectVersion === null) findings.push(finding('PYPROJECT_VERSION_INVALID', null, `${exp.pyprojectFile}: [project].version "${exp.version}" is not a PEP 440 version`, exp.pyprojectFile));
      else {
        const local = localVersionFinding(null, exp.version, `${exp.pyprojectFile} [project].version:`, exp.pyprojectFile);
        if (local) findings.push(local);
      }
    }
  }
  let tagVersion: string | null = null;
  if (exp.tag) {
    tagVersion = exp.tagPrefix !== undefined ? versionOfTag(exp.tag.value, exp.tagPrefix) : versionFromTag(exp.tag.value);
    if (tagVersion === null) findings.push(finding('TAG_INVALID', null, `${exp.tag.source} "${exp.tag.value}" does not name a PEP 440 version${exp.tagPrefix !== undefined ? ` after the project's release tag prefix "${exp.tagPrefix}"` : ''}`, exp.tag.value));
  }
  return { findings, projectVersion, tagVersion };
}

/** The per-wheel checks that do not depend on the other wheels: every family, composed. */
function checkWheel(
  file: InspectedFile,
  exp: Expectation,
  versions: { projectVersion: string | null; tagVersion: string | null },
): Omit<WheelResult, 'identifier'> {
  const name = file.name;
  const findings: Finding[] = [];
  const notes = new Map<CheckName, string>();
  const skipped = new Set<CheckName>();
  const parsed = parseWheelFilename(name);
  const result: Omit<WheelResult, 'identifier'> = { file: name, parsed, size: file.size, sha256: file.sha256, policy: '', auditwheelTag: null, recordVerified: 0, checks: [], findings };
  const add = (r: FamilyResult) => {
    findings.push(...r.findings);
    for (const [k, v] of Object.entries(r.notes ?? {})) notes.set(k as CheckName, v);
    for (const c of r.skipped ?? []) skipped.add(c);
  };
  const finish = () => {
    result.checks = PER_WHEEL_CHECKS.map((check) => {
      const failed = findings.some((f) => f.check === check && f.severity === 'error');
      const warned = findings.some((f) => f.check === check);
      const status = failed ? 'failed' : skipped.has(check) && !warned ? 'skipped' : 'ok';
      return { check, status, detail: notes.get(check) ?? '' };
    });
    return result;
  };

  add(checkFilename(name, parsed, exp));
  if (parsed) {
    add(checkVersion(name, parsed, exp, versions));
    const tags = checkTags(name, parsed);
    result.policy = tags.policy;
    add(tags);
  }
  add(checkSize(name, file.size, exp.maxSize));

  const archiveChecks: CheckName[] = ['archive', 'dist-info', 'WHEEL', 'METADATA', 'RECORD', 'binaries', 'twine', 'auditwheel'];
  if (file.readError !== null || file.kind !== 'file' || !file.archive) {
    findings.push(finding('FILE_UNREADABLE', name, file.readError ?? `not a regular file (${file.kind})`));
    archiveChecks.forEach((c) => skipped.add(c));
    return finish();
  }
  const archive = file.archive;
  if (archive.problem) {
    const code = archive.problem.kind === 'not-zip' ? 'ZIP_INVALID' : archive.problem.kind === 'truncated' ? 'ZIP_TRUNCATED' : 'ZIP_CORRUPT';
    findings.push(finding(code, name, archive.problem.message));
    archiveChecks.filter((c) => c !== 'archive').forEach((c) => skipped.add(c));
    return finish();
  }
  const w = { file: name, parsed, archive };
  add(checkArchive(w));
  const di = checkDistInfo(w);
  add(di);
  if (di.distInfo !== null) {
    add(checkWheelFile(w, di.distInfo));
    add(checkMetadata(w, di.distInfo));
    const record = checkRecordFile(w, di.distInfo);
    result.recordVerified = record.verified;
    add(record);
  }
  const bins = checkBinaries(w, exp.foreignBinaries ?? []);
  result.foreignBinariesUsed = bins.used;
  add(bins);
  add(checkTwine(file, exp.twineStrict));
  const audit = checkAuditwheel(file, parsed);
  result.auditwheelTag = audit.consistentTag;
  add(audit);
  return finish();
}

/**
 * Validate a wheel directory's contents against the expectation.
 * @param files every entry of the directory (the pipeline's reading of it)
 * @param ignore basenames that are ours (reports) and not judged
 */
export function validateFiles(files: readonly InspectedFile[], exp: Expectation, ignore: readonly string[] = OWN_FILES): ValidationOutcome {
  const config = checkConfig(exp);
  const wheelhouse: Finding[] = [...config.findings];
  const ignored = new Set(ignore);
  const candidates = files.filter((f) => !ignored.has(f.name)).sort((a, b) => a.name.localeCompare(b.name));
  const wheelFiles = candidates.filter((f) => f.name.endsWith('.whl'));
  const sdistFiles = exp.sdist ? candidates.filter((f) => f.name.endsWith('.tar.gz')) : [];
  if (exp.sdist) wheelhouse.push(...checkSdists(sdistFiles, exp, config));
  for (const f of candidates) {
    if (f.name.endsWith('.whl') || sdistFiles.includes(f)) continue;
    if (/\.(tar\.gz|zip)$/.test(f.name)) wheelhouse.push(finding('SDIST_UNEXPECTED', f.name, `${f.name} is a source distribution`));
    else wheelhouse.push(finding('FILE_UNEXPECTED', f.name, `${f.name} (${f.kind}) is not a wheel`));
  }
  if (wheelFiles.length === 0) {
    wheelhouse.push(finding('WHEELHOUSE_EMPTY', null, `no .whl file; expected ${exp.identifiers.length} wheel(s): ${exp.identifiers.map((i) => i.id).join(', ') || '(none)'}`));
  }
  const results = wheelFiles.map((f) => checkWheel(f, exp, config));
  const parsedWheels = results.filter((r) => r.parsed !== null).map((r) => ({ file: r.file, parsed: r.parsed! }));
  const match = matchIdentifiers(parsedWheels, exp.identifiers, exp.abi3 ?? null);
  if (wheelFiles.length > 0) wheelhouse.push(...match.wheelhouse);
  const wheels: WheelResult[] = results.map((r) => {
    const extra = match.perWheel.get(r.file) ?? [];
    const findings = [...extra, ...r.findings];
    const identifier = match.assigned.get(r.file)?.id ?? null;
    const served = match.covers.get(r.file) ?? [];
    const servedText = served.length > 1 ? `${served.map((i) => i.id).join(', ')} (stable ABI)` : identifier ?? '';
    const checks = r.checks.map((c) => {
      const failed = extra.some((f) => f.check === c.check && f.severity === 'error');
      const detail = c.check === 'wheelhouse' ? servedText : c.detail;
      return { ...c, detail, status: failed ? ('failed' as const) : c.status };
    });
    return { ...r, identifier, findings, checks };
  });
  const used = new Set(results.flatMap((r) => r.foreignBinariesUsed ?? []));
  for (const g of exp.foreignBinaries ?? []) {
    if (!used.has(g) && wheelFiles.length > 0) wheelhouse.push(finding('FOREIGN_BINARIES_UNUSED', null, `${exp.pyprojectFile} [tool.nx-wheels] foreign-binaries: "${g}" matches no binary in any wheel`, g));
  }
  const all = [...wheelhouse, ...wheels.flatMap((w) => w.findings)];
  return { projectVersion: config.projectVersion, tagVersion: config.tagVersion, wheelhouseFindings: wheelhouse, wheels, findings: all };
}
