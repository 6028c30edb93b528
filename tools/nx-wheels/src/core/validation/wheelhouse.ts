/**
 * The wheelhouse as a set: which wheel belongs to which build identifier, and which identifiers
 * have no wheel, two wheels, or a wheel that belongs to none.
 */
import { BuildIdentifier, identifierForWheel, platformTagMatches } from '../identifiers';
import { WheelFilename } from '../wheel-filename';
import { Finding, finding } from './findings';
import { isPypiPlatformTag } from './platform-tags';
import { Abi3Declaration, cpMinor } from './abi3';
import { isPure } from './types';
import { providerOf } from '../native-coverage';

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

/** What one wheel was matched to: the identifiers it serves (first = assigned; none = extra) and its findings. */
interface WheelMatch {
  served: BuildIdentifier[];
  findings: Finding[];
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
  abi3: Abi3Declaration | null = null,
): { assigned: Map<string, BuildIdentifier>; perWheel: Map<string, Finding[]>; wheelhouse: Finding[]; covers: Map<string, BuildIdentifier[]> } {
  const assigned = new Map<string, BuildIdentifier>();
  const covers = new Map<string, BuildIdentifier[]>();
  const perWheel = new Map<string, Finding[]>();
  const add = (file: string, f: Finding) => perWheel.set(file, [...(perWheel.get(file) ?? []), f]);
  for (const { file, parsed } of wheels) {
    const m = matchWheel(file, parsed, ids, abi3);
    m.findings.forEach((f) => add(file, f));
    if (m.served.length === 0) continue;
    assigned.set(file, m.served[0]);
    covers.set(file, m.served);
  }
  const byId = new Map<string, string[]>();
  for (const [file, served] of covers) for (const id of served) byId.set(id.id, [...(byId.get(id.id) ?? []), file]);
  for (const [id, files] of byId) {
    if (files.length < 2) continue;
    for (const f of files) add(f, finding('WHEEL_DUPLICATE', f, `${files.length} wheels for identifier ${id}: ${files.filter((x) => x !== f).join(', ')} too`, id));
  }
  const wheelhouse: Finding[] = [];
  for (const id of ids) {
    if (!byId.has(id.id)) wheelhouse.push(finding('WHEEL_MISSING', null, `no wheel for identifier ${id.id} (${id.platform}; built by ${providerOf(id)})`, id.id));
  }
  return { assigned, perWheel, wheelhouse, covers };
}

/** Identifiers a stable-ABI wheel of python tag cpXY serves: CPython (not free-threaded) >= 3.Y. */
function servedByAbi3(ids: readonly BuildIdentifier[], pythonTag: string): BuildIdentifier[] {
  return ids.filter((id) => id.implementation === 'cpython' && !id.freeThreaded && cpMinor(id.wheelPythonTag) >= cpMinor(pythonTag));
}

/** One wheel: a stable-ABI wheel, an exact identifier, a pure wheel, a near miss, or extra (in that order). */
function matchWheel(file: string, parsed: WheelFilename, ids: readonly BuildIdentifier[], abi3: Abi3Declaration | null): WheelMatch {
  const expected = ids.map((i) => i.id).join(', ') || '(none)';
  const stable = matchAbi3Wheel(file, parsed, ids, abi3);
  if (stable) return stable;
  const exact = identifierForWheel(parsed, ids);
  if (exact) {
    const findings: Finding[] = [];
    if (abi3 && servedByAbi3(ids, abi3.pythonTag).includes(exact)) {
      findings.push(finding('ABI3_EXPECTED', file, `version-specific ${exact.wheelPythonTag}-${exact.wheelAbiTag} wheel for ${exact.id}, but ${abi3.source} declares the stable ABI: expected one ${abi3.pythonTag}-abi3 wheel for ${exact.platformPart}`, exact.id));
    }
    return { served: [exact], findings };
  }
  if (isPure(parsed)) {
    return { served: [], findings: [finding('WHEEL_PURE_UNEXPECTED', file, `pure wheel ${parsed.tags.join('.')} in a project that ships binary wheels (expected: ${expected})`)] };
  }
  const near = ids.find((id) => isNearMiss(parsed, id));
  if (!near) {
    return { served: [], findings: [finding('WHEEL_EXTRA', file, `tags ${parsed.pythonTags.join('.')}-${parsed.abiTags.join('.')}-${parsed.platformTags.join('.')} match no expected identifier (expected: ${expected})`)] };
  }
  return { served: [near], findings: nearMissFindings(file, parsed, near) };
}

