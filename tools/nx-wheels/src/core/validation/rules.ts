/**
 * The rules of validate-wheels: given what was read from a wheel directory and what is expected
 * (identifiers from cibuildwheel, [project].name/version, the git tag, the size limit), list every
 * finding. Pure: no file system, no processes. The pipeline reads the files and runs the tools.
 */
import { BuildIdentifier, identifierForWheel, platformTagMatches } from '../identifiers';
import { isValidProjectName, normalizeName, wheelFilenameName } from '../names';
import { normalizeVersion, versionFromTag } from '../pep440';
import { parseWheelFilename, WheelFilename } from '../wheel-filename';
import { ArchiveEntry, WheelArchive } from '../wheel-archive';
import { parseSdistFilename, SdistArchive } from '../sdist';
import { formatSize } from '../build-report';
import { CheckName } from './codes';
import { auditwheelFindings, ToolOutput, twineFindings } from './external';
import { Finding, finding } from './findings';
import {
  decodeUtf8,
  header,
  isCanonicalRecordDigest,
  parseHeaders,
  parseRecord,
  splitRecordHash,
  STRONG_RECORD_ALGORITHMS,
} from './formats';
import { claimedPolicy, describePolicy, isPypiPlatformTag, rejectedTagReason } from './platform-tags';

/** What the wheelhouse must be. */
export interface Expectation {
  /** `[project].name` as written. */
  name: string;
  /** pyproject.toml path, for messages. */
  pyprojectFile: string;
  /** `[project].version` as written; null when absent. */
  version: string | null;
  /** Version is listed in `[project].dynamic` (then it is not compared). */
  dynamicVersion: boolean;
  /** Git tag or ref being released, and where it came from (`option tag`, `GITHUB_REF`), or null for no tag check. */
  tag: { value: string; source: string } | null;
  /** One wheel is expected per identifier. */
  identifiers: BuildIdentifier[];
  /** Largest acceptable wheel, in bytes. */
  maxSize: number;
  /** Exactly one sdist is expected beside the wheels (default false: an sdist is SDIST_UNEXPECTED). */
  sdist?: boolean;
}

/** One entry of the wheel directory, as the pipeline read it. */
export interface InspectedFile {
  /** Basename. */
  name: string;
  kind: 'file' | 'directory' | 'other';
  size: number;
  /** Lower-case hex sha256 of the whole file, when read. */
  sha256: string | null;
  /** Why the file could not be read, or null. */
  readError: string | null;
  /** The archive, for `.whl` files that were read. */
  archive: WheelArchive | null;
  /** `twine check --strict` output; null/undefined when not run. */
  twine?: ToolOutput | null;
  /** `auditwheel show` output; null/undefined when not run. */
  auditwheel?: ToolOutput | null;
  /** The sdist's reading, for `.tar.gz` files when an sdist is expected. */
  sdist?: SdistArchive | null;
}

/** Result of the checks of one wheel. */
export interface WheelResult {
  file: string;
  parsed: WheelFilename | null;
  /** Identifier it was matched to, or null. */
  identifier: string | null;
  size: number;
  sha256: string | null;
  /** Claimed Linux policy, e.g. `manylinux_2_34 (glibc >= 2.34)`, or empty. */
  policy: string;
  /** Tag `auditwheel show` found the wheel consistent with, when it ran. */
  auditwheelTag: string | null;
  /** Files whose RECORD hash and size were verified. */
  recordVerified: number;
  /** Per check: `ok` / `failed` / `skipped` and a short detail for the table. */
  checks: Array<{ check: CheckName; status: 'ok' | 'failed' | 'skipped'; detail: string }>;
  findings: Finding[];
}

/** Everything the rules found. */
export interface ValidationOutcome {
  /** Normalized `[project].version`, or null. */
  projectVersion: string | null;
  /** Normalized version of the tag, or null. */
  tagVersion: string | null;
  /** Findings not about one wheel: configuration, missing identifiers, unexpected files. */
  wheelhouseFindings: Finding[];
  wheels: WheelResult[];
  /** Every finding (wheelhouse + wheels), in report order. */
  findings: Finding[];
}

