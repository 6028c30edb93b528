/** The sdist check family, when the project ships a source distribution beside its wheels. */
import { normalizeName, wheelFilenameName } from '../names';
import { normalizeVersion } from '../pep440';
import { parseSdistFilename } from '../sdist';
import { twineFindings } from './external';
import { Finding, finding } from './findings';
import { header, parseHeaders } from './formats';
import { Expectation, InspectedFile } from './types';

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
  if (f.twine) out.push(...twineFindings(f.name, f.twine, exp.twineStrict));
  return out;
}
