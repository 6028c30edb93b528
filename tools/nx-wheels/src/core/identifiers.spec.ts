import { identifierForWheel, matchesSelector, parseIdentifier } from './identifiers';
import { parseWheelFilename } from './wheel-filename';

describe('parseIdentifier', () => {
  it('parses Linux and Windows CPython identifiers', () => {
    expect(parseIdentifier('cp313-manylinux_x86_64')).toMatchObject({
      pythonVersion: '3.13', platform: 'linux', linuxLibc: 'manylinux', arch: 'x86_64', wheelPythonTag: 'cp313', wheelAbiTag: 'cp313',
    });
    expect(parseIdentifier('cp313-win_amd64')).toMatchObject({ platform: 'windows', arch: 'AMD64' });
    expect(parseIdentifier('cp313t-musllinux_aarch64')).toMatchObject({ freeThreaded: true, wheelAbiTag: 'cp313t', linuxLibc: 'musllinux', arch: 'aarch64' });
    expect(parseIdentifier('cp39-macosx_arm64')).toMatchObject({ platform: 'macos', pythonVersion: '3.9' });
    expect(parseIdentifier('nonsense')).toBeNull();
  });
});

describe('matchesSelector', () => {
  it.each([
    ['cp313-manylinux_x86_64', 'cp313-*', true],
    ['cp313-manylinux_x86_64', '*-win_amd64 cp312-*', false],
    ['cp313-manylinux_x86_64', 'cp31{2,3}-manylinux_*', true],
    ['cp313-manylinux_x86_64', 'cp31[!3]-*', false],
    ['cp313-win_amd64', ['pp*', '*-win_amd64'], true],
    ['cp313-win_amd64', 'cp313', false],
    ['cp313-manylinux_x86_64', 'cp31[!2]-*', true],
    ['cp313t-manylinux_x86_64', 'cp31?-*', false],
    ['cp313t-manylinux_x86_64', 'cp31?t-*', true],
    ['cp313-musllinux_x86_64', '*-{many,musl}linux_{x86_64,i686}', true],
    ['cp313-manylinux_x86_64', '', false],
    ['cp313-manylinux_x86_64', [], false],
  ])('%s vs %j -> %s', (id, sel, want) => {
    expect(matchesSelector(id, sel as string)).toBe(want);
  });
});

describe('identifierForWheel', () => {
  const ids = ['cp313-manylinux_x86_64', 'cp313-win_amd64', 'cp312-manylinux_x86_64'].map((i) => parseIdentifier(i)!);
  it.each([
    ['quiverdb-0.1.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'cp313-manylinux_x86_64'],
    ['quiverdb-0.1.0-cp313-cp313-manylinux_2_28_x86_64.whl', 'cp313-manylinux_x86_64'],
    ['quiverdb-0.1.0-cp313-cp313-win_amd64.whl', 'cp313-win_amd64'],
    ['quiverdb-0.1.0-cp312-cp312-manylinux_2_34_x86_64.whl', 'cp312-manylinux_x86_64'],
    ['quiverdb-0.1.0-cp313-cp313-linux_x86_64.whl', null],
    ['quiverdb-0.1.0-cp313-abi3-manylinux_2_28_x86_64.whl', null],
    ['quiverdb-0.1.0-py3-none-any.whl', null],
  ])('%s -> %s', (file, want) => {
    expect(identifierForWheel(parseWheelFilename(file)!, ids)?.id ?? null).toBe(want);
  });
});

describe('parseWheelFilename', () => {
  it('parses build tags and compressed tag sets', () => {
    const w = parseWheelFilename('quiverdb-1.0-1abc-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')!;
    expect(w.buildTag).toBe('1abc');
    expect(w.tags).toEqual(['cp313-cp313-manylinux_2_17_x86_64', 'cp313-cp313-manylinux2014_x86_64']);
  });
  it.each(['quiverdb-1.0.whl', 'quiverdb-1.0-cp313-cp313.whl', 'quiverdb-1.0-x-cp313-cp313-any.whl', 'a.zip'])('rejects %s', (f) => {
    expect(parseWheelFilename(f)).toBeNull();
  });
});