const PER_WHEEL_CHECKS: CheckName[] = ['wheelhouse', 'filename', 'version', 'tags', 'size', 'archive', 'dist-info', 'WHEEL', 'METADATA', 'RECORD', 'twine', 'auditwheel'];
const METADATA_VERSIONS = new Set(['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4']);

/** Files in the wheel directory that quiver writes itself and validation ignores. */
export const OWN_FILES = ['build-report.json', 'validation-report.json', 'SHA256SUMS', 'publish-report.json'];

/** Configuration findings and the normalized versions to compare against. */
export function checkConfig(exp: Expectation): { findings: Finding[]; projectVersion: string | null; tagVersion: string | null } {
  const findings: Finding[] = [];
  let projectVersion: string | null = null;
  if (!exp.dynamicVersion) {
    if (exp.version === null) {
      findings.push(finding('PYPROJECT_VERSION_INVALID', null, `${exp.pyprojectFile}: [project].version is missing`, exp.pyprojectFile));
    } else {
      projectVersion = normalizeVersion(exp.version);
      if (projectVersion === null) findings.push(finding('PYPROJECT_VERSION_INVALID', null, `${exp.pyprojectFile}: [project].version "${exp.version}" is not a PEP 440 version`, exp.pyprojectFile));
    }
  }
  let tagVersion: string | null = null;
  if (exp.tag) {
    tagVersion = versionFromTag(exp.tag.value);
    if (tagVersion === null) findings.push(finding('TAG_INVALID', null, `${exp.tag.source} "${exp.tag.value}" does not name a PEP 440 version`, exp.tag.value));
  }
  return { findings, projectVersion, tagVersion };
}

function isPure(p: WheelFilename): boolean {
  return p.abiTags.every((t) => t === 'none') && p.platformTags.every((t) => t === 'any');
}

/** Platform family and architecture a platform tag names, in the terms of {@link BuildIdentifier}. */
function tagPlatform(tag: string): { platform: string; arch: string } {
  let m = /^(?:manylinux(?:_\d+_\d+|1|2010|2014)|musllinux_\d+_\d+|linux)_(.+)$/.exec(tag);
  if (m) return { platform: 'linux', arch: m[1] };
  if (tag === 'win32') return { platform: 'windows', arch: 'x86' };
  if (tag === 'win_amd64') return { platform: 'windows', arch: 'AMD64' };
  if (tag === 'win_arm64') return { platform: 'windows', arch: 'ARM64' };
  m = /^macosx_\d+_\d+_(.+)$/.exec(tag);
  if (m) return { platform: 'macos', arch: m[1] };
  return { platform: 'other', arch: tag };
}

/**
 * Match wheels to identifiers. A wheel whose python, abi and platform tags fit an identifier
 * belongs to it; one whose platform family and architecture fit, with the python or abi tag
 * right, belongs to it too but is reported (TAGS_IDENTIFIER_MISMATCH / PLATFORM_TAG_MISMATCH);
 * anything else is extra.
 */
