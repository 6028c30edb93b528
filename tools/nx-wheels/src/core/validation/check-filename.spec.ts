/** The filename, version, tags and size families (pure: the filename and sizes; one valid and one broken case per rule). */
import { parseWheelFilename } from '../wheel-filename';
import { checkFilename, checkSize, checkTags, checkVersion } from './check-filename';
import { Expectation } from './types';

const exp = (over: Partial<Expectation> = {}): Expectation => ({ name: 'Demo.Pkg', pyprojectFile: 'pkg/pyproject.toml', version: '1.0', dynamicVersion: false, tag: { value: 'v1.0', source: 'option tag' }, identifiers: [], maxSize: 1000, ...over });
const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code).sort();
const P = 'cp313-cp313-manylinux_2_17_x86_64';
const name = (file: string) => checkFilename(file, parseWheelFilename(file), exp());
const version = (file: string, projectVersion: string | null = '1.0', tagVersion: string | null = '1.0') => checkVersion(file, parseWheelFilename(file)!, exp(), { projectVersion, tagVersion });

describe('check-filename', () => {
  it('the escaped, normalized distribution name passes', () => {
    expect(codes(name(`demo_pkg-1.0-${P}.whl`))).toEqual([]);
  });
  it('FILENAME_INVALID: not the wheel filename grammar; version and tags are then skipped', () => {
    const r = name('demo_pkg-1.0.whl');
    expect(codes(r)).toEqual(['FILENAME_INVALID']);
    expect(r.skipped).toEqual(['version', 'tags']);
  });
  it('NAME_NOT_NORMALIZED: the same project written another way', () => {
    expect(codes(name(`Demo.Pkg-1.0-${P}.whl`))).toEqual(['NAME_NOT_NORMALIZED']);
  });
  it('NAME_MISMATCH: another project', () => {
    expect(codes(name(`other-1.0-${P}.whl`))).toEqual(['NAME_MISMATCH']);
  });
});

describe('check-filename: version', () => {
  it('equal to [project].version and the tag\'s, normalized', () => {
    const r = version(`demo_pkg-1.0-${P}.whl`);
    expect(codes(r)).toEqual([]);
    expect(r.notes?.version).toBe('1.0 = pyproject = tag v1.0');
  });
  it('VERSION_INVALID', () => expect(codes(version(`demo_pkg-one-${P}.whl`))).toEqual(['VERSION_INVALID']));
  it('VERSION_NOT_NORMALIZED', () => expect(codes(version(`demo_pkg-01.0-${P}.whl`))).toEqual(['VERSION_NOT_NORMALIZED']));
  it('VERSION_LOCAL', () => expect(codes(version(`demo_pkg-1.0+dev-${P}.whl`, null, null))).toEqual(['VERSION_LOCAL']));
  it('VERSION_MISMATCH_PYPROJECT', () => expect(codes(version(`demo_pkg-1.1-${P}.whl`, '1.0', null))).toEqual(['VERSION_MISMATCH_PYPROJECT']));
  it('VERSION_MISMATCH_TAG', () => expect(codes(version(`demo_pkg-1.1-${P}.whl`, null, '1.0'))).toEqual(['VERSION_MISMATCH_TAG']));
});

describe('check-filename: tags and size', () => {
  it('a manylinux tag PyPI accepts, with its glibc policy', () => {
    const r = checkTags('x.whl', parseWheelFilename(`demo_pkg-1.0-${P}.whl`)!);
    expect(codes(r)).toEqual([]);
    expect(r.policy).toMatch(/^manylinux_2_17 \(glibc >= 2\.17\)$/);
  });
  it('PLATFORM_TAG_REJECTED: a plain linux_x86_64 tag', () => {
    expect(codes(checkTags('x.whl', parseWheelFilename('demo_pkg-1.0-cp313-cp313-linux_x86_64.whl')!))).toEqual(['PLATFORM_TAG_REJECTED']);
  });
  it('WHEEL_TOO_LARGE above the limit, exact in bytes; at the limit passes', () => {
    expect(codes(checkSize('x.whl', 1000, 1000))).toEqual([]);
    const r = checkSize('x.whl', 1001, 1000);
    expect(codes(r)).toEqual(['WHEEL_TOO_LARGE']);
    expect(r.findings[0].message).toBe('1001 bytes (1001 B) is 1 bytes over the limit of 1000 bytes (1000 B)');
  });
});
