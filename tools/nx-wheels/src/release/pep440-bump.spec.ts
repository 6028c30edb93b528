import { bumpVersion, parseExplicitVersion, pep440ToSemver, preidToPhase, semverToPep440 } from '../core/pep440';

describe('bumpVersion (PEP 440, node-semver semantics)', () => {
  it.each([
    ['1.2.3', 'patch', null, '1.2.4'],
    ['1.2.3', 'minor', null, '1.3.0'],
    ['1.2.3', 'major', null, '2.0.0'],
    ['1.2.0', 'preminor', 'rc', '1.3.0rc0'],
    ['1.3.0rc0', 'prerelease', 'rc', '1.3.0rc1'],
    ['1.3.0rc1', 'prerelease', null, '1.3.0rc2'],
    ['1.3.0rc1', 'minor', null, '1.3.0'],
    ['1.3.1rc1', 'minor', null, '1.4.0'],
    ['2.0.0b1', 'major', null, '2.0.0'],
    ['1.2.4a1', 'patch', null, '1.2.4'],
    ['1.2.3', 'prepatch', 'alpha', '1.2.4a0'],
    ['1.2.3', 'premajor', 'beta', '2.0.0b0'],
    ['1.3.0a2', 'prerelease', 'beta', '1.3.0b0'],
    ['1.3.0', 'prerelease', 'rc', '1.3.1rc0'],
    ['1.2.0.post1', 'patch', null, '1.2.1'],
    ['1.3.0.dev3', 'prerelease', null, '1.3.0.dev4'],
    ['1.3.0.dev3', 'prerelease', 'rc', '1.3.0rc0'],
    ['1.3.0rc1.dev2', 'prerelease', 'rc', '1.3.0rc1'],
    ['1!2.0.0', 'patch', null, '1!2.0.1'],
    ['1.2', 'minor', null, '1.3.0'],
  ] as const)('%s + %s (preid %s) -> %s', (from, bump, preid, want) => {
    expect(bumpVersion(from, bump, preid)).toBe(want);
  });

  it('applies the 0.x adjustment only when asked', () => {
    expect(bumpVersion('0.4.1', 'minor', null, { adjustZeroMajor: true })).toBe('0.4.2');
    expect(bumpVersion('0.4.1', 'major', null, { adjustZeroMajor: true })).toBe('0.5.0');
    expect(bumpVersion('0.4.1', 'major', null)).toBe('1.0.0');
  });

  it('refuses a pre-bump of a final version without preid', () => {
    expect(() => bumpVersion('1.2.3', 'preminor', null)).toThrow(/--preid rc/);
  });

  it('refuses to go backwards in PEP 440 order', () => {
    expect(() => bumpVersion('1.3.0rc1', 'prerelease', 'alpha')).toThrow(/not newer/);
  });

  it('rejects local versions and unknown preids', () => {
    expect(() => bumpVersion('1.2.3+abc', 'patch')).toThrow(/local label/);
    expect(() => preidToPhase('next')).toThrow(/no PEP 440 equivalent/);
  });
});

describe('PEP 440 <-> SemVer', () => {
  it.each([
    ['1.3.0rc1', '1.3.0-rc.1'],
    ['1.3.0a2', '1.3.0-a.2'],
    ['1.3.0.dev3', '1.3.0-dev.3'],
    ['1.3.0rc1.dev2', '1.3.0-rc.1.dev.2'],
    ['1.2', '1.2.0'],
  ])('%s <-> %s', (pep, sem) => {
    expect(pep440ToSemver(pep)).toBe(sem);
    expect(semverToPep440(sem)).toBe(pep.split('.').length === 2 ? '1.2.0' : pep);
  });

  it('translates alpha/beta/preview and refuses SemVer-only pre-releases', () => {
    expect(semverToPep440('1.3.0-alpha.1')).toBe('1.3.0a1');
    expect(semverToPep440('1.3.0-beta')).toBe('1.3.0b0');
    expect(semverToPep440('1.3.0-next.1')).toBeNull();
    expect(semverToPep440('1.3.0-0')).toBeNull();
  });

  it('parses explicit versions in either spelling', () => {
    expect(parseExplicitVersion('1.4.0-rc.1')).toBe('1.4.0rc1');
    expect(parseExplicitVersion('v1.4.0rc1')).toBe('1.4.0rc1');
    expect(parseExplicitVersion('1.2.0.post1')).toBe('1.2.0.post1');
    expect(parseExplicitVersion('1!2.0')).toBe('1!2.0.0');
    expect(parseExplicitVersion('2.2')).toBe('2.2.0');
    expect(parseExplicitVersion('2.2rc1')).toBe('2.2.0rc1');
    expect(parseExplicitVersion('1.2.3.4')).toBe('1.2.3.4');
    expect(() => parseExplicitVersion('2.1.0+local')).toThrow('version "2.1.0+local" has a local label (+local), which PyPI and every package index refuse; release 2.1.0 instead (nx release 2.1.0).');
    expect(() => parseExplicitVersion('1.4.0-1')).toThrow(/pre-release part/);
    expect(() => parseExplicitVersion('banana')).toThrow(/neither PEP 440/);
  });
});