export function matchIdentifiers(
  wheels: Array<{ file: string; parsed: WheelFilename }>,
  ids: readonly BuildIdentifier[],
): { assigned: Map<string, BuildIdentifier>; perWheel: Map<string, Finding[]>; wheelhouse: Finding[] } {
  const assigned = new Map<string, BuildIdentifier>();
  const perWheel = new Map<string, Finding[]>();
  const add = (file: string, f: Finding) => perWheel.set(file, [...(perWheel.get(file) ?? []), f]);
  const expected = ids.map((i) => i.id).join(', ') || '(none)';
  for (const { file, parsed } of wheels) {
    const exact = identifierForWheel(parsed, ids);
    if (exact) {
      assigned.set(file, exact);
      continue;
    }
    if (isPure(parsed)) {
      add(file, finding('WHEEL_PURE_UNEXPECTED', file, `pure wheel ${parsed.tags.join('.')} in a project that ships binary wheels (expected: ${expected})`));
      continue;
    }
    const near = ids.find(
      (id) =>
        parsed.platformTags.every((t) => {
          const tp = tagPlatform(t);
          return tp.platform === id.platform && tp.arch === id.arch;
        }) &&
        (parsed.pythonTags.includes(id.wheelPythonTag) || parsed.abiTags.includes(id.wheelAbiTag)),
    );
    if (!near) {
      add(file, finding('WHEEL_EXTRA', file, `tags ${parsed.pythonTags.join('.')}-${parsed.abiTags.join('.')}-${parsed.platformTags.join('.')} match no expected identifier (expected: ${expected})`));
      continue;
    }
    assigned.set(file, near);
    const py = parsed.pythonTags.join('.');
    const abi = parsed.abiTags.join('.');
    if (py !== near.wheelPythonTag || abi !== near.wheelAbiTag) {
      add(file, finding('TAGS_IDENTIFIER_MISMATCH', file, `python-abi tags ${py}-${abi} do not match identifier ${near.id}, which builds ${near.wheelPythonTag}-${near.wheelAbiTag}`, near.id));
    }
    const wrong = parsed.platformTags.filter((t) => !platformTagMatches(near, t) && isPypiPlatformTag(t));
    if (wrong.length) {
      add(file, finding('PLATFORM_TAG_MISMATCH', file, `platform tag ${wrong.join('.')} does not match identifier ${near.id}`, near.id));
    }
  }
  const byId = new Map<string, string[]>();
  for (const [file, id] of assigned) byId.set(id.id, [...(byId.get(id.id) ?? []), file]);
  for (const [id, files] of byId) {
    if (files.length < 2) continue;
    for (const f of files) add(f, finding('WHEEL_DUPLICATE', f, `${files.length} wheels for identifier ${id}: ${files.filter((x) => x !== f).join(', ')} too`, id));
  }
  const wheelhouse: Finding[] = [];
  for (const id of ids) {
    if (!byId.has(id.id)) wheelhouse.push(finding('WHEEL_MISSING', null, `no wheel for identifier ${id.id} (${id.platform})`, id.id));
  }
  return { assigned, perWheel, wheelhouse };
}

