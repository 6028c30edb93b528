/**
 * The wheelhouse as a set: which wheel belongs to which build identifier, and which identifiers
 * have no wheel, two wheels, or a wheel that belongs to none.
 */
import { BuildIdentifier, identifierForWheel, platformTagMatches } from '../identifiers';
import { WheelFilename } from '../wheel-filename';
import { Finding, finding } from './findings';
import { isPypiPlatformTag } from './platform-tags';
import { isPure } from './types';

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
