/** The WHEEL check family: `.dist-info/WHEEL` has Wheel-Version 1.x, Root-Is-Purelib, the filename's tags and build tag. */
import { header, parseHeaders } from './formats';
import { finding, Finding } from './findings';
import { distInfoText } from './check-dist-info';
import { FamilyResult, isPure, WheelContext } from './types';

/** @param distInfo the `.dist-info` directory judged */
export function checkWheelFile(w: WheelContext, distInfo: string): FamilyResult {
  const { file, parsed } = w;
  const wheelPath = `${distInfo}/WHEEL`;
  const t = distInfoText(w, wheelPath, 'WHEEL', { missing: 'WHEEL_FILE_MISSING', invalid: 'WHEEL_FILE_INVALID' });
  if ('result' in t) return t.result;
  const findings: Finding[] = [];
  const { headers } = parseHeaders(t.text);
  const wv = header(headers, 'Wheel-Version');
  if (!wv || !/^1\.\d+$/.test(wv)) findings.push(finding('WHEEL_FILE_INVALID', file, `${wheelPath}: Wheel-Version is ${wv ? `"${wv}"` : 'missing'}; installers support 1.x`, wheelPath));
  const purelib = header(headers, 'Root-Is-Purelib');
  if (purelib === null) findings.push(finding('WHEEL_FILE_INVALID', file, `${wheelPath}: Root-Is-Purelib is missing`, wheelPath));
  if (parsed) {
    const wheelTags = [...new Set(headers.get('tag') ?? [])].sort();
    const fileTags = [...new Set(parsed.tags)].sort();
    if (wheelTags.join(' ') !== fileTags.join(' ')) {
      findings.push(finding('WHEEL_TAGS_MISMATCH', file, `${wheelPath} Tag: ${wheelTags.join(', ') || '(none)'}; filename: ${fileTags.join(', ')}`, wheelPath));
    }
    if (!isPure(parsed) && purelib !== null && purelib.toLowerCase() === 'true') {
      findings.push(finding('WHEEL_ROOT_IS_PURELIB', file, `${wheelPath}: Root-Is-Purelib: ${purelib} in a binary wheel (${parsed.tags[0]})`, wheelPath));
    }
    const build = header(headers, 'Build');
    if ((build ?? null) !== parsed.buildTag) {
      findings.push(finding('WHEEL_BUILD_TAG_MISMATCH', file, `${wheelPath} Build: ${build ?? '(none)'}; filename build tag: ${parsed.buildTag ?? '(none)'}`, wheelPath));
    }
  }
  return { findings, notes: { WHEEL: `Wheel-Version ${wv ?? '?'}, Root-Is-Purelib ${purelib ?? '?'}` } };
}