/** The per-wheel checks that do not depend on the other wheels. */
export function checkWheel(
  file: InspectedFile,
  exp: Expectation,
  versions: { projectVersion: string | null; tagVersion: string | null },
): Omit<WheelResult, 'identifier'> {
  const name = file.name;
  const findings: Finding[] = [];
  const notes = new Map<CheckName, string>();
  const skipped = new Set<CheckName>();
  const parsed = parseWheelFilename(name);
  const result: Omit<WheelResult, 'identifier'> = {
    file: name,
    parsed,
    size: file.size,
    sha256: file.sha256,
    policy: '',
    auditwheelTag: null,
    recordVerified: 0,
    checks: [],
    findings,
  };

  // filename, name, version, tags
  if (!parsed) {
    findings.push(finding('FILENAME_INVALID', name, `"${name}" is not {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`));
    skipped.add('version').add('tags');
  } else {
    const expectedDist = wheelFilenameName(exp.name);
    if (parsed.distribution !== expectedDist) {
      if (normalizeName(parsed.distribution) === normalizeName(exp.name)) {
        findings.push(finding('NAME_NOT_NORMALIZED', name, `distribution "${parsed.distribution}" should be written "${expectedDist}"`));
      } else {
        findings.push(finding('NAME_MISMATCH', name, `distribution "${parsed.distribution}" is not [project].name "${exp.name}" (normalized ${normalizeName(exp.name)})`));
      }
    }
    notes.set('filename', `${parsed.distribution} ${parsed.version}${parsed.buildTag ? ` build ${parsed.buildTag}` : ''}`);
    const v = normalizeVersion(parsed.version);
    if (v === null) {
      findings.push(finding('VERSION_INVALID', name, `version "${parsed.version}" is not PEP 440`));
    } else {
      if (v !== parsed.version) findings.push(finding('VERSION_NOT_NORMALIZED', name, `version "${parsed.version}" should be written "${v}"`));
      if (versions.projectVersion !== null && v !== versions.projectVersion) {
        findings.push(finding('VERSION_MISMATCH_PYPROJECT', name, `wheel version ${v} != ${exp.pyprojectFile} [project].version ${versions.projectVersion}`));
      }
      if (versions.tagVersion !== null && v !== versions.tagVersion) {
        findings.push(finding('VERSION_MISMATCH_TAG', name, `wheel version ${v} != ${exp.tag!.source} ${exp.tag!.value} (${versions.tagVersion})`));
      }
      const compared = [versions.projectVersion !== null ? 'pyproject' : null, versions.tagVersion !== null ? `tag ${exp.tag!.value}` : null].filter(Boolean);
      notes.set('version', compared.length ? `${v} = ${compared.join(' = ')}` : v);
    }
    for (const t of parsed.platformTags) {
      if (!isPypiPlatformTag(t)) findings.push(finding('PLATFORM_TAG_REJECTED', name, rejectedTagReason(t), t));
    }
    result.policy = describePolicy(claimedPolicy(parsed.platformTags));
    notes.set('tags', [parsed.tags.length === 1 ? parsed.tags[0] : `${parsed.tags.length} tags`, result.policy].filter(Boolean).join(', '));
  }

  if (file.size > exp.maxSize) {
    findings.push(finding('WHEEL_TOO_LARGE', name, `${formatSize(file.size)} (${file.size} bytes) exceeds the limit of ${formatSize(exp.maxSize)} (${exp.maxSize} bytes)`));
  } else notes.set('size', `${formatSize(file.size)} <= ${formatSize(exp.maxSize)}`);

  const archiveChecks: CheckName[] = ['archive', 'dist-info', 'WHEEL', 'METADATA', 'RECORD', 'twine', 'auditwheel'];
  const finish = () => {
    result.checks = PER_WHEEL_CHECKS.map((check) => {
      const failed = findings.some((f) => f.check === check && f.severity === 'error');
      const warned = findings.some((f) => f.check === check);
      const status = failed ? 'failed' : skipped.has(check) && !warned ? 'skipped' : 'ok';
      return { check, status, detail: notes.get(check) ?? '' };
    });
    return result;
  };

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

  // zip safety
  const seen = new Map<string, number>();
  for (const e of archive.entries) seen.set(e.name, (seen.get(e.name) ?? 0) + 1);
  for (const [entryName, n] of seen) if (n > 1) findings.push(finding('ZIP_DUPLICATE_ENTRY', name, `${entryName} appears ${n} times`, entryName));
  for (const e of archive.entries) {
    if (e.unsafeReason) findings.push(finding('ZIP_PATH_UNSAFE', name, `${JSON.stringify(e.name)}: ${e.unsafeReason}`, e.name));
    if (e.isSymlink) findings.push(finding('ZIP_SYMLINK', name, `${e.name} is a symbolic link`, e.name));
    if (e.error) findings.push(finding('ZIP_CORRUPT', name, `${e.name}: ${e.error}`, e.name));
  }
  notes.set('archive', `${archive.entries.length} entries`);

  // .dist-info
  const distInfos = [...new Set(archive.entries.map((e) => e.name.split('/')[0]).filter((top) => top.endsWith('.dist-info')))];
  if (distInfos.length === 0) {
    findings.push(finding('DIST_INFO_MISSING', name, 'no {name}-{version}.dist-info directory in the archive'));
    ['WHEEL', 'METADATA', 'RECORD'].forEach((c) => skipped.add(c as CheckName));
    checkExternal(file, parsed, findings, notes, skipped, result);
    return finish();
  }
  const wanted = (d: string) => {
    const stem = d.slice(0, -'.dist-info'.length);
    const dash = stem.lastIndexOf('-');
    return { dname: dash > 0 ? stem.slice(0, dash) : stem, dversion: dash > 0 ? stem.slice(dash + 1) : '' };
  };
  const matchesFilename = (d: string) => {
    if (!parsed) return false;
    const { dname, dversion } = wanted(d);
    return normalizeName(dname) === normalizeName(parsed.distribution) && (normalizeVersion(dversion) ?? dversion) === (normalizeVersion(parsed.version) ?? parsed.version);
  };
  if (distInfos.length > 1) findings.push(finding('DIST_INFO_MULTIPLE', name, `${distInfos.length} .dist-info directories: ${distInfos.join(', ')}`));
  const di = distInfos.find(matchesFilename) ?? distInfos[0];
  if (parsed && !matchesFilename(di)) findings.push(finding('DIST_INFO_MISMATCH', name, `${di} does not match the filename's ${parsed.distribution}-${parsed.version}`, di));
  notes.set('dist-info', di);

  const entryByName = new Map<string, ArchiveEntry>();
  for (const e of archive.entries) if (!entryByName.has(e.name)) entryByName.set(e.name, e);
  const text = (path: string): { present: boolean; text: string | null; binary: boolean } => {
    if (!entryByName.has(path)) return { present: false, text: null, binary: false };
    const bytes = archive.files.get(path);
    if (!bytes) return { present: true, text: null, binary: false };
    const t = decodeUtf8(bytes);
    return { present: true, text: t, binary: t === null };
  };

  // WHEEL
  const wheelPath = `${di}/WHEEL`;
  const wheelFile = text(wheelPath);
  if (!wheelFile.present) findings.push(finding('WHEEL_FILE_MISSING', name, `${wheelPath} is missing`, wheelPath));
  else if (wheelFile.binary) findings.push(finding('WHEEL_FILE_INVALID', name, `${wheelPath} is not UTF-8 text`, wheelPath));
  else if (wheelFile.text !== null) {
    const { headers } = parseHeaders(wheelFile.text);
    const wv = header(headers, 'Wheel-Version');
    if (!wv || !/^1\.\d+$/.test(wv)) findings.push(finding('WHEEL_FILE_INVALID', name, `${wheelPath}: Wheel-Version is ${wv ? `"${wv}"` : 'missing'}; installers support 1.x`, wheelPath));
    const purelib = header(headers, 'Root-Is-Purelib');
    if (purelib === null) findings.push(finding('WHEEL_FILE_INVALID', name, `${wheelPath}: Root-Is-Purelib is missing`, wheelPath));
    if (parsed) {
      const wheelTags = [...new Set(headers.get('tag') ?? [])].sort();
      const fileTags = [...new Set(parsed.tags)].sort();
      if (wheelTags.join(' ') !== fileTags.join(' ')) {
        findings.push(finding('WHEEL_TAGS_MISMATCH', name, `${wheelPath} Tag: ${wheelTags.join(', ') || '(none)'}; filename: ${fileTags.join(', ')}`, wheelPath));
      }
      if (!isPure(parsed) && purelib !== null && purelib.toLowerCase() === 'true') {
        findings.push(finding('WHEEL_ROOT_IS_PURELIB', name, `${wheelPath}: Root-Is-Purelib: ${purelib} in a binary wheel (${parsed.tags[0]})`, wheelPath));
      }
      const build = header(headers, 'Build');
      if ((build ?? null) !== parsed.buildTag) {
        findings.push(finding('WHEEL_BUILD_TAG_MISMATCH', name, `${wheelPath} Build: ${build ?? '(none)'}; filename build tag: ${parsed.buildTag ?? '(none)'}`, wheelPath));
      }
    }
    notes.set('WHEEL', `Wheel-Version ${wv ?? '?'}, Root-Is-Purelib ${purelib ?? '?'}`);
  } else skipped.add('WHEEL');

  // METADATA
  const metaPath = `${di}/METADATA`;
  const meta = text(metaPath);
  if (!meta.present) findings.push(finding('METADATA_MISSING', name, `${metaPath} is missing`, metaPath));
  else if (meta.binary) findings.push(finding('METADATA_INVALID', name, `${metaPath} is not UTF-8 text`, metaPath));
  else if (meta.text !== null) {
    const { headers } = parseHeaders(meta.text);
    const mv = header(headers, 'Metadata-Version');
    const mname = header(headers, 'Name');
    const mversion = header(headers, 'Version');
    if (!mv || !METADATA_VERSIONS.has(mv)) findings.push(finding('METADATA_INVALID', name, `${metaPath}: Metadata-Version is ${mv ? `"${mv}", not one of ${[...METADATA_VERSIONS].join(', ')}` : 'missing'}`, metaPath));
    if (!mname || !isValidProjectName(mname)) findings.push(finding('METADATA_INVALID', name, `${metaPath}: Name is ${mname ? `"${mname}", not a valid project name` : 'missing'}`, metaPath));
    const mnorm = mversion ? normalizeVersion(mversion) : null;
    if (!mversion || mnorm === null) findings.push(finding('METADATA_INVALID', name, `${metaPath}: Version is ${mversion ? `"${mversion}", not PEP 440` : 'missing'}`, metaPath));
    if (parsed && mname && isValidProjectName(mname) && normalizeName(mname) !== normalizeName(parsed.distribution)) {
      findings.push(finding('METADATA_NAME_MISMATCH', name, `METADATA Name "${mname}" != filename distribution "${parsed.distribution}"`, metaPath));
    }
    if (parsed && mnorm !== null && mnorm !== (normalizeVersion(parsed.version) ?? parsed.version)) {
      findings.push(finding('METADATA_VERSION_MISMATCH', name, `METADATA Version ${mversion} != filename version ${parsed.version}`, metaPath));
    }
    notes.set('METADATA', `Metadata-Version ${mv ?? '?'}, ${mname ?? '?'} ${mversion ?? '?'}`);
  } else skipped.add('METADATA');

  // RECORD
  const recordPath = `${di}/RECORD`;
  const exempt = new Set([recordPath, `${di}/RECORD.jws`, `${di}/RECORD.p7s`]);
  const record = text(recordPath);
  if (!record.present) findings.push(finding('RECORD_MISSING', name, `${recordPath} is missing`, recordPath));
  else if (record.binary) findings.push(finding('RECORD_INVALID', name, `${recordPath} is not UTF-8 text`, recordPath));
  else if (record.text !== null) {
    result.recordVerified = checkRecord(name, recordPath, record.text, archive, entryByName, exempt, findings);
    const hashed = archive.entries.filter((e) => !e.isDirectory && !exempt.has(e.name)).length;
    notes.set('RECORD', `${result.recordVerified}/${hashed} files: sha256 and size verified`);
  } else skipped.add('RECORD');

  checkExternal(file, parsed, findings, notes, skipped, result);
  return finish();
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

function checkExternal(
  file: InspectedFile,
  parsed: WheelFilename | null,
  findings: Finding[],
  notes: Map<CheckName, string>,
  skipped: Set<CheckName>,
  result: Omit<WheelResult, 'identifier'>,
): void {
  if (file.twine) {
    findings.push(...twineFindings(file.name, file.twine));
    notes.set('twine', 'twine check --strict passed');
  } else skipped.add('twine');
  if (file.auditwheel && parsed) {
    const r = auditwheelFindings(file.name, parsed.platformTags, file.auditwheel);
    findings.push(...r.findings);
    result.auditwheelTag = r.consistentTag;
    if (r.consistentTag) notes.set('auditwheel', `consistent with ${r.consistentTag}`);
  } else skipped.add('auditwheel');
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
  const match = matchIdentifiers(parsedWheels, exp.identifiers);
  if (wheelFiles.length > 0) wheelhouse.push(...match.wheelhouse);
  const wheels: WheelResult[] = results.map((r) => {
    const extra = match.perWheel.get(r.file) ?? [];
    const findings = [...extra, ...r.findings];
    const identifier = match.assigned.get(r.file)?.id ?? null;
    const checks = r.checks.map((c) => {
      const failed = extra.some((f) => f.check === c.check && f.severity === 'error');
      const detail = c.check === 'wheelhouse' ? identifier ?? '' : c.detail;
      return { ...c, detail, status: failed ? ('failed' as const) : c.status };
    });
    return { ...r, identifier, findings, checks };
  });
  const all = [...wheelhouse, ...wheels.flatMap((w) => w.findings)];
  return { projectVersion: config.projectVersion, tagVersion: config.tagVersion, wheelhouseFindings: wheelhouse, wheels, findings: all };
}

/**
 * The sdist rules (source distribution format spec, PEP 625): exactly one, named
 * `{name}-{version}.tar.gz`, a gzipped tar with one `{name}-{version}/` directory holding
 * `pyproject.toml` and a PKG-INFO whose Name/Version match; its version agrees with [project] and
 * the tag; `twine check --strict` passes.
 */
export function checkSdists(files: readonly InspectedFile[], exp: Expectation, config: { projectVersion: string | null; tagVersion: string | null }): Finding[] {
  const out: Finding[] = [];
  const expectedName = wheelFilenameName(exp.name);
  if (files.length === 0) return [finding('SDIST_MISSING', null, `no ${expectedName}-<version>.tar.gz beside the wheels`)];
  const [f, ...rest] = files;
  for (const r of rest) out.push(finding('SDIST_EXTRA', r.name, `${r.name} is a second sdist (besides ${f.name})`));
  if (f.readError) return [...out, finding('FILE_UNREADABLE', f.name, `${f.name}: ${f.readError}`)];
  const parsed = parseSdistFilename(f.name);
  if (!parsed) return [...out, finding('SDIST_FILENAME_INVALID', f.name, `${f.name} is not {name}-{version}.tar.gz`)];
  if (parsed.distribution !== expectedName) out.push(finding('SDIST_FILENAME_INVALID', f.name, `name part "${parsed.distribution}" is not "${expectedName}" (normalized, escaped [project].name)`));
  const version = normalizeVersion(parsed.version);
  if (version === null) out.push(finding('SDIST_FILENAME_INVALID', f.name, `version part "${parsed.version}" is not PEP 440`));
  else {
    if (config.projectVersion && version !== config.projectVersion) out.push(finding('VERSION_MISMATCH_PYPROJECT', f.name, `sdist version ${version}, ${exp.pyprojectFile} [project].version ${config.projectVersion}`));
    if (config.tagVersion && version !== config.tagVersion) out.push(finding('VERSION_MISMATCH_TAG', f.name, `sdist version ${version}, tag ${exp.tag?.value} names ${config.tagVersion}`));
  }
  const a = f.sdist;
  if (!a) return out;
  if (a.problem) return [...out, finding('SDIST_INVALID', f.name, `${f.name}: ${a.problem}`)];
  const top = `${parsed.distribution}-${parsed.version}`;
  if (a.topDirs.length !== 1 || a.topDirs[0] !== top) out.push(finding('SDIST_INVALID', f.name, `members must all sit under ${top}/, found ${a.topDirs.join(', ')}`));
  // Judge the contents where they are (the one top directory), so a renamed file also shows its metadata mismatch.
  const root = a.topDirs.length === 1 ? a.topDirs[0] : top;
  if (!a.files.includes(`${root}/pyproject.toml`)) out.push(finding('SDIST_INVALID', f.name, `${root}/pyproject.toml is missing`, `${root}/pyproject.toml`));
  const pkgInfo = a.pkgInfo[root];
  if (pkgInfo === undefined) out.push(finding('SDIST_PKG_INFO_MISSING', f.name, `${root}/PKG-INFO is missing`, `${root}/PKG-INFO`));
  else {
    const { headers } = parseHeaders(pkgInfo);
    const name = header(headers, 'Name');
    const v = header(headers, 'Version');
    if (!name || normalizeName(name) !== normalizeName(exp.name)) out.push(finding('SDIST_METADATA_MISMATCH', f.name, `PKG-INFO Name "${name ?? ''}" is not ${exp.name}`, 'PKG-INFO'));
    if (!v || normalizeVersion(v) !== version) out.push(finding('SDIST_METADATA_MISMATCH', f.name, `PKG-INFO Version "${v ?? ''}" differs from the filename's ${parsed.version}`, 'PKG-INFO'));
  }
  if (f.twine) out.push(...twineFindings(f.name, f.twine));
  return out;
}