/** A `cpXY-abi3` wheel and the identifiers it serves on its platform; null when it is no such wheel or serves none. */
function matchAbi3Wheel(file: string, parsed: WheelFilename, ids: readonly BuildIdentifier[], abi3: Abi3Declaration | null): WheelMatch | null {
  const isAbi3 = parsed.abiTags.length === 1 && parsed.abiTags[0] === 'abi3' && parsed.pythonTags.length === 1 && /^cp3\d+$/.test(parsed.pythonTags[0]);
  if (!isAbi3) return null;
  const tag = parsed.pythonTags[0];
  const served = servedByAbi3(ids, tag).filter((id) => parsed.platformTags.every((t) => platformTagMatches(id, t)));
  if (served.length === 0) return null;
  const findings: Finding[] = [];
  if (!abi3) {
    findings.push(finding('ABI3_UNDECLARED', file, `${tag}-abi3 wheel, but the project declares no stable ABI (scikit-build-core wheel.py-api, setuptools py_limited_api, PyO3 abi3-pyXY or [tool.nx-wheels] abi3)`, served.map((i) => i.id).join(', ')));
  } else if (tag !== abi3.pythonTag) {
    findings.push(finding('TAGS_IDENTIFIER_MISMATCH', file, `${tag}-abi3 wheel, but ${abi3.source} declares the stable ABI from ${abi3.pythonTag}`, abi3.pythonTag));
  }
  return { served, findings };
}

/** The wheel's platform family and architecture fit the identifier, and its python or abi tag is right. */
function isNearMiss(parsed: WheelFilename, id: BuildIdentifier): boolean {
  const platformFits = parsed.platformTags.every((t) => {
    const tp = tagPlatform(t);
    // A musllinux wheel is not a near miss of a manylinux identifier (or the reverse): it is another identifier's.
    const libc = /^musllinux_/.test(t) ? 'musllinux' : /^manylinux/.test(t) ? 'manylinux' : null;
    return tp.platform === id.platform && tp.arch === id.arch && (libc === null || id.linuxLibc === null || libc === id.linuxLibc);
  });
  return platformFits && (parsed.pythonTags.includes(id.wheelPythonTag) || parsed.abiTags.includes(id.wheelAbiTag));
}

/** What is wrong with a near-miss wheel's tags: its python-abi pair and the platform tags that do not fit. */
function nearMissFindings(file: string, parsed: WheelFilename, near: BuildIdentifier): Finding[] {
  const findings: Finding[] = [];
  const py = parsed.pythonTags.join('.');
  const abi = parsed.abiTags.join('.');
  if (py !== near.wheelPythonTag || abi !== near.wheelAbiTag) {
    findings.push(finding('TAGS_IDENTIFIER_MISMATCH', file, `python-abi tags ${py}-${abi} do not match identifier ${near.id}, which builds ${near.wheelPythonTag}-${near.wheelAbiTag}`, near.id));
  }
  const wrong = parsed.platformTags.filter((t) => !platformTagMatches(near, t) && isPypiPlatformTag(t));
  if (wrong.length) {
    findings.push(finding('PLATFORM_TAG_MISMATCH', file, `platform tag ${wrong.join('.')} does not match identifier ${near.id}`, near.id));
  }
  return findings;
}
